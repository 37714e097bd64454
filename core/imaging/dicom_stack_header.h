#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "load_options.h"

namespace medvae {

// What places a DICOM image in a stack, read from its header without decoding any pixel data:
// how many frames it holds (a multi-frame file is a stack of its own), and for single-frame
// files of a series, the series and where the slice lies. No patient identifiers.
struct DicomStackHeader {
    int frames = 1;             // Number of Frames (0028,0008); 1 when absent
    int rows = 0, columns = 0;  // 0 when absent
    std::string seriesInstanceUid, sopInstanceUid, modality;
    bool hasInstanceNumber = false;
    int instanceNumber = 0;          // (0020,0013)
    bool hasPosition = false;        // Image Position and Orientation (Patient) both given
    double position[3] = {0, 0, 0};  // mm, of the first pixel
    double orientation[6] = {0, 0, 0, 0, 0, 0};  // row and column direction cosines

    // The header of `bytes` (a whole DICOM file, `source` names it in errors). Throws
    // medvae::Error when the bytes are not a readable DICOM file or declare more frames than
    // options.maxFrames.
    static DicomStackHeader read(const std::vector<std::uint8_t>& bytes, const std::string& source,
                                 const LoadOptions& options = {});
    // Whether `bytes` are DICOM (by content, as ImageDecoder tells formats apart).
    static bool isDicom(const std::vector<std::uint8_t>& bytes);
    // Frames of the image in `bytes`: its Number of Frames for DICOM, 1 for every other format.
    static int frameCount(const std::vector<std::uint8_t>& bytes, const std::string& source,
                          const LoadOptions& options = {});
};

}  // namespace medvae
