# Remote endpoints: the client against a fault-injecting loopback server, the keychain against a
# real Secret Service, and the client and hardening checks against a real medvae-serve.
medvae_add_test(tst_remote_client
  SOURCES remote/tst_remote_client.cpp remote/fault_http_server.cpp
  LIBS medvae_remote Qt6::Network)
target_include_directories(tst_remote_client PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/remote)
