#pragma once

// The generated fixtures, read without Qt: the engine tests build with LibTorch alone.

#include <ATen/core/Tensor.h>

#include <string>

#include "json_value.h"
#include "npy_reader.h"

namespace medvae::test {

// Path of a generated fixture file (MEDVAE_FIXTURES, set by CMake).
std::string fixture(const std::string& name);
// The generator's manifest.json: cases, configs, expected outputs, bad files.
const JsonValue& manifest();
// A member of a JSON object; fails the test when it is missing.
const JsonValue& member(const JsonValue& object, const std::string& name);
// A fixture .npy file as a float32 tensor of its stored shape.
at::Tensor loadNpy(const std::string& path);
// max |a - b|; infinity when the shapes differ.
double maxAbsDiff(const at::Tensor& a, const at::Tensor& b);
// max |a - b| / max |b| and ||a - b|| / ||b|| (in float64).
double relativeMax(const at::Tensor& a, const at::Tensor& b);
double relativeL2(const at::Tensor& a, const at::Tensor& b);
// Whether a matches the reference b within atol + rtol * max|b|, with a message for failures.
bool close(const at::Tensor& a, const at::Tensor& b, double atol, double rtol, std::string* why);
// The contents of a file ("" when it cannot be read).
std::string readFile(const std::string& path);

}  // namespace medvae::test
