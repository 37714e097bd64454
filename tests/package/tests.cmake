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
