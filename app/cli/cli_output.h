#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QTextStream>

#include <string>

#include <ATen/ATen.h>

namespace medvae {
struct Image;
struct ModelInfo;
}  // namespace medvae

namespace medvae::cli {

// The one stdout and stderr stream of every command (one buffer each, so lines never interleave
// out of order).
QTextStream& out();
QTextStream& err();

// Prints the message and the command's help to stderr; returns the usage exit status, 2.
int usageError(const QCommandLineParser& parser, const QString& message);
// "medvae-cli: error: <what>" on stderr.
void reportError(const QString& what);

inline std::string str(const QString& s) {
    return s.toStdString();
}

// One line naming the model, saying plainly when it is the demo model and not MedVAE's weights.
QString describeModel(const ModelInfo& info, const QString& path);
// "DICOM CT 512x512 gray, frame 2/3": what was read, without patient identifiers.
QString describeImage(const Image& image);
QString shapeText(const at::Tensor& t);  // "[4,32,32]"
// A tensor as a float32 .npy file of its shape.
void writeNpy(const std::string& path, const at::Tensor& t);

}  // namespace medvae::cli
