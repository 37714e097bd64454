#include "ab_comparison.h"

#include <algorithm>
#include <cmath>

#include "colormap.h"
#include "error.h"
#include "error_heatmap.h"
#include "scalar_map.h"
#include "windowed_image.h"

namespace medvae::ui {

namespace {

// The top-left width x height of every channel of `image`.
Image cropped(const Image& image, int width, int height) {
    Image out;
    out.width = width;
    out.height = height;
    out.channels = image.channels;
    out.meta = image.meta;
    out.pixels.reserve(std::size_t(width) * std::size_t(height) * std::size_t(image.channels));
    for (int c = 0; c < image.channels; ++c)
        for (int y = 0; y < height; ++y) {
            const float* row = image.plane(c) + std::size_t(y) * std::size_t(image.width);
            out.pixels.insert(out.pixels.end(), row, row + width);
        }
    return out;
}

bool consistent(const Reconstruction* r) {
    if (!r) return false;
    const Image &o = r->original, &x = r->reconstruction, &e = r->signedError;
    return o.width > 0 && o.height > 0 && o.sameShape(x) && o.sameShape(e) &&
           o.pixels.size() ==
               std::size_t(o.width) * std::size_t(o.height) * std::size_t(o.channels);
}

// The 99th percentile of |values| (ErrorHeatmap's rule): the largest |value| when that is 0,
// and 1 when every value is 0.
float robustScale(const std::vector<float>& values, float& peak) {
    std::vector<float> magnitude(values.size());
    peak = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        magnitude[i] = std::fabs(values[i]);
        if (std::isfinite(magnitude[i])) peak = std::max(peak, magnitude[i]);
    }
    float scale = 0;
    try {
        scale = Colormap::percentiles(magnitude.data(), magnitude.size(), 0,
                                      ErrorHeatmap::kScalePercentile)
                    .second;
    } catch (const Error&) {
        scale = 0;  // no finite value
    }
    if (!(scale > 0)) scale = peak;
    return scale > 0 ? scale : 1.0f;
}

}  // namespace

std::shared_ptr<const ABComparison> ABComparison::prepare(Side a, Side b) {
    if (!consistent(a.rec.get()) || !consistent(b.rec.get()) ||
        a.rec->original.channels != b.rec->original.channels)
        return nullptr;
    auto m = std::make_shared<ABComparison>();
    m->width_ = std::min(a.rec->original.width, b.rec->original.width);
    m->height_ = std::min(a.rec->original.height, b.rec->original.height);
    const int w = m->width_, h = m->height_;
    const auto original = std::make_shared<const Image>(cropped(a.rec->original, w, h));
    m->original_ = std::make_shared<const WindowedImage>(original);
    const double center = m->original_->initialCenter(), width = m->original_->initialWidth();
    // One window for the three images, so that differences are not contrast differences.
    m->recA_ = std::make_shared<const WindowedImage>(
        std::make_shared<const Image>(cropped(a.rec->reconstruction, w, h)), center, width);
    m->recB_ = std::make_shared<const WindowedImage>(
        std::make_shared<const Image>(cropped(b.rec->reconstruction, w, h)), center, width);

    const ErrorHeatmap errA =
        ErrorHeatmap::of(cropped(a.rec->signedError, w, h), ErrorHeatmap::Kind::Absolute);
    const ErrorHeatmap errB =
        ErrorHeatmap::of(cropped(b.rec->signedError, w, h), ErrorHeatmap::Kind::Absolute);
    m->errorScale_ = std::max(errA.high(), errB.high());
    m->errorPeak_ = std::max(errA.peak(), errB.peak());
    const ImageMetadata& meta = original->meta;
    m->errorA_ = std::make_shared<const ScalarMap>(errA.values(), w, h, ColormapKind::Magma, 0.0f,
                                                   m->errorScale_, meta);
    m->errorB_ = std::make_shared<const ScalarMap>(errB.values(), w, h, ColormapKind::Magma, 0.0f,
                                                   m->errorScale_, meta);

    std::vector<float> difference(errA.values().size());
    for (std::size_t i = 0; i < difference.size(); ++i) {
        difference[i] = errA.values()[i] - errB.values()[i];
        m->bBetter_ += difference[i] > 0;
        m->aBetter_ += difference[i] < 0;
    }
    m->differenceScale_ = robustScale(difference, m->differencePeak_);
    m->difference_ =
        std::make_shared<const ScalarMap>(std::move(difference), w, h, ColormapKind::Diverging,
                                          -m->differenceScale_, m->differenceScale_, meta);
    m->a_ = std::move(a);
    m->b_ = std::move(b);
    return m;
}

void ABComparison::tally(MemoryTally& tally) const {
    for (const Side* side : {&a_, &b_})
        if (side->rec) tally.add(*side->rec);
    for (const auto& picture : {original_, recA_, recB_})
        if (picture) picture->tally(tally);
    for (const auto& map : {errorA_, errorB_, difference_})
        if (map) map->tally(tally);
}

}  // namespace medvae::ui
