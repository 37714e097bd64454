#include "cli_output.h"

#include <QStringList>

#include "engine.h"
#include "image.h"
#include "npy_file.h"
#include "sha256.h"

namespace medvae::cli {

QTextStream& out() {
    static QTextStream s(stdout);
    return s;
}

QTextStream& err() {
    static QTextStream s(stderr);
    return s;
}

int usageError(const QCommandLineParser& parser, const QString& message) {
    err() << "medvae-cli: " << message << "\n\n" << parser.helpText();
    err().flush();
    return 2;
}

void reportError(const QString& what) {
    err() << "medvae-cli: error: " << what << Qt::endl;
}

QString describeModel(const ModelInfo& info, const QString& path) {
    QString line = QString::fromStdString(info.variant) +
                   QString(" (%1 parameters) from ").arg(info.parameters) + path;
    auto kind = info.metadata.find("kind");
    if (kind != info.metadata.end() && kind->second == "demo model")
        line = "DEMO MODEL trained by MedVAE Studio, not MedVAE's published weights: " + line +
               ", sha256 " + QString::fromStdString(Sha256::ofFile(path.toStdString()));
    return line;
}

QString describeImage(const Image& image) {
    QString d = QString::fromStdString(image.meta.format);
    if (!image.meta.modality.empty()) d += " " + QString::fromStdString(image.meta.modality);
    d += QString(" %1x%2 %3")
             .arg(image.width)
             .arg(image.height)
             .arg(QString::fromStdString(image.meta.colorModel));
    if (image.meta.frames > 1)
        d += QString(", frame %1/%2").arg(image.meta.frame + 1).arg(image.meta.frames);
    if (image.meta.windowed)
        d += QString(", window %1/%2")
                 .arg(image.meta.appliedWindow.center)
                 .arg(image.meta.appliedWindow.width);
    return d;
}

QString shapeText(const at::Tensor& t) {
    QStringList dims;
    for (auto d : t.sizes())
        dims << QString::number(d);
    return "[" + dims.join(",") + "]";
}

void writeNpy(const std::string& path, const at::Tensor& t) {
    const at::Tensor c = t.to(at::kFloat).contiguous();
    NpyFile::write(path, c.data_ptr<float>(), c.sizes().vec());
}

}  // namespace medvae::cli
