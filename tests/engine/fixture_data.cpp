#include "fixture_data.h"

#include <ATen/ATen.h>

#include <QFile>
#include <QJsonDocument>

#include <limits>

#include "npy_file.h"

namespace medvae::test {

QString fixture(const QString& name) {
    return QStringLiteral(MEDVAE_FIXTURES) + "/" + name;
}

const QJsonObject& manifest() {
    static const QJsonObject m = [] {
        QFile f(fixture("manifest.json"));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot open the fixture manifest %s", qPrintable(f.fileName()));
        return QJsonDocument::fromJson(f.readAll()).object();
    }();
    return m;
}

at::Tensor loadNpy(const QString& path) {
    NpyArray a = NpyFile::read(path.toStdString());
    return at::from_blob(a.data.data(), a.shape, at::kFloat).clone();
}

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) {
    if (!a.defined() || !b.defined() || a.sizes() != b.sizes())
        return std::numeric_limits<double>::infinity();
    if (a.numel() == 0) return 0.0;
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

bool close(const at::Tensor& a, const at::Tensor& b, double atol, double rtol, QString* why) {
    const double diff = maxAbsDiff(a, b);
    const double scale = b.defined() && b.numel() ? b.abs().max().item<double>() : 0.0;
    const double tol = atol + rtol * scale;
    if (diff <= tol) return true;
    if (why) {
        auto shape = [](const at::Tensor& t) {
            QStringList d;
            if (t.defined())
                for (auto s : t.sizes())
                    d << QString::number(s);
            return "[" + d.join(",") + "]";
        };
        *why = QString("max |diff| %1 > tolerance %2 (shapes %3 vs %4)")
                   .arg(diff)
                   .arg(tol)
                   .arg(shape(a), shape(b));
    }
    return false;
}

}  // namespace medvae::test
