// The A/B comparison of two models' reconstructions, without widgets: both error heatmaps on one
// colour scale (the larger of their 99th percentiles), the difference of the errors, the area
// both models reconstructed, against numpy; rendered pixels against that scale.
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include "ab_comparison.h"
#include "colormap.h"
#include "npy_file.h"
#include "reconstruction.h"
#include "scalar_map.h"
#include "view_test_support.h"
#include "windowed_image.h"

using namespace medvae;
using namespace medvae::ui;
using namespace medvae::test;

namespace {

// Every pixel of `rendered` is `values` through `kind` over [lo, hi].
void checkPixels(const QImage& rendered, const std::vector<float>& values, int w, int h,
                 ColormapKind kind, float lo, float hi) {
    QCOMPARE(rendered.width(), w);
    QCOMPARE(rendered.height(), h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const auto e = expectedColor(kind, values[std::size_t(y) * w + x], lo, hi);
            const QRgb p = rendered.pixel(x, y);
            QCOMPARE(qRed(p), int(e[0]));
            QCOMPARE(qGreen(p), int(e[1]));
            QCOMPARE(qBlue(p), int(e[2]));
        }
}

void saveNpy(const QTemporaryDir& dir, const char* name, const Image& image) {
    NpyFile::write(dir.filePath(name).toStdString(), image.pixels.data(),
                   {image.channels, image.height, image.width});
}

}  // namespace

