// The main window, offscreen: opening by path and by drop, results in every view (prepared on the
// worker), zoom sync, window/level by mouse, the latent/z toggle against the PyTorch reference,
// cancel, a broken file, the result cache, one folder rule for the Inspect and Batch tabs,
// settings, the GUI thread's responsiveness during a job, and the translations. Slow jobs come
// from a backend the test holds and releases (FakeBackend), not from big images and timing.
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <memory>
#include <vector>

#include "batch_inputs.h"
#include "batch_panel.h"
#include "compare_panel.h"
#include "engine.h"
#include "fake_backend.h"
#include "image_loader.h"
#include "image_view.h"
#include "language_switcher.h"
#include "latent_panel.h"
#include "local_backend.h"
#include "loopback_http_server.h"
#include "main_window.h"
#include "model_panel.h"
#include "npy_file.h"
#include "rendered_result.h"
#include "scalar_map.h"
#include "source_list.h"
#include "stall_probe.h"
#include "windowed_image.h"

using namespace medvae;
using namespace medvae::ui;
using medvae::test::FakeBackend;

namespace {

const QString kFrontal = QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_frontal.png");
const QString kLateral = QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_lateral.png");

// Distinct byte values in an image's pixels: a blank or uniform picture has one or two.
int distinctValues(const QImage& image) {
    if (image.isNull()) return 0;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    QSet<quint32> seen;
    for (int y = 0; y < rgb.height(); ++y) {
        const uchar* row = rgb.constScanLine(y);
        for (int x = 0; x < rgb.width(); ++x)
            seen.insert(quint32(row[3 * x]) << 16 | quint32(row[3 * x + 1]) << 8 | row[3 * x + 2]);
        if (seen.size() > 64) break;
    }
    return int(seen.size());
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::abs(double(a[i]) - b[i]));
    return m;
}

// Waits until every signal the worker of `w` sent so far has been delivered: a job of its own
// kind goes after them, and its end comes after theirs.
bool drainWorker(MainWindow* w) {
    QSignalSpy finished(w->worker(), &jobs::InferenceWorker::jobFinished);
    jobs::InferenceRequest barrier;
    barrier.source = QStringLiteral("/nonexistent/barrier.png");
    const quint64 id = w->worker()->submit(barrier);
    while (finished.isEmpty() ||
           finished.last().at(0).value<std::shared_ptr<const jobs::InferenceOutcome>>()->id != id)
        if (!finished.wait(30000)) return false;
    return true;
}

}  // namespace

class TestStudio : public QObject {
    Q_OBJECT
  private:
    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;

    std::unique_ptr<MainWindow> makeWindow(const QString& model) {
        auto w = std::make_unique<MainWindow>();
        w->resize(1280, 860);
        w->show();
        QSignalSpy loaded(w.get(), &MainWindow::modelLoaded);
        w->loadModel(model);
        if (!loaded.wait(60000) || !loaded.first().at(0).toBool()) return nullptr;
        return w;
    }

    // A window whose engine is `fake` (around the demo model, for real pixels).
    std::unique_ptr<MainWindow> makeFakeWindow(const std::shared_ptr<FakeBackend>& fake) {
        auto w = std::make_unique<MainWindow>();
        w->resize(1280, 860);
        w->show();
        QSignalSpy loaded(w.get(), &MainWindow::modelLoaded);
        jobs::BackendRequest request;
        request.label = QStringLiteral("fake backend");
        request.open = [fake](qint64& parameters) {
            parameters = 0;
            return std::shared_ptr<jobs::InferenceBackend>(fake);
        };
        w->worker()->open(request);
        if (!loaded.wait(60000) || !loaded.first().at(0).toBool()) return nullptr;
        return w;
    }

