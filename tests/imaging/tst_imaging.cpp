// Image decoding and the model-space conversions, against PIL's decoding and numpy's
// preprocessing of the same files.

#include <ATen/ATen.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "error.h"
#include "fixture_data.h"
#include "image_loader.h"
#include "image_metrics.h"
#include "loopback_http_server.h"
#include "memory_budget.h"
#include "npy_file.h"
#include "output_naming.h"
#include "preprocessing.h"
#include "zero_png.h"

using namespace medvae;
using namespace medvae::test;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

QString loadError(const QByteArray& bytes, const LoadOptions& limits = {}) {
    try {
        ImageLoader::decode(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), "test-image",
                            limits);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
}

// Highest resident memory of this process since the last call, in MiB (Linux /proc).
double peakMibSinceReset() {
    QFile status("/proc/self/status");
    status.open(QIODevice::ReadOnly);
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:")) return line.mid(6).trimmed().split(' ')[0].toDouble() / 1024;
    return -1;
}
void resetPeak() {
    QFile clear("/proc/self/clear_refs");
    if (clear.open(QIODevice::WriteOnly)) clear.write("5");
}

}  // namespace

class TestImaging : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void modelInputMatchesReference_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("channels");
        for (const auto& v : manifest()["images"].toArray()) {
            const QString file = v.toObject()["file"].toString();
            QTest::newRow(qPrintable(file + " 3ch")) << file << 3;
            QTest::newRow(qPrintable(file + " 1ch")) << file << 1;
        }
    }
    void modelInputMatchesReference() {
        QFETCH(QString, file);
        QFETCH(int, channels);
        const Image image = ImageLoader::loadFile(fixture(file).toStdString());
        const at::Tensor input = Preprocessing::toModelInput(image, channels);
        const at::Tensor expected =
            loadNpy(fixture(file + QString(".expected%1.npy").arg(channels)));
        // JPEG decoders may differ by a code value; PNG must match to float rounding.
        const double tol = file.endsWith(".jpg") ? 4.0 / 255.0 : 2e-6;
        QString why;
        QVERIFY2(close(input, expected, tol, 0.0, &why), qPrintable(why));
    }

    void metadataDescribesTheFile() {
        struct Case {
            const char* file;
            const char* model;
            int channels, bits;
        };
        for (const Case& c :
             {Case{"img_gray16.png", "gray", 1, 16}, Case{"img_graya.png", "gray+alpha", 2, 8},
              Case{"img_rgba.png", "RGBA", 4, 8}, Case{"img_palette.png", "RGB", 3, 8},
              Case{"img_rgb.jpg", "RGB", 3, 8}}) {
            const Image image = ImageLoader::loadFile(fixture(c.file).toStdString());
            QCOMPARE(QString::fromStdString(image.meta.colorModel), QString(c.model));
            QCOMPARE(image.channels, c.channels);
            QCOMPARE(image.meta.bitsPerSample, c.bits);
        }
        const Image gray16 = ImageLoader::loadFile(fixture("img_gray16.png").toStdString());
        QCOMPARE(gray16.width, 40);
        QCOMPARE(gray16.height, 56);
        float hi = 0;
        for (float v : gray16.pixels)
            hi = std::max(hi, v);
        QVERIFY(hi > 255.0f);  // 16-bit precision kept
    }

    void badImagesFailClearly() {
        const QByteArray png = readAll(fixture("img_rgb.png"));
        const QByteArray jpg = readAll(fixture("img_rgb.jpg"));
        QVERIFY(loadError(QByteArray()).contains("empty"));
        QVERIFY(loadError("this is not an image").contains("not an image"));
        QVERIFY(loadError(png.left(png.size() / 2)).contains("truncated or damaged PNG"));
        QByteArray flipped = png;
        flipped[png.size() / 2] = char(flipped[png.size() / 2] ^ 0x10);
        QVERIFY(loadError(flipped).contains("fails its CRC check"));
        QVERIFY(loadError(jpg.left(jpg.size() * 2 / 3)).contains("truncated JPEG"));
        QByteArray dicom(132, '\0');
        dicom.replace(128, 4, "DICM");
        QVERIFY(loadError(dicom).contains("DICOM"));
        // A PNG header claiming 100000 x 100000 pixels is refused before decoding.
        QByteArray bomb = png;
        const char dims[8] = {0, 1, char(0x86), char(0xA0), 0, 1, char(0x86), char(0xA0)};
        bomb.replace(16, 8, QByteArray(dims, 8));
        QVERIFY2(loadError(bomb).contains("over the limit"), qPrintable(loadError(bomb)));
        // and a real image over a lowered limit
        LoadOptions small;
        small.maxPixels = 100;
        QVERIFY(loadError(png, small).contains("over the limit"));
        try {
            ImageLoader::loadFile("/nonexistent/x.png");
            QFAIL("missing file loaded");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("/nonexistent/x.png"));
        }
    }

    void memoryBudgetRefusesBeforeDecoding() {
        // A 100 KB PNG declaring 10000 x 10000 16-bit pixels (within the pixel limit) under a
        // 1 GB budget: refused from its header, naming size, estimate and budget, while the
        // process's memory stays where it was (decoding would take 200 MB and more).
        const QByteArray bomb = zeroPng(10000);
        QVERIFY(bomb.size() < 400 * 1024);
        std::vector<std::pair<std::int64_t, std::int64_t>> asked;
        const LoadOptions guarded =
            MemoryBudget(1'000'000'000).guard(LoadOptions{}, [&](std::int64_t w, std::int64_t h) {
                asked.emplace_back(w, h);
                return std::uint64_t(5'000'000'000);
            });
        resetPeak();
        const double before = peakMibSinceReset();
        const QString error = loadError(bomb, guarded);
        const double grown = peakMibSinceReset() - before;
        QVERIFY2(error.contains("10000x10000") && error.contains("memory budget") &&
                     error.contains("1.0 GB") && error.contains("nothing was decoded"),
                 qPrintable(error));
        QCOMPARE(asked.size(), std::size_t(1));
        QCOMPARE(asked[0], std::make_pair(std::int64_t(10000), std::int64_t(10000)));
        QVERIFY2(grown < 50, qPrintable(QString("memory grew by %1 MiB").arg(grown)));

        // The image part alone counts too: 10000² at 64 bytes a pixel is 6.4 GB.
        QVERIFY(loadError(bomb, MemoryBudget(6'000'000'000).guard({}, nullptr))
                    .contains("memory budget"));

        // Within the budget the image loads, asked once with its real size (PNG and DICOM).
        asked.clear();
        auto counting =
            MemoryBudget(1'000'000'000).guard(LoadOptions{}, [&](std::int64_t w, std::int64_t h) {
                asked.emplace_back(w, h);
                return std::uint64_t(0);
            });
        const Image png = ImageLoader::loadFile(fixture("img_rgb.png").toStdString(), counting);
        const Image dcm = ImageLoader::loadFile(
            QString(MEDVAE_PYDICOM_FILES "/CT_small.dcm").toStdString(), counting);
        QCOMPARE(asked.size(), std::size_t(2));
        QCOMPARE(asked[0], std::make_pair(std::int64_t(png.width), std::int64_t(png.height)));
        QCOMPARE(asked[1], std::make_pair(std::int64_t(dcm.width), std::int64_t(dcm.height)));
    }

    void exifOrientationIsAppliedOnce() {
        // Files stored sideways with EXIF orientation 6 (and 3, 8): the loader's pixels equal
        // Pillow's upright image for every format that carries the tag.
        QTemporaryDir dir;
        QProcess py;
        py.start(MEDVAE_PYTHON, {"-c", R"(
import sys, numpy as np
from PIL import Image, ImageOps
d = sys.argv[1]
a = (np.arange(23 * 37).reshape(23, 37) % 251).astype(np.uint8)
a[:4, :6] = 255
for o in (3, 6, 8):
    img = Image.fromarray(a)
    exif = Image.Exif(); exif[0x0112] = o
    for ext, kw in (('png', {}), ('tiff', {}), ('webp', {'lossless': True}), ('jpg', {'quality': 100})):
        img.save('%s/o%d.%s' % (d, o, ext), exif=exif.tobytes(), **kw)
    up = np.asarray(ImageOps.exif_transpose(Image.open('%s/o%d.png' % (d, o))).convert('L'))
    np.save('%s/o%d.npy' % (d, o), up.astype(np.float32))
)",
                                 dir.path()});
        QVERIFY(py.waitForFinished(60000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        for (int o : {3, 6, 8}) {
            const NpyArray expected =
                NpyFile::read(dir.filePath(QString("o%1.npy").arg(o)).toStdString());
            for (const char* ext : {"png", "tiff", "webp", "jpg"}) {
                const Image image = ImageLoader::load(
                    dir.filePath(QString("o%1.%2").arg(o).arg(ext)).toStdString());
                QCOMPARE(image.height, int(expected.shape[0]));
                QCOMPARE(image.width, int(expected.shape[1]));
                QCOMPARE(image.meta.exifOrientation, o);
                double worst = 0;
                for (std::size_t i = 0; i < expected.data.size(); ++i)
                    worst = std::max(worst,
                                     std::abs(double(image.pixels[i]) - double(expected.data[i])));
                QVERIFY2(worst <= (QString(ext) == "jpg" ? 40.0 : 0.0),
                         qPrintable(QString("orientation %1 %2: max difference %3")
                                        .arg(o)
                                        .arg(ext)
                                        .arg(worst)));
            }
        }
    }

    void everySourceGivesTheSameImage() {
        // A path, a file:// URL, a data: URI, bare base64 and an http:// URL (served on loopback,
        // with a wrong content type: content decides) all give the same pixels.
        const QString path = fixture("img_rgb.png");
        const QByteArray bytes = readAll(path);
        const Image reference = ImageLoader::load(path.toStdString());
        test::LoopbackHttpServer server;
        test::LoopbackHttpServer::Response r;
        r.body = bytes;
        r.headers = {{"Content-Type", "text/plain"}};
        server.setRoute("/images/scan.v2.png", r);
        const std::vector<std::string> sources = {
            "file://" + path.toStdString(),
            "data:image/png;base64," + bytes.toBase64().toStdString(),
            bytes.toBase64().toStdString(), server.url("/images/scan.v2.png").toStdString()};
        for (const std::string& source : sources) {
            const Image image = ImageLoader::load(source);
            QCOMPARE(image.width, reference.width);
            QCOMPARE(image.channels, reference.channels);
            QVERIFY(image.pixels == reference.pixels);
        }
        // The names results are called after (OutputNaming::stem strips the last extension).
        QCOMPARE(ImageLoader::sourceName(sources[3]), std::string("scan.v2.png"));
        QCOMPARE(ImageLoader::sourceName(server.url("/").toStdString()), std::string("download"));
        QCOMPARE(ImageLoader::sourceName(sources[0]), std::string("img_rgb.png"));
        QCOMPARE(ImageLoader::sourceName(sources[1]), std::string("inline-image"));
        QCOMPARE(ImageLoader::sourceName(sources[2]), std::string("inline-image"));
        QCOMPARE(ImageLoader::sourceName(path.toStdString()), path.toStdString());
        QCOMPARE(OutputNaming::stem(ImageLoader::sourceName(sources[3])), std::string("scan.v2"));

        // Errors name the source and say what went wrong.
        test::LoopbackHttpServer::Response missing;
        missing.status = 404;
        missing.reason = "Not Found";
        server.setRoute("/missing.png", missing);
        auto error = [](const std::string& source, const LoadOptions& o = {}) {
            try {
                ImageLoader::load(source, o);
            } catch (const Error& e) {
                return QString::fromStdString(e.what());
            }
            return QString();
        };
        QVERIFY(error(server.url("/missing.png").toStdString()).contains("HTTP 404"));
        QVERIFY(error("/nonexistent/scan.png").contains("does not exist"));
        QVERIFY(error(QDir::tempPath().toStdString()).contains("not a regular file"));
        QVERIFY(error("data:image/png;base64,@@@@").contains("not valid base64"));
        QVERIFY(error("data:image/png;base64").contains("no comma"));
        QTemporaryDir named0;
        LoadOptions small;
        small.maxFileBytes = 100;
        QVERIFY(error(sources[2], small).contains("larger than the limit"));
        small.maxDownloadBytes = 100;
        QVERIFY(error(server.url("/images/scan.v2.png").toStdString(), small).contains("100"));
        // Truncated BMP and PNM files are refused from their headers.
        QProcess py;
        py.start(MEDVAE_PYTHON,
                 {"-c",
                  "import sys; from PIL import Image; im = Image.new('RGB', (20, 10), (1, 2, 3)); "
                  "im.save(sys.argv[1] + '/a.bmp'); im.save(sys.argv[1] + '/a.ppm')",
                  named0.path()});
        QVERIFY(py.waitForFinished(30000) && py.exitCode() == 0);
        for (const char* name : {"a.bmp", "a.ppm"}) {
            const QByteArray whole = readAll(named0.filePath(name));
            QVERIFY(loadError(whole).isEmpty());  // the whole file reads
            const QString e = loadError(whole.left(whole.size() - 7));
            QVERIFY2(e.contains("truncated"), qPrintable(e));
        }
        // Names do not matter, content does: a PNG called .jpg or .dcm is read as a PNG.
        QTemporaryDir named;
        for (const char* name : {"scan.jpg", "scan.dcm", "scan"}) {
            QFile::copy(path, named.filePath(name));
            const Image image = ImageLoader::load(named.filePath(name).toStdString());
            QCOMPARE(QString::fromStdString(image.meta.format), QString("PNG"));
            QVERIFY(image.pixels == reference.pixels);
        }
        // Text that is neither a file nor base64 nor a URL
        QVERIFY(error("hello world, not an image").contains("does not exist"));
    }

    void pnmCommentEndedByCarriageReturn() {
        // Netpbm ends a comment at CR or LF. A PGM whose comment ends with CR alone, followed by
        // pixel bytes that look like digits ("12 34 "), must read as the 3x2 image Pillow reads,
        // not be refused as truncated; cut short, it is refused as truncated.
        QTemporaryDir dir;
        const QString file = dir.filePath("cr.pgm");
        QProcess py;
        py.start(MEDVAE_PYTHON, {"-c", R"(
import sys
from PIL import Image
open(sys.argv[1], 'wb').write(b'P5\n# scanner\r3 2\n255\n12 34 ')
im = Image.open(sys.argv[1])
print(im.size[0], im.size[1], *im.getdata())
)",
                                 file});
        QVERIFY(py.waitForFinished(30000) && py.exitCode() == 0);
        const QStringList pillow = QString(py.readAllStandardOutput()).split(' ');
        QCOMPARE(pillow.size(), 2 + 6);
        const QByteArray bytes = readAll(file);
        QCOMPARE(loadError(bytes), QString());
        const Image image =
            ImageLoader::decode(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), "cr.pgm");
        QCOMPARE(image.width, pillow[0].toInt());
        QCOMPARE(image.height, pillow[1].toInt());
        QCOMPARE(image.channels, 1);
        for (int i = 0; i < 6; ++i)
            QCOMPARE(image.pixels[std::size_t(i)], pillow[2 + i].trimmed().toFloat());
        const QString cut = loadError(bytes.left(bytes.size() - 2));
        QVERIFY2(cut.contains("truncated PNM file (25 bytes, its header needs 27)"),
                 qPrintable(cut));
    }

    void pixelsFromModelSpace() {
        const at::Tensor t = at::tensor({-1.0f, 0.0f, 1.0f, 2.0f, -3.0f, 0.5f}).reshape({1, 2, 3});
        const cv::Mat p8 = Preprocessing::toPixels(t, 8);
        QCOMPARE(p8.type(), CV_8UC1);
        QCOMPARE(int(p8.at<std::uint8_t>(0, 0)), 0);
        QCOMPARE(int(p8.at<std::uint8_t>(0, 1)), 128);
        QCOMPARE(int(p8.at<std::uint8_t>(0, 2)), 255);
        QCOMPARE(int(p8.at<std::uint8_t>(1, 0)), 255);  // clamped
        QCOMPARE(int(p8.at<std::uint8_t>(1, 1)), 0);
        QCOMPARE(int(p8.at<std::uint8_t>(1, 2)), 191);
        const cv::Mat p16 = Preprocessing::toPixels(t, 16);
        QCOMPARE(int(p16.at<std::uint16_t>(1, 2)), 49151);
        const cv::Mat rgb = Preprocessing::toPixels(at::zeros({3, 2, 2}), 8);
        QCOMPARE(rgb.type(), CV_8UC3);
        QVERIFY_THROWS_EXCEPTION(Error, Preprocessing::toPixels(at::zeros({2, 2, 2}), 8));
    }

    void metricsAgreeWithNumpy() {
        // Two related 2-channel images; the metrics are recomputed by an independent numpy script.
        const int c = 2, h = 37, w = 45;
        std::vector<float> a(std::size_t(c * h * w)), b(a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            a[i] = float(0.5 + 0.4 * std::sin(double(i) * 0.37) * std::cos(double(i % 45) * 0.2));
            b[i] = a[i] + float(0.05 * std::sin(double(i) * 1.7));
        }
        QTemporaryDir dir;
        NpyFile::write(dir.filePath("a.npy").toStdString(), a.data(), {c, h, w});
        NpyFile::write(dir.filePath("b.npy").toStdString(), b.data(), {c, h, w});
        const ImageComparison m = ImageMetrics::compare(a.data(), b.data(), c, h, w, 1.0);
        QProcess py;
        py.start(MEDVAE_PYTHON, {"-c", R"(
import numpy as np, sys
a = np.load(sys.argv[1] + '/a.npy').astype(np.float64); b = np.load(sys.argv[1] + '/b.npy').astype(np.float64)
g = np.exp(-((np.arange(11) - 5) ** 2) / (2 * 1.5 ** 2)); g /= g.sum()
def blur(x):
    k = np.outer(g, g); H, W = x.shape
    return np.array([[np.sum(x[i:i + 11, j:j + 11] * k) for j in range(W - 10)] for i in range(H - 10)])
def ssim(x, y):
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    mx, my = blur(x), blur(y)
    vx, vy, cxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    return np.mean((2 * mx * my + c1) * (2 * cxy + c2) / ((mx ** 2 + my ** 2 + c1) * (vx + vy + c2)))
mse = np.mean((a - b) ** 2)
print('%.9f %.9f %.9f %.9f' % (10 * np.log10(1 / mse), np.mean([ssim(a[i], b[i]) for i in range(2)]),
                              np.mean(np.abs(a - b)), np.max(np.abs(a - b))))
)",
                                 dir.path()});
        QVERIFY(py.waitForFinished(60000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const QStringList v = QString(py.readAllStandardOutput()).trimmed().split(' ');
        QCOMPARE(v.size(), 4);
        QVERIFY(std::abs(m.psnr - v[0].toDouble()) < 1e-6);
        QVERIFY(std::abs(m.ssim - v[1].toDouble()) < 1e-6);
        QVERIFY(std::abs(m.mae - v[2].toDouble()) < 1e-7);
        QVERIFY(std::abs(m.maxError - v[3].toDouble()) < 1e-7);
        QVERIFY(m.ssim > 0.5 && m.ssim < 1.0);
        const ImageComparison same = ImageMetrics::compare(a.data(), a.data(), c, h, w, 1.0);
        QVERIFY(std::isinf(same.psnr));
        QCOMPARE(same.ssim, 1.0);
    }

    void channelRules() {
        Image gray;
        gray.width = 3;
        gray.height = 1;
        gray.channels = 1;
        gray.pixels = {10, 20, 30};
        const at::Tensor three = Preprocessing::toModelInput(gray, 3);
        QCOMPARE(three.sizes().vec(), std::vector<std::int64_t>({3, 1, 3}));
        for (int c = 0; c < 3; ++c) {
            QCOMPARE(three[c][0][0].item<float>(), -1.0f);
            QCOMPARE(three[c][0][1].item<float>(), 0.0f);
            QCOMPARE(three[c][0][2].item<float>(), 1.0f);
        }
        Image constant = gray;
        constant.pixels = {5, 5, 5};
        QCOMPARE(Preprocessing::toModelInput(constant, 1).max().item<float>(), -1.0f);
        Image four = gray;
        four.channels = 4;  // RGBA: alpha dropped
        four.pixels = {0, 1, 2, 0, 2, 4, 4, 2, 0, 9, 9, 9};
        const at::Tensor one = Preprocessing::toModelInput(four, 1);
        // per-channel [-1, 1] then the mean of R, G, B
        QCOMPARE(one[0][0][0].item<float>(), float((-1.0 + -1.0 + 1.0) / 3));
        QCOMPARE(one[0][0][2].item<float>(), float((1.0 + 1.0 + -1.0) / 3));
    }
};

QTEST_GUILESS_MAIN(TestImaging)
#include "tst_imaging.moc"
