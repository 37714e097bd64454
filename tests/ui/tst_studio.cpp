// The main window, offscreen: opening by path and by drop, results in every view (prepared on the
// worker), zoom sync, window/level by mouse, the latent/z toggle against the PyTorch reference,
// cancel, a broken file, the result cache, one folder rule for the Inspect and Batch tabs,
// settings, the GUI thread's responsiveness during a job, and the translations. Slow jobs come
// from a backend the test holds and releases (FakeBackend), not from big images and timing.
#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QStyleOptionButton>
#include <QStyleOptionComboBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTimer>
#include <QUrl>
#include <QXmlStreamReader>

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
#include "error.h"
#include "error_wording.h"
#include "fake_backend.h"
#include "image_loader.h"
#include "image_view.h"
#include "job_status_bar.h"
#include "language_switcher.h"
#include "latent_panel.h"
#include "local_backend.h"
#include "loopback_http_server.h"
#include "main_window.h"
#include "memory_budget.h"
#include "model_panel.h"
#include "npy_file.h"
#include "output_folder.h"
#include "progress_clock.h"
#include "reconstruction.h"
#include "remote_backend.h"
#include "rendered_result.h"
#include "scalar_map.h"
#include "scoring_contract.h"
#include "source_list.h"
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
    while (finished.isEmpty() || finished.last().at(0).value<jobs::InferenceOutcome>().id != id)
        if (!finished.wait(30000)) return false;
    return true;
}

// The messages of the catalogues: English source -> its form in each language ("en": itself).
using Catalogue = QMap<QString, QMap<QString, QString>>;

Catalogue readCatalogues() {
    Catalogue out;
    for (const QString& language : {QStringLiteral("de"), QStringLiteral("fr"),
                                    QStringLiteral("es"), QStringLiteral("zh_CN")}) {
        QFile f(
            QStringLiteral(MEDVAE_SOURCE_DIR "/translations/medvae_studio_%1.ts").arg(language));
        if (!f.open(QIODevice::ReadOnly)) return {};
        QXmlStreamReader xml(&f);
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement()) continue;
            if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
                out[source][QStringLiteral("en")] = source;
            } else if (xml.name() == QLatin1String("translation") ||
                       xml.name() == QLatin1String("numerusform")) {
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (!text.isEmpty() && !out[source].contains(language))
                    out[source][language] = text;
            }
        }
    }
    return out;
}

// What a message looks like on screen, as a pattern: accelerators and markup gone, arguments
// as wildcards. Empty when too little of it is fixed text to tell languages apart.
QString screenPattern(QString text, int minLetters = 4) {
    text.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    text.remove(QRegularExpression(QStringLiteral("\\(&.\\)|&(?=\\S)")));
    text = text.trimmed();
    QString literal = text;
    literal.remove(QRegularExpression(QStringLiteral("%[0-9n]")));
    if (literal.count(QRegularExpression(QStringLiteral("\\w"))) < minLetters) return QString();
    QStringList parts = text.split(QRegularExpression(QStringLiteral("%[0-9n]")));
    for (QString& p : parts)
        p = QRegularExpression::escape(p);
    return parts.join(QStringLiteral(".*"));
}

// Every text a user reads on `window` and its docks: labels, buttons, tooltips, combo box
// items, tabs, table headers, dock titles, menus and actions.
QStringList visibleTexts(QMainWindow* window) {
    QStringList texts = {window->windowTitle()};
    for (QWidget* w : window->findChildren<QWidget*>()) {
        if (!w->toolTip().isEmpty()) texts << w->toolTip();
        if (auto* label = qobject_cast<QLabel*>(w)) texts << label->text();
        if (auto* button = qobject_cast<QAbstractButton*>(w)) texts << button->text();
        if (auto* dock = qobject_cast<QDockWidget*>(w)) texts << dock->windowTitle();
        if (auto* menu = qobject_cast<QMenu*>(w)) texts << menu->title();
        if (auto* combo = qobject_cast<QComboBox*>(w))
            for (int i = 0; i < combo->count(); ++i)
                texts << combo->itemText(i);
        if (auto* tabs = qobject_cast<QTabWidget*>(w))
            for (int i = 0; i < tabs->count(); ++i)
                texts << tabs->tabText(i);
        if (auto* table = qobject_cast<QTableWidget*>(w))
            for (int c = 0; c < table->columnCount(); ++c)
                if (table->horizontalHeaderItem(c)) texts << table->horizontalHeaderItem(c)->text();
        for (QAction* a : w->actions())
            texts << a->text() << a->toolTip() << a->statusTip();
    }
    texts.removeAll(QString());
    return texts;
}

