#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QTextStream>

#include <string>

namespace medvae::cli {

// The one stdout and stderr stream of every command (one buffer each, so lines never interleave
// out of order).
QTextStream& out();
QTextStream& err();

// Prints the message and the command's help to stderr; returns the usage exit status, 2.
int usageError(const QCommandLineParser& parser, const QString& message);

inline std::string str(const QString& s) {
    return s.toStdString();
}

}  // namespace medvae::cli
