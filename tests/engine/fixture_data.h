#pragma once

#include <ATen/core/Tensor.h>

#include <QJsonObject>
#include <QString>

namespace medvae::test {

// Path of a generated fixture file.
QString fixture(const QString& name);
// The generator's manifest.json: cases, configs, expected outputs, bad files.
const QJsonObject& manifest();
// A fixture .npy file as a float32 tensor of its stored shape.
at::Tensor loadNpy(const QString& path);
// max |a - b|; infinity when the shapes differ.
double maxAbsDiff(const at::Tensor& a, const at::Tensor& b);
// Whether a matches the reference b within atol + rtol * max|b|, with a message for failures.
bool close(const at::Tensor& a, const at::Tensor& b, double atol, double rtol, QString* why);

}  // namespace medvae::test
