#pragma once

#include <cstdint>
#include <vector>

#include "colormap.h"
#include "image.h"

namespace medvae {

// The error of a reconstruction as one value per pixel on a colour scale: the single definition
// that the app's compare view and batch export's `<stem>_error.png` both draw, so the exported
// PNG is the picture on screen.
//
// Values: over the colour channels (1 or 3; Reconstruction holds no alpha) the mean of
// |reconstruction - original| (Absolute) or of reconstruction - original (Signed), in the
// original's units.
//
// Scale: robust, not the maximum, so that a few hot pixels do not wash out the map. With p the
// 99th percentile of |value| over the finite values, Absolute is drawn with magma from 0 to p and
// Signed with the diverging map from -p to p (white at 0); larger errors take the end colour.
// When p is 0 (fewer than 1 % of the pixels differ) the largest |value| is used instead, and 1
// when every value is 0.
class ErrorHeatmap {
  public:
    enum class Kind { Absolute, Signed };
    static constexpr double kScalePercentile = 99.0;

    // `signedError`: reconstruction - original (Reconstruction::signedError).
    static ErrorHeatmap of(const Image& signedError, Kind kind);

    Kind kind() const { return kind_; }
    int width() const { return width_; }
    int height() const { return height_; }
    const std::vector<float>& values() const { return values_; }    // row-major, width x height
    std::vector<float> takeValues() { return std::move(values_); }  // leaves values() empty
    ColormapKind colormap() const;
    // The colour scale: values at or below low() take the first colour, at or above high() the
    // last.
    float low() const { return kind_ == Kind::Signed ? -scale_ : 0.0f; }
    float high() const { return scale_; }
    // The largest |value|: above high() when the scale clips the hottest pixels.
    float peak() const { return peak_; }
    bool clipped() const { return peak_ > scale_; }

    // Interleaved RGB bytes, row-major (height x width x 3): what the view and the PNG show.
    std::vector<std::uint8_t> rgb() const;

  private:
    Kind kind_ = Kind::Absolute;
    int width_ = 0, height_ = 0;
    std::vector<float> values_;
    float scale_ = 1, peak_ = 0;
};

}  // namespace medvae
