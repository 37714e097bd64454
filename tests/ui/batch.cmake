# The Batch panel: a simulated drop of a folder, a run with the demo model, item states and
# metrics in the table, the manifest on disk, inspect on click.
medvae_add_test(tst_batch_panel SOURCES ui/tst_batch_panel.cpp jobs/batch_test_support.cpp
  LIBS medvae_ui_batch medvae_jobs)
target_compile_definitions(tst_batch_panel PRIVATE
  MEDVAE_DEMO_MODEL="${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt"
  MEDVAE_SAMPLES="${PROJECT_SOURCE_DIR}/resources/samples")
