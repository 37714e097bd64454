# The Debian package (label `package`): tests/package/check_package.sh builds it with CPack from this
# build tree, unpacks it with `dpkg -x` and checks files, control fields, desktop entry, metainfo,
# systemd unit and the installed medvae-cli. Every user-facing executable whose target exists is
# required in the package (all four once the app and the server are built).
set(_package_executables)
foreach(exe medvae-studio medvae-cli medvae-serve medvae-bench)
  if(TARGET ${exe})
    list(APPEND _package_executables ${exe})
  endif()
endforeach()
list(JOIN _package_executables " " _package_executables)
add_test(NAME package_deb
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/package/check_package.sh
          ${CMAKE_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${PROJECT_VERSION} ${MEDVAE_DEMO_MODEL_SHA256}
          ${CMAKE_BINARY_DIR}/tests/package-scratch "${_package_executables}")
set_tests_properties(package_deb PROPERTIES LABELS package TIMEOUT 600
  ENVIRONMENT "CPACK=${CMAKE_CPACK_COMMAND}")

# Everything the build, the tests, .ci/run and the packaging run is installed by
# packaging/install-deps.sh or part of a minimal Debian 12 system: check_external_programs.py
# derives the programs and Python modules from the sources and finds each one's Debian package.
# test_program_sources.py tests the scan itself, and that the check fails without `file`.
add_test(NAME external_programs
  COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/package/check_external_programs.py
          --source ${PROJECT_SOURCE_DIR} --python ${MEDVAE_FIXTURE_PYTHON}
          --qt-tool-dirs $<TARGET_FILE_DIR:Qt6::moc>:$<TARGET_FILE_DIR:Qt6::lrelease>)
add_test(NAME external_programs_scan
  COMMAND ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/package/test_program_sources.py)
set_tests_properties(external_programs external_programs_scan PROPERTIES LABELS fast TIMEOUT 120)
