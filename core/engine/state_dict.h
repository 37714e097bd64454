#pragma once

#include <ATen/core/Tensor.h>

#include <map>
#include <string>

#include "raw_tensor.h"

namespace medvae {

// Weights by parameter path ("encoder.down.0.block.1.conv1.weight"), on the CPU, in the dtype
// they were stored in.
using StateDict = std::map<std::string, at::Tensor>;

// "[64, 3, 3, 3]" for error messages.
std::string shapeString(at::IntArrayRef shape);

// Wraps the raw tensors without copying their bytes; `raw` is consumed.
StateDict toStateDict(std::map<std::string, RawTensor>&& raw);

}  // namespace medvae
