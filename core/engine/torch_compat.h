#pragma once

// The differences between the LibTorch versions the engine builds against (Debian's 1.13 for the
// CPU, 2.x with CUDA for GPUs), in one place: everything else uses APIs both have.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <torch/version.h>

#include <cstdint>

#define MEDVAE_TORCH_AT_LEAST(major, minor) \
    (TORCH_VERSION_MAJOR > (major) ||       \
     (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace medvae::torch_compat {

// LibTorch's fused attention (at::scaled_dot_product_attention: flash / memory-efficient kernels
// on CUDA, a blocked flash kernel on the CPU since 2.1). Memory grows with the threads or tiles,
// not with the square of the positions.
constexpr bool kHasFusedAttention = MEDVAE_TORCH_AT_LEAST(2, 1);

// softmax(q kᵀ / sqrt(D)) v for q, k, v [B, H, L, D], each contiguous (a transposed or 3-D view
// silently falls back to the quadratic-memory kernel). Throws when !kHasFusedAttention.
at::Tensor fusedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v);

// Whether this build links LibTorch's CUDA part (MEDVAE_WITH_CUDA, set by CMake).
bool builtWithCuda();
// Number of CUDA devices usable now (0 without a driver, a GPU, or CUDA support in the build).
int cudaDeviceCount();

// Process-wide CUDA math settings: TF32 off for convolutions (cuDNN) and matrix products
// (cuBLAS), so float32 stays float32; cuDNN's autotuning for repeated shapes on.
void configureCudaMath();

// Waits until the device has finished all queued work (no-op on the CPU).
void synchronize(const at::Device& device);

// Peak bytes allocated on a CUDA device since the last reset (the allocator's aggregate peak, as
// torch.cuda.max_memory_allocated), and the reset; 0 / no-op on the CPU or without CUDA.
std::uint64_t peakAllocatedBytes(const at::Device& device);
void resetPeakAllocated(const at::Device& device);
// Free and total memory of a CUDA device as the driver reports them (0, 0 without CUDA).
void deviceMemory(const at::Device& device, std::uint64_t& freeBytes, std::uint64_t& totalBytes);
// Hands the allocator's cached, unused blocks back (after an out-of-memory failure).
void releaseCachedMemory(const at::Device& device);

// A copy of a CPU tensor in page-locked memory, so that copying it to a GPU can run
// asynchronously; the tensor itself where that is not possible.
at::Tensor pinned(const at::Tensor& cpu);

}  // namespace medvae::torch_compat
