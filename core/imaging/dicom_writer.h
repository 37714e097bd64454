#pragma once

#include <cstdint>
#include <string>
#include <vector>

class DcmItem;

namespace medvae {

// Writes one single-frame monochrome image as a DICOM file with DCMTK (explicit VR little
// endian, uncompressed): the images the project makes itself, such as the sample medvae-train
// writes, and later exports. Nothing that identifies a patient is written: Patient's Name and
// Patient ID are present (the standard asks for them) but empty.
class DicomWriter {
  public:
    static constexpr const char* kMrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    static constexpr const char* kSecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7";

    // Unsigned MONOCHROME2 pixels, 16 bits allocated.
    struct Frame {
        int rows = 0;
        int columns = 0;
        int bitsStored = 16;                // 1..16; the high bit is bitsStored - 1
        std::vector<std::uint16_t> pixels;  // rows * columns, row by row
    };
    struct VoiWindow {
        double center = 0;
        double width = 0;  // > 0
        std::string explanation;
    };
    struct Description {
        std::string sopClassUid = kSecondaryCaptureImageStorage;
        std::string sopInstanceUid;
        std::string studyInstanceUid;
        std::string seriesInstanceUid;
        std::string modality = "OT";
        std::string studyDescription;
        std::string seriesDescription;
        double pixelSpacingMm = 0;  // square pixels; 0: not written
        std::vector<VoiWindow> windows;
    };

    // Throws medvae::Error when the frame is inconsistent (size, bits, a value over bitsStored),
    // a UID is missing, or the file cannot be written.
    static void write(const std::string& path, const Frame& frame, const Description& description);
    // The same attributes and pixels put into `dataset` (what write() saves), for objects that
    // add their own (derived objects stored in an archive); `what` names it in errors.
    static void fill(DcmItem& dataset, const Frame& frame, const Description& description,
                     const std::string& what);
};

}  // namespace medvae
