#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
// segment per byte plane (most significant byte of each sample first, samples in turn). Our own
// decoder: DCMTK 3.6.7's writes out of bounds on hostile data (found by fuzzing). Every read and
// write is bounds-checked.
class DicomRleCodec {
  public:
    // One frame's samples, interleaved (`samples` per pixel), as the unsigned values stored.
    // Throws medvae::Error naming `source` when the frame does not decode to rows x cols pixels.
    static std::vector<double> decode(const std::vector<std::uint8_t>& frame, int rows, int cols,
                                      int samples, int bitsAllocated, const std::string& source);
};

}  // namespace medvae
