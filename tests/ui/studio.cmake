# The main window (offscreen).
set(_studio_defs
  MEDVAE_DEMO_MODEL="${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt"
  MEDVAE_SAMPLES="${PROJECT_SOURCE_DIR}/resources/samples")
medvae_add_test(tst_studio SOURCES ui/tst_studio.cpp jobs/fake_backend.cpp imaging/loopback_http_server.cpp imaging/loopback_listener.cpp LIBS medvae_ui Qt6::Network)
target_include_directories(tst_studio PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/jobs)
target_compile_definitions(tst_studio PRIVATE ${_studio_defs}
  MEDVAE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  MEDVAE_LUPDATE="$<TARGET_FILE:Qt6::lupdate>")
set_tests_properties(tst_studio PROPERTIES TIMEOUT 300)
# The window as a user meets it: screen size, view keys, ETA, remote mode, five languages.
medvae_add_test(tst_studio_window SOURCES ui/tst_studio_window.cpp LIBS medvae_ui Qt6::Network)
target_compile_definitions(tst_studio_window PRIVATE ${_studio_defs}
  MEDVAE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
set_tests_properties(tst_studio_window PROPERTIES TIMEOUT 300)
# Every text of the whole window in five languages on a 1920x1080 screen: none clipped.
medvae_add_test(tst_studio_languages SOURCES ui/tst_studio_languages.cpp LIBS medvae_ui)
target_compile_definitions(tst_studio_languages PRIVATE ${_studio_defs})
set_tests_properties(tst_studio_languages PROPERTIES TIMEOUT 300)
# "Compare with…" in the main window: model B's A/B panel in place of the compare panel, and back;
# model B from an endpoint profile: a medvae-serve on loopback.
medvae_add_test(tst_studio_compare SOURCES ui/tst_studio_compare.cpp serve/serve_process.cpp
  LIBS medvae_ui Qt6::Network)
add_dependencies(tst_studio_compare medvae-serve)
target_include_directories(tst_studio_compare PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/serve)
target_compile_definitions(tst_studio_compare PRIVATE ${_studio_defs}
  MEDVAE_SERVE="$<TARGET_FILE:medvae-serve>")
# A mammogram-sized 16-bit image (4096x3328) through the main window: the original before the
# model finishes, and no GUI stall of 50 ms or more while opening, showing and windowing it.
medvae_add_test(tst_clinical_size SOURCES ui/tst_clinical_size.cpp jobs/fake_backend.cpp LIBS medvae_ui)
target_include_directories(tst_clinical_size PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/jobs)
set_tests_properties(tst_clinical_size PROPERTIES TIMEOUT 300)
# The model panel's tiled mode through the main window: tiles of the chosen size, the result's
# note, the exact result back from the cache when turned off.
medvae_add_test(tst_studio_tiled SOURCES ui/tst_studio_tiled.cpp LIBS medvae_ui)
target_compile_definitions(tst_studio_tiled PRIVATE ${_studio_defs})
set_tests_properties(tst_studio_tiled PROPERTIES TIMEOUT 300)
# The Inspect tab's result cache: bounded by count and by the memory its results hold, each
# buffer counted once; what a prepared result holds.
medvae_add_test(tst_result_cache SOURCES ui/tst_result_cache.cpp LIBS medvae_ui)
