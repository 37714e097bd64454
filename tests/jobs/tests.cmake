# Batch export: the pipeline and `medvae-cli batch`.
medvae_add_test(tst_batch SOURCES jobs/tst_batch.cpp jobs/batch_test_support.cpp imaging/loopback_http_server.cpp imaging/loopback_listener.cpp imaging/zero_png.cpp LIBS medvae_jobs Qt6::Network ZLIB::ZLIB)
add_dependencies(tst_batch medvae-cli)
target_compile_definitions(tst_batch PRIVATE MEDVAE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
# Batch outputs stay inside the output folder, whatever links and names the inputs bring.
medvae_add_test(tst_batch_paths SOURCES jobs/tst_batch_paths.cpp jobs/batch_test_support.cpp imaging/loopback_http_server.cpp imaging/loopback_listener.cpp LIBS medvae_jobs Qt6::Network)
add_dependencies(tst_batch_paths medvae-cli)
# The manifest after crashes (strace's fault injection), resume verification, hostile names.
medvae_add_test(tst_batch_manifest SOURCES jobs/tst_batch_manifest.cpp jobs/batch_test_support.cpp LIBS medvae_jobs)
add_dependencies(tst_batch_manifest medvae-cli)
# Two models compared (--compare-model) against two single runs; resume with a model B.
medvae_add_test(tst_batch_compare SOURCES jobs/tst_batch_compare.cpp jobs/batch_test_support.cpp LIBS medvae_jobs)
add_dependencies(tst_batch_compare medvae-cli)
target_compile_definitions(tst_batch_compare PRIVATE MEDVAE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
# Multi-frame inputs: every frame its own item, against pydicom and `medvae-cli encode --frame`.
medvae_add_test(tst_batch_frames SOURCES jobs/tst_batch_frames.cpp jobs/batch_test_support.cpp LIBS medvae_jobs)
add_dependencies(tst_batch_frames medvae-cli)
