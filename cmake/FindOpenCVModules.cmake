# Finds the OpenCV modules the project uses (core, imgproc, imgcodecs) and defines imported
# targets opencv_core, opencv_imgproc and opencv_imgcodecs. Uses OpenCV's own package config when
# installed (libopencv-dev), else Debian's per-module -dev packages, which ship no CMake config.
find_package(OpenCV QUIET COMPONENTS core imgproc imgcodecs)
if(OpenCV_FOUND)
  set(OpenCVModules_FOUND TRUE)
  return()
endif()

find_path(OpenCVModules_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4)
set(_missing "")
foreach(module core imgproc imgcodecs)
  find_library(OpenCVModules_${module}_LIBRARY NAMES opencv_${module})
  if(OpenCVModules_${module}_LIBRARY AND NOT TARGET opencv_${module})
    add_library(opencv_${module} UNKNOWN IMPORTED)
    set_target_properties(opencv_${module} PROPERTIES
      IMPORTED_LOCATION "${OpenCVModules_${module}_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${OpenCVModules_INCLUDE_DIR}")
  elseif(NOT OpenCVModules_${module}_LIBRARY)
    list(APPEND _missing ${module})
  endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCVModules REQUIRED_VARS OpenCVModules_INCLUDE_DIR
  OpenCVModules_core_LIBRARY OpenCVModules_imgproc_LIBRARY OpenCVModules_imgcodecs_LIBRARY)
