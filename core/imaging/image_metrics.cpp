#include "image_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "error.h"

namespace medvae {
namespace {

// SSIM of one plane: Gaussian-weighted (11 taps, sigma 1.5) local means, variances and covariance
// over the 'valid' windows, averaged. The separable filters run a row at a time: the rows filtered
// across, of the five quantities (x, y, x², y², xy), are kept for the window's height only, so the
// memory is a few of rows whatever the image's size. Every sum is taken in the same order as
// filtering each whole plane across and then down would take it, so the value is the same to
// the bit.
double planeSsim(const float* a, const float* b, int h, int w, double range) {
    int size = std::min({11, h, w});
    if (size % 2 == 0) --size;
    std::vector<double> k(static_cast<std::size_t>(size));
    double sum = 0;
    for (int i = 0; i < size; ++i) {
        const double d = i - size / 2;
        k[std::size_t(i)] = std::exp(-d * d / (2 * 1.5 * 1.5));
        sum += k[std::size_t(i)];
    }
    for (double& v : k)
        v /= sum;
    const int oh = h - size + 1, ow = w - size + 1;
    constexpr int kQuantities = 5;  // x, y, x², y², xy
    // across[(slot * kQuantities + q) * ow + x]: row `slot` (mod size) filtered across.
    std::vector<double> across(std::size_t(size) * kQuantities * std::size_t(ow));
    const auto filterAcross = [&](int row) {
        double* out = across.data() + std::size_t(row % size) * kQuantities * std::size_t(ow);
        const float* ra = a + std::size_t(row) * std::size_t(w);
        const float* rb = b + std::size_t(row) * std::size_t(w);
        for (int x = 0; x < ow; ++x) {
            double s[kQuantities] = {0, 0, 0, 0, 0};
            for (int i = 0; i < size; ++i) {
                const double kv = k[std::size_t(i)];
                const double vx = ra[x + i], vy = rb[x + i];
                s[0] += kv * vx;
                s[1] += kv * vy;
                s[2] += kv * (vx * vx);
                s[3] += kv * (vy * vy);
                s[4] += kv * (vx * vy);
            }
            for (int q = 0; q < kQuantities; ++q)
                out[std::size_t(q) * std::size_t(ow) + std::size_t(x)] = s[q];
        }
    };
    const double c1 = (0.01 * range) * (0.01 * range), c2 = (0.03 * range) * (0.03 * range);
    double total = 0;
    for (int row = 0; row < size - 1; ++row)
        filterAcross(row);
    for (int y = 0; y < oh; ++y) {
        filterAcross(y + size - 1);
        for (int x = 0; x < ow; ++x) {
            double m[kQuantities] = {0, 0, 0, 0, 0};
            for (int i = 0; i < size; ++i) {
                const double kv = k[std::size_t(i)];
                const double* line =
                    across.data() + std::size_t((y + i) % size) * kQuantities * std::size_t(ow);
                for (int q = 0; q < kQuantities; ++q)
                    m[q] += kv * line[std::size_t(q) * std::size_t(ow) + std::size_t(x)];
            }
            const double mx = m[0], my = m[1];
            const double vx = m[2] - mx * mx, vy = m[3] - my * my, cov = m[4] - mx * my;
            total +=
                ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        }
    }
    return total / (double(oh) * double(ow));
}

}  // namespace

ImageComparison ImageMetrics::compare(const float* original, const float* reconstruction,
                                      int channels, int height, int width, double dataRange) {
    if (channels < 1 || height < 1 || width < 1) throw Error("cannot compare empty images");
    if (!(dataRange > 0)) throw Error("the data range of a comparison must be positive");
    const std::size_t plane = std::size_t(height) * std::size_t(width);
    const std::size_t n = plane * std::size_t(channels);
    ImageComparison r;
    double squared = 0, absolute = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = double(original[i]) - double(reconstruction[i]);
        squared += d * d;
        absolute += std::abs(d);
        r.maxError = std::max(r.maxError, std::abs(d));
    }
    const double mse = squared / double(n);
    r.mae = absolute / double(n);
    r.psnr = mse > 0 ? 10.0 * std::log10(dataRange * dataRange / mse)
                     : std::numeric_limits<double>::infinity();
    double ssim = 0;
    for (int c = 0; c < channels; ++c)
        ssim += planeSsim(original + std::size_t(c) * plane,
                          reconstruction + std::size_t(c) * plane, height, width, dataRange);
    r.ssim = ssim / channels;
    return r;
}

}  // namespace medvae
