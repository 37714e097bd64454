#include "rendered_result.h"

#include <algorithm>
#include <cmath>

#include "windowed_image.h"

namespace medvae::ui {

namespace {

// A small picture of an image for the list: its colour channel(s) sampled on a grid and scaled
// to their range.
QImage thumbnailOf(const Image& image) {
    constexpr int side = RenderedResult::kThumbnailSide;
    if (image.width <= 0 || image.height <= 0 || image.pixels.empty()) return {};
    const int colour = image.channels >= 3 ? 3 : 1;
    const int step = std::max(1, std::max(image.width, image.height) / side);
    const int w = std::max(1, image.width / step), h = std::max(1, image.height / step);
    const auto at = [&](int c, int x, int y) {
        return image.plane(c)[std::size_t(y * step) * image.width + x * step];
    };
    float lo = INFINITY, hi = -INFINITY;
    for (int c = 0; c < colour; ++c)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                if (const float v = at(c, x, y); std::isfinite(v))
                    lo = std::min(lo, v), hi = std::max(hi, v);
    const float span = hi > lo ? hi - lo : 1;
    QImage out(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y) {
        uchar* row = out.scanLine(y);
        for (int x = 0; x < w; ++x)
            for (int k = 0; k < 3; ++k) {
                const float v = at(colour == 3 ? k : 0, x, y);
                row[3 * x + k] =
                    std::isfinite(v) ? uchar(std::clamp((v - lo) / span * 255.f, 0.f, 255.f)) : 0;
            }
    }
    return out.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

}  // namespace

std::shared_ptr<const RenderedResult> RenderedResult::prepare(const jobs::InferenceOutcome& outcome,
                                                              const LatentMaps::Settings& latent) {
    auto r = std::make_shared<RenderedResult>();
    r->thumbnail = thumbnailOf(outcome.image);
    if (outcome.reconstruction)
        r->comparison = CompareModel::prepare(outcome.reconstruction, outcome.backend.factor);
    if (outcome.result.latent.defined())
        r->latent = LatentMaps::fromTensors(outcome.result.latent, outcome.result.z, latent);
    return r;
}

std::shared_ptr<const RenderedResult> RenderedResult::prepareLoaded(const Image& image) {
    auto r = std::make_shared<RenderedResult>();
    r->loaded = std::make_shared<const WindowedImage>(std::make_shared<const Image>(image));
    return r;
}

const RenderedResult* RenderedResult::of(const jobs::InferenceOutcome& outcome) {
    return dynamic_cast<const RenderedResult*>(outcome.rendering.get());
}

}  // namespace medvae::ui
