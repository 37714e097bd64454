# What a CUDA LibTorch's CMake files (Caffe2/public/cuda.cmake) expect before find_package(Torch).
#
# They enable the CUDA language (nvcc must be there even though this project has no CUDA code),
# find the CUDA toolkit and cuDNN, and compile for the architectures of TORCH_CUDA_ARCH_LIST
# (CMAKE_CUDA_ARCHITECTURES is ignored by them; without a list and without a GPU they pick every
# known architecture). Only .cu files would be affected: the project's C++ needs no GPU code.
if(NOT DEFINED TORCH_CUDA_ARCH_LIST AND NOT DEFINED ENV{TORCH_CUDA_ARCH_LIST})
  set(TORCH_CUDA_ARCH_LIST "9.0" CACHE STRING "CUDA architectures (9.0: H100/H200)")
endif()
if(NOT CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX})
  find_program(MEDVAE_NVCC nvcc PATHS "$ENV{CUDA_HOME}/bin" /usr/local/cuda/bin NO_CACHE)
  if(MEDVAE_NVCC)
    set(CMAKE_CUDA_COMPILER "${MEDVAE_NVCC}" CACHE FILEPATH "nvcc")
  endif()
endif()
find_package(CUDAToolkit REQUIRED)
message(STATUS "CUDA toolkit ${CUDAToolkit_VERSION}: ${CUDAToolkit_BIN_DIR}")

# LibTorch releases before NVTX 3 became header-only link CUDA::nvToolsExt, which CUDA 12+ no
# longer ships; the header-only NVTX 3 target stands in for it.
if(NOT TARGET CUDA::nvToolsExt AND TARGET CUDA::nvtx3)
  add_library(CUDA::nvToolsExt INTERFACE IMPORTED)
  target_link_libraries(CUDA::nvToolsExt INTERFACE CUDA::nvtx3)
endif()

# cuDNN from the toolkit's folders unless given (CUDNN_ROOT, CUDNN_INCLUDE_PATH/CUDNN_LIBRARY_PATH).
if(NOT CUDNN_ROOT AND NOT DEFINED ENV{CUDNN_ROOT})
  get_filename_component(_medvae_cuda_root "${CUDAToolkit_BIN_DIR}" DIRECTORY)
  set(CUDNN_ROOT "${_medvae_cuda_root}" CACHE PATH "cuDNN root")
endif()
