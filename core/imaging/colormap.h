#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

namespace medvae {

// Colour maps for scalar fields (latent channels, error heatmaps).
// Viridis and magma are matplotlib's 256-entry tables; Diverging is matplotlib's "RdBu_r"
// (ColorBrewer blue-white-red, near-white at the middle of the range). Every table holds exactly
// what matplotlib's `cmap(i, bytes=True)` returns, so images match matplotlib's own rendering.
enum class ColormapKind { Gray, Viridis, Magma, Diverging };

class Colormap {
  public:
    // "gray", "viridis", "magma", "diverging".
    static const char* name(ColormapKind kind);
    // Inverse of name(); false (kind untouched) for an unknown name.
    static bool fromName(const std::string& name, ColormapKind& kind);

    // The colour at t in [0, 1] (clamped; NaN gives entry 0), as matplotlib indexes its 256-entry
    // tables: entry min(255, floor(256 t)).
    static std::array<std::uint8_t, 3> color(ColormapKind kind, double t);

    // Maps `count` values to interleaved RGB bytes: `rgb` must hold 3 * count bytes (caller owns
    // both buffers). t = (v - lo) / (hi - lo), clamped to [0, 1]; NaN values become black; when
    // hi <= lo every finite value is drawn at t = 0.
    static void apply(ColormapKind kind, const float* values, std::size_t count, float lo, float hi,
                      std::uint8_t* rgb);

    // The lowPercent and highPercent percentiles (0..100) of the finite values among `count`,
    // interpolated linearly between order statistics as numpy.percentile's default ("linear").
    // Throws medvae::Error when no value is finite or a percent is outside 0..100.
    static std::pair<float, float> percentiles(const float* values, std::size_t count,
                                               double lowPercent, double highPercent);
};

}  // namespace medvae
