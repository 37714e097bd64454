#include "batch_test_support.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>

namespace medvae::test {

CliRun runCli(const QStringList& args, int timeoutMs) {
    QProcess p;
    p.start(MEDVAE_CLI, args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString python(const QString& code, const QStringList& args) {
    QProcess p;
    p.start(MEDVAE_PYTHON, QStringList{"-c", code} + args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        qWarning("%s", p.readAllStandardError().constData());
        return QString("<python failed>");
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

bool makeImages(const QString& dir, const QStringList& specs) {
    const QString code = R"(
import sys, numpy as np
from PIL import Image
out = sys.argv[1]
for i, spec in enumerate(sys.argv[2:]):
    name, kind, w, h = spec.split(':'); w = int(w); h = int(h)
    rng = np.random.default_rng(i + 1)
    yy, xx = np.mgrid[0:h, 0:w]
    base = (np.sin(xx / 5.0 + i) + np.cos(yy / 7.0)) * 0.25 + 0.5 + rng.normal(0, 0.05, (h, w))
    base = np.clip(base, 0, 1)
    if kind == 'gray8': Image.fromarray((base * 255).astype(np.uint8)).save(out + '/' + name)
    elif kind == 'gray16': Image.fromarray((base * 65535).astype(np.uint16)).save(out + '/' + name)
    else:
        rgb = np.stack([base, base[::-1], base[:, ::-1]], -1)
        Image.fromarray((rgb * 255).astype(np.uint8), 'RGB').save(out + '/' + name)
print('ok')
)";
    return python(code, QStringList{dir} + specs) == "ok";
}

QList<QJsonObject> readJsonl(const QString& path) {
    QList<QJsonObject> records;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return records;
    QList<QByteArray> lines = f.readAll().split('\n');
    lines.removeLast();  // after the last newline: empty, or a record cut short by a kill
    for (const QByteArray& line : lines) {
        if (line.isEmpty()) continue;
        QJsonParseError e;
        const QJsonDocument d = QJsonDocument::fromJson(line, &e);
        if (e.error != QJsonParseError::NoError) {
            qWarning("bad manifest line: %s", line.constData());
            records.append(QJsonObject{{"status", "<unparseable>"}});
            continue;
        }
        records.append(d.object());
    }
    return records;
}

QStringList filesUnder(const QString& dir) {
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(dir).relativeFilePath(it.next());
    files.sort();
    return files;
}

bool writeText(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

}  // namespace medvae::test
