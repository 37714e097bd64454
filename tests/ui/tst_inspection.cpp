// The Inspect tab's views while jobs run, checked on their rendered pixels: a new image is shown
// as soon as it is loaded, with the reconstruction and latents marked as computing (never the
// previous image's), and a Cancel says that no result came. The model is a FakeBackend the test
// holds, so nothing depends on timing.

#include <QApplication>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

#include "ab_compare_panel.h"
#include "colorbar_widget.h"
#include "compare_panel.h"
#include "fake_backend.h"
#include "image_loader.h"
#include "image_view.h"
#include "inference_worker.h"
#include "inspection_controller.h"
#include "latent_panel.h"
#include "local_backend.h"
#include "model_b.h"
#include "rendered_result.h"
#include "scalar_map.h"
#include "view_test_support.h"

using namespace medvae;
using namespace medvae::ui;
using medvae::test::FakeBackend;

namespace {

// The colourful image's pixels (red well above green and blue), unlike the views' text, the
// greys and the latents' viridis colours.
bool reddish(QRgb c) {
    return qRed(c) - std::max(qGreen(c), qBlue(c)) > 60;
}

// A colormap's or the colourful image's colours: clearly not grey.
bool saturated(QRgb c) {
    const int hi = std::max({qRed(c), qGreen(c), qBlue(c)});
    const int lo = std::min({qRed(c), qGreen(c), qBlue(c)});
    return hi - lo > 40;
}

int count(const QImage& shot, bool (*pred)(QRgb)) {
    int n = 0;
    for (int y = 0; y < shot.height(); ++y)
        for (int x = 0; x < shot.width(); ++x)
            n += pred(shot.pixel(x, y)) ? 1 : 0;
    return n;
}

// A colourful image (red dominant) and a grey one, as files the loader reads.
QString writeColourImage(const QTemporaryDir& dir) {
    QImage im(64, 48, QImage::Format_RGB888);
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x)
            im.setPixelColor(x, y, QColor(150 + x, 20 + y / 4, 40 + y));
    const QString path = dir.filePath(QStringLiteral("colour.png"));
    return im.save(path) ? path : QString();
}

int greyValue(int x, int y) {
    return (x * 3 + y * 2) % 256;
}

QString writeGreyImage(const QTemporaryDir& dir) {
    QImage im(64, 48, QImage::Format_Grayscale8);
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x)
            im.scanLine(y)[x] = uchar(greyValue(x, y));
    const QString path = dir.filePath(QStringLiteral("grey.png"));
    return im.save(path) ? path : QString();
}

}  // namespace

class TstInspection : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void newImageShownAtOnceAndCancelSaysSo();
    void modelBComparedWithA();
    void modelBOfASupersededJobIsStoppedAndNeverShown();
};

