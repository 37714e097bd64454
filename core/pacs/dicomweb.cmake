# DICOMweb archives (QIDO-RS, WADO-RS, STOW-RS) over the project's HTTP transfers, archive
# profiles (secrets in the OS keychain, through medvae_remote's KeyStore) and the factory that
# opens an archive of either kind.
find_package(DCMTK REQUIRED CONFIG)
target_sources(medvae_pacs PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/archive_factory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/archive_profile.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dicom_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dicomweb_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/multipart_reader.cpp)
target_link_libraries(medvae_pacs PUBLIC Qt6::Core PRIVATE medvae_net medvae_remote Qt6::Network dcmdata ofstd)
