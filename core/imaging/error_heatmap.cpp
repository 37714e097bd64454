#include "error_heatmap.h"

#include <algorithm>
#include <cmath>

#include "error.h"

namespace medvae {

ErrorHeatmap ErrorHeatmap::of(const Image& signedError, Kind kind) {
    ErrorHeatmap map;
    map.kind_ = kind;
    map.width_ = std::max(0, signedError.width);
    map.height_ = std::max(0, signedError.height);
    const std::size_t n = std::size_t(map.width_) * std::size_t(map.height_);
    const int channels = signedError.channels >= 3 ? 3 : 1;
    if (n == 0 || signedError.pixels.size() < n * std::size_t(channels)) return map;
    map.values_.assign(n, 0.0f);
    for (int c = 0; c < channels; ++c) {
        const float* p = signedError.plane(c);
        for (std::size_t i = 0; i < n; ++i)
            map.values_[i] += kind == Kind::Absolute ? std::fabs(p[i]) : p[i];
    }
    std::vector<float> magnitude(n);
    for (std::size_t i = 0; i < n; ++i) {
        map.values_[i] /= float(channels);
        magnitude[i] = std::fabs(map.values_[i]);
        if (std::isfinite(magnitude[i])) map.peak_ = std::max(map.peak_, magnitude[i]);
    }
    float scale = 0;
    try {
        scale = Colormap::percentiles(magnitude.data(), n, 0, kScalePercentile).second;
    } catch (const Error&) {
        scale = 0;  // no finite value: drawn at the first colour
    }
    if (!(scale > 0)) scale = map.peak_;
    map.scale_ = scale > 0 ? scale : 1.0f;
    return map;
}

ColormapKind ErrorHeatmap::colormap() const {
    return kind_ == Kind::Signed ? ColormapKind::Diverging : ColormapKind::Magma;
}

std::vector<std::uint8_t> ErrorHeatmap::rgb() const {
    std::vector<std::uint8_t> out(values_.size() * 3);
    Colormap::apply(colormap(), values_.data(), values_.size(), low(), high(), out.data());
    return out;
}

}  // namespace medvae
