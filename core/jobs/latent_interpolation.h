#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace medvae {

// A point between two stage-1 latents of one shape (decoding takes z; the stage-2 latent feeds
// downstream models and does not decode faithfully).
class LatentInterpolation {
  public:
    enum class Mode {
        Linear,     // (1 - t) a + t b
        Spherical,  // slerp of a and b as flat vectors: along the great circle, norm blended
    };
    static const char* modeName(Mode mode);  // "linear", "slerp"
    // Throws medvae::Error naming the accepted names.
    static Mode modeFromName(const std::string& name);

    // a, b: [C, h, w] float32 on the CPU, same shape (else medvae::Error); t in [0, 1] (else
    // medvae::Error). t = 0 and t = 1 give copies of a and b exactly. Computed in float64 and
    // returned as float32. Spherical with a or b zero, or a and b (anti)parallel within 1e-7,
    // falls back to Linear, where slerp is undefined or numerically the same.
    static at::Tensor blend(const at::Tensor& a, const at::Tensor& b, double t, Mode mode);

    // t of step `step` of `steps` (>= 2) evenly spaced steps, both ends included: step / (steps-1).
    static double stepT(int step, int steps) { return double(step) / double(steps - 1); }
    static constexpr int kMaxSteps = 1000;
};

}  // namespace medvae
