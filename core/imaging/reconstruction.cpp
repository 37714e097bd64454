#include "reconstruction.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <limits>

#include "error.h"

namespace medvae {
namespace {

struct Range {
    float lo = std::numeric_limits<float>::max();
    float hi = std::numeric_limits<float>::lowest();
};

Range rangeOf(const float* v, std::size_t n) {
    Range r;
    for (std::size_t i = 0; i < n; ++i) {
        r.lo = std::min(r.lo, v[i]);
        r.hi = std::max(r.hi, v[i]);
    }
    if (n == 0) r.lo = r.hi = 0;
    return r;
}

Image shapedLike(const Image& input, int width, int height, int channels) {
    Image out;
    out.width = width;
    out.height = height;
    out.channels = channels;
    out.pixels.assign(std::size_t(width) * height * channels, 0.0f);
    out.meta = input.meta;
    out.meta.colorModel = channels == 1 ? "gray" : "RGB";
    return out;
}

}  // namespace

Reconstruction compareReconstruction(const Image& input, const at::Tensor& decoded) {
    if (!decoded.defined() || decoded.dim() != 3)
        throw Error("cannot compare the reconstruction: expected a [C, H, W] image");
    const at::Tensor d = decoded.to(at::kFloat).contiguous();  // [C, H', W']
    const int dc = int(d.size(0)), dh = int(d.size(1)), dw = int(d.size(2));
    if (dc != 1 && dc != 3)
        throw Error("cannot compare the reconstruction: it has " + std::to_string(dc) +
                    " channels (expected 1 or 3)");
    if (input.width <= 0 || input.height <= 0 || input.pixels.empty())
        throw Error("cannot compare the reconstruction: the input image is empty");
    const int width = std::min(input.width, dw), height = std::min(input.height, dh);
    if (width <= 0 || height <= 0)
        throw Error("cannot compare the reconstruction: it does not overlap the input");

    const int inputColour = input.channels >= 3 ? 3 : 1;
    const int shown = inputColour == 3 && dc == 3 ? 3 : 1;
    const std::size_t inPlane = std::size_t(input.width) * input.height;

    // The input's colour planes as the comparison sees them, full size: a colour input compared
    // with a 1-channel model is the mean of its channels.
    std::vector<std::vector<float>> planes(shown);
    for (int c = 0; c < shown; ++c) {
        if (inputColour == 3 && shown == 1) {
            planes[c].assign(inPlane, 0.0f);
            for (int k = 0; k < 3; ++k) {
                const float* p = input.plane(k);
                for (std::size_t i = 0; i < inPlane; ++i)
                    planes[c][i] += p[i] / 3.0f;
            }
        } else {
            planes[c].assign(input.plane(c), input.plane(c) + inPlane);
        }
    }

    Reconstruction r;
    r.inputWidth = input.width;
    r.inputHeight = input.height;
    r.cropped = width < input.width || height < input.height;
    r.original = shapedLike(input, width, height, shown);
    r.reconstruction = shapedLike(input, width, height, shown);
    r.signedError = shapedLike(input, width, height, shown);

    const float* dp = d.data_ptr<float>();
    const std::size_t dPlane = std::size_t(dw) * dh;
    float globalLo = std::numeric_limits<float>::max(),
          globalHi = std::numeric_limits<float>::lowest();
    for (int c = 0; c < shown; ++c) {
        // Undo the model's normalisation with this plane's own min/max (upstream load_2d).
        const Range range = rangeOf(planes[c].data(), planes[c].size());
        globalLo = std::min(globalLo, range.lo);
        globalHi = std::max(globalHi, range.hi);
        const float span = range.hi - range.lo;
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                float m = 0;  // model space
                if (shown == 1 && dc == 3) {
                    for (int k = 0; k < 3; ++k)
                        m += dp[k * dPlane + std::size_t(y) * dw + x] / 3.0f;
                } else {
                    m = dp[c * dPlane + std::size_t(y) * dw + x];
                }
                const std::size_t o = (std::size_t(c) * height + y) * width + x;
                const float original = planes[c][std::size_t(y) * input.width + x];
                const float value = (m + 1.0f) * 0.5f * span + range.lo;
                r.original.pixels[o] = original;
                r.reconstruction.pixels[o] = value;
                r.signedError.pixels[o] = value - original;
            }
        }
    }
    r.dataRange = globalHi > globalLo ? double(globalHi) - globalLo : 1.0;
    r.metrics = ImageMetrics::compare(r.original.pixels.data(), r.reconstruction.pixels.data(),
                                      shown, height, width, r.dataRange);
    return r;
}

Image padToFactor(const Image& input, int factor) {
    if (factor <= 0) throw Error("padToFactor: the factor must be positive");
    const int width = (input.width + factor - 1) / factor * factor;
    const int height = (input.height + factor - 1) / factor * factor;
    if (width == input.width && height == input.height) return input;
    Image out = input;
    out.width = width;
    out.height = height;
    out.pixels.assign(std::size_t(width) * height * input.channels, 0.0f);
    for (int c = 0; c < input.channels; ++c) {
        const float* src = input.plane(c);
        float* dst = out.pixels.data() + std::size_t(c) * width * height;
        for (int y = 0; y < height; ++y) {
            const float* row = src + std::size_t(std::min(y, input.height - 1)) * input.width;
            for (int x = 0; x < width; ++x)
                dst[std::size_t(y) * width + x] = row[std::min(x, input.width - 1)];
        }
    }
    return out;
}

}  // namespace medvae
