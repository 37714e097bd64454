# The local backend over the engine, and the comparison of an image with its reconstruction.
medvae_add_test(tst_reconstruction SOURCES backend/tst_reconstruction.cpp engine/fixture_data.cpp LIBS medvae_backend medvae_io)
target_compile_definitions(tst_reconstruction PRIVATE
  MEDVAE_DEMO_MODEL="${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt"
  MEDVAE_DEMO_MODEL_SHA256="${MEDVAE_DEMO_MODEL_SHA256}"
  MEDVAE_SAMPLES="${PROJECT_SOURCE_DIR}/resources/samples")