    // Opens `source` and waits for its result (or error) in the views.
    bool openAndWait(MainWindow* w, const QString& source, bool* ok = nullptr) {
        QSignalSpy shown(w, &MainWindow::resultShown);
        w->openSources({source});
        for (int i = 0; i < 2; ++i) {
            if (shown.isEmpty() && !shown.wait(60000)) return false;
            if (shown.last().at(0).toString() == QFileInfo(source).absoluteFilePath() ||
                shown.last().at(0).toString() == source) {
                if (ok) *ok = shown.last().at(1).toBool();
                return true;
            }
            shown.clear();
        }
        return false;
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("MedVAE Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_studio"));
        QSettings().clear();
        qputenv("HF_HUB_CACHE", QFile::encodeName(dir_.filePath(QStringLiteral("hub"))));
        Engine::configureCpuKernels();
        window_ = makeWindow(QStringLiteral(MEDVAE_DEMO_MODEL));
        QVERIFY(window_);
    }

    void cleanupTestCase() {
        window_.reset();
        QSettings().clear();
    }

    void demoModelIsLabelled() {
        const QString info = window_->modelPanel()->infoText();
        QVERIFY2(info.contains(QLatin1String("Demo model")), qPrintable(info));
        QVERIFY2(info.contains(QLatin1String("not MedVAE's published")), qPrintable(info));
        QVERIFY(info.contains(QLatin1String("medvae_8_4_2d")));
    }

    void openByPathShowsRealPixels() {
        bool ok = false;
        QVERIFY(openAndWait(window_.get(), kFrontal, &ok));
        QVERIFY(ok);
        ComparePanel* compare = window_->comparePanel();
        const Image input = ImageLoader::load(kFrontal.toStdString());
        for (ImageView* view :
             {compare->originalView(), compare->reconstructionView(), compare->errorView()}) {
            QCOMPARE(view->renderedImage().width(), input.width);
            QCOMPARE(view->renderedImage().height(), input.height);
            QVERIFY2(distinctValues(view->renderedImage()) > 32, "a view holds no real picture");
        }
        // The latent maps hold what the engine computes for the same image, independently run.
        LatentPanel* latent = window_->latentPanel();
        QCOMPARE(latent->channelCount(), 4);
        QCOMPARE(latent->mapWidth(), input.width / 8);
        QCOMPARE(latent->mapHeight(), input.height / 8);
        auto backend = jobs::LocalBackend::open(MEDVAE_DEMO_MODEL);
        const EncodeResult direct = backend->run(input, EncodeOptions());
        const at::Tensor l = direct.latent.contiguous();
        const std::vector<float> expected(l.data_ptr<float>(), l.data_ptr<float>() + l.numel());
        QVERIFY(maxAbsDiff(latent->values(), expected) < 1e-5);
        for (int c = 0; c < 4; ++c)
            QVERIFY2(distinctValues(latent->channelImage(c)) > 8, "a latent map is blank");
        // The views draw the pictures prepared with the result on the worker, as they are.
        const RenderedResult* rendered = RenderedResult::of(*window_->currentOutcome());
        QVERIFY(rendered && rendered->comparison);
        QCOMPARE(compare->originalView()->renderedImage().constBits(),
                 rendered->comparison->original()->initialRendering().constBits());
        QCOMPARE(compare->errorView()->renderedImage().constBits(),
                 rendered->comparison->heatmap(ErrorHeatmap::Kind::Absolute)
                     .map->rendered()
                     .constBits());
        QCOMPARE(latent->channelView(0)->renderedImage().constBits(),
                 rendered->latent.channelMap(0)->rendered().constBits());
        QVERIFY(window_->timingText().contains(QLatin1String("total")));
        QVERIFY(window_->jobText().contains(QLatin1String("demo model")));
        QCOMPARE(window_->imageList()->count(), 1);
    }

    void openBySimulatedDrop() {
        QSignalSpy shown(window_.get(), &MainWindow::resultShown);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(kLateral)});
        QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        QApplication::sendEvent(window_.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window_.get(), &drop);
        QVERIFY(drop.isAccepted());
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 60000);
        QCOMPARE(shown.last().at(0).toString(), kLateral);
        QVERIFY(shown.last().at(1).toBool());
        QCOMPARE(window_->imageList()->count(), 2);
        QCOMPARE(window_->currentSource(), kLateral);
        QVERIFY(distinctValues(window_->comparePanel()->reconstructionView()->renderedImage()) >
                32);
    }

    void computedImagesSwitchInstantly() {
        // Both samples are computed: selecting the first shows its cached result synchronously,
        // and asks the worker for nothing.
        QSignalSpy shown(window_.get(), &MainWindow::resultShown);
        QVERIFY(!window_->worker()->busy());
        window_->imageList()->setCurrentRow(0);
        QCOMPARE(shown.count(), 1);
        QCOMPARE(shown.last().at(0).toString(), kFrontal);
        QCOMPARE(window_->currentOutcome()->source, kFrontal);
        QVERIFY(!window_->worker()->busy(jobs::JobKind::Image));
    }

    void zoomIsSynchronised() {
        ComparePanel* compare = window_->comparePanel();
        ImageView* original = compare->originalView();
        original->zoomBy(2.5, QPointF(original->width() / 3.0, original->height() / 3.0));
        const ViewState s = original->viewState();
        QVERIFY(!s.fit);
        for (ImageView* other : {compare->reconstructionView(), compare->errorView()}) {
            QCOMPARE(other->viewState().fit, false);
            QCOMPARE(other->viewState().scale, s.scale);
            QCOMPARE(other->viewState().center, s.center);
        }
        original->fitToWindow();
        QVERIFY(compare->errorView()->viewState().fit);
    }

    void windowLevelChangesPixels() {
        ImageView* original = window_->comparePanel()->originalView();
        const QImage before = original->renderedImage();
        const double center = original->windowCenter(), width = original->windowWidth();
        const double step = original->windowStep();
        // A left-drag 60 px to the right widens the window by 60 steps (PACS habit); the level
        // stays.
        const QPoint start(original->width() / 2, original->height() / 2);
        QTest::mousePress(original, Qt::LeftButton, Qt::NoModifier, start);
        QTest::mouseMove(original, start + QPoint(60, 0));
        QTest::mouseRelease(original, Qt::LeftButton, Qt::NoModifier, start + QPoint(60, 0));
        QCOMPARE(original->windowWidth(), width + 60 * step);
        QCOMPARE(original->windowCenter(), center);
        QVERIFY(original->renderedImage() != before);
        original->setWindow(center, width);
        QCOMPARE(original->renderedImage(), before);
    }

    void latentAndZToggleAgainstReference() {
        // A fixture model with a real stage-2 head (the demo model's is the identity), and the
        // PyTorch reference's latent and z for the same image.
        auto w = makeWindow(QStringLiteral(MEDVAE_FIXTURES "/v8_4.ckpt"));
        QVERIFY(w);
        const QString image = QStringLiteral(MEDVAE_FIXTURES "/img_gray16.png");
        bool ok = false;
        QVERIFY(openAndWait(w.get(), image, &ok));
        QVERIFY(ok);
        const NpyArray latent = NpyFile::read(MEDVAE_FIXTURES "/img_gray16.png.v8_4_latent.npy");
        const NpyArray z = NpyFile::read(MEDVAE_FIXTURES "/img_gray16.png.v8_4_z.npy");
        LatentPanel* panel = w->latentPanel();
        QCOMPARE(panel->source(), LatentPanel::Source::Latent);
        QVERIFY(maxAbsDiff(panel->values(), latent.data) < 1e-4);
        const QImage latentMap = panel->channelImage(0);
        panel->setSource(LatentPanel::Source::Z);
        QVERIFY(maxAbsDiff(panel->values(), z.data) < 1e-4);
        QVERIFY(maxAbsDiff(latent.data, z.data) > 1e-2);  // the toggle shows something else
        QVERIFY(panel->channelImage(0) != latentMap);
        panel->setSource(LatentPanel::Source::Latent);
        QCOMPARE(panel->channelImage(0), latentMap);
    }

    void guiStaysResponsiveDuringAJob() {
        // While a job provably runs (held in the backend until released), the GUI thread handles
        // timers, mouse input and painting: nothing on it waits for the worker.
        auto fake = std::make_shared<FakeBackend>(jobs::LocalBackend::open(MEDVAE_DEMO_MODEL));
        auto w = makeFakeWindow(fake);
        QVERIFY(w);
        bool ok = false;
        QVERIFY(openAndWait(w.get(), kFrontal, &ok) && ok);  // an image to drag on
        fake->hold();
        QSignalSpy shown(w.get(), &MainWindow::resultShown);
        w->openSources({kLateral});
        QVERIFY(fake->waitForWaiting(1));
        test::StallProbe probe;
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= 20, 10000);
        ImageView* original = w->comparePanel()->originalView();
        const double width = original->windowWidth();
        const QPoint start(original->width() / 2, original->height() / 2);
        QTest::mousePress(original, Qt::LeftButton, Qt::NoModifier, start);
        QTest::mouseMove(original, start + QPoint(40, 0));
        QTest::mouseRelease(original, Qt::LeftButton, Qt::NoModifier, start + QPoint(40, 0));
        QCOMPARE(original->windowWidth(), width + 40 * original->windowStep());
        QVERIFY(!w->grab().isNull());
        QTRY_VERIFY_WITH_TIMEOUT(w->jobText().contains(QLatin1String("colin27_projection_lateral")),
                                 10000);
        // All of that while the job was still in the backend.
        QCOMPARE(fake->waiting(), 1);
        QVERIFY(shown.isEmpty());
        fake->release(1);
        QVERIFY(shown.wait(60000));
        QCOMPARE(shown.last().at(0).toString(), kLateral);
        QVERIFY(shown.last().at(1).toBool());
        QCOMPARE(fake->timedOut(), 0);
    }

    void cancelEndsTheRunningJob() {
        auto fake = std::make_shared<FakeBackend>(jobs::LocalBackend::open(MEDVAE_DEMO_MODEL));
        auto w = makeFakeWindow(fake);
        QVERIFY(w);
        fake->hold();
        QSignalSpy ended(w.get(), &MainWindow::jobEnded);
        w->openSources({kFrontal});
        QVERIFY(fake->waitForWaiting(1));  // the job is in the backend
        QVERIFY(w->cancelAction()->isEnabled());
        w->cancelAction()->trigger();
        QVERIFY(ended.wait(10000));
        QVERIFY(ended.last().at(2).toBool());  // cancelled
        // It left the backend because of the cancel: not released, not given up.
        QCOMPARE(fake->cancelled(), 1);
        QCOMPARE(fake->completed(), 0);
        QCOMPARE(fake->timedOut(), 0);
        QVERIFY(!w->jobRunning());
        QVERIFY(w->jobText().contains(QLatin1String("Cancelled")));
        QTRY_VERIFY_WITH_TIMEOUT(!w->cancelAction()->isEnabled(), 5000);
    }

    void brokenFileShowsAnErrorWithoutBlocking() {
        const QString path = dir_.filePath(QStringLiteral("broken.png"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\x89PNG\r\n\x1a\nnot really");
        file.close();
        bool ok = true;
        QVERIFY(openAndWait(window_.get(), path, &ok));
        QVERIFY(!ok);
        QVERIFY(QApplication::activeModalWidget() == nullptr);
        const QString shownError = window_->comparePanel()->originalView()->errorText();
        QVERIFY2(shownError.contains(QLatin1String("broken.png")), qPrintable(shownError));
        QVERIFY(window_->jobText().contains(QLatin1String("broken.png")));
        QVERIFY(!window_->latentPanel()->errorText().isEmpty());
        // The window still works: the next image computes.
        window_->imageList()->setCurrentRow(1);
        QCOMPARE(window_->currentSource(), kLateral);
        QVERIFY(window_->comparePanel()->originalView()->errorText().isEmpty());
    }

    void batchPanelAsksToInspect() {
        BatchPanel* batch = window_->batchPanel();
        QVERIFY(batch);
        QSignalSpy shown(window_.get(), &MainWindow::resultShown);
        Q_EMIT batch->inspectRequested(kFrontal);
        QCOMPARE(window_->currentSource(), kFrontal);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 60000);  // cached or computed
        QCOMPARE(shown.last().at(0).toString(), kFrontal);
    }

    void remoteWithoutProfileStaysLocal() {
        // No endpoint profile exists in the test settings: the switch says so and keeps the
        // local engine, without any dialog.
        const auto before = window_->backend();
        QAction* remote = nullptr;
        for (QAction* a : window_->findChildren<QAction*>())
            if (a->text().contains(QLatin1String("Remote"))) remote = a;
        QVERIFY(remote);
        remote->trigger();
        QVERIFY(!remote->isChecked());
        QCOMPARE(window_->backend(), before);
        QVERIFY2(window_->jobText().contains(QLatin1String("No active endpoint profile")),
                 qPrintable(window_->jobText()));
        QVERIFY(QApplication::activeModalWidget() == nullptr);
    }

    void folderAndClipboardOpen() {
        const int before = window_->imageList()->count();
        // A folder opens every image in it (the samples: three PNGs and a DICOM file).
        QSignalSpy shown(window_.get(), &MainWindow::resultShown);
        window_->openSources({QStringLiteral(MEDVAE_SAMPLES)});
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 60000);
        const int afterFolder = window_->imageList()->count();
        QCOMPARE(afterFolder, before + 2);  // the dcm and the coronal PNG are new
        QVERIFY(window_->currentSource().endsWith(QLatin1String("colin27_projection_frontal.png")));
        // A path on the clipboard opens like a drop.
        const QString copy = dir_.filePath(QStringLiteral("pasted source.png"));
        QVERIFY(QFile::copy(kLateral, copy));
        auto* mime = new QMimeData;
        mime->setUrls({QUrl::fromLocalFile(copy)});
        QApplication::clipboard()->setMimeData(mime);
        shown.clear();
        window_->pasteFromClipboard();
        QCOMPARE(window_->currentSource(), copy);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 60000);
        QVERIFY(shown.last().at(1).toBool());
        QCOMPARE(window_->imageList()->count(), afterFolder + 1);
    }

    void modelPanelDownloadsAndOffersCachedCheckpoints() {
        // A checkpoint "published" on a loopback server: the demo model's bytes.
        QFile demo(QStringLiteral(MEDVAE_DEMO_MODEL));
        QVERIFY(demo.open(QIODevice::ReadOnly));
        const QByteArray bytes = demo.readAll();
        test::LoopbackHttpServer server;
        test::LoopbackHttpServer::Response r;
        r.body = bytes;
        r.headers << qMakePair(QByteArray("X-Repo-Commit"),
                               QByteArray("89abcdef0123456789abcdef0123456789abcdef"));
        server.setRoute(QStringLiteral("/m/vae_8x_4c_2D.ckpt"), r);

        QTemporaryDir cache;
        ModelPanel panel;
        panel.setDownloadBaseUrl(server.url(QStringLiteral("/m/")));
        panel.setCacheRoot(cache.path());
        QCOMPARE(panel.cachedCount(), 0);
        QSignalSpy load(&panel, &ModelPanel::loadRequested);
        QSignalSpy done(&panel, &ModelPanel::downloadFinished);
        panel.startDownload();  // medvae_8_4_2d is the default choice
        QVERIFY(done.wait(30000));
        QVERIFY(done.first().at(0).toBool());
        QCOMPARE(load.count(), 1);
        const QString path = load.first().at(0).toString();
        QVERIFY(path.startsWith(cache.path()));
        QFile downloaded(path);
        QVERIFY(downloaded.open(QIODevice::ReadOnly));
        QCOMPARE(downloaded.readAll(), bytes);
        const QString sha = QString::fromLatin1(
            QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
        QVERIFY2(panel.checksumText().contains(sha), qPrintable(panel.checksumText()));
        QCOMPARE(panel.cachedCount(), 1);  // now offered from the cache
    }

    void languageSwitchesLive() {
        // The Run menu is found by what it is, not by its place: a menu put before it keeps its
        // title.
        auto* run = window_->findChild<QMenu*>(QStringLiteral("runMenu"));
        QVERIFY(run);
        auto* extra = new QMenu(QStringLiteral("Extra"), window_.get());
        window_->menuBar()->insertMenu(run->menuAction(), extra);
        LanguageSwitcher languages;
        QCOMPARE(languages.apply(QStringLiteral("de")), QStringLiteral("de"));
        QTRY_COMPARE_WITH_TIMEOUT(window_->menuBar()->actions().at(0)->text(),
                                  QStringLiteral("&Datei"), 5000);
        QCOMPARE(run->title(), QStringLiteral("&Ausführen"));
        QCOMPARE(extra->title(), QStringLiteral("Extra"));
        QCOMPARE(languages.apply(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        QTRY_COMPARE_WITH_TIMEOUT(window_->menuBar()->actions().at(0)->text(),
                                  QStringLiteral("文件(&F)"), 5000);
        QCOMPARE(languages.apply(QStringLiteral("en")), QStringLiteral("en"));
        QTRY_COMPARE_WITH_TIMEOUT(window_->menuBar()->actions().at(0)->text(),
                                  QStringLiteral("&File"), 5000);
        QCOMPARE(run->title(), QStringLiteral("&Run"));
        delete extra;
    }

    void inspectAndBatchOpenTheSameFiles() {
        // One folder rule for both tabs (batch export's): every file read by its content,
        // hidden files and partial downloads skipped, subfolders at any depth, a stable order.
        QTemporaryDir folder;
        QVERIFY(folder.isValid());
        QDir root(folder.path());
        QVERIFY(root.mkpath(QStringLiteral("1/2/3/4/5/6/7/8/9")));
        const QStringList copies = {QStringLiteral("a.png"),
                                    QStringLiteral("Upper.PNG"),
                                    QStringLiteral("scan"),  // DICOM without an extension
                                    QStringLiteral(".hidden.png"),
                                    QStringLiteral("b.png.part"),
                                    QStringLiteral("c.png.crdownload"),
                                    QStringLiteral("d.png~"),
                                    QStringLiteral("1/2/3/4/5/6/7/8/9/deep.png")};
        for (const QString& name : copies)
            QVERIFY(QFile::copy(name == QLatin1String("scan")
                                    ? QStringLiteral(MEDVAE_SAMPLES "/colin27_t1_coronal.dcm")
                                    : kFrontal,
                                root.filePath(name)));
        QFile notes(root.filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("not an image\n") > 0);
        notes.close();

        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::sourcesOpened);
        w.openSources({folder.path()});
        QVERIFY(opened.wait(30000));  // several files: grouped into series on the worker first
        QStringList inspected;
        for (int i = 0; i < w.imageList()->count(); ++i)
            inspected << SourceList::sourceOf(w.imageList()->item(i));
        QCOMPARE(w.batchPanel()->addInputs({folder.path()}), 5);
        QCOMPARE(inspected, w.batchPanel()->itemSources());
        QCOMPARE(inspected,
                 QStringList({root.filePath(QStringLiteral("1/2/3/4/5/6/7/8/9/deep.png")),
                              root.filePath(QStringLiteral("Upper.PNG")),
                              root.filePath(QStringLiteral("a.png")),
                              root.filePath(QStringLiteral("notes.txt")),
                              root.filePath(QStringLiteral("scan"))}));
    }

    void newestModelLoadWins() {
        // A load asked while another one runs: the GUI thread does not wait, the newest one is
        // loaded, and the one it superseded is not reported. The first load stays in its opener
        // until the second was asked, so it certainly runs meanwhile.
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        QSignalSpy started(w.worker(), &jobs::InferenceWorker::jobStarted);
        std::promise<void> go;
        jobs::BackendRequest first =
            jobs::BackendRequest::localModel(QStringLiteral(MEDVAE_FIXTURES "/v8_4.ckpt"), {});
        first.open = [inner = first.open, wait = go.get_future().share()](qint64& parameters) {
            wait.wait();
            return inner(parameters);
        };
        w.worker()->open(first);
        QVERIFY(started.wait(10000));  // the first load runs (held)
        w.loadModel(QStringLiteral(MEDVAE_DEMO_MODEL));
        QVERIFY(loaded.isEmpty());
        go.set_value();
        QVERIFY(loaded.wait(60000));
        QVERIFY(drainWorker(&w));  // whatever else the worker reported has arrived
        QCOMPARE(loaded.count(), 1);
        QVERIFY(loaded.first().at(0).toBool());
        QCOMPARE(QString::fromStdString(w.backend()->describe().location),
                 QStringLiteral(MEDVAE_DEMO_MODEL));
    }

    void settingsPersist() {
        window_->modelPanel()->setSampling(true, 1234);
        // Other windows loaded other models meanwhile: closing this one stores the model it has.
        QSettings().setValue(QStringLiteral("model/path"), QStringLiteral("/elsewhere/other.ckpt"));
        window_->close();  // writes the settings
        QCOMPARE(QSettings().value(QStringLiteral("model/path")).toString(),
                 QStringLiteral(MEDVAE_DEMO_MODEL));
        MainWindow again;
        const EncodeOptions o = again.modelPanel()->encodeOptions();
        QVERIFY(o.sample);
        QCOMPARE(o.seed, std::uint64_t(1234));
        QVERIFY(QSettings().value(QStringLiteral("recentFiles")).toStringList().contains(kLateral));
        if (!Engine::cudaAvailable()) {
            EngineOptions cuda;
            cuda.device = DeviceKind::Cuda;
            again.modelPanel()->setEngineOptions(cuda);
            QCOMPARE(again.modelPanel()->engineOptions().device, DeviceKind::Cpu);
        }
    }

    void translationsAreComplete() {
        // lupdate over today's sources into copies of the .ts files: nothing may be unfinished.
        const QStringList languages = {QStringLiteral("de"), QStringLiteral("fr"),
                                       QStringLiteral("es"), QStringLiteral("zh_CN")};
        QStringList sources;
        for (const QString& folder : {QStringLiteral(MEDVAE_SOURCE_DIR "/ui"),
                                      QStringLiteral(MEDVAE_SOURCE_DIR "/app/studio")}) {
            QDirIterator it(folder, {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext())
                sources << it.next();
        }
        sources << QStringLiteral(MEDVAE_SOURCE_DIR "/core/jobs/model_downloader.cpp");
        for (const QString& language : languages) {
            const QString original =
                QStringLiteral(MEDVAE_SOURCE_DIR "/translations/medvae_studio_%1.ts").arg(language);
            const QString copy = dir_.filePath(QStringLiteral("check_%1.ts").arg(language));
            QFile::remove(copy);
            QVERIFY(QFile::copy(original, copy));
            QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
            QProcess lupdate;
            lupdate.start(QStringLiteral(MEDVAE_LUPDATE),
                          QStringList({QStringLiteral("-silent"), QStringLiteral("-no-obsolete")}) +
                              sources + QStringList({QStringLiteral("-ts"), copy}));
            QVERIFY(lupdate.waitForFinished(120000));
            QCOMPARE(lupdate.exitCode(), 0);
            QFile ts(copy);
            QVERIFY(ts.open(QIODevice::ReadOnly));
            const QString xml = QString::fromUtf8(ts.readAll());
            const int messages = int(xml.count(QLatin1String("<message")));
            const int unfinished = int(xml.count(QLatin1String("type=\"unfinished\"")));
            qInfo("%s: %d messages, %d unfinished", qPrintable(language), messages, unfinished);
            QVERIFY(messages > 100);
            QCOMPARE(unfinished, 0);
        }
    }
};

QTEST_MAIN(TestStudio)
#include "tst_studio.moc"
