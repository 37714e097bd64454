# Image views: colormaps, window/level rendering, mouse interaction, view sync, compare and latent
# panels, and a demo-model result shown in both panels.
medvae_add_test(tst_views SOURCES ui/tst_views.cpp LIBS medvae_ui_views medvae_jobs medvae_imaging medvae_io)
target_compile_definitions(tst_views PRIVATE
  MEDVAE_DEMO_MODEL="${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt"
  MEDVAE_SAMPLES="${PROJECT_SOURCE_DIR}/resources/samples")
