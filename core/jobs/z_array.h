#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace medvae {

// A stage-1 latent z in a .npy file, as `medvae-cli encode` and batch write it.
class ZArray {
  public:
    // z as [C, h, w] float32 for a model with `channels` latent channels: the file may hold
    // [C, h, w], [1, C, h, w] or, for 1-channel models, [h, w]. Throws medvae::Error naming the
    // file when it holds another shape or values that are not finite.
    static at::Tensor read(const std::string& path, int channels);
    // Throws medvae::Error unless `z` is [channels, h, w] (what decoding a z needs).
    static void checkShape(const at::Tensor& z, int channels, const std::string& what);
    // A tensor as a float32 .npy file of its shape, written atomically.
    static void write(const std::string& path, const at::Tensor& t);
};

}  // namespace medvae
