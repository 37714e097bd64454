#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace medvae::test {

// A .npy file (NumPy format 1-3, little-endian float32 or float64, C order: what the fixture
// generators write) as a float32 tensor of its stored shape. Throws std::runtime_error naming the
// file for anything else. The engine tests' own reader: they build without the project's I/O
// library (LibTorch alone).
at::Tensor readNpy(const std::string& path, std::uint64_t maxBytes = std::uint64_t(4) << 30);

}  // namespace medvae::test
