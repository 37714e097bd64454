// The app with a mammogram-sized image (4096x3328, 16-bit PNG): the original appears while the
// model still runs, and the GUI thread is never held for 50 ms or more while the image is opened,
// computed and shown, nor while the window is dragged on it (the project's stall probe). The model
// is a stand-in with the demo model's shape (factor 8, 4 latent channels) whose reconstruction
// is the mean of each 8x8 block, so that every derived view (error heatmaps, metrics, latent maps)
// is computed on real, non-zero values at full size; its run is held until the test lets it go.
// Prints the app's memory with the result shown.

#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "compare_panel.h"
#include "fake_backend.h"
#include "image_view.h"
#include "main_window.h"
#include "memory_tally.h"
#include "png_writer.h"
#include "preprocessing.h"
#include "stall_probe.h"

using namespace medvae;
using namespace medvae::ui;
using medvae::test::FakeBackend;

namespace {

constexpr int kWidth = 4096, kHeight = 3328;

// Latent = 8x8 block means of the model input (and their mean), reconstruction = those means
// spread over their blocks.
class BlockMeans : public jobs::InferenceBackend {
  public:
    jobs::BackendDescription describe() const override {
        jobs::BackendDescription d;
        d.kind = "local";
        d.model = "block means";
        d.location = "block means";
        d.modelSha256 = std::string(64, '0');
        d.device = "cpu";
        d.precision = "fp32";
        return d;
    }
    EncodeResult run(const Image& image, const EncodeOptions& options, const RunControl*) override {
        const at::Tensor input = Preprocessing::toModelInput(image, 3);
        const std::int64_t h = input.size(1) / 8 * 8, w = input.size(2) / 8 * 8;
        const at::Tensor means =
            at::avg_pool2d(input.slice(1, 0, h).slice(2, 0, w).unsqueeze(0), {8, 8});
        EncodeResult r;
        r.latent = at::cat({means[0], means[0].mean(0, true)}, 0).contiguous();
        r.z = r.latent.clone();
        if (options.decode)
            r.decoded = at::upsample_nearest2d(means, {h, w}).squeeze(0).contiguous();
        return r;
    }
};

// A 16-bit mammogram-like picture: a smooth breast-shaped falloff, fine lines and noise.
void writeMammogram(const QString& path) {
    cv::Mat m(kHeight, kWidth, CV_16UC1);
    std::uint32_t state = 12345;
    for (int y = 0; y < kHeight; ++y) {
        auto* row = m.ptr<std::uint16_t>(y);
        for (int x = 0; x < kWidth; ++x) {
            state = state * 1664525u + 1013904223u;
            const double dx = x / double(kWidth), dy = (y - kHeight / 2.0) / kHeight;
            const double tissue = std::max(0.0, 1.0 - dx * dx * 1.6 - dy * dy * 3.0);
            const double lines = 0.05 * std::sin(0.07 * x + 0.03 * y);
            const double v = 40000 * tissue + 3000 * lines + double(state >> 22);
            row[x] = std::uint16_t(std::clamp(v, 0.0, 65535.0));
        }
    }
    PngWriter::write(path.toStdString(), m);
}

// A field of /proc/self/status in MiB ("VmRSS", "VmHWM").
double statusMb(const std::string& field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024;
    return 0;
}

}  // namespace

class TestClinicalSize : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void aMammogramOpensAndShowsWithoutStallingTheGui() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("mammogram.png"));
        writeMammogram(path);

        auto fake = std::make_shared<FakeBackend>(std::make_shared<BlockMeans>());
        MainWindow w;
        w.resize(1280, 860);
        w.show();
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        jobs::BackendRequest request;
        request.label = QStringLiteral("block means");
        request.open = [fake](qint64& parameters) {
            parameters = 0;
            return std::shared_ptr<jobs::InferenceBackend>(fake);
        };
        w.worker()->open(request);
        QVERIFY(loaded.wait(60000) && loaded.first().at(0).toBool());
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        fake->hold();
        test::StallProbe probe;
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= 20, 10000);
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.openSources({path});

        // The original appears while the model still holds the image.
        ImageView* original = w.comparePanel()->originalView();
        QTRY_VERIFY_WITH_TIMEOUT(
            original->mode() == ImageView::Mode::Window && original->image().width == kWidth,
            60000);
        QCOMPARE(fake->completed(), 0);
        QVERIFY(shown.isEmpty());
        QCOMPARE(original->image().height, kHeight);
        QVERIFY(fake->waitForWaiting(1, 60000));  // and the model holds it
        QVERIFY(!w.grab().isNull());              // painted
        qInfo("original shown before the model finished; longest GUI stall so far %lld ms",
              probe.longestGap());

        fake->release(1);
        QVERIFY(shown.wait(120000));
        QVERIFY(shown.last().at(1).toBool());
        ImageView* reconstruction = w.comparePanel()->reconstructionView();
        QCOMPARE(reconstruction->image().width, kWidth / 8 * 8);
        QVERIFY(!w.grab().isNull());
        const qint64 opening = probe.longestGap();
        qInfo("result shown; longest GUI stall while opening, computing and showing: %lld ms",
              opening);
        QVERIFY2(opening < 50, qPrintable(QString("the GUI thread was held %1 ms").arg(opening)));

        // Dragging the window (linked to the reconstruction) repaints both views each step.
        probe.resetLongestGap();
        const double width = original->windowWidth();
        const QPoint start(original->width() / 2, original->height() / 2);
        QTest::mousePress(original, Qt::LeftButton, Qt::NoModifier, start);
        for (int step = 1; step <= 8; ++step) {
            QTest::mouseMove(original, start + QPoint(10 * step, 0));
            original->repaint();
            reconstruction->repaint();
            QTest::qWait(5);
        }
        QTest::mouseRelease(original, Qt::LeftButton, Qt::NoModifier, start + QPoint(80, 0));
        QCOMPARE(original->windowWidth(), width + 80 * original->windowStep());
        QVERIFY(!w.grab().isNull());
        const qint64 dragging = probe.longestGap();
        qInfo("longest GUI stall while dragging the window: %lld ms", dragging);
        QVERIFY2(dragging < 50, qPrintable(QString("the GUI thread was held %1 ms").arg(dragging)));

        MemoryTally held;
        w.currentOutcome()->tally(held);
        qInfo(
            "app memory with the 13.6 MP result shown: %.0f MB resident, %.0f MB peak; the "
            "result holds %.0f MB (its images, tensors and pictures, each once)",
            statusMb("VmRSS"), statusMb("VmHWM"), double(held.total()) / (1 << 20));
        // Its decoded tensor (3 channels here) is released once the reconstruction is made.
        QVERIFY(!w.currentOutcome()->result.decoded.defined());
        QCOMPARE(fake->timedOut(), 0);
    }
};

QTEST_MAIN(TestClinicalSize)
#include "tst_clinical_size.moc"
