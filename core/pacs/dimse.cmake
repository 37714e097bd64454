# DIMSE archives (C-ECHO, C-FIND, C-GET, C-STORE through DCMTK's dcmnet) and the derived objects
# (Secondary Capture reconstructions and error heatmaps) stored back into an archive.
find_package(DCMTK REQUIRED CONFIG)
target_sources(medvae_pacs PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/association_slots.cpp
  ${CMAKE_CURRENT_LIST_DIR}/derived_object.cpp
  ${CMAKE_CURRENT_LIST_DIR}/derived_sink.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dimse_address.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dimse_association.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dimse_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dimse_query.cpp
  ${CMAKE_CURRENT_LIST_DIR}/instance_buffer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/part10_file.cpp
)
# Derived objects are built from the imaging layer's results (Image, ErrorHeatmap, DicomWriter).
target_link_libraries(medvae_pacs PUBLIC medvae_imaging PRIVATE dcmnet dcmdata oflog ofstd)
