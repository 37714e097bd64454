#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// One change to a stage-1 latent z [C, h, w], for learning what each channel carries. Edits apply
// in order; each reads the z the previous one left.
struct LatentEdit {
    enum class Kind {
        Scale,   // z[channel] *= value
        Offset,  // z[channel] += value
        Zero,    // z[channel] = 0
        Swap,    // z[channel] <-> z[other]
        Noise,   // z[channel] += value * N(0, 1) noise of [h, w], drawn from `seed`
    };
    Kind kind = Kind::Scale;
    int channel = 0;
    int other = 0;           // Swap only
    double value = 1;        // Scale: factor; Offset: amount; Noise: sigma (>= 0)
    std::uint64_t seed = 0;  // Noise only: torch.Generator().manual_seed(seed), torch.randn

    static const char* kindName(Kind kind);  // "scale", "offset", "zero", "swap", "noise"
    // Throws medvae::Error naming the accepted names.
    static Kind kindFromName(const std::string& name);
    // "scale channel 2 by 1.5": for lists and messages.
    std::string describe() const;
    // Throws medvae::Error when the edit cannot apply to a z of `channels` channels (a channel
    // out of range, a value that is not finite or too large, a negative sigma).
    void check(int channels) const;
};

// Applies edits to z.
class LatentEditor {
  public:
    // Largest |value| an edit may carry: far beyond any useful edit, small enough that float32
    // results stay finite for any z a model writes.
    static constexpr double kMaxMagnitude = 1e6;
    static constexpr std::size_t kMaxEdits = 256;

    // z: [C, h, w] float32 on the CPU; returns a new tensor (z is not changed). Every edit is
    // checked first; throws medvae::Error naming the edit that does not fit.
    static at::Tensor apply(const at::Tensor& z, const std::vector<LatentEdit>& edits);
};

}  // namespace medvae
