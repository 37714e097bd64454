#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "error_heatmap.h"
#include "image.h"

namespace medvae::pacs {

// The model a result came from, as derived objects name it.
struct ModelDescription {
    std::string name;    // e.g. "medvae_4_1_2d"
    std::string sha256;  // of the checkpoint file, 64 hex digits
};

// The new series a derived object files into (one per source series, model and kind).
struct DerivedSeries {
    std::string uid;  // 2.25.<UUID>
    int number = 0;   // SeriesNumber
    std::string description;
};

// The DICOM objects derived from one source instance (PS3.3 A.8.1 Secondary Capture): the
// reconstruction (MONOCHROME2, in the source's bit depth and modality units) and the error
// heatmap (RGB, 8 bits). Each has ImageType DERIVED\SECONDARY, its own SOP Instance UID, the
// given series, ConversionType WSD, Content Date/Time, a DerivationDescription naming the model,
// a SourceImageSequence and ReferencedSeriesSequence naming the original, and the original's
// Patient and General Study modules copied verbatim so that archives and viewers file it in the
// same study. The original is only read.
//
// Latents are not made into DICOM objects: a Parametric Map would need a float frame per
// channel and a per-model real-world value mapping that no viewer would show meaningfully; the
// latents stay lossless as .npy/.nii.gz files beside the other outputs.
class DerivedObject {
  public:
    static constexpr const char* kSecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";

    // A new UID "2.25.<UUID as a decimal number>" (PS3.5 B.2), at most 64 characters.
    static std::string newUid();

    // What a derived object needs to know of its source instance.
    struct Source {
        std::string studyUid, seriesUid, sopInstanceUid;
        int seriesNumber = 0;
    };
    // Throws medvae::Error when `source` is not DICOM Part 10 or lacks its UIDs.
    static Source source(const std::vector<std::uint8_t>& source);

    // `reconstruction`: Reconstruction::reconstruction of the source (1 or 3 channels, the
    // source's units, its meta the source's). The pixels are mapped back to stored values
    // through the source's rescale (signed sources get an offset in RescaleIntercept: the
    // modality values are the same) and written by DicomWriter. Returns Part 10 bytes.
    // Throws medvae::Error when the source is not DICOM Part 10 or the sizes disagree.
    static std::vector<std::uint8_t> reconstruction(const std::vector<std::uint8_t>& source,
                                                    const Image& reconstruction,
                                                    const ModelDescription& model,
                                                    const DerivedSeries& series);
    // The error heatmap as shown on screen (ErrorHeatmap::rgb()), as RGB 8-bit.
    static std::vector<std::uint8_t> heatmap(const std::vector<std::uint8_t>& source,
                                             const ErrorHeatmap& heatmap,
                                             const ModelDescription& model,
                                             const DerivedSeries& series);
};

}  // namespace medvae::pacs
