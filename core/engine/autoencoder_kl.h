#pragma once

#include <torch/nn/module.h>

#include <memory>
#include <vector>

#include "architecture.h"
#include "network_blocks.h"
#include "step_counter.h"

namespace medvae {

// One resolution level of the encoder ("down.{i}") or decoder ("up.{i}").
class Level : public torch::nn::Module {
  public:
    Level(std::int64_t in, std::int64_t out, int blocks, bool attention, bool down, bool up);
    std::vector<std::shared_ptr<ResnetBlock>> blocks;
    std::vector<std::shared_ptr<AttnBlock>> attentions;
    std::shared_ptr<Downsample> downsample;
    std::shared_ptr<Upsample> upsample;
};

// mid.block_1 -> mid.attn_1 -> mid.block_2
class MidBlock : public torch::nn::Module {
  public:
    MidBlock(std::int64_t channels, bool attention);
    at::Tensor forward(at::Tensor x, const ForwardSettings& settings, StepCounter& steps) const;
    std::shared_ptr<ResnetBlock> block_1, block_2;
    std::shared_ptr<AttnBlock> attn_1;
};

// image [N, in, H, W] -> moments [N, 2z, H/f, W/f]
class Encoder : public torch::nn::Module {
  public:
    explicit Encoder(const Architecture& a);
    at::Tensor forward(at::Tensor x, const ForwardSettings& settings, StepCounter& steps) const;
    int blockCount() const;

    std::shared_ptr<ConvLayer> conv_in, conv_out;
    std::vector<std::shared_ptr<Level>> down;
    std::shared_ptr<MidBlock> mid;
    std::shared_ptr<NormLayer> norm_out;
};

// z after post_quant_conv [N, z, h, w] -> image [N, out, h*f, w*f]
class Decoder : public torch::nn::Module {
  public:
    explicit Decoder(const Architecture& a);
    at::Tensor forward(at::Tensor z, const ForwardSettings& settings, StepCounter& steps) const;
    int blockCount() const;

    std::shared_ptr<ConvLayer> conv_in, conv_out;
    std::vector<std::shared_ptr<Level>> up;  // up[i] is level i (0 = full resolution)
    std::shared_ptr<MidBlock> mid;
    std::shared_ptr<NormLayer> norm_out;

  private:
    std::int64_t fusedUpsampleRows(std::size_t level, const at::Tensor& h,
                                   const ForwardSettings& settings) const;
};

// The whole network, parameter paths equal to upstream checkpoint keys.
class AutoencoderKL : public torch::nn::Module {
  public:
    explicit AutoencoderKL(const Architecture& a);

    // Moves everything to `device`; the encoder and decoder bodies compute in `bodyType`, the
    // small 1x1 heads (quant_conv, channel_ds/proj, post_quant_conv) always in float32.
    void prepare(const at::Device& device, at::ScalarType bodyType);

    // image [N, in, H, W] (model space [-1, 1]) -> mean and logvar, each [N, embed, h, w] float32
    std::pair<at::Tensor, at::Tensor> encodeMoments(const at::Tensor& image,
                                                    StepCounter& steps) const;
    // z [N, embed, h, w] -> stage-2 latent channel_proj(channel_ds(z) + z), same shape
    at::Tensor stage2Latent(const at::Tensor& z) const;
    // z [N, embed, h, w] -> reconstruction [N, out, h*f, w*f] float32
    at::Tensor decode(const at::Tensor& z, StepCounter& steps) const;

    // Copies `weights` (upstream keys, merged LoRA) into the parameters. Throws medvae::Error
    // naming missing or mis-shaped weights; returns the keys the network does not use.
    std::vector<std::string> loadWeights(const StateDict& weights, const std::string& source);
    // The parameters as a float32 CPU state dict in the upstream key layout.
    StateDict weights() const;

    const Architecture& architecture() const { return arch_; }
    ForwardSettings settings;

    std::shared_ptr<Encoder> encoder;
    std::shared_ptr<Decoder> decoder;
    std::shared_ptr<ConvLayer> quant_conv, post_quant_conv, channel_proj;
    std::vector<std::shared_ptr<ConvLayer>> channel_ds;  // .0, .2, .4 (ReLU between)

  private:
    Architecture arch_;
    at::ScalarType bodyType_ = at::kFloat;
};

}  // namespace medvae
