# The app's worker thread: typed requests, newest wins, cancel, the engine gate (FakeBackend).
medvae_add_test(tst_inference_worker SOURCES jobs/tst_inference_worker.cpp jobs/fake_backend.cpp imaging/zero_png.cpp LIBS medvae_jobs Qt6::Gui ZLIB::ZLIB)
target_compile_definitions(tst_inference_worker PRIVATE
  MEDVAE_DEMO_MODEL="${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt"
  MEDVAE_SAMPLES="${PROJECT_SOURCE_DIR}/resources/samples")
target_include_directories(tst_inference_worker PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/jobs)
