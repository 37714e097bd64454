#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "load_options.h"

namespace medvae {

// How much memory one image may take from decoding to the engine's last layer, and the check that
// refuses an image before its pixels are decoded when it would not fit. A refused image fails with
// a message naming its size, the estimate and the budget; nothing is allocated for it.
//
// The default budget is 75 % of the memory this process may use: physical memory, or a container's
// (cgroup) limit when lower. MEDVAE_MAX_MEMORY_GB in the environment overrides the default; the
// command-line tools take --max-memory-gb.
class MemoryBudget {
  public:
    // Bytes per pixel for holding and preparing an image: the decoded samples (up to 4 channels
    // of 16 bits), their float planes, the model input and the reconstruction compared with it.
    static constexpr std::uint64_t kImageBytesPerPixel = 64;

    static std::uint64_t availableBytes();  // physical memory, or the cgroup limit when lower
    static std::uint64_t defaultBytes();    // MEDVAE_MAX_MEMORY_GB, else 75 % of availableBytes()
    static MemoryBudget fromGigabytes(double gigabytes);  // throws Error when not positive

    MemoryBudget() : MemoryBudget(defaultBytes()) {}
    explicit MemoryBudget(std::uint64_t bytes) : bytes_(bytes) {}
    std::uint64_t bytes() const { return bytes_; }

    // Estimated bytes for an image of width x height whose engine part is `engineBytes`.
    static std::uint64_t imageBytes(std::int64_t width, std::int64_t height);
    // How many images of width x height, each with an engine part of `engineBytes`, fit in the
    // budget at once (for batches); at least 1, since a single image was admitted by check().
    std::uint64_t imagesThatFit(std::int64_t width, std::int64_t height,
                                std::uint64_t engineBytes) const;
    // Throws medvae::Error when the image and the engine together exceed the budget.
    void check(const std::string& source, std::int64_t width, std::int64_t height,
               std::uint64_t engineBytes) const;
    // `options` with this check installed (LoadOptions::admit): `engineBytes(width, height)`
    // gives the engine's part for an image of that size (0 when no model runs here).
    LoadOptions guard(LoadOptions options,
                      std::function<std::uint64_t(std::int64_t, std::int64_t)> engineBytes) const;

  private:
    std::uint64_t bytes_;
};

}  // namespace medvae
