#include "view_test_support.h"

#include <QDebug>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace medvae::test {

QVector<double> numpy(const QString& script, const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(MEDVAE_PYTHON), QStringList{QStringLiteral("-c"), script} + args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning() << p.readAllStandardError();
        return {};
    }
    QVector<double> out;
    for (const auto& tok :
         QString::fromUtf8(p.readAllStandardOutput())
             .split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
        out << tok.toDouble();
    return out;
}

bool writeRaw(const QString& path, const std::vector<float>& v) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return false;
    const qint64 bytes = qint64(v.size() * sizeof(float));
    return f.write(reinterpret_cast<const char*>(v.data()), bytes) == bytes;
}

std::vector<float> lcgValues(std::size_t n, std::uint32_t seed, float lo, float hi) {
    std::vector<float> v(n);
    std::uint32_t s = seed;
    for (auto& x : v) {
        s = s * 1664525u + 1013904223u;
        x = lo + (hi - lo) * float(s >> 8) / float(1u << 24);
    }
    return v;
}

Image grayImage(int w, int h, const std::vector<float>& pixels) {
    Image im;
    im.width = w;
    im.height = h;
    im.channels = 1;
    im.pixels = pixels;
    im.meta.format = "PNG";
    im.meta.colorModel = "gray";
    return im;
}

at::Tensor tensorOf(const std::vector<float>& v, std::vector<std::int64_t> shape) {
    return at::from_blob(const_cast<float*>(v.data()), shape, at::kFloat).clone();
}

int windowed(double v, double center, double width) {
    const double lo = center - width / 2;
    return int(std::clamp(std::round((v - lo) / width * 255.0), 0.0, 255.0));
}

std::array<std::uint8_t, 3> expectedColor(ColormapKind kind, float v, float lo, float hi) {
    if (std::isnan(v)) return {0, 0, 0};
    return Colormap::color(kind, hi > lo ? (double(v) - lo) / (double(hi) - lo) : 0.0);
}

QVector<double> numpyLatentFacts(const QString& rawPath, int c, int h, int w, double lo,
                                 double hi) {
    return numpy(QStringLiteral("import sys, numpy as np\n"
                                "c, h, w = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])\n"
                                "lo, hi = float(sys.argv[5]), float(sys.argv[6])\n"
                                "v = np.fromfile(sys.argv[1], dtype=np.float32).reshape(c, h, w)\n"
                                "out = list(np.percentile(v, [lo, hi]))\n"
                                "for k in range(c):\n"
                                "    out += list(np.percentile(v[k], [lo, hi]))\n"
                                "for k in range(c):\n"
                                "    f = v[k].astype(np.float64)\n"
                                "    out += [f.min(), f.max(), f.mean(), f.std()]\n"
                                "print(' '.join(repr(float(x)) for x in out))\n"),
                 {rawPath, QString::number(c), QString::number(h), QString::number(w),
                  QString::number(lo), QString::number(hi)});
}

bool near(double a, double b, double rel) {
    return std::abs(a - b) <= rel * std::max(1.0, std::abs(b));
}

}  // namespace medvae::test
