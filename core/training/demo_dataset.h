#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// One 2D training or evaluation image at its own size, normalised as upstream's load_2d does:
// (x - min) / (max - min), so pixels are in [0, 1]. Row-major, width x height.
struct DatasetImage {
    std::string name;      // e.g. "mr/ch2better/axial/090", "ct/simulated-b/0007/crop 96x72"
    std::string source;    // the file it was made from, or "simulated"
    std::string modality;  // "mr", "ct", "radiograph", or "other" (kinds never trained on)
    std::string group;     // what evaluate reports it under, e.g. "ct: Shepp-Logan phantom"
    bool heldOut = false;
    bool crop = false;  // a held-out crop of another held-out image, renormalised on its own
    int width = 0, height = 0;
    std::vector<float> pixels;

    // The pixels as a width x height CV_32F matrix (a view: valid while the image lives).
    cv::Mat plane() const;
};

// Where the openly licensed data lives (Debian packages, see resources/README.md).
struct DatasetSources {
    std::string templateDir = "/usr/share/mricron/templates";  // mricron-data
    std::string itkDataDir =
        "/usr/share/doc/insighttoolkit5-examples/examples/Data";  // insighttoolkit5-examples
    // pydicom's test files: real scans, used for evaluation only, never trained on.
    std::string pydicomDir = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    // Throws medvae::Error naming the package to install when a file is missing.
    void check() const;
};

// How many simulated images each part gets (the defaults make the demo model; tests use less).
struct DatasetCounts {
    int ctTrain = 360, ctHeldOut = 24;
    int radiographTrain = 420, radiographHeldOut = 24;
    int mrSliceStep = 2;  // every n-th axial and coronal slice of the training volumes
};

// The demo model's images, by modality:
// - MR: slices of the Colin27 T1 templates (ch2better, ch2, ch2bet) for training, and copies of
//   half of them with other contrasts (a random monotone or non-monotone intensity mapping, a
//   smooth bias field and magnitude noise) as T2-, PD- or FLAIR-like stand-ins. Held out: Colin27
//   sagittal slices (an axis never trained on), INIA19 (another subject and species), ITK's
//   example slices (proton density, T1, a mid-sagittal slice, a fat-suppressed slice) and the
//   KmeansTest T1 volume (another subject).
// - CT: filtered back-projections of random body phantoms (CtSimulation), in Hounsfield units
//   with the scanner's padding, a quarter of them stored windowed at 8 bits. Held out: phantoms
//   from an independent random stream, and the Shepp-Logan head phantom.
// - Radiographs: exposures of random chest, skull, pelvis and limb phantoms
//   (RadiographSimulation) and of the Colin27 volume (digitally reconstructed radiographs).
//   Held out: an independent random stream, and projections of INIA19 and of Colin27 along the
//   head-foot axis.
// - Other (held out only, never trained on): Visible Woman cryosection photographs, and
//   pydicom's real CT and MR test slices.
// Every held-out image is evaluated whole and as a crop of 64 to 128 pixels a side, often not
// square and not a multiple of 8.
class DemoDataset {
  public:
    enum class Part { All, HeldOutOnly };

    // The modalities build() makes training images of ("other" is held out only).
    static constexpr const char* trainedModalities[] = {"mr", "ct", "radiograph"};

    static std::vector<DatasetImage> build(const DatasetSources& sources, Part part = Part::All,
                                           const DatasetCounts& counts = {});

    // The images resources/samples is made from (256 x 256, 0.1-99.9 percentile range, fitted
    // and zero-padded): Colin27 slices and log-scaled projections, named as build() names the
    // same planes ("ch2better/coronal/110", "ch2better/projection/090", ...).
    static std::vector<DatasetImage> sampleImages(const std::string& templateDir);
};

}  // namespace medvae