void TstInspection::newImageShownAtOnceAndCancelSaysSo() {
    QTemporaryDir dir;
    const QString colour = writeColourImage(dir), grey = writeGreyImage(dir);
    QVERIFY(!colour.isEmpty() && !grey.isEmpty());

    jobs::InferenceWorker worker;
    auto fake = std::make_shared<FakeBackend>();
    QWidget window;
    auto* compare = new ComparePanel(&window);
    auto* latent = new LatentPanel(&window);
    compare->setGeometry(0, 0, 900, 320);
    latent->setGeometry(0, 320, 900, 320);
    window.resize(900, 640);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    InspectionController controller(&worker, compare, latent);

    QSignalSpy opened(&worker, &jobs::InferenceWorker::backendOpened);
    jobs::BackendRequest request;
    request.label = QStringLiteral("fake backend");
    request.open = [fake](qint64& parameters) {
        parameters = 0;
        return std::shared_ptr<jobs::InferenceBackend>(fake);
    };
    worker.open(request);
    // The worker emits from its own thread straight into the spy: count, do not wait for the next.
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 30000);
    const auto backend = opened.first().at(0).value<jobs::BackendOutcome>();
    QVERIFY2(backend.ok, qPrintable(backend.error));
    EncodeOptions options;
    options.decode = true;  // as the app asks: a reconstruction to compare
    controller.setEncodeOptions(options);
    controller.setBackend(&backend.backend);

    // The colourful image's result is on screen: reconstruction and latents in colour.
    QSignalSpy shown(&controller, &InspectionController::resultShown);
    controller.show(colour);
    QVERIFY(shown.wait(30000));
    QVERIFY(shown.last().at(1).toBool());
    QVERIFY(count(compare->reconstructionView()->grab().toImage(), reddish) > 1000);
    QVERIFY(latent->channelCount() > 0);
    QVERIFY(count(latent->grab().toImage(), saturated) > 1000);

    // The grey image: held in the model, so its load is reported but no result comes.
    fake->hold();
    controller.show(grey);
    QVERIFY(fake->waitForWaiting(1));
    ImageView* original = compare->originalView();
    QTRY_VERIFY_WITH_TIMEOUT(original->hasImage() && original->image().channels == 1, 10000);
    // The original on screen is the grey image through its window.
    const QImage originalShot = original->grab().toImage();
    int checked = 0;
    for (int y = 1; y < 48; y += 5)
        for (int x = 1; x < 64; x += 5) {
            const QPointF p = original->mapFromImage(QPointF(x + 0.5, y + 0.5));
            const QRgb c = originalShot.pixel(int(p.x()), int(p.y()));
            QCOMPARE(qRed(c), test::windowed(greyValue(x, y), original->windowCenter(),
                                             original->windowWidth()));
            QCOMPARE(qGreen(c), qRed(c));
            ++checked;
        }
    QVERIFY(checked > 80);
    // Nothing of the colourful image or its latents; the others say they are computing.
    QCOMPARE(count(compare->grab().toImage(), reddish), 0);
    QCOMPARE(count(latent->grab().toImage(), saturated), 0);
    QCOMPARE(compare->reconstructionView()->noticeText(), QStringLiteral("Computing…"));
    QCOMPARE(compare->errorView()->noticeText(), QStringLiteral("Computing…"));
    QCOMPARE(latent->noticeText(), QStringLiteral("Computing…"));
    QCOMPARE(latent->channelCount(), 0);
    const QImage pending = compare->reconstructionView()->grab().toImage();
    int light = 0;
    for (int y = 0; y < pending.height(); ++y)
        for (int x = 0; x < pending.width(); ++x)
            light += qGray(pending.pixel(x, y)) > 100 ? 1 : 0;
    QVERIFY(light > 20);  // the notice is drawn

    // Cancel: the grey original stays, the rest says that no result came.
    QSignalSpy ended(&controller, &InspectionController::jobEnded);
    controller.cancel();
    QVERIFY(ended.wait(20000));
    QVERIFY(ended.last().at(2).toBool());
    QCOMPARE(fake->timedOut(), 0);
    const QString none = QStringLiteral("Cancelled — no result");
    QCOMPARE(compare->reconstructionView()->noticeText(), none);
    QCOMPARE(compare->errorView()->noticeText(), none);
    QCOMPARE(latent->noticeText(), none);
    QVERIFY(original->hasImage() && original->image().channels == 1);
    QCOMPARE(count(compare->grab().toImage(), reddish), 0);
    QCOMPARE(count(latent->grab().toImage(), saturated), 0);

    // Back to the colourful image: from the cache, at once.
    fake->stopHolding();
    controller.show(colour);
    QVERIFY(count(compare->reconstructionView()->grab().toImage(), reddish) > 1000);
}

