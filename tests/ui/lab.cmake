# The Latent lab tab (offscreen): slider with held decodes, interpolation and export against the
# CLI and numpy, refusals, the tab in the main window.
medvae_add_test(tst_latent_lab SOURCES ui/tst_latent_lab.cpp LIBS medvae_ui Qt6::Network)
add_dependencies(tst_latent_lab medvae-cli)
target_compile_definitions(tst_latent_lab PRIVATE
  MEDVAE_DEMO_MODEL="${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt"
  MEDVAE_SAMPLES="${PROJECT_SOURCE_DIR}/resources/samples"
  MEDVAE_LATENT_REFERENCE="${CMAKE_CURRENT_SOURCE_DIR}/cli/latent_reference.py")
set_tests_properties(tst_latent_lab PROPERTIES TIMEOUT 300)
