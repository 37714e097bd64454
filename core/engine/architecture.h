#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "state_dict.h"

namespace medvae {

// The shape of a MedVAE 2D autoencoder, read off its weights (no config file needed).
struct Architecture {
    int inChannels = 3;       // image channels the encoder takes
    int outChannels = 3;      // image channels the decoder gives
    int ch = 128;             // base width
    std::vector<int> chMult;  // width multiplier per resolution level
    int numResBlocks = 2;     // ResnetBlocks per encoder level (decoder: one more)
    std::set<int> encoderAttnLevels;
    std::set<int> decoderAttnLevels;
    bool midAttention = true;
    int zChannels = 4;       // stage-1 latent channels (encoder gives 2x: mean, logvar)
    int embedChannels = 4;   // channels of z and of the stage-2 latent
    bool stage2Head = true;  // channel_ds / channel_proj present
    int headHidden = 64;     // width of channel_ds
    bool lora = false;       // LoRA adapters were present (and merged at load)

    int levels() const { return int(chMult.size()); }
    int factor() const { return 1 << (levels() - 1); }  // downsampling per side
    // Upstream name when the layout (factor, latent and image channels, stage-2 head) matches a
    // published variant, whatever the widths; else "custom".
    std::string variantName() const;
    // "ch 128, ch_mult 1,2,4,4, 2 blocks, attention: mid" — for info output.
    std::string summary() const;
    // Multiply-adds counted as 2 FLOPs, for an image of h x w pixels.
    double encoderFlops(std::int64_t h, std::int64_t w) const;
    double decoderFlops(std::int64_t h, std::int64_t w) const;
    // Latent side for an image side (each Downsample floors).
    std::int64_t latentSide(std::int64_t side) const;

    // Infers the architecture from merged, prefix-free weights. Throws medvae::Error when the
    // weights are not those of a 2D MedVAE autoencoder. `lora` is taken from the caller.
    static Architecture infer(const StateDict& weights, const std::string& source);
};

}  // namespace medvae