// The texts of labels and buttons on `window` that do not fit the room their widget has, as
// "text (needs N px, has M px)".
QStringList clippedTexts(QMainWindow* window) {
    QStringList clipped;
    for (QWidget* w : window->findChildren<QWidget*>()) {
        if (!w->isVisibleTo(window) || w->width() <= 0) continue;
        QString text;
        int room = 0;
        if (auto* label = qobject_cast<QLabel*>(w)) {
            if (label->wordWrap() || label->text().isEmpty()) continue;
            text = label->text();
            if (Qt::mightBeRichText(text)) {
                QTextDocument doc;
                doc.setHtml(text);
                text = doc.toPlainText();
            }
            room = label->contentsRect().width() - 2 * label->margin() - 2 * label->indent();
        } else if (auto* box = qobject_cast<QCheckBox*>(w)) {
            QStyleOptionButton option;
            option.initFrom(box);
            option.text = box->text();
            text = box->text();
            room = box->style()->subElementRect(QStyle::SE_CheckBoxContents, &option, box).width();
        } else if (auto* button = qobject_cast<QPushButton*>(w)) {
            QStyleOptionButton option;
            option.initFrom(button);
            text = button->text();
            room = button->style()
                       ->subElementRect(QStyle::SE_PushButtonContents, &option, button)
                       .width();
        } else if (auto* combo = qobject_cast<QComboBox*>(w)) {
            QStyleOptionComboBox option;
            option.initFrom(combo);
            text = combo->currentText();
            room = combo->style()
                       ->subControlRect(QStyle::CC_ComboBox, &option, QStyle::SC_ComboBoxEditField,
                                        combo)
                       .width();
        } else {
            continue;
        }
        text.remove(QRegularExpression(QStringLiteral("&(?=\\S)")));
        if (text.isEmpty()) continue;
        const int needs = w->fontMetrics().horizontalAdvance(text);
        if (needs > room)
            clipped << QStringLiteral("%1 [%2] (needs %3 px, has %4 px)")
                           .arg(text, w->metaObject()->className())
                           .arg(needs)
                           .arg(room);
    }
    return clipped;
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
        int ticks = 0;
        QTimer probe;
        probe.setInterval(1);
        connect(&probe, &QTimer::timeout, this, [&ticks] { ++ticks; });
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 20, 10000);
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

    void viewKeysWorkWindowWide() {
        // F, 1, R and I on the window, no click into a view first: the comparison's views follow.
        bool ok = false;
        QVERIFY(openAndWait(window_.get(), kLateral, &ok) && ok);
        window_->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window_.get()));
        window_->imageList()->setFocus();
        auto* tabs = window_->findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(0);
        const QList<ImageView*> views = {window_->comparePanel()->originalView(),
                                         window_->comparePanel()->reconstructionView(),
                                         window_->comparePanel()->errorView()};
        QTest::keyClick(window_.get(), Qt::Key_1);
        for (ImageView* v : views) {
            QVERIFY(!v->viewState().fit);
            QCOMPARE(v->effectiveScale(), 1.0);
        }
        QTest::keyClick(window_.get(), Qt::Key_F);
        for (ImageView* v : views)
            QVERIFY(v->viewState().fit);
        const bool overlay = views.first()->overlayVisible();
        QTest::keyClick(window_.get(), Qt::Key_I);
        for (ImageView* v : views)
            QCOMPARE(v->overlayVisible(), !overlay);
        QTest::keyClick(window_.get(), Qt::Key_I);
        QCOMPARE(views.first()->overlayVisible(), overlay);

        // Another tab: the keys are not the views'.
        tabs->setCurrentIndex(1);
        QTest::keyClick(window_.get(), Qt::Key_I);
        QCOMPARE(views.first()->overlayVisible(), overlay);
        tabs->setCurrentIndex(0);

        // A text field with the focus gets the letters.
        auto* field = new QLineEdit(window_->statusBar());
        window_->statusBar()->addWidget(field);
        field->show();
        field->setFocus();
        QTRY_VERIFY_WITH_TIMEOUT(field->hasFocus(), 5000);
        QTest::keyClick(field, Qt::Key_I);
        QCOMPARE(views.first()->overlayVisible(), overlay);
        QCOMPARE(field->text(), QStringLiteral("i"));
        delete field;
        window_->imageList()->setFocus();
        QTest::keyClick(window_.get(), Qt::Key_I);
        QCOMPARE(views.first()->overlayVisible(), !overlay);
        QTest::keyClick(window_.get(), Qt::Key_I);
    }

    void remoteModeIsRecognisable() {
        // The endpoint, its deployment and the last round trip are shown; the local engine's
        // settings are disabled (and sampling, which an endpoint cannot do, is off).
        ModelPanel panel;
        panel.setSampling(true, 7);
        jobs::BackendDescription d;
        d.kind = "remote";
        d.model = "medvae-8x4-blue";
        d.location = "http://127.0.0.1:5001/score";
        d.device = "remote";
        d.imageChannels = 3;
        d.latentChannels = 4;
        panel.setModel(d, 0);
        QString info = panel.infoText();
        QVERIFY2(info.contains(QLatin1String("Remote endpoint")), qPrintable(info));
        QVERIFY(info.contains(QLatin1String("127.0.0.1:5001")));
        QVERIFY(info.contains(QLatin1String("medvae-8x4-blue")));
        QVERIFY(info.contains(QLatin1String("none yet")));
        QVERIFY(!info.contains(QLatin1String("File:")));
        QList<QWidget*> local;
        for (const char* name : {"deviceBox", "precisionBox", "threadsBox", "sampleCheck"})
            local << panel.findChild<QWidget*>(QLatin1String(name));
        QVERIFY(!local.contains(nullptr));
        for (QWidget* w : local)
            QVERIFY2(!w->isEnabled(), qPrintable(w->objectName()));
        QVERIFY(!panel.encodeOptions().sample);
        panel.setRoundTrip(42.4);
        QVERIFY2(panel.infoText().contains(QLatin1String("Last round trip: 42 ms")),
                 qPrintable(panel.infoText()));
        // Back to a local model: the settings apply again, sampling as it was.
        d.kind = "local";
        d.device = "cpu";
        d.location = MEDVAE_DEMO_MODEL;
        panel.setModel(d, 1000);
        for (QWidget* w : local)
            QVERIFY(w->isEnabled());
        QVERIFY(panel.encodeOptions().sample);
        QVERIFY(!panel.infoText().contains(QLatin1String("round trip")));
    }

    void remotePsnrDiffersByTheEightBitReconstruction() {
        // Why remote and local PSNR differ for the same model: the contract returns 'decoded' as
        // integers 0..255. The remote path's PSNR is that of the local reconstruction clamped to
        // [-1, 1] and rounded to 8 bits (computed here with ATen), and differs from the float
        // one (mostly by the clamp: the decoder overshoots [-1, 1] a little).
        const Image input = ImageLoader::load(kFrontal.toStdString());
        auto backend = jobs::LocalBackend::open(MEDVAE_DEMO_MODEL);
        EncodeOptions options;
        options.decode = true;
        const EncodeResult local = backend->run(input, options);
        const EncodeResult remote = contract::ScoringContract::parseResponse(
            contract::ScoringContract::responseBody(local, true), true);
        // Rounded half up in double precision, as the contract writes its integers.
        const at::Tensor eightBit =
            (((local.decoded.to(at::kDouble) + 1) / 2 * 255).clamp(0, 255) + 0.5).floor() / 255 *
                2 -
            1;
        QVERIFY(remote.decoded.to(at::kDouble).sub(eightBit).abs().max().item<double>() < 1e-6);
        const double floatPsnr = compareReconstruction(input, local.decoded).metrics.psnr;
        const double remotePsnr = compareReconstruction(input, remote.decoded).metrics.psnr;
        const double eightBitPsnr =
            compareReconstruction(input, eightBit.to(at::kFloat)).metrics.psnr;
        const double clampedPsnr =
            compareReconstruction(input, local.decoded.clamp(-1, 1)).metrics.psnr;
        qInfo("PSNR local float %.4f dB, clamped %.4f dB, 8-bit %.4f dB, remote %.4f dB", floatPsnr,
              clampedPsnr, eightBitPsnr, remotePsnr);
        QVERIFY(std::abs(remotePsnr - eightBitPsnr) < 1e-4);
        QVERIFY(std::abs(remotePsnr - floatPsnr) > 1e-4);
        QVERIFY(std::abs(remotePsnr - floatPsnr) < 1.0);
    }

    void longMessagesDoNotWidenTheWindow() {
        // An endpoint's "connection refused" with its URL, and long timings: the status bar
        // elides them (whole text in the tooltip) instead of growing the window past the screen.
        MainWindow w;
        w.resize(900, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const int width = w.width();
        auto* bar = qobject_cast<JobStatusBar*>(w.statusBar());
        QVERIFY(bar);
        const QString message =
            QStringLiteral("Remote endpoint not available: ") +
            QStringLiteral("connection refused by http://127.0.0.1:9/score; ").repeated(20);
        bar->setStatus(message);
        bar->setTiming(QStringLiteral("load 0.01 s · model 1.00 s · total 1.01 s · ").repeated(8));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents();
        QCOMPARE(w.width(), width);
        QVERIFY2(w.minimumSizeHint().width() <= width,
                 qPrintable(QString::number(w.minimumSizeHint().width())));
        QCOMPARE(bar->status(), message);
        auto* label = w.findChild<QLabel*>(QStringLiteral("jobLabel"));
        QVERIFY(label);
        QVERIFY(label->text() != message);
        QVERIFY(label->fontMetrics().horizontalAdvance(label->text()) <= label->width());
        QCOMPARE(label->toolTip(), message);
    }

    void savedGeometryIsClampedToTheScreen() {
        // A geometry saved bigger than this screen (another monitor, or an older version that
        // grew the window) comes back inside the available area.
        const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
        QByteArray saved;
        {
            QWidget probe;
            probe.setGeometry(available.x() + 300, available.y() + 200, available.width() * 2,
                              available.height() + 400);
            saved = probe.saveGeometry();
        }
        QSettings().setValue(QStringLiteral("window/geometry"), saved);
        MainWindow w;
        QSettings().remove(QStringLiteral("window/geometry"));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY2(available.contains(w.frameGeometry()),
                 qPrintable(QStringLiteral("%1,%2 %3x%4")
                                .arg(w.frameGeometry().x())
                                .arg(w.frameGeometry().y())
                                .arg(w.frameGeometry().width())
                                .arg(w.frameGeometry().height())));
    }

    void progressClockEstimatesFromTheRate() {
        qint64 now = 1000;
        ProgressClock clock([&now] { return now; });
        clock.start();
        QCOMPARE(clock.remainingMs(), qint64(-1));
        now += 5000;  // loading, before the first step: not part of the rate
        clock.step(1, 8);
        QCOMPARE(clock.elapsedMs(), qint64(5000));
        QCOMPARE(clock.remainingMs(), qint64(-1));  // one step: still estimating
        now += 2000;
        clock.step(2, 8);  // 2 s a step, 6 steps left
        QCOMPARE(clock.remainingMs(), qint64(12000));
        now += 500;  // between steps it counts down
        QCOMPARE(clock.remainingMs(), qint64(11500));
        now += 3500;
        clock.step(3, 8);  // 6 s for 2 steps, 5 left
        QCOMPARE(clock.remainingMs(), qint64(15000));
        clock.step(3, 8);  // the same step again changes nothing
        QCOMPARE(clock.remainingMs(), qint64(15000));
        now += 60000;  // slower than the rate said: not negative
        QCOMPARE(clock.remainingMs(), qint64(0));
        clock.step(10, 40);  // another stage, other units: estimating again
        QCOMPARE(clock.remainingMs(), qint64(-1));
        clock.stop();
        const qint64 elapsed = clock.elapsedMs();
        QCOMPARE(elapsed, qint64(71000));
        now += 1000;
        QCOMPARE(clock.elapsedMs(), elapsed);  // stopped
        QCOMPARE(clock.remainingMs(), qint64(-1));
    }

    void statusBarShowsElapsedAndEta() {
        // The report's case: 25 % for two minutes, then 50 % four minutes later.
        QAction cancel(QStringLiteral("Cancel"));
        JobStatusBar bar(&cancel);
        qint64 now = 0;
        bar.setClock([&now] { return now; });
        QVERIFY(bar.clockText().isEmpty());
        bar.setProgress(true, 0, 0);  // a job starts
        QCOMPARE(bar.clockText(), QStringLiteral("0:00 elapsed · estimating…"));
        now += 30000;
        bar.setProgress(true, 1, 4);
        QCOMPARE(bar.clockText(), QStringLiteral("0:30 elapsed · estimating…"));
        now += 240000;
        bar.setProgress(true, 2, 4);  // 4 min a step, 2 steps left
        QCOMPARE(bar.clockText(), QStringLiteral("4:30 elapsed · about 8:00 left"));
        now += 3600000;
        QCOMPARE(bar.clockText(), QStringLiteral("1:04:30 elapsed · about 0:00 left"));
        bar.setProgress(false, 0, 0);
        QVERIFY(bar.clockText().isEmpty());
        QCOMPARE(JobStatusBar::durationText(59499), QStringLiteral("0:59"));
        QCOMPARE(JobStatusBar::durationText(3599500), QStringLiteral("1:00:00"));
    }

    void noTextStaysInThePreviousLanguage() {
        // de -> en -> zh_CN -> en, with a result shown: after each switch no text of the window
        // and its docks is still in the language before (a message whose two forms differ).
        const Catalogue catalogue = readCatalogues();
        QVERIFY(catalogue.size() > 100);
        bool ok = false;
        QVERIFY(openAndWait(window_.get(), kFrontal, &ok) && ok);
        LanguageSwitcher languages;
        const QMap<QString, QString> fileMenu = {
            {QStringLiteral("de"), QStringLiteral("&Datei")},
            {QStringLiteral("en"), QStringLiteral("&File")},
            {QStringLiteral("zh_CN"), QStringLiteral("文件(&F)")}};
        QString previous = QStringLiteral("en");
        for (const QString& language : {QStringLiteral("de"), QStringLiteral("en"),
                                        QStringLiteral("zh_CN"), QStringLiteral("en")}) {
            QCOMPARE(languages.apply(language), language);
            QTRY_COMPARE_WITH_TIMEOUT(window_->menuBar()->actions().at(0)->text(),
                                      fileMenu[language], 5000);
            QStringList stale;
            QList<QRegularExpression> patterns, current;
            for (auto m = catalogue.begin(); m != catalogue.end(); ++m) {
                const QString before = m->value(previous), now = m->value(language);
                // A text that some message has in the language now is not stale ("Latent").
                if (!now.isEmpty() && !screenPattern(now, 1).isEmpty())
                    current << QRegularExpression(QStringLiteral("^") + screenPattern(now, 1) +
                                                  QStringLiteral("$"));
                if (before.isEmpty() || now.isEmpty() || before == now) continue;
                const QString pattern = screenPattern(before);
                // Long messages are looked for inside texts too (a label joins several).
                const bool inside = !screenPattern(before, 12).isEmpty();
                if (!pattern.isEmpty() && pattern != screenPattern(now))
                    patterns << QRegularExpression(
                        inside ? pattern : QStringLiteral("^") + pattern + QStringLiteral("$"));
            }
            auto* bar = qobject_cast<JobStatusBar*>(window_->statusBar());
            QVERIFY(bar && !bar->timing().isEmpty());
            for (const QString& raw :
                 visibleTexts(window_.get()) + QStringList({bar->status(), bar->timing()})) {
                QString text = raw;
                text.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
                text.remove(QRegularExpression(QStringLiteral("\\(&.\\)|&(?=\\S)")));
                for (const QString& part :
                     text.split(QRegularExpression(QStringLiteral("\n| · "))) + QStringList(text)) {
                    const auto matches = [&](const QRegularExpression& p) {
                        return p.match(part.trimmed()).hasMatch();
                    };
                    if (std::any_of(patterns.begin(), patterns.end(), matches) &&
                        std::none_of(current.begin(), current.end(), matches))
                        stale << part.trimmed();
                }
            }
            stale.removeDuplicates();
            QVERIFY2(stale.isEmpty(),
                     qPrintable(previous + QStringLiteral(" -> ") + language +
                                QStringLiteral(": ") + stale.join(QStringLiteral(" | "))));
            previous = language;
        }
    }

    void noLabelIsClippedInAnyLanguage() {
        // A fresh window in each language, at its first size: every label's and button's text
        // fits its widget (German ran over: "Vorzeichenbehaftete", "Fehlgeschlag…").
        LanguageSwitcher languages;
        QStringList problems;
        for (const QString& language :
             {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr"),
              QStringLiteral("es"), QStringLiteral("zh_CN")}) {
            QCOMPARE(languages.apply(language), language);
            MainWindow w;
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            for (int tab = 0; tab < 2; ++tab) {
                w.findChild<QTabWidget*>()->setCurrentIndex(tab);
                QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
                for (const QString& c : clippedTexts(&w))
                    problems << language + QStringLiteral(": ") + c;
            }
        }
        languages.apply(QStringLiteral("en"));
        problems.removeDuplicates();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n"))));
    }

    void errorsAreShownInTheUiLanguage() {
        // The errors a user meets most, as the core throws them: translated on screen with their
        // details kept, English in English (and in logs and manifests).
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto messageOf = [](const std::function<void()>& fails) {
            try {
                fails();
            } catch (const std::exception& e) {
                return QString::fromStdString(e.what());
            }
            return QString();
        };
        const QString missing = dir.filePath(QStringLiteral("missing.png"));
        const QString notes = dir.filePath(QStringLiteral("notes.png"));
        const QString checkpoint = dir.filePath(QStringLiteral("model.ckpt"));
        for (const QString& path : {notes, checkpoint}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write("not what the name says\n") > 0);
        }
        const QString dicom = dir.filePath(QStringLiteral("corrupt.dcm"));
        {
            QFile f(dicom);  // a DICOM preamble and magic, then a broken data set
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(128, '\0') + "DICM" + QByteArray("\x02\x00\x00\x00UL\x04", 8) +
                    QByteArray(7, '\xff'));
        }
        quint16 closedPort = 0;
        {
            QTcpServer server;
            QVERIFY(server.listen(QHostAddress::LocalHost, 0));
            closedPort = server.serverPort();
        }
        remote::EndpointProfile profile;
        profile.name = QStringLiteral("loopback");
        profile.scoringUri = QStringLiteral("http://127.0.0.1:%1/score").arg(closedPort);
        profile.consentGiven = true;
        profile.maxRetries = 0;
        const Image image = ImageLoader::load(kFrontal.toStdString());
        struct Case {
            QString english, detail, englishWords;
        };
        const QList<Case> cases = {
            {messageOf([&] { ImageLoader::load(missing.toStdString()); }), missing,
             QStringLiteral("does not exist")},
            {messageOf([&] { ImageLoader::load(notes.toStdString()); }), notes,
             QStringLiteral("this program can read")},
            {messageOf([&] { ImageLoader::load(dicom.toStdString()); }), dicom,
             QStringLiteral("valid DICOM")},
            {messageOf([&] { jobs::LocalBackend::open(checkpoint.toStdString()); }), checkpoint,
             QStringLiteral("neither a PyTorch checkpoint")},
            {messageOf([&] { remote::RemoteBackend::create(profile, QString())->run(image, {}); }),
             QStringLiteral("127.0.0.1:%1").arg(closedPort), QStringLiteral("nothing listens")},
            {messageOf([&] { OutputFolder((notes + QStringLiteral("/out")).toStdString()); }),
             notes + QStringLiteral("/out"), QStringLiteral("cannot create")},
            {messageOf([] { MemoryBudget(1 << 20).check("huge.png", 40000, 40000, 0); }),
             QStringLiteral("40000x40000"), QStringLiteral("memory budget")},
            {messageOf([] { throw Cancelled(); }), QString(), QStringLiteral("cancelled")}};
        LanguageSwitcher languages;
        for (const Case& c : cases) {
            QVERIFY2(c.english.contains(c.englishWords), qPrintable(c.english));
            QCOMPARE(ErrorWording::wording(c.english), c.english);
        }
        for (const QString& language : {QStringLiteral("de"), QStringLiteral("fr"),
                                        QStringLiteral("es"), QStringLiteral("zh_CN")}) {
            QCOMPARE(languages.apply(language), language);
            for (const Case& c : cases) {
                const QString shown = ErrorWording::wording(c.english);
                QVERIFY2(!shown.contains(c.englishWords),
                         qPrintable(language + QStringLiteral(": ") + shown));
                QVERIFY2(shown.contains(c.detail), qPrintable(shown));
            }
        }

        // In the Batch tab (German): the item's message on screen is German, the manifest's
        // English; back in English the table says it in English again.
        QCOMPARE(languages.apply(QStringLiteral("de")), QStringLiteral("de"));
        BatchPanel* batch = window_->batchPanel();
        batch->clearInputs();
        QCOMPARE(batch->addInputs({notes}), 1);
        batch->setOutputFolder(dir.filePath(QStringLiteral("batch")));
        QSignalSpy finished(batch, &BatchPanel::finished);
        batch->start();
        QVERIFY(finished.wait(60000));
        auto* table = batch->findChild<QTableWidget*>(QStringLiteral("itemsTable"));
        const QString german = table->item(0, 7)->text();
        QVERIFY2(german.contains(QStringLiteral("kein Bild")) && german.contains(notes),
                 qPrintable(german));
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("Fehlgeschlagen"));
        // Not elided: the item delegate leaves a focus-frame margin (+1) on each side.
        const int margin = table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 1;
        const int needs = table->fontMetrics().horizontalAdvance(table->item(0, 1)->text());
        QVERIFY2(needs + 2 * margin <= table->columnWidth(1),
                 qPrintable(QStringLiteral("%1 + 2 x %2 > %3")
                                .arg(needs)
                                .arg(margin)
                                .arg(table->columnWidth(1))));
        QFile manifest(dir.filePath(QStringLiteral("batch/manifest.jsonl")));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        QVERIFY(manifest.readAll().contains("is not an image this program can read"));
        QCOMPARE(languages.apply(QStringLiteral("en")), QStringLiteral("en"));
        QTRY_VERIFY_WITH_TIMEOUT(
            table->item(0, 7)->text().contains(QStringLiteral("is not an image this program")),
            5000);
        batch->clearInputs();
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
        w.openSources({folder.path()});
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
