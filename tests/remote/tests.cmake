# Remote endpoints: the client against a fault-injecting loopback server, the keychain against a
# real Secret Service, and the client and hardening checks against a real medvae-serve.
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

# The tests of medvae-serve run the real server (MEDVAE_SERVE) with the demo model.
function(medvae_add_serve_test name)
  cmake_parse_arguments(S "" "" "SOURCES;LABELS" ${ARGN})
  medvae_add_test(${name}
    SOURCES ${S_SOURCES} remote/serve_process.cpp imaging/loopback_http_server.cpp
      imaging/loopback_listener.cpp imaging/zero_png.cpp
    LIBS medvae_remote medvae_serve Qt6::Network ZLIB::ZLIB LABELS ${S_LABELS})
  add_dependencies(${name} medvae-serve)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/remote)
  target_compile_definitions(${name} PRIVATE
    MEDVAE_SERVE="$<TARGET_FILE:medvae-serve>"
    MEDVAE_DEMO_MODEL="${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt"
    MEDVAE_SAMPLES="${PROJECT_SOURCE_DIR}/resources/samples"
    MEDVAE_REMOTE_TESTS="${CMAKE_CURRENT_SOURCE_DIR}/remote")
endfunction()

medvae_add_serve_test(tst_serve SOURCES remote/tst_serve.cpp LABELS fast)
set_tests_properties(tst_serve PROPERTIES TIMEOUT 300)
# Time and memory bounds of the server: deadlines, cancellation, shutdown, connection limits,
# refusals on the head, the default model.
medvae_add_serve_test(tst_serve_bounds SOURCES remote/tst_serve_bounds.cpp LABELS fast)
set_tests_properties(tst_serve_bounds PROPERTIES TIMEOUT 300)

# Attacks against a real server (idle and trickling connections, unauthenticated large bodies)
# while a legitimate client is served.
medvae_add_serve_test(tst_serve_load SOURCES remote/tst_serve_load.cpp LABELS fast)
set_tests_properties(tst_serve_load PROPERTIES TIMEOUT 300)

# The endpoint dialog and the privacy confirmation, with and without a keychain (as tst_key_store).
medvae_add_test(tst_remote_ui
  SOURCES remote/tst_remote_ui.cpp remote/fault_http_server.cpp imaging/loopback_listener.cpp
  LIBS medvae_ui_remote Qt6::Network)
target_include_directories(tst_remote_ui PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/remote)
set_tests_properties(tst_remote_ui PROPERTIES TIMEOUT 120 ENVIRONMENT
  "QT_QPA_PLATFORM=offscreen;MEDVAE_EXPECT_NO_KEYCHAIN=1;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/medvae-test-bus")
medvae_secret_service_test(tst_remote_ui)
