#pragma once

// What the batch suites share: medvae-cli as a process, Python (numpy, PIL) for images and
// independent checks, and reading results back.

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace medvae::test {

struct CliRun {
    int code = -1;  // -1: did not finish in time; -2: crashed
    QString out, err;
};

CliRun runCli(const QStringList& args, int timeoutMs = 120000);
// Runs /usr/bin/python3 code with args; returns stdout, or "<python failed>" with the error
// printed.
QString python(const QString& code, const QStringList& args = {});
// Small test images written by PIL, specs "name:kind:w:h" with kind gray8, gray16 or rgb.
bool makeImages(const QString& dir, const QStringList& specs);
// The records of a JSON Lines manifest (a record cut short after the last newline left out).
QList<QJsonObject> readJsonl(const QString& path);
// Every file below `dir` (hidden ones too), relative, sorted.
QStringList filesUnder(const QString& dir);
// Writes `text` to `path`, creating its folder; false when it cannot.
bool writeText(const QString& path, const QByteArray& text);

}  // namespace medvae::test
