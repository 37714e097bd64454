#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// JPEG 2000 pixel data (a J2K codestream or a JP2 file) decoded with OpenJPEG, which DCMTK's
// free edition cannot do. The codestream's own colour transform is undone: YBR_ICT/RCT come
// out as RGB.
class DicomJpeg2000Codec {
  public:
    // One frame's samples, interleaved (`samples` per pixel), as plain values. Throws
    // medvae::Error naming `source` (with OpenJPEG's last message) when the stream is damaged
    // or its size or component count differs from the dataset's.
    static std::vector<double> decode(const std::vector<std::uint8_t>& stream, int rows, int cols,
                                      int samples, const std::string& source);
};

}  // namespace medvae
