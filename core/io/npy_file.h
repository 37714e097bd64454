#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// A float32 array read from a .npy file, in C order.
struct NpyArray {
    std::vector<std::int64_t> shape;
    std::vector<float> data;
    std::string storedType;  // the file's dtype descriptor, e.g. "<f4", "<f8", "<f2"
};

// NumPy's .npy format (versions 1-3): float32 little-endian C-order files that numpy.load reads,
// and a reader that accepts the numeric dtypes NumPy writes (converted to float32) in C or
// Fortran order. Malformed or oversized files throw medvae::Error naming the file.
class NpyFile {
  public:
    static void write(const std::string& path, const float* data,
                      const std::vector<std::int64_t>& shape);
    // The bytes write() would store, for callers that write elsewhere.
    static std::vector<std::uint8_t> encode(const float* data,
                                            const std::vector<std::int64_t>& shape);
    static NpyArray read(const std::string& path, std::uint64_t maxBytes = 4ull << 30);
};

}  // namespace medvae
