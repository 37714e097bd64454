// Image decoding and the model-space conversions, against PIL's decoding and numpy's
// preprocessing of the same files.

#include <ATen/ATen.h>

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include "error.h"
#include "fixture_data.h"
#include "image_loader.h"
#include "preprocessing.h"

using namespace medvae;
using namespace medvae::test;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

QString loadError(const QByteArray& bytes, const ImageLoader::Limits& limits = {}) {
    try {
        ImageLoader::decode(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), "test-image",
                            limits);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
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
        ImageLoader::Limits small;
        small.maxPixels = 100;
        QVERIFY(loadError(png, small).contains("over the limit"));
        try {
            ImageLoader::loadFile("/nonexistent/x.png");
            QFAIL("missing file loaded");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("/nonexistent/x.png"));
        }
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
