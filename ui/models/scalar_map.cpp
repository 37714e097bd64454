#include "scalar_map.h"

#include <algorithm>

#include "error.h"
#include "picture_tally.h"

namespace medvae::ui {

namespace {

std::shared_ptr<const Image> oneChannel(std::vector<float> values, int width, int height,
                                        const ImageMetadata& meta) {
    auto field = std::make_shared<Image>();
    field->width = width;
    field->height = height;
    field->channels = 1;
    field->pixels = std::move(values);
    field->meta = meta;
    return field;
}

}  // namespace

ScalarMap::ScalarMap(std::vector<float> values, int width, int height, ColormapKind kind, float low,
                     float high, const ImageMetadata& meta)
    : ScalarMap(oneChannel(std::move(values), width, height, meta), kind, low, high) {}

ScalarMap::ScalarMap(std::shared_ptr<const Image> field, ColormapKind kind, float low, float high)
    : field_(std::move(field)), kind_(kind), low_(low), high_(high) {
    if (!field_ || field_->width <= 0 || field_->height <= 0 || field_->channels != 1 ||
        field_->pixels.size() != std::size_t(field_->width) * std::size_t(field_->height))
        throw Error("the map to show has an invalid shape");
    rendered_ = render(kind, field_->pixels.data(), field_->width, field_->height, low, high);
}

QImage ScalarMap::render(ColormapKind kind, const float* values, int width, int height, float low,
                         float high) {
    if (!values || width <= 0 || height <= 0) return {};
    const std::size_t n = std::size_t(width) * std::size_t(height);
    std::vector<std::uint8_t> rgb(3 * n);
    Colormap::apply(kind, values, n, low, high, rgb.data());
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        const std::uint8_t* src = rgb.data() + std::size_t(y) * std::size_t(width) * 3;
        for (int x = 0; x < width; ++x)
            line[x] = qRgb(src[3 * x], src[3 * x + 1], src[3 * x + 2]);
    }
    return image;
}

void ScalarMap::tally(MemoryTally& tally) const {
    tally.add(*field_);
    tallyPicture(tally, rendered_);
}

}  // namespace medvae::ui
