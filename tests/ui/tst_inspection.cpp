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

#include "compare_panel.h"
#include "fake_backend.h"
#include "image_view.h"
#include "inference_worker.h"
#include "inspection_controller.h"
#include "latent_panel.h"
#include "rendered_result.h"
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
    QVERIFY(opened.wait(30000));
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

QTEST_MAIN(TstInspection)
#include "tst_inspection.moc"