// The demo model (8x, 4 latent channels) compared with a 4x, 3-channel model on a 100x76 image:
// each side's metrics are those of a run with that model alone; the heatmaps on screen are the
// comparison's, on one scale; a 1-channel model B is refused in words; "stop" shows A alone.
void TstInspection::modelBComparedWithA() {
    QTemporaryDir dir;
    QImage im(100, 76, QImage::Format_Grayscale8);
    for (int y = 0; y < 76; ++y)
        for (int x = 0; x < 100; ++x)
            im.scanLine(y)[x] = uchar(greyValue(x, y));
    const QString path = dir.filePath(QStringLiteral("grey100.png"));
    QVERIFY(im.save(path));
    const QString demo = QStringLiteral(MEDVAE_SOURCE_DIR "/resources/models/medvae-demo-8x4.ckpt");
    const QString factor4 = QStringLiteral(MEDVAE_FIXTURES "/v4_3.ckpt");

    jobs::InferenceWorker worker;
    QWidget window;
    auto* compare = new ComparePanel(&window);
    auto* latent = new LatentPanel(&window);
    auto* ab = new ABComparePanel(&window);
    ab->setGeometry(0, 0, 1200, 700);
    window.resize(1200, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    InspectionController controller(&worker, compare, latent);
    controller.setABPanel(ab);
    QVERIFY(!ab->isVisibleTo(&window));

    QSignalSpy opened(&worker, &jobs::InferenceWorker::backendOpened);
    worker.open(jobs::BackendRequest::localModel(demo, EngineOptions()));
    // The worker emits from its own thread straight into the spy: count, do not wait for the next.
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 60000);
    const auto backend = opened.first().at(0).value<jobs::BackendOutcome>();
    QVERIFY2(backend.ok, qPrintable(backend.error));
    EncodeOptions options;
    options.decode = true;
    controller.setEncodeOptions(options);
    controller.setBackend(&backend.backend);
    controller.setModelB(ModelB::local(factor4, EngineOptions()));
    QVERIFY(ab->isVisibleTo(&window) && !compare->isVisibleTo(&window));

    QSignalSpy shown(&controller, &InspectionController::resultShown);
    controller.show(path);
    QVERIFY(shown.wait(60000));
    QVERIFY(shown.last().at(1).toBool());
    const RenderedResult* r = RenderedResult::of(*controller.shownOutcome());
    QVERIFY(r && r->compared);
    QVERIFY2(r->ab, qPrintable(r->abError));
    QVERIFY(ab->hasResult());

    // Two single runs, one per model, on the image as loaded.
    const Image image = ImageLoader::load(path.toStdString(), LoadOptions());
    for (const auto& [checkpoint, side] :
         {std::pair{demo, &r->ab->a()}, std::pair{factor4, &r->ab->b()}}) {
        auto single = jobs::LocalBackend::open(checkpoint.toStdString(), EngineOptions());
        const EncodeResult res = single->run(image, options);
        const Reconstruction rec = compareReconstruction(image, res.decoded);
        QCOMPARE(side->rec->metrics.psnr, rec.metrics.psnr);
        QCOMPARE(side->rec->metrics.ssim, rec.metrics.ssim);
        QCOMPARE(side->rec->metrics.mae, rec.metrics.mae);
        QCOMPARE(side->rec->metrics.maxError, rec.metrics.maxError);
        QCOMPARE(side->rec->original.width, rec.original.width);
    }
    QCOMPARE(r->ab->a().factor, 8);
    QCOMPARE(r->ab->b().factor, 4);
    QCOMPARE(r->ab->b().latentChannels, 3);
    QCOMPARE(r->ab->commonWidth(), 96);  // the 8x model's 96x72 within the 4x model's 100x76
    QCOMPARE(r->ab->commonHeight(), 72);
    QVERIFY2(ab->metricsText().contains(QStringLiteral("medvae_4_3_2d, 4×, 3 latent channels")),
             qPrintable(ab->metricsText()));
    QVERIFY(ab->areaNotice().contains(QStringLiteral("96×72 of 100×76")));
    // On screen: the comparison's maps, one colour bar for both heatmaps at the shared scale.
    QCOMPARE(ab->errorAView()->renderedImage(), r->ab->errorA()->rendered().convertToFormat(
                                                    ab->errorAView()->renderedImage().format()));
    QCOMPARE(ab->errorBView()->renderedImage(), r->ab->errorB()->rendered().convertToFormat(
                                                    ab->errorBView()->renderedImage().format()));
    QCOMPARE(ab->errorColorbar()->high(), double(r->ab->errorScale()));
    QCOMPARE(ab->differenceColorbar()->low(), -double(r->ab->differenceScale()));
    QVERIFY(ab->differenceColorbar()->caption().contains(QStringLiteral("B better")));

    // For the README: MEDVAE_VIEWS_SCREENSHOTS=DIR saves the panel with a sample image.
    if (const QString out = qEnvironmentVariable("MEDVAE_VIEWS_SCREENSHOTS"); !out.isEmpty()) {
        controller.show(
            QStringLiteral(MEDVAE_SOURCE_DIR "/resources/samples/colin27_projection_lateral.png"));
        QVERIFY(shown.wait(60000));
        ab->resize(1400, 860);
        QVERIFY(ab->grab().save(out + QStringLiteral("/ab_compare_panel.png")));
    }

    // A model B with other input channels is refused in words.
    controller.setModelB(ModelB::local(QStringLiteral(MEDVAE_FIXTURES "/v8_1.ckpt"), {}));
    QVERIFY(shown.wait(60000));
    QVERIFY(!ab->hasResult());
    QVERIFY2(ab->originalView()->errorText().contains(QStringLiteral("same input channels")),
             qPrintable(ab->originalView()->errorText()));

    // Stop comparing: model A alone, from the cache.
    controller.setModelB(nullptr);
    QVERIFY(!ab->isVisibleTo(&window) && compare->isVisibleTo(&window));
    QVERIFY(compare->hasResult());
}

