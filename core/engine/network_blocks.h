#pragma once

#include <torch/nn/module.h>

#include <cstddef>
#include <memory>

#include "band_plan.h"
#include "step_counter.h"

namespace medvae {

// Building blocks of the MedVAE 2D autoencoder. Each registers its parameters under the names
// upstream checkpoints use, so a module's parameter path is the checkpoint key. Forward passes
// keep activations channels-last (NHWC in memory), which is what oneDNN's fast convolutions
// want, and free intermediates as early as possible to keep peak memory low for large images.
// None of these is safe to call from two threads at once.

// How a forward pass runs. Self-attention: LibTorch's fused kernel (scaled_dot_product_attention,
// where the build has it: torch_compat.h) or the engine's own chunked computation, whose scratch
// memory is bounded by `chunkBytes`. Full-resolution ResnetBlocks and upsampling of large images:
// in bands of rows of about `bandBytes` each (banded_layers.h; 0 = whole images). Long layers of
// large images also run in bands of at most `bandWork` operations (attention in query chunks of
// half that, attentionChunkWork), asking between them whether to stop (band_plan.h). Each choice
// gives the same numbers up to float rounding.
struct ForwardSettings {
    std::size_t chunkBytes = std::size_t(256) << 20;
    bool fused = false;
    std::size_t bandBytes = std::size_t(64) << 20;
    double bandWork = kBandWork;
};

// Conv2d with bias. Shapes: weight [out, in, k, k], bias [out].
class ConvLayer : public torch::nn::Module {
  public:
    ConvLayer(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride = 1,
              std::int64_t padding = 0);
    at::Tensor forward(const at::Tensor& x) const;  // [N, in, H, W] -> [N, out, H', W']
    // Moves the parameters to `options` (device, dtype), weight in channels-last order.
    void prepare(const at::TensorOptions& options);

    at::Tensor weight, bias;
    std::int64_t stride, padding;
};

// GroupNorm(32 groups, eps 1e-6, affine).
class NormLayer : public torch::nn::Module {
  public:
    explicit NormLayer(std::int64_t channels);
    at::Tensor forward(const at::Tensor& x) const;
    at::Tensor forwardSilu(const at::Tensor& x) const;  // SiLU(GroupNorm(x)), one output buffer
    void forwardSiluInPlace(at::Tensor& x) const;       // the same, overwriting x
    void prepare(const at::TensorOptions& options);

    at::Tensor weight, bias;
};

class ResnetBlock : public torch::nn::Module {
  public:
    ResnetBlock(std::int64_t in, std::int64_t out);
    // `steps` (optional) hears that `afterFirst` of the block's step is done once the first
    // convolution ran (half of the block's work; less when an attention block follows).
    at::Tensor forward(const at::Tensor& x, const ForwardSettings& settings,
                       const StepCounter* steps = nullptr, double afterFirst = 0.5) const;

    std::shared_ptr<NormLayer> norm1, norm2;
    std::shared_ptr<ConvLayer> conv1, conv2, nin_shortcut;  // nin_shortcut only when in != out
};

// Single-head self-attention over all H*W positions. Chunked, the N x N weight matrix is computed
// in query chunks of about `chunkBytes` (at least 16 query rows), so memory stays bounded for
// large images; fused, LibTorch's kernel never holds it. The result is the same as the
// whole-matrix computation up to float rounding. On the CPU the attention itself is computed in
// float32 whatever the body's type; on CUDA in the body's type (the kernels accumulate in float32).
class AttnBlock : public torch::nn::Module {
  public:
    explicit AttnBlock(std::int64_t channels);
    // `steps` (optional) hears of each attention chunk, as the second half of the step the
    // attention shares with the ResnetBlock before it, and is asked whether to stop.
    at::Tensor forward(const at::Tensor& x, const ForwardSettings& settings,
                       const StepCounter* steps = nullptr) const;
    // Fuses q, k and v into one convolution once the weights are loaded.
    void prepare(const at::TensorOptions& options);

    std::shared_ptr<NormLayer> norm;
    std::shared_ptr<ConvLayer> q, k, v, proj_out;

  private:
    // normed [B, C, H, W] (released as soon as q, k, v exist) -> attended, channels-last
    at::Tensor fused(at::Tensor normed, const ForwardSettings& settings,
                     const StepCounter* steps) const;
    at::Tensor chunked(at::Tensor normed, const ForwardSettings& settings,
                       const StepCounter* steps) const;
    at::Tensor qkvWeight_, qkvBias_;  // [3C, C, 1, 1], [3C]
};

// Zero-pad right and bottom by one, then a stride-2 3x3 convolution: side n -> floor(n / 2)
// (in bands of about `bandBytes` for large images).
class Downsample : public torch::nn::Module {
  public:
    explicit Downsample(std::int64_t channels);
    at::Tensor forward(const at::Tensor& x, const ForwardSettings& settings,
                       const StepCounter* steps = nullptr) const;
    std::shared_ptr<ConvLayer> conv;
};

// Nearest-neighbour x2, then a 3x3 convolution (in bands of about `bandBytes` for large images).
class Upsample : public torch::nn::Module {
  public:
    explicit Upsample(std::int64_t channels);
    at::Tensor forward(const at::Tensor& x, const ForwardSettings& settings,
                       const StepCounter* steps = nullptr) const;
    std::shared_ptr<ConvLayer> conv;
};

// Attention on already computed q, k, v laid out as [B, N, C] (any strides); returns [B, N, C]
// float32 = softmax(q kᵀ / sqrt(C)) v, computed `chunkBytes` of scores at a time; `steps`
// (optional) is asked after each chunk whether to stop (throws Cancelled).
// At most `chunkWork` operations per chunk as well (0: no bound).
at::Tensor chunkedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                            std::size_t chunkBytes, const StepCounter* steps = nullptr,
                            double chunkWork = attentionChunkWork(kBandWork));

}  // namespace medvae
