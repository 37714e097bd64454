# DimseClient and the derived objects against a private Orthanc (orthanc_server.py; 77 = skipped
# when Orthanc is not installed). Corpus: the bundled MR sample and one patient of pydicom's
# test files (two CT series, 2 and 5 instances), all uncompressed.
set(MEDVAE_DIMSE_CORPUS
  ${CMAKE_SOURCE_DIR}/resources/samples/colin27_t1_coronal.dcm
  /usr/lib/python3/dist-packages/pydicom/data/test_files/dicomdirtests/98892001)
set(_dimse_loads)
foreach(_path IN LISTS MEDVAE_DIMSE_CORPUS)
  list(APPEND _dimse_loads --load ${_path})
endforeach()
string(REPLACE ";" "|" _dimse_corpus_text "${MEDVAE_DIMSE_CORPUS}")

add_executable(tst_dimse pacs/tst_dimse.cpp imaging/loopback_listener.cpp)
target_link_libraries(tst_dimse PRIVATE Qt6::Test Qt6::Network medvae_pacs medvae_imaging medvae_warnings)
target_include_directories(tst_dimse PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/imaging)
target_compile_definitions(tst_dimse PRIVATE
  MEDVAE_PYTHON="${MEDVAE_FIXTURE_PYTHON}"
  MEDVAE_DIMSE_REFERENCE="${CMAKE_CURRENT_SOURCE_DIR}/pacs/dimse_reference.py"
  MEDVAE_DIMSE_CORPUS="${_dimse_corpus_text}")
set_target_properties(tst_dimse PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bin AUTOMOC ON)
add_test(NAME tst_dimse COMMAND ${MEDVAE_ORTHANC_WRAPPER} ${_dimse_loads} -- $<TARGET_FILE:tst_dimse>)
set_tests_properties(tst_dimse PROPERTIES LABELS "pacs;fast" SKIP_RETURN_CODE 77
                     ENVIRONMENT "QT_QPA_PLATFORM=offscreen" TIMEOUT 300)
