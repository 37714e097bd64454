#pragma once

#include <QImage>

#include <cmath>
#include <memory>
#include <vector>

#include "colormap.h"
#include "image.h"
#include "memory_tally.h"

namespace medvae::ui {

// A scalar field drawn through a colormap (a latent channel, an error heatmap): its values, their
// colour scale and the rendered picture, without widgets, so that the worker thread can make it.
// Immutable once made; views share it.
class ScalarMap {
  public:
    // `values`: width x height, row-major. `meta`: what a view shows besides the colours (pixel
    // spacing for the scale bar, the units of the readout).
    ScalarMap(std::vector<float> values, int width, int height, ColormapKind kind, float low,
              float high, const ImageMetadata& meta = {});
    // What a shared field's values are: as stored, or their magnitudes (the absolute error map
    // drawn from the signed error it shares).
    enum class Values { AsStored, Magnitude };
    // A one-channel image's values, shared rather than copied (its metadata as `meta`).
    ScalarMap(std::shared_ptr<const Image> field, ColormapKind kind, float low, float high,
              Values values = Values::AsStored);

    int width() const { return field_->width; }
    int height() const { return field_->height; }
    // The one-channel image the values come from (size and metadata; with Values::Magnitude its
    // pixels are signed: read values through value()).
    const Image& field() const { return *field_; }
    // The value at x, y (what a view reads out under the cursor).
    float value(int x, int y) const {
        const float v = field_->pixels[std::size_t(y) * std::size_t(field_->width) + x];
        return magnitude_ ? std::abs(v) : v;
    }
    // All values, row-major (a copy).
    std::vector<float> values() const;
    ColormapKind kind() const { return kind_; }
    float low() const { return low_; }
    float high() const { return high_; }
    const QImage& rendered() const { return rendered_; }
    // Adds its values and picture to `tally`.
    void tally(MemoryTally& tally) const;

    // The one conversion of colormapped values into a picture in the app: Format_RGB32, one
    // pixel per value, t = (v - low) / (high - low) through Colormap::apply (NaN black), of
    // |v| with Values::Magnitude. Made a row at a time.
    static QImage render(ColormapKind kind, const float* values, int width, int height, float low,
                         float high, Values how = Values::AsStored);

  private:
    std::shared_ptr<const Image> field_;
    ColormapKind kind_;
    float low_, high_;
    bool magnitude_ = false;
    QImage rendered_;
};

}  // namespace medvae::ui
