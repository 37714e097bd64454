#pragma once

#include <cstdint>
#include <string>
#include <vector>

class DcmPixelSequence;

namespace medvae {

// The compressed bytes of one frame of encapsulated pixel data (PS3.5 A.4): one fragment per
// frame, or several found through the Basic Offset Table, concatenated.
class DicomFragments {
  public:
    // Throws medvae::Error naming `source` when the fragments or the offset table are damaged.
    static std::vector<std::uint8_t> frame(DcmPixelSequence& sequence, std::uint32_t frame,
                                           std::uint32_t frames, const std::string& source);
};

}  // namespace medvae
