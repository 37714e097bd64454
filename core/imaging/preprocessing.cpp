#include "preprocessing.h"

#include <ATen/ATen.h>
#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>

#include "error.h"

namespace medvae {

namespace {

using Planes = std::vector<std::vector<float>>;

// The first `colour` planes of `image`, each normalised to [-1, 1] in double precision.
Planes normalisedPlanes(const Image& image, int colour) {
    const std::int64_t n = std::int64_t(image.height) * image.width;
    Planes planes{std::size_t(colour), std::vector<float>(std::size_t(n))};
    for (int c = 0; c < colour; ++c) {
        const float* p = image.plane(c);
        const auto [lo, hi] = std::minmax_element(p, p + n);
        const double min = *lo, range = double(*hi) - double(*lo);
        float* out = planes[std::size_t(c)].data();
        for (std::int64_t i = 0; i < n; ++i) {
            const double unit = range > 0 ? (double(p[i]) - min) / range : 0.0;
            out[i] = float((unit - 0.5) / 0.5);
        }
    }
    return planes;
}

// `planes` into `dst` ([modelChannels, n]): copied, averaged into one, or one replicated.
void fitChannels(const Planes& planes, int modelChannels, float* dst) {
    const int colour = int(planes.size());
    const std::size_t n = planes[0].size();
    if (modelChannels == colour) {
        for (int c = 0; c < colour; ++c)
            std::copy(planes[std::size_t(c)].begin(), planes[std::size_t(c)].end(), dst + c * n);
    } else if (modelChannels == 1) {
        for (std::size_t i = 0; i < n; ++i) {
            double sum = 0;
            for (int c = 0; c < colour; ++c)
                sum += planes[std::size_t(c)][i];
            dst[i] = float(sum / colour);
        }
    } else if (colour == 1) {  // gray into a 3-channel model: replicate
        for (int c = 0; c < modelChannels; ++c)
            std::copy(planes[0].begin(), planes[0].end(), dst + c * n);
    } else {
        throw Error("cannot feed a " + std::to_string(colour) + "-channel image to a " +
                    std::to_string(modelChannels) + "-channel model");
    }
}

}  // namespace

at::Tensor Preprocessing::toModelInput(const Image& image, int modelChannels) {
    const int colour = image.hasAlpha() ? image.channels - 1 : image.channels;
    if (image.width <= 0 || image.height <= 0 || colour < 1)
        throw Error("'" + image.meta.source + "' is empty");
    if (modelChannels != 1 && modelChannels != 3 && colour != modelChannels)
        throw Error("the model takes " + std::to_string(modelChannels) + "-channel images; '" +
                    image.meta.source + "' has " + std::to_string(colour));
    const Planes planes = normalisedPlanes(image, colour);
    at::Tensor input = at::empty({modelChannels, image.height, image.width}, at::kFloat);
    fitChannels(planes, modelChannels, input.data_ptr<float>());
    return input;
}

cv::Mat Preprocessing::toPixels(const at::Tensor& image, int bits) {
    if (!image.defined() || image.dim() != 3 || (image.size(0) != 1 && image.size(0) != 3))
        throw Error("an image of shape [1 or 3, H, W] is needed to make pixels");
    if (bits != 8 && bits != 16) throw Error("pixels are 8 or 16 bits");
    const at::Tensor t = image.to(at::kFloat).contiguous();
    const int c = int(t.size(0)), h = int(t.size(1)), w = int(t.size(2));
    const double maxValue = bits == 8 ? 255.0 : 65535.0;
    cv::Mat out(h, w, CV_MAKETYPE(bits == 8 ? CV_8U : CV_16U, c));
    const float* src = t.data_ptr<float>();
    const std::size_t plane = std::size_t(h) * std::size_t(w);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            for (int k = 0; k < c; ++k) {
                const double unit =
                    std::clamp((double(src[std::size_t(k) * plane +
                                           std::size_t(y) * std::size_t(w) + std::size_t(x)]) +
                                1.0) /
                                   2.0,
                               0.0, 1.0);
                const double v = std::round(unit * maxValue);
                if (bits == 8) {
                    out.ptr<std::uint8_t>(y)[x * c + k] = std::uint8_t(v);
                } else {
                    out.ptr<std::uint16_t>(y)[x * c + k] = std::uint16_t(v);
                }
            }
        }
    }
    return out;
}

}  // namespace medvae
