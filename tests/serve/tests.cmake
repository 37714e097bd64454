# medvae-serve: its HTTP request parser and connection in process (fast, no server), and the
# real server (MEDVAE_SERVE) with the demo model.
medvae_add_test(tst_http_request_parser SOURCES serve/tst_http_request_parser.cpp LIBS medvae_serve)
medvae_add_test(tst_http_connection SOURCES serve/tst_http_connection.cpp LIBS medvae_serve Qt6::Network)

function(medvae_add_serve_test name)
  cmake_parse_arguments(S "" "" "SOURCES;LABELS" ${ARGN})
  medvae_add_test(${name}
    SOURCES ${S_SOURCES} serve/serve_process.cpp imaging/loopback_http_server.cpp
      imaging/loopback_listener.cpp imaging/zero_png.cpp
    LIBS medvae_remote medvae_serve Qt6::Network ZLIB::ZLIB LABELS ${S_LABELS})
  add_dependencies(${name} medvae-serve)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/serve)
  target_compile_definitions(${name} PRIVATE
    MEDVAE_SERVE="$<TARGET_FILE:medvae-serve>"
    MEDVAE_DEMO_MODEL="${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt"
    MEDVAE_SAMPLES="${PROJECT_SOURCE_DIR}/resources/samples"
    MEDVAE_SERVE_TESTS="${CMAKE_CURRENT_SOURCE_DIR}/serve")
endfunction()

# The contract end to end (round trip, the model card's client and curl), refusals, the queue,
# shutdown, the access log.
medvae_add_serve_test(tst_serve SOURCES serve/tst_serve.cpp serve/held_image_server.cpp LABELS fast)
set_tests_properties(tst_serve PROPERTIES TIMEOUT 300)
# Time and memory bounds of the server: deadlines, cancellation, shutdown, connection limits,
# refusals on the head, the default model.
medvae_add_serve_test(tst_serve_bounds SOURCES serve/tst_serve_bounds.cpp LABELS fast)
set_tests_properties(tst_serve_bounds PROPERTIES TIMEOUT 300)

# Attacks against a real server (idle and trickling connections, unauthenticated large bodies)
# while a legitimate client is served.
medvae_add_serve_test(tst_serve_load SOURCES serve/tst_serve_load.cpp LABELS fast)
set_tests_properties(tst_serve_load PROPERTIES TIMEOUT 300)
