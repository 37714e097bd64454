# The app's PACS browser, driven offscreen in the main window against a private Orthanc
# (orthanc_server.py wraps the program; 77 = skipped when Orthanc is not installed), with a
# DICOMweb profile (HTTP Basic, --user) and a DIMSE profile. Corpus: the bundled MR sample, two
# of pydicom's small files and one patient of its DICOMDIR tests (two CT series).
set(_pacs_ui_corpus
  ${PROJECT_SOURCE_DIR}/resources/samples/colin27_t1_coronal.dcm
  /usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm
  /usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm
  /usr/lib/python3/dist-packages/pydicom/data/test_files/dicomdirtests/98892001)
set(_pacs_ui_loads)
foreach(_path IN LISTS _pacs_ui_corpus)
  list(APPEND _pacs_ui_loads --load ${_path})
endforeach()
string(REPLACE ";" "|" _pacs_ui_corpus_text "${_pacs_ui_corpus}")

add_executable(tst_pacs_browser ui/tst_pacs_browser.cpp ui/stalled_archive.cpp)
target_link_libraries(tst_pacs_browser PRIVATE Qt6::Test Qt6::Network medvae_ui medvae_warnings)
target_include_directories(tst_pacs_browser PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/remote)
target_compile_definitions(tst_pacs_browser PRIVATE
  MEDVAE_PYTHON="${MEDVAE_FIXTURE_PYTHON}"
  MEDVAE_PACS_TOOLS="${CMAKE_CURRENT_SOURCE_DIR}/pacs"
  MEDVAE_PACS_UI_CORPUS="${_pacs_ui_corpus_text}")
set_target_properties(tst_pacs_browser PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bin AUTOMOC ON)
add_test(NAME tst_pacs_browser
  COMMAND ${MEDVAE_ORTHANC_WRAPPER} ${_pacs_ui_loads} --user medvae-reader:pw-for-tests-only
          -- $<TARGET_FILE:tst_pacs_browser>)
set_tests_properties(tst_pacs_browser PROPERTIES LABELS "pacs;fast" SKIP_RETURN_CODE 77
                     ENVIRONMENT "QT_QPA_PLATFORM=offscreen" TIMEOUT 300)
