#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// One 2D training or evaluation image: size x size floats in [0, 1], row-major.
struct DatasetImage {
    std::string name;    // e.g. "ch2better/axial/090", "inia19-t1-brain/projection/045"
    std::string source;  // the volume file it was made from
    bool heldOut = false;
    std::vector<float> pixels;
};

// Builds the demo model's 2D images from openly licensed 3D volumes shipped in Debian packages
// (mricron-data: the Colin27 T1 templates ch2, ch2bet, ch2better, BSD-3-Clause; the INIA19
// primate template). Slices along each axis, and radiograph-like projections (sums through the
// volume at several angles about the head-foot axis, log-scaled). Each image is normalised to
// its own 0.1-99.9 percentile range, scaled to fit size x size and zero-padded.
//
// The held-out set is fixed: every sagittal slice (an axis never seen in training), the
// projections along the head-foot axis, and the whole INIA19 volume (a subject never seen).
class DemoDataset {
  public:
    struct Source {
        std::string file;    // NIfTI volume
        bool heldOutVolume;  // every image of it is held out
    };

    // The volumes used, looked up under `templateDir` (default /usr/share/mricron/templates).
    static std::vector<Source> defaultSources(const std::string& templateDir);
    static std::vector<DatasetImage> build(const std::vector<Source>& sources, int size = 256);
};

}  // namespace medvae
