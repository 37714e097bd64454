# Archive tests run against a private Orthanc (orthanc_server.py wraps each test program; it exits
# 77 = skipped when Orthanc or its DICOMweb plugin is not installed).
set(MEDVAE_ORTHANC_WRAPPER ${MEDVAE_FIXTURE_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/pacs/orthanc_server.py)
include(${CMAKE_CURRENT_SOURCE_DIR}/pacs/dicomweb.cmake OPTIONAL)
include(${CMAKE_CURRENT_SOURCE_DIR}/pacs/dimse.cmake OPTIONAL)
