#pragma once

#include <memory>

#include "error_heatmap.h"
#include "memory_tally.h"
#include "reconstruction.h"

namespace medvae::ui {

class ScalarMap;
class WindowedImage;

// Everything the compare panel draws for one reconstruction, prepared without widgets (on the
// worker thread): the original and the reconstruction under the original's default window (same
// window on both, so differences are not contrast differences), and both error heatmaps
// (ErrorHeatmap: absolute and signed, on the 99th-percentile scale the batch export uses too).
class CompareModel {
  public:
    struct Heatmap {
        std::shared_ptr<const ScalarMap> map;  // values, scale and rendered picture
        float peak = 0;                        // largest |value|
        bool clipped = false;                  // peak is above the scale's end
    };

    // nullptr when the reconstruction's images differ in size (they cannot be compared).
    // `factor`: the model's downsampling factor, for the crop notice (0: unknown).
    static std::shared_ptr<const CompareModel> prepare(std::shared_ptr<const Reconstruction> rec,
                                                       int factor);

    const Reconstruction& reconstruction() const { return *rec_; }
    int factor() const { return factor_; }
    std::shared_ptr<const WindowedImage> original() const { return original_; }
    std::shared_ptr<const WindowedImage> reconstructed() const { return reconstructed_; }
    const Heatmap& heatmap(ErrorHeatmap::Kind kind) const;
    // Adds the reconstruction, pictures and heatmaps to `tally`.
    void tally(MemoryTally& tally) const;

  private:
    std::shared_ptr<const Reconstruction> rec_;
    int factor_ = 0;
    std::shared_ptr<const WindowedImage> original_, reconstructed_;
    Heatmap absolute_, signed_;
};

}  // namespace medvae::ui
