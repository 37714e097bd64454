#pragma once

#include <QImage>

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
    // A one-channel image's values, shared rather than copied (its metadata as `meta`).
    ScalarMap(std::shared_ptr<const Image> field, ColormapKind kind, float low, float high);

    int width() const { return field_->width; }
    int height() const { return field_->height; }
    // The values as a one-channel image (what a view reads out under the cursor).
    const Image& field() const { return *field_; }
    const std::vector<float>& values() const { return field_->pixels; }
    ColormapKind kind() const { return kind_; }
    float low() const { return low_; }
    float high() const { return high_; }
    const QImage& rendered() const { return rendered_; }
    // Adds its values and picture to `tally`.
    void tally(MemoryTally& tally) const;

    // The one conversion of colormapped values into a picture in the app: Format_RGB32, one
    // pixel per value, t = (v - low) / (high - low) through Colormap::apply (NaN black).
    static QImage render(ColormapKind kind, const float* values, int width, int height, float low,
                         float high);

  private:
    std::shared_ptr<const Image> field_;
    ColormapKind kind_;
    float low_, high_;
    QImage rendered_;
};

}  // namespace medvae::ui