class TstABComparison : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    // A 37x29 input reconstructed by an 8x model (32x24) and a 4x model (36x28): the maps cover
    // the 32x24 both reconstructed; A is random (large errors), B close to the input except on its
    // right.
    void sharedScaleAndDifferenceMatchNumpy() {
        for (int channels : {1, 3}) {
            Image input;
            input.width = 37;
            input.height = 29;
            input.channels = channels;
            input.pixels = lcgValues(std::size_t(37 * 29 * channels), 5, 0, 1000);
            at::manual_seed(11);
            at::Tensor decodedA = at::rand({channels, 24, 32}) * 2 - 1;
            // B: the input in model space plus a little noise (small errors), random on the
            // right (large ones there).
            const at::Tensor inputSpace =
                at::from_blob(input.pixels.data(), {channels, 29, 37}, at::kFloat).clone() /
                    500.0f -
                1.0f;
            at::Tensor decodedB = inputSpace.narrow(1, 0, 28).narrow(2, 0, 36) +
                                  at::randn({channels, 28, 36}) * 0.05f;
            decodedB.narrow(2, 28, 8).copy_(at::rand({channels, 28, 8}) * 2 - 1);
            decodedB[0][3][30].fill_(25.0f);  // a hot pixel of B, beyond any scale
            auto recA =
                std::make_shared<const Reconstruction>(compareReconstruction(input, decodedA));
            auto recB =
                std::make_shared<const Reconstruction>(compareReconstruction(input, decodedB));
            const auto ab = ABComparison::prepare({recA, "A", 8, 4}, {recB, "B", 4, 3});
            QVERIFY(ab);
            QCOMPARE(ab->commonWidth(), 32);
            QCOMPARE(ab->commonHeight(), 24);
            // Each model's own metrics, as when it runs alone.
            QCOMPARE(ab->metricsA().psnr, recA->metrics.psnr);
            QCOMPARE(ab->metricsB().mae, recB->metrics.mae);

            QTemporaryDir dir;
            saveNpy(dir, "oa.npy", recA->original);
            saveNpy(dir, "ra.npy", recA->reconstruction);
            saveNpy(dir, "ob.npy", recB->original);
            saveNpy(dir, "rb.npy", recB->reconstruction);
            const auto facts = numpy(QStringLiteral(R"(
import sys, numpy as np
d = sys.argv[1]
L = lambda n: np.load(d + '/' + n).astype(np.float64)[:, :24, :32]
ea = np.abs(L('ra.npy') - L('oa.npy')).mean(0)
eb = np.abs(L('rb.npy') - L('ob.npy')).mean(0)
scale = max(np.percentile(ea, 99), np.percentile(eb, 99))
diff = ea - eb
np.save(d + '/ea.npy', ea.astype(np.float32)); np.save(d + '/eb.npy', eb.astype(np.float32))
np.save(d + '/diff.npy', diff.astype(np.float32))
print(scale, max(ea.max(), eb.max()), np.percentile(np.abs(diff), 99), (diff > 0).sum(), (diff < 0).sum(),
      np.percentile(ea, 99), np.percentile(eb, 99))
)"),
                                     {dir.path()});
            QCOMPARE(facts.size(), 7);
            // The two maps' own scales differ: the shared one is the larger, not either's.
            QVERIFY2(std::abs(facts[5] - facts[6]) > 0.05 * facts[0],
                     qPrintable(QStringLiteral("%1 %2").arg(facts[5]).arg(facts[6])));
            QVERIFY2(near(ab->errorScale(), facts[0], 1e-4),
                     qPrintable(QStringLiteral("%1 vs %2").arg(ab->errorScale()).arg(facts[0])));
            QVERIFY(near(ab->errorPeak(), facts[1], 1e-4));
            QVERIFY(ab->errorPeak() > ab->errorScale());  // B's hot pixel takes the end colour
            QVERIFY(near(ab->differenceScale(), facts[2], 1e-4));
            QCOMPARE(double(ab->pixelsBBetter()), facts[3]);
            QCOMPARE(double(ab->pixelsABetter()), facts[4]);
            QVERIFY(ab->pixelsBBetter() > 0 && ab->pixelsABetter() > 0);

            const NpyArray ea = NpyFile::read(dir.filePath("ea.npy").toStdString());
            const NpyArray eb = NpyFile::read(dir.filePath("eb.npy").toStdString());
            const NpyArray diff = NpyFile::read(dir.filePath("diff.npy").toStdString());
            QCOMPARE(ab->errorA()->values().size(), ea.data.size());
            for (std::size_t i = 0; i < ea.data.size(); ++i) {
                QVERIFY(near(ab->errorA()->values()[i], ea.data[i], 1e-4));
                QVERIFY(near(ab->errorB()->values()[i], eb.data[i], 1e-4));
                QVERIFY(std::abs(ab->errorDifference()->values()[i] - diff.data[i]) <=
                        1e-4 * std::max(1.0f, std::abs(diff.data[i])));
            }
            // ONE scale: both heatmaps are magma from 0 to numpy's scale, pixel for pixel.
            const float scale = float(facts[0]), dScale = float(facts[2]);
            QCOMPARE(ab->errorA()->high(), ab->errorB()->high());
            // The same scale with the models swapped (the larger, whichever side it is on).
            const auto ba = ABComparison::prepare({recB, "B", 4, 3}, {recA, "A", 8, 4});
            QVERIFY(near(ba->errorScale(), facts[0], 1e-4));
            checkPixels(ab->errorA()->rendered(), ea.data, 32, 24, ColormapKind::Magma, 0, scale);
            checkPixels(ab->errorB()->rendered(), eb.data, 32, 24, ColormapKind::Magma, 0, scale);
            // The difference: diverging, symmetric, red (positive) where B's error is smaller.
            QCOMPARE(ab->errorDifference()->kind(), ColormapKind::Diverging);
            QCOMPARE(ab->errorDifference()->low(), -ab->errorDifference()->high());
            checkPixels(ab->errorDifference()->rendered(), diff.data, 32, 24,
                        ColormapKind::Diverging, -dScale, dScale);
            // The three images share the original's window.
            QCOMPARE(ab->original()->image().width, 32);
            QCOMPARE(ab->reconstructionB()->image().width, 32);
            QCOMPARE(ab->reconstructionB()->initialCenter(), ab->original()->initialCenter());
            QCOMPARE(ab->reconstructionA()->initialWidth(), ab->original()->initialWidth());
        }
    }

    void differentColourChannelsAreRefused() {
        Image gray;
        gray.width = 16;
        gray.height = 16;
        gray.channels = 1;
        gray.pixels = lcgValues(256, 2, 0, 1);
        Image rgb = gray;
        rgb.channels = 3;
        rgb.pixels = lcgValues(768, 3, 0, 1);
        auto a = std::make_shared<const Reconstruction>(
            compareReconstruction(gray, at::zeros({1, 16, 16})));
        auto b = std::make_shared<const Reconstruction>(
            compareReconstruction(rgb, at::zeros({3, 16, 16})));
        QVERIFY(!ABComparison::prepare({a, "A", 8, 4}, {b, "B", 8, 4}));
        QVERIFY(!ABComparison::prepare({a, "A", 8, 4}, {nullptr, "B", 8, 4}));
        QVERIFY(ABComparison::prepare({a, "A", 8, 4}, {a, "B", 8, 4}));
    }
};

QTEST_GUILESS_MAIN(TstABComparison)
#include "tst_ab_comparison.moc"
