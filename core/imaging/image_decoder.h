#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image.h"
#include "load_options.h"

namespace medvae {

// Decodes image bytes of any supported format, recognised by content: DICOM through
// DicomDecoder, the others (PNG, JPEG, TIFF, BMP, WebP, PNM) through OpenCV after their header
// has been checked (declared size against the pixel limit, PNG chunk CRCs, JPEG end marker) and
// with the EXIF orientation applied. Needs neither Qt nor LibTorch, so it can be fuzzed alone.
class ImageDecoder {
  public:
    static Image decode(const std::vector<std::uint8_t>& bytes, const std::string& source,
                        const LoadOptions& options);
};

}  // namespace medvae
