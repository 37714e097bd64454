#pragma once

#include <QCoreApplication>
#include <QImage>
#include <QRect>
#include <QStringList>
#include <QVector>

#include <memory>

#include "image.h"
#include "memory_tally.h"

namespace medvae::ui {

// An image prepared for window/level (VOI) display, without widgets, so that the worker thread
// can make it: the value range, the default window, the window presets, and the rendering through
// a window. Immutable once made; views share it.
//
// Window/level mapping (the one formula tests check): with lo = center - width / 2, a value v is
// drawn as grey byte clamp(round((v - lo) / width * 255), 0, 255) per colour channel; NaN is
// black. 1 or 3 colour channels are shown (a 2nd or 4th alpha channel is ignored).
class WindowedImage {
    Q_DECLARE_TR_FUNCTIONS(medvae::ui::WindowedImage)

  public:
    // Throws medvae::Error when the image's shape is invalid. The image is shown at `center` /
    // `width` first (rendered here); without a window, at the default one.
    explicit WindowedImage(std::shared_ptr<const Image> image);
    WindowedImage(std::shared_ptr<const Image> image, double center, double width);

    const Image& image() const { return *image_; }
    std::shared_ptr<const Image> sharedImage() const { return image_; }
    int colourChannels() const { return image_->channels >= 3 ? 3 : 1; }

    // The file's first window (unless the loader already windowed the pixels), else the
    // 0.1-99.9 percentile range of the finite values.
    double defaultCenter() const;
    double defaultWidth() const;
    // Window change per screen pixel of a left-drag: (max - min of the finite pixels) / 256.
    double windowStep() const;
    // The file's windows, then the CT presets (modality CT or rescale type HU), then the
    // 0.1-99.9 percentile range ("Full range"). Names translated for the built-in presets.
    QVector<WindowPreset> presets() const;
    QStringList presetNames() const;

    // Adds its image and its picture at the first window to `tally`.
    void tally(MemoryTally& tally) const;

    // The image through a window, Format_RGB32, one pixel per image pixel.
    QImage render(double center, double width) const;
    // The part `source` of the image (clipped to it) through a window, one output pixel per
    // `step` x `step` block of source pixels (the mean of four samples spread over the block when
    // step > 1): what a view needs to show a large image at screen resolution after the window
    // changed, in time proportional to the pixels shown rather than to the image's.
    QImage renderRegion(double center, double width, const QRect& source, int step) const;
    // The first rendering, made when this was prepared, and its window.
    const QImage& initialRendering() const { return initial_; }
    double initialCenter() const { return initialCenter_; }
    double initialWidth() const { return initialWidth_; }

  private:
    void measure();

    std::shared_ptr<const Image> image_;
    float dataMin_ = 0, dataMax_ = 0;
    double autoCenter_ = 0.5, autoWidth_ = 1;
    double initialCenter_ = 0.5, initialWidth_ = 1;
    QImage initial_;
};

}  // namespace medvae::ui
