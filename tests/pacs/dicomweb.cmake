# DICOMweb: the parsers and profiles alone (tst_dicomweb_offline), the client against a private
# Orthanc loaded with a small corpus the project decodes (tst_dicomweb; with --user, its
# credentials suite: dicomweb_credentials), and medvae-cli batch reading from it
# (batch_dicomweb).
set(MEDVAE_PYDICOM_TEST_FILES /usr/lib/python3/dist-packages/pydicom/data/test_files)
set(MEDVAE_PACS_CORPUS
  ${PROJECT_SOURCE_DIR}/resources/samples/colin27_t1_coronal.dcm
  ${MEDVAE_PYDICOM_TEST_FILES}/CT_small.dcm
  ${MEDVAE_PYDICOM_TEST_FILES}/MR_small.dcm
  ${MEDVAE_PYDICOM_TEST_FILES}/dicomdirtests/98892001/CT5N)
string(JOIN "|" MEDVAE_PACS_CORPUS_TEXT ${MEDVAE_PACS_CORPUS})
set(MEDVAE_PACS_LOADS)
foreach(path ${MEDVAE_PACS_CORPUS})
  list(APPEND MEDVAE_PACS_LOADS --load ${path})
endforeach()

medvae_add_test(tst_dicomweb_offline SOURCES pacs/tst_dicomweb_offline.cpp
  LIBS medvae_pacs medvae_remote)

# Registered by hand: the program runs under the Orthanc wrapper.
add_executable(tst_dicomweb pacs/tst_dicomweb.cpp)
target_link_libraries(tst_dicomweb PRIVATE Qt6::Test Qt6::Network medvae_pacs medvae_imaging medvae_warnings)
target_compile_definitions(tst_dicomweb PRIVATE
  MEDVAE_PYTHON="${MEDVAE_FIXTURE_PYTHON}"
  MEDVAE_PACS_CORPUS="${MEDVAE_PACS_CORPUS_TEXT}"
  MEDVAE_PACS_TOOLS="${CMAKE_CURRENT_SOURCE_DIR}/pacs")
set_target_properties(tst_dicomweb PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bin)
add_test(NAME tst_dicomweb
  COMMAND ${MEDVAE_ORTHANC_WRAPPER} ${MEDVAE_PACS_LOADS} -- $<TARGET_FILE:tst_dicomweb>)
add_test(NAME dicomweb_credentials
  COMMAND ${MEDVAE_ORTHANC_WRAPPER} ${MEDVAE_PACS_LOADS} --user medvae-reader:pw-for-tests-only
          -- $<TARGET_FILE:tst_dicomweb>)
add_test(NAME batch_dicomweb
  COMMAND ${MEDVAE_ORTHANC_WRAPPER} ${MEDVAE_PACS_LOADS}
          -- ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/pacs/test_batch_dicomweb.py
          $<TARGET_FILE:medvae-cli> ${MEDVAE_PYDICOM_TEST_FILES}/dicomdirtests/98892001/CT5N)
set_tests_properties(tst_dicomweb dicomweb_credentials batch_dicomweb PROPERTIES
  LABELS "pacs;fast" SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
set_tests_properties(tst_dicomweb_offline PROPERTIES LABELS "pacs;fast")
# medvae-cli batch --store-derived: the derived objects stored back over STOW-RS and C-STORE into
# a private Orthanc loaded with one CT series, and a store the archive refuses (a loopback
# read-only archive).
add_test(NAME batch_store_derived
  COMMAND ${MEDVAE_ORTHANC_WRAPPER} --load ${MEDVAE_PYDICOM_TEST_FILES}/dicomdirtests/98892001/CT5N
          -- ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/pacs/test_store_derived.py
          $<TARGET_FILE:medvae-cli> ${MEDVAE_PYDICOM_TEST_FILES}/dicomdirtests/98892001/CT5N)
set_tests_properties(batch_store_derived PROPERTIES
  LABELS "pacs;fast" SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
# DICOMweb over https: the private Orthanc behind TLS with a throwaway authority's certificate
# (orthanc_server.py --https; the openssl command makes the certificates).
add_test(NAME batch_dicomweb_tls
  COMMAND ${MEDVAE_ORTHANC_WRAPPER} --https --load ${MEDVAE_PYDICOM_TEST_FILES}/CT_small.dcm
          -- ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/pacs/test_dicomweb_tls.py
          $<TARGET_FILE:medvae-cli> ${MEDVAE_PYDICOM_TEST_FILES}/CT_small.dcm)
set_tests_properties(batch_dicomweb_tls PROPERTIES
  LABELS "pacs;fast" SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
# medvae-cli pacs add|list|remove|echo: profiles in a private settings folder, secrets in a real
# Secret Service (a private D-Bus session with an unlocked gnome-keyring, as the keychain suites
# in remote/), against the private Orthanc over https with HTTP Basic.
find_program(MEDVAE_DBUS_RUN_SESSION dbus-run-session REQUIRED)
find_program(MEDVAE_GNOME_KEYRING gnome-keyring-daemon REQUIRED)
add_test(NAME cli_pacs_profiles
  COMMAND ${MEDVAE_DBUS_RUN_SESSION} -- sh -c
    "HOME=$(mktemp -d) && export HOME && unset XDG_DATA_HOME XDG_CONFIG_HOME && echo -n medvae-test | ${MEDVAE_GNOME_KEYRING} --unlock --components=secrets >/dev/null && \"$0\" \"$@\"; rc=$?; rm -rf \"$HOME\"; exit $rc"
    ${MEDVAE_ORTHANC_WRAPPER} --https --user medvae-reader:pw-for-tests-only
    --load ${MEDVAE_PYDICOM_TEST_FILES}/CT_small.dcm
    -- ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/pacs/test_cli_pacs.py
    $<TARGET_FILE:medvae-cli> ${MEDVAE_PYDICOM_TEST_FILES}/CT_small.dcm)
set_tests_properties(cli_pacs_profiles PROPERTIES
  LABELS "pacs;fast" SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
