#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine.h"

namespace medvae {

// Peak memory of one engine call, worked out from the architecture before any work starts, so that
// callers refuse an image that cannot fit with a clear message instead of finding out by swapping
// or being killed. It replays the forward passes of network_blocks.cpp / autoencoder_kl.cpp,
// counting the activation buffers alive at each step (the same allocations and releases), and
// adds the weights and the attention score chunks. Kept in step with the engine by a test that
// compares it with the measured peak of real runs.
struct MemoryEstimate {
    std::uint64_t weights = 0;      // network parameters in the body's precision (approximately)
    std::uint64_t activations = 0;  // peak of live activation and scratch buffers
    std::uint64_t total() const { return weights + activations; }
};

// Encoding `batch` images of `height` x `width` pixels (and decoding them again when `decode`)
// with the engine's attention chunks and bands (EngineOptions::attentionChunkBytes, bandBytes),
// with the input tensors [C, H, W] float32 counted as the caller's, not here. `model` gives the
// architecture, the body's precision, the device, the attention kernel and the parameter count.
// On a CUDA device the figure is device memory (LibTorch's allocator rounds and caches on top).
MemoryEstimate estimateEncodeMemory(const ModelInfo& model, std::int64_t height, std::int64_t width,
                                    bool decode, std::size_t attentionChunkBytes,
                                    std::size_t bandBytes, int batch = 1);
// Decoding a z of `height` x `width` latent pixels.
MemoryEstimate estimateDecodeMemory(const ModelInfo& model, std::int64_t height, std::int64_t width,
                                    std::size_t attentionChunkBytes, std::size_t bandBytes);

// A call fitted to a memory budget: the requested attention chunk and band sizes when the estimate
// (weights and activations) fits `budgetBytes` (0: no budget), else both halved together, step by
// step, down to kSmallestChunkBytes / kSmallestBandBytes, to the first that fits (smaller bands
// and chunks cost time, not accuracy). `fits` is false when even the smallest do not fit; the
// sizes and estimate are then the smallest's.
constexpr std::size_t kSmallestChunkBytes = std::size_t(16) << 20;
constexpr std::size_t kSmallestBandBytes = std::size_t(2) << 20;
struct BudgetedRun {
    std::size_t chunkBytes = 0, bandBytes = 0;
    MemoryEstimate estimate;
    bool fits = true;
};
// Encoding (and decoding when `decode`) `batch` images of height x width; or, when `encode` is
// false, decoding a z of height x width latent pixels.
BudgetedRun fitToBudget(const ModelInfo& model, std::int64_t height, std::int64_t width,
                        bool encode, bool decode, int batch, std::size_t chunkBytes,
                        std::size_t bandBytes, std::uint64_t budgetBytes);
// The refusal of a run that does not fit, naming `workload`, what it needs and the budget.
std::string budgetRefusal(const BudgetedRun& run, std::uint64_t budgetBytes,
                          const std::string& workload);

// "1.8 GB" style text for messages (decimal units: 1 GB = 1e9 bytes).
std::string formatBytes(std::uint64_t bytes);

}  // namespace medvae
