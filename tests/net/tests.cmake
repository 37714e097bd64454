# HTTP on Qt Network: the transfer class and the image URL downloads over it, against a loopback
# HTTP server only.
medvae_add_test(tst_http_transfer
  SOURCES net/tst_http_transfer.cpp imaging/loopback_http_server.cpp imaging/loopback_listener.cpp
    remote/fault_http_server.cpp
  LIBS medvae_net Qt6::Network)
target_include_directories(tst_http_transfer PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/remote)
medvae_add_test(tst_url_fetcher
  SOURCES net/tst_url_fetcher.cpp imaging/loopback_http_server.cpp imaging/loopback_listener.cpp
  LIBS medvae_net Qt6::Network)
