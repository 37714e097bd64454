# Checkpoint downloads (core/jobs/model_downloader) against a loopback HTTP server.
medvae_add_test(tst_model_downloader SOURCES jobs/tst_model_downloader.cpp imaging/loopback_http_server.cpp imaging/loopback_listener.cpp
  LIBS medvae_jobs Qt6::Network)
