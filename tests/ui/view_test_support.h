#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>
#include <vector>

#include "colormap.h"
#include "image.h"

namespace medvae::test {

// Runs a numpy script with arguments; returns its whitespace-separated numeric output (empty on
// failure, with Python's error printed).
QVector<double> numpy(const QString& script, const QStringList& args = {});

// Raw float32 values for numpy.fromfile.
bool writeRaw(const QString& path, const std::vector<float>& v);

// Deterministic test data, independent of any library's random generator.
std::vector<float> lcgValues(std::size_t n, std::uint32_t seed, float lo, float hi);

Image grayImage(int w, int h, const std::vector<float>& pixels);

at::Tensor tensorOf(const std::vector<float>& v, std::vector<std::int64_t> shape);

// The window/level formula, written out independently of the code under test.
int windowed(double v, double center, double width);

// The colour of value v over [lo, hi] by the documented colormap formula (NaN black).
std::array<std::uint8_t, 3> expectedColor(ColormapKind kind, float v, float lo, float hi);

// numpy's percentiles of the whole [c, h, w] array and of each channel, then per-channel min,
// max, mean, std.
QVector<double> numpyLatentFacts(const QString& rawPath, int c, int h, int w, double lo, double hi);

bool near(double a, double b, double rel = 1e-5);

}  // namespace medvae::test
