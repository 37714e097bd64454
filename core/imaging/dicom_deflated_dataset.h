#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// The dataset of a file in the Deflated Explicit VR Little Endian transfer syntax: raw deflate
// (no zlib or gzip header, PS3.5 A.5) of the explicit VR little endian dataset.
class DicomDeflatedDataset {
  public:
    // Inflates `size` bytes, refusing more than `limit` bytes of output (a small hostile file
    // may inflate to gigabytes). Throws medvae::Error naming `source`.
    static std::vector<std::uint8_t> inflate(const std::uint8_t* data, std::size_t size,
                                             std::uint64_t limit, const std::string& source);
};

}  // namespace medvae
