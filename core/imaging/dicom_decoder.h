#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image.h"
#include "load_options.h"

namespace medvae {

// Decodes one frame of a DICOM image with DCMTK (uncompressed little/big endian, JPEG baseline,
// extended and lossless, JPEG-LS, RLE; decoders registered once per process) and OpenJPEG for
// JPEG 2000, which DCMTK's free edition cannot decode.
//
// Output pixels are in modality units: stored values (bits stored, high bit and sign honoured)
// through the modality LUT (Rescale Slope/Intercept or a Modality LUT Sequence). MONOCHROME1 is
// inverted so that higher always means brighter; PALETTE COLOR and YBR images become RGB.
// With a VOI window (the file's or the caller's) the values are windowed to [0, 1] first, as a
// viewer shows them. Metadata keeps what a viewer needs and no patient identifiers.
class DicomDecoder {
  public:
    static Image decode(const std::vector<std::uint8_t>& bytes, const std::string& source,
                        const LoadOptions& options);
    // Whether the bytes look like DICOM: a "DICM" preamble, or a bare dataset that starts with a
    // group 0x0002 or 0x0008 element in either byte order.
    static bool looksLikeDicom(const std::vector<std::uint8_t>& bytes);
};

}  // namespace medvae
