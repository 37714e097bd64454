# The view models without widgets (colormaps, windowing, the error heatmap, latent maps) against
# numpy and matplotlib, and batch export's error PNG against the view's heatmap.
medvae_add_test(tst_view_models SOURCES ui/tst_view_models.cpp ui/view_test_support.cpp LIBS medvae_ui_models medvae_jobs)
# Image views with widgets: rendering on screen, mouse interaction, view sync, the compare and
# latent panels drawing their models, and a demo-model result shown in both panels.
medvae_add_test(tst_views SOURCES ui/tst_views.cpp ui/view_test_support.cpp LIBS medvae_ui_views medvae_jobs)
target_compile_definitions(tst_views PRIVATE
  MEDVAE_DEMO_MODEL="${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt"
  MEDVAE_SAMPLES="${PROJECT_SOURCE_DIR}/resources/samples")
# What the views show around results (hints, pending, linked window, layout), on their pixels.
medvae_add_test(tst_view_states SOURCES ui/tst_view_states.cpp ui/view_test_support.cpp LIBS medvae_ui_views medvae_jobs)
# The Inspect tab's views while jobs run (a held FakeBackend).
medvae_add_test(tst_inspection SOURCES ui/tst_inspection.cpp ui/view_test_support.cpp jobs/fake_backend.cpp LIBS medvae_ui)
target_compile_definitions(tst_inspection PRIVATE MEDVAE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_include_directories(tst_inspection PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/jobs)
# Two models' reconstructions compared (one error scale, the difference of errors) against numpy.
medvae_add_test(tst_ab_comparison SOURCES ui/tst_ab_comparison.cpp ui/view_test_support.cpp LIBS medvae_ui_models medvae_jobs)
# A multi-frame DICOM file as a stack: wheel, keys, slice label, per-frame cache, stall probe.
medvae_add_test(tst_stacks SOURCES ui/tst_stacks.cpp jobs/fake_backend.cpp LIBS medvae_ui)
target_include_directories(tst_stacks PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/jobs)
target_compile_definitions(tst_stacks PRIVATE MEDVAE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
