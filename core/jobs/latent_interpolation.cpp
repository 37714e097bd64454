#include "latent_interpolation.h"

#include <ATen/ATen.h>

#include <cmath>

#include "error.h"

namespace medvae {

const char* LatentInterpolation::modeName(Mode mode) {
    return mode == Mode::Spherical ? "slerp" : "linear";
}

LatentInterpolation::Mode LatentInterpolation::modeFromName(const std::string& name) {
    if (name == "linear") return Mode::Linear;
    if (name == "slerp") return Mode::Spherical;
    throw Error("unknown interpolation '" + name + "': use linear or slerp");
}

at::Tensor LatentInterpolation::blend(const at::Tensor& a, const at::Tensor& b, double t,
                                      Mode mode) {
    if (!a.sizes().equals(b.sizes()))
        throw Error(
            "the two z to interpolate have different shapes; both must come from images "
            "of one size encoded by one model");
    if (!(t >= 0 && t <= 1)) throw Error("the interpolation position t must lie in [0, 1]");
    if (t == 0) return a.to(at::kFloat).clone();
    if (t == 1) return b.to(at::kFloat).clone();
    const at::Tensor a64 = a.to(at::kDouble), b64 = b.to(at::kDouble);  // [C, h, w]
    double wa = 1 - t, wb = t;
    if (mode == Mode::Spherical) {
        const double na = a64.norm().item<double>(), nb = b64.norm().item<double>();
        if (na > 0 && nb > 0) {
            const double cosine =
                std::clamp((a64 * b64).sum().item<double>() / (na * nb), -1.0, 1.0);
            const double omega = std::acos(cosine);
            const double sine = std::sin(omega);
            if (sine > 1e-7) {
                wa = std::sin((1 - t) * omega) / sine;
                wb = std::sin(t * omega) / sine;
            }
        }
    }
    return (a64 * wa + b64 * wb).to(at::kFloat);
}

}  // namespace medvae
