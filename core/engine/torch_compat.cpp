#include "torch_compat.h"

#include <ATen/ATen.h>

#if defined(MEDVAE_WITH_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

#include "error.h"

namespace medvae::torch_compat {

at::Tensor fusedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v) {
#if MEDVAE_TORCH_AT_LEAST(2, 1)
    return at::scaled_dot_product_attention(q, k, v);
#else
    (void)q;
    (void)k;
    (void)v;
    throw Error("this LibTorch (" TORCH_VERSION ") has no fused attention");
#endif
}

bool builtWithCuda() {
#if defined(MEDVAE_WITH_CUDA)
    return true;
#else
    return false;
#endif
}

int cudaDeviceCount() {
#if defined(MEDVAE_WITH_CUDA)
    try {
        return int(c10::cuda::device_count());
    } catch (...) {
        return 0;
    }
#else
    return 0;
#endif
}

void configureCudaMath() {
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setAllowTF32CuBLAS(false);
    at::globalContext().setBenchmarkCuDNN(true);
}

void synchronize(const at::Device& device) {
#if defined(MEDVAE_WITH_CUDA)
    if (device.is_cuda()) c10::cuda::device_synchronize();
#else
    (void)device;
#endif
}

std::uint64_t peakAllocatedBytes(const at::Device& device) {
#if defined(MEDVAE_WITH_CUDA)
    if (!device.is_cuda()) return 0;
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index());
    return std::uint64_t(stats.allocated_bytes[0].peak);  // [0]: all pools together
#else
    (void)device;
    return 0;
#endif
}

void resetPeakAllocated(const at::Device& device) {
#if defined(MEDVAE_WITH_CUDA)
    if (device.is_cuda()) c10::cuda::CUDACachingAllocator::resetPeakStats(device.index());
#else
    (void)device;
#endif
}

void deviceMemory(const at::Device& device, std::uint64_t& freeBytes, std::uint64_t& totalBytes) {
    freeBytes = totalBytes = 0;
#if defined(MEDVAE_WITH_CUDA)
    if (!device.is_cuda()) return;
    std::size_t f = 0, t = 0;
    c10::cuda::CUDAGuard guard(device.index());
    if (cudaMemGetInfo(&f, &t) == cudaSuccess) {
        freeBytes = f;
        totalBytes = t;
    }
#else
    (void)device;
#endif
}

void releaseCachedMemory(const at::Device& device) {
#if defined(MEDVAE_WITH_CUDA)
    if (device.is_cuda()) c10::cuda::CUDACachingAllocator::emptyCache();
#else
    (void)device;
#endif
}

at::Tensor pinned(const at::Tensor& cpu) {
    if (!cudaDeviceCount() || !cpu.device().is_cpu()) return cpu;
    try {
        return cpu.pin_memory();
    } catch (const c10::Error&) {
        return cpu;  // page-locked memory is a limited resource: a plain copy still works
    }
}

}  // namespace medvae::torch_compat
