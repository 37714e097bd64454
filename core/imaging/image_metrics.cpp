#include "image_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "error.h"

namespace medvae {
namespace {

// Gaussian-weighted 'valid' filtering of one plane, separable.
std::vector<double> filterValid(const std::vector<double>& in, int h, int w,
                                const std::vector<double>& k) {
    const int r = int(k.size()) / 2;
    const int oh = h - 2 * r, ow = w - 2 * r;
    std::vector<double> rows(std::size_t(h) * std::size_t(ow));
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < ow; ++x) {
            double s = 0;
            for (int i = 0; i < int(k.size()); ++i)
                s += k[std::size_t(i)] * in[std::size_t(y) * std::size_t(w) + std::size_t(x + i)];
            rows[std::size_t(y) * std::size_t(ow) + std::size_t(x)] = s;
        }
    std::vector<double> out(std::size_t(oh) * std::size_t(ow));
    for (int y = 0; y < oh; ++y)
        for (int x = 0; x < ow; ++x) {
            double s = 0;
            for (int i = 0; i < int(k.size()); ++i)
                s +=
                    k[std::size_t(i)] * rows[std::size_t(y + i) * std::size_t(ow) + std::size_t(x)];
            out[std::size_t(y) * std::size_t(ow) + std::size_t(x)] = s;
        }
    return out;
}

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
    const std::size_t n = std::size_t(h) * std::size_t(w);
    std::vector<double> x(n), y(n), xx(n), yy(n), xy(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = a[i];
        y[i] = b[i];
        xx[i] = x[i] * x[i];
        yy[i] = y[i] * y[i];
        xy[i] = x[i] * y[i];
    }
    const auto mx = filterValid(x, h, w, k), my = filterValid(y, h, w, k);
    const auto sxx = filterValid(xx, h, w, k), syy = filterValid(yy, h, w, k),
               sxy = filterValid(xy, h, w, k);
    const double c1 = (0.01 * range) * (0.01 * range), c2 = (0.03 * range) * (0.03 * range);
    double total = 0;
    for (std::size_t i = 0; i < mx.size(); ++i) {
        const double vx = sxx[i] - mx[i] * mx[i], vy = syy[i] - my[i] * my[i],
                     cov = sxy[i] - mx[i] * my[i];
        total += ((2 * mx[i] * my[i] + c1) * (2 * cov + c2)) /
                 ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
    }
    return total / double(mx.size());
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
