# The engine's suites: LibTorch and the engine only (no Qt, OpenCV or DCMTK), label `engine`, so
# that they build and run in the engine-only configuration (cmake --preset engine-only, or
# tools/gpu-check.sh on a GPU machine) as well as in the full builds. Each is a small executable
# on the runner in engine_check.h: exit code 77 means every test skipped (CTest shows SKIPPED).

# medvae_add_engine_test(NAME SOURCES... [LABELS ...])
function(medvae_add_engine_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES} engine/engine_check.cpp engine/engine_fixtures.cpp engine/npy_reader.cpp)
  target_link_libraries(${name} PRIVATE medvae_engine medvae_warnings)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/engine)
  target_compile_definitions(${name} PRIVATE
    MEDVAE_FIXTURES="${MEDVAE_FIXTURES}"
    MEDVAE_PYTHON="${MEDVAE_FIXTURE_PYTHON}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bin)
  add_dependencies(${name} medvae_fixtures)
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_LABELS)
    set(T_LABELS fast)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "engine;${T_LABELS}" SKIP_RETURN_CODE 77)
endfunction()

medvae_add_engine_test(tst_checkpoint_reader SOURCES engine/tst_checkpoint_reader.cpp)
medvae_add_engine_test(tst_engine SOURCES engine/tst_engine.cpp engine/tst_engine_paths.cpp engine/tst_engine_bands.cpp
                                    engine/tst_engine_budget.cpp engine/tst_engine_tiled.cpp)
# On a CUDA device against the CPU; SKIPPED where none is visible (label gpu).
medvae_add_engine_test(tst_engine_cuda SOURCES engine/tst_engine_cuda.cpp LABELS "fast;gpu")

# medvae-bench runs (batch, both attention kernels) and prints what it measured.
add_test(NAME bench_smoke
         COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/engine/check_bench.py
                 $<TARGET_FILE:medvae-bench>)
set_tests_properties(bench_smoke PROPERTIES LABELS "engine;fast" TIMEOUT 600)

# The engine at 1024² and 2048² against the reference (label heavy): the reference outputs take
# minutes on two cores, so a CTest fixture makes them when the test first runs (and again only when
# the generator, the reference or the demo model changed), not at build time. Without medvae-cli
# (engine-only) the command-line check is left out, and so are the PNG files it reads.
set(MEDVAE_LARGE_FIXTURES ${CMAKE_CURRENT_BINARY_DIR}/large-fixtures)
add_executable(tst_engine_large engine/tst_engine_large.cpp engine/npy_reader.cpp)
target_link_libraries(tst_engine_large PRIVATE medvae_engine medvae_warnings)
target_include_directories(tst_engine_large PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/engine)
set_target_properties(tst_engine_large PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bin)
if(MEDVAE_ENGINE_ONLY)
  set(_large_cli "-")
  set(_large_options --no-png)
else()
  set(_large_cli $<TARGET_FILE:medvae-cli>)
  set(_large_options)
endif()
add_test(NAME make_large_fixtures
         COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/make_large_fixtures.py
                 ${MEDVAE_LARGE_FIXTURES} ${PROJECT_SOURCE_DIR}/resources/models/medvae-demo-8x4.ckpt
                 --truth 1024 ${_large_options})
set_tests_properties(make_large_fixtures PROPERTIES FIXTURES_SETUP large_fixtures LABELS "engine;heavy" TIMEOUT 1800)
add_test(NAME tst_engine_large COMMAND tst_engine_large ${MEDVAE_LARGE_FIXTURES} ${_large_cli})
set_tests_properties(tst_engine_large PROPERTIES FIXTURES_REQUIRED large_fixtures LABELS "engine;heavy" TIMEOUT 1800)

# The engine's memory estimate (what images are refused by) against measured peaks (label heavy).
add_test(NAME memory_estimate
         COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/engine/check_memory_estimate.py
                 $<TARGET_FILE:medvae-bench>)
set_tests_properties(memory_estimate PROPERTIES LABELS "engine;heavy" TIMEOUT 1200 SKIP_RETURN_CODE 77)

# The memory budget (--max-memory-gb) against the measured peak of a run it made fit (label heavy).
add_test(NAME memory_budget
         COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/engine/check_memory_budget.py
                 $<TARGET_FILE:medvae-bench>)
set_tests_properties(memory_budget PROPERTIES LABELS "engine;heavy" TIMEOUT 1800 SKIP_RETURN_CODE 77)
