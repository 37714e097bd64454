# Qt Charts draws the batch fidelity report's plots (ui/report). Debian 12's qt6-charts-dev does
# not pull in libqt6opengl6-dev, whose CMake files Qt6ChartsConfig.cmake requires although the
# report draws without OpenGL (packaging/install-deps.sh installs both); where they are missing,
# the installed library and headers are used directly.
find_package(Qt6Charts 6.4 QUIET CONFIG)
if(NOT TARGET Qt6::Charts)
  find_library(MEDVAE_QT6_CHARTS_LIBRARY NAMES Qt6Charts)
  find_path(MEDVAE_QT6_CHARTS_INCLUDE NAMES QtCharts/QChart PATH_SUFFIXES qt6 x86_64-linux-gnu/qt6)
  if(NOT MEDVAE_QT6_CHARTS_LIBRARY OR NOT MEDVAE_QT6_CHARTS_INCLUDE)
    message(FATAL_ERROR "Qt Charts not found: run packaging/install-deps.sh (qt6-charts-dev)")
  endif()
  message(STATUS "Qt6Charts' CMake package needs libqt6opengl6-dev (not installed): using "
                 "${MEDVAE_QT6_CHARTS_LIBRARY} directly")
  add_library(Qt6::Charts SHARED IMPORTED)
  set_target_properties(Qt6::Charts PROPERTIES
    IMPORTED_LOCATION ${MEDVAE_QT6_CHARTS_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES "${MEDVAE_QT6_CHARTS_INCLUDE};${MEDVAE_QT6_CHARTS_INCLUDE}/QtCharts"
    INTERFACE_LINK_LIBRARIES Qt6::Widgets)
endif()
