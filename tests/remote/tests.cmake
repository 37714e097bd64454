# Remote endpoints: the client against a fault-injecting loopback server, the keychain against a
# real Secret Service (medvae-serve's suites are in serve/).
medvae_add_test(tst_remote_client
  SOURCES remote/tst_remote_client.cpp remote/fault_http_server.cpp imaging/loopback_listener.cpp
  LIBS medvae_remote Qt6::Network)
target_include_directories(tst_remote_client PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/remote ${CMAKE_CURRENT_SOURCE_DIR}/contract)

# The keychain: the suite runs twice. tst_key_store_secret_service runs it inside a private D-Bus
# session with an unlocked gnome-keyring (a real Secret Service, in a throw-away HOME);
# tst_key_store runs it with no reachable session bus, where storing a key must fail clearly
# (QtKeychain's plain-text fallback stays off).
medvae_add_test(tst_key_store
  SOURCES remote/tst_key_store.cpp remote/fault_http_server.cpp imaging/loopback_listener.cpp
  LIBS medvae_remote)
target_include_directories(tst_key_store PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/remote)
set_tests_properties(tst_key_store PROPERTIES TIMEOUT 60 ENVIRONMENT
  "QT_QPA_PLATFORM=offscreen;MEDVAE_EXPECT_NO_KEYCHAIN=1;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/medvae-test-bus")
find_program(MEDVAE_DBUS_RUN_SESSION dbus-run-session REQUIRED)
find_program(MEDVAE_GNOME_KEYRING gnome-keyring-daemon REQUIRED)
# Registers <target>_secret_service: the test inside a private D-Bus session with an unlocked
# gnome-keyring and a throw-away HOME.
function(medvae_secret_service_test target)
  add_test(NAME ${target}_secret_service
    COMMAND ${MEDVAE_DBUS_RUN_SESSION} -- sh -c
      "HOME=$(mktemp -d) && export HOME && unset XDG_DATA_HOME XDG_CONFIG_HOME && echo -n medvae-test | ${MEDVAE_GNOME_KEYRING} --unlock --components=secrets >/dev/null && \"$0\"; rc=$?; rm -rf \"$HOME\"; exit $rc"
      $<TARGET_FILE:${target}>)
  set_tests_properties(${target}_secret_service PROPERTIES LABELS fast TIMEOUT 120
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endfunction()
medvae_secret_service_test(tst_key_store)

# The endpoint dialog and the privacy confirmation, with and without a keychain (as tst_key_store).
medvae_add_test(tst_remote_ui
  SOURCES remote/tst_remote_ui.cpp remote/fault_http_server.cpp imaging/loopback_listener.cpp
  LIBS medvae_ui_remote Qt6::Network)
target_include_directories(tst_remote_ui PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/remote)
set_tests_properties(tst_remote_ui PROPERTIES TIMEOUT 120 ENVIRONMENT
  "QT_QPA_PLATFORM=offscreen;MEDVAE_EXPECT_NO_KEYCHAIN=1;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/medvae-test-bus")
medvae_secret_service_test(tst_remote_ui)
