#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// Element types a checkpoint may store. The reader keeps them as they are; conversion to the
// compute type happens once, when the network is loaded.
enum class DType { Float32, Float16, BFloat16, Float64, Int64, Int32, Int16, Int8, UInt8, Bool };

std::size_t dtypeSize(DType dtype);
const char* dtypeName(DType dtype);
// PyTorch's legacy storage class of a dtype ("FloatStorage", "HalfStorage", ...), as checkpoints
// name them, and back; false for names of other storages.
const char* storageTypeName(DType dtype);
bool dtypeOfStorageType(const std::string& name, DType& dtype);

// A tensor as read from a file, before LibTorch sees it: dense, C order, little-endian bytes.
// Kept free of LibTorch so the file readers can be built and fuzzed on their own.
struct RawTensor {
    DType dtype = DType::Float32;
    std::vector<std::int64_t> shape;
    std::vector<std::uint8_t> bytes;  // numel() * dtypeSize(dtype) bytes

    std::int64_t numel() const;
};

}  // namespace medvae
