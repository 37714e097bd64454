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

ScalarMap::ScalarMap(std::shared_ptr<const Image> field, ColormapKind kind, float low, float high,
                     Values values)
    : field_(std::move(field)),
      kind_(kind),
      low_(low),
      high_(high),
      magnitude_(values == Values::Magnitude) {
    if (!field_ || field_->width <= 0 || field_->height <= 0 || field_->channels != 1 ||
        field_->pixels.size() != std::size_t(field_->width) * std::size_t(field_->height))
        throw Error("the map to show has an invalid shape");
    rendered_ =
        render(kind, field_->pixels.data(), field_->width, field_->height, low, high, values);
}

std::vector<float> ScalarMap::values() const {
    std::vector<float> out = field_->pixels;
    if (magnitude_)
        for (float& v : out)
            v = std::abs(v);
    return out;
}

QImage ScalarMap::render(ColormapKind kind, const float* values, int width, int height, float low,
                         float high, Values how) {
    if (!values || width <= 0 || height <= 0) return {};
    std::vector<float> magnitudes(how == Values::Magnitude ? std::size_t(width) : 0);
    std::vector<std::uint8_t> rgb(3 * std::size_t(width));
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y) {
        const float* row = values + std::size_t(y) * std::size_t(width);
        if (how == Values::Magnitude) {
            for (int x = 0; x < width; ++x)
                magnitudes[std::size_t(x)] = std::abs(row[x]);
            row = magnitudes.data();
        }
        Colormap::apply(kind, row, std::size_t(width), low, high, rgb.data());
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < width; ++x)
            line[x] = qRgb(rgb[3 * std::size_t(x)], rgb[3 * std::size_t(x) + 1],
                           rgb[3 * std::size_t(x) + 2]);
    }
    return image;
}

void ScalarMap::tally(MemoryTally& tally) const {
    tally.add(*field_);
    tallyPicture(tally, rendered_);
}

}  // namespace medvae::ui
