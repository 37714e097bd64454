#pragma once

#include <memory>
#include <string>
#include <vector>

#include "image_metrics.h"
#include "memory_tally.h"
#include "reconstruction.h"

namespace medvae::ui {

class ScalarMap;
class WindowedImage;

// Two models' reconstructions of one image side by side (model A and model B), prepared without
// widgets (on the worker thread): the original and both reconstructions under the original's
// default window; both error heatmaps (mean |reconstruction - original| over the colour
// channels, magma) on ONE colour scale, 0 to the larger of the two maps' ErrorHeatmap scales
// (their 99th percentiles), so that equal colours mean equal errors; and the difference of the
// errors |err A| - |err B| (diverging, -d to d with d the 99th percentile of its magnitude):
// positive (red) where B is closer to the original, negative (blue) where A is.
//
// Models of different factors may reconstruct different areas (each crops the input to a
// multiple of its factor); the maps cover the area both reconstructed, the top-left
// commonWidth() x commonHeight(). The metrics are each model's own, over its own area, as a run
// with that model alone gives them.
class ABComparison {
  public:
    struct Side {
        std::shared_ptr<const Reconstruction> rec;
        std::string model;  // name shown (variant, or the checkpoint's file name)
        int factor = 0;
        int latentChannels = 0;
    };

    // nullptr when either reconstruction is inconsistent (images of different sizes) or the two
    // have different colour channels.
    static std::shared_ptr<const ABComparison> prepare(Side a, Side b);

    const Side& a() const { return a_; }
    const Side& b() const { return b_; }
    const ImageComparison& metricsA() const { return a_.rec->metrics; }
    const ImageComparison& metricsB() const { return b_.rec->metrics; }
    int commonWidth() const { return width_; }
    int commonHeight() const { return height_; }
    // The input's size (both reconstructions come from the same input).
    int inputWidth() const { return a_.rec->inputWidth; }
    int inputHeight() const { return a_.rec->inputHeight; }

    std::shared_ptr<const WindowedImage> original() const { return original_; }
    std::shared_ptr<const WindowedImage> reconstructionA() const { return recA_; }
    std::shared_ptr<const WindowedImage> reconstructionB() const { return recB_; }
    std::shared_ptr<const ScalarMap> errorA() const { return errorA_; }
    std::shared_ptr<const ScalarMap> errorB() const { return errorB_; }
    std::shared_ptr<const ScalarMap> errorDifference() const { return difference_; }
    // The shared scale's end, the largest |error| of either map, and the difference map's end
    // and largest |value|.
    float errorScale() const { return errorScale_; }
    float errorPeak() const { return errorPeak_; }
    float differenceScale() const { return differenceScale_; }
    float differencePeak() const { return differencePeak_; }
    // Pixels where B's error is smaller / larger than A's (the rest are equal).
    std::size_t pixelsBBetter() const { return bBetter_; }
    std::size_t pixelsABetter() const { return aBetter_; }

    // Adds what it holds (values, maps, pictures) to `tally`.
    void tally(MemoryTally& tally) const;

  private:
    Side a_, b_;
    int width_ = 0, height_ = 0;
    std::shared_ptr<const WindowedImage> original_, recA_, recB_;
    std::shared_ptr<const ScalarMap> errorA_, errorB_, difference_;
    float errorScale_ = 1, errorPeak_ = 0, differenceScale_ = 1, differencePeak_ = 0;
    std::size_t bBetter_ = 0, aBetter_ = 0;
};

}  // namespace medvae::ui