// Model B held in its run: choosing another B stops the held run (its job is superseded) and
// only the newer comparison is shown; Cancel while B runs says that no result came.
void TstInspection::modelBOfASupersededJobIsStoppedAndNeverShown() {
    QTemporaryDir dir;
    const QString colour = writeColourImage(dir);
    jobs::InferenceWorker worker;
    QWidget window;
    auto* compare = new ComparePanel(&window);
    auto* latent = new LatentPanel(&window);
    auto* ab = new ABComparePanel(&window);
    window.resize(900, 640);
    InspectionController controller(&worker, compare, latent);
    controller.setABPanel(ab);

    auto fakeA = std::make_shared<FakeBackend>();
    QSignalSpy opened(&worker, &jobs::InferenceWorker::backendOpened);
    jobs::BackendRequest request;
    request.label = QStringLiteral("fake A");
    request.open = [fakeA](qint64& parameters) {
        parameters = 0;
        return std::shared_ptr<jobs::InferenceBackend>(fakeA);
    };
    worker.open(request);
    // The worker emits from its own thread straight into the spy: count, do not wait for the next.
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 30000);
    const auto backend = opened.first().at(0).value<jobs::BackendOutcome>();
    QVERIFY(backend.ok);
    EncodeOptions options;
    options.decode = true;
    controller.setEncodeOptions(options);
    controller.setBackend(&backend.backend);

    auto heldB = std::make_shared<FakeBackend>(), freeB = std::make_shared<FakeBackend>();
    const auto modelB = [](const QString& label, std::shared_ptr<FakeBackend> b) {
        return std::make_shared<ModelB>(label, label,
                                        [b] { return std::shared_ptr<jobs::InferenceBackend>(b); });
    };
    QSignalSpy shown(&controller, &InspectionController::resultShown);
    heldB->hold();
    controller.setModelB(modelB(QStringLiteral("held B"), heldB));
    controller.show(colour);
    QVERIFY(heldB->waitForWaiting(1));
    QCOMPARE(fakeA->completed(), 1);  // A is done; B holds the job
    controller.setModelB(modelB(QStringLiteral("free B"), freeB));
    QVERIFY(shown.wait(30000));
    QTRY_COMPARE_WITH_TIMEOUT(heldB->cancelled(), 1, 10000);  // stopped, not left to finish
    QCOMPARE(heldB->timedOut(), 0);
    QCOMPARE(shown.size(), 1);
    const RenderedResult* r = RenderedResult::of(*controller.shownOutcome());
    QVERIFY(r && r->ab);
    QCOMPARE(r->modelB, QStringLiteral("free B"));
    QVERIFY(ab->hasResult());

    // Cancel while B runs: no result, and none of the held job's comes later.
    controller.setModelB(modelB(QStringLiteral("held B again"), heldB));
    QVERIFY(heldB->waitForWaiting(1));
    QSignalSpy ended(&controller, &InspectionController::jobEnded);
    controller.cancel();
    QVERIFY(ended.wait(20000));
    QVERIFY(ended.last().at(2).toBool());
    QCOMPARE(ab->originalView()->noticeText(), QStringLiteral("Cancelled — no result"));
    QCOMPARE(shown.size(), 1);
    QCOMPARE(heldB->timedOut(), 0);
}

QTEST_MAIN(TstInspection)
#include "tst_inspection.moc"
