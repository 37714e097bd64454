// The main window as a user meets it, offscreen: never wider than the screen (long messages,
// saved geometry), window-wide view keys, elapsed time and ETA, remote mode and why its PSNR
// differs, and the five languages (no text left from the language before, errors in the UI's
// language with English kept in the manifest; clipped text: tst_studio_languages).
#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <QXmlStreamReader>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "batch_panel.h"
#include "compare_panel.h"
#include "engine.h"
#include "error.h"
#include "error_wording.h"
#include "image_loader.h"
#include "image_view.h"
#include "job_status_bar.h"
#include "language_switcher.h"
#include "latent_panel.h"
#include "local_backend.h"
#include "main_window.h"
#include "memory_budget.h"
#include "model_panel.h"
#include "output_folder.h"
#include "progress_clock.h"
#include "reconstruction.h"
#include "remote_backend.h"
#include "rendered_result.h"
#include "scalar_map.h"
#include "scoring_contract.h"
#include "source_list.h"
#include "studio_settings.h"
#include "windowed_image.h"

using namespace medvae;
using namespace medvae::ui;

namespace {

const QString kFrontal = QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_frontal.png");
const QString kLateral = QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_lateral.png");

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

}  // namespace

class TestStudioWindow : public QObject {
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
        QCoreApplication::setApplicationName(QStringLiteral("tst_studio_window"));
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
        // The original lies in [-1, 1]: clamping can only bring the reconstruction closer. The
        // rounding to 8 bits adds an error of about 1/255 / sqrt(12) of the range (59 dB on its
        // own), a few hundredths of a dB at these PSNRs.
        QVERIFY(clampedPsnr >= floatPsnr);
        QVERIFY2(
            std::abs(remotePsnr - clampedPsnr) < 0.1,
            qPrintable(QString("8-bit %1 dB, clamped %2 dB").arg(remotePsnr).arg(clampedPsnr)));
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

    void deviceAndPrecisionChoices() {
        // The device box lists the CPU and the CUDA devices ("cuda:N"), a disabled CUDA entry
        // where LibTorch sees none; float16 is offered on CUDA only. What is chosen is saved as
        // the engine's own spelling and read back, and an unknown saved value means the CPU.
        ModelPanel panel;
        auto* device = panel.findChild<QComboBox*>(QStringLiteral("deviceBox"));
        auto* precision = panel.findChild<QComboBox*>(QStringLiteral("precisionBox"));
        QVERIFY(device && precision);
        const int gpus = Engine::cudaDeviceCount();
        QCOMPARE(device->count(), 1 + std::max(1, gpus));
        QCOMPARE(device->itemData(1).toString(), QStringLiteral("cuda:0"));
        const auto enabled = [](QComboBox* box, int i) {
            return qobject_cast<QStandardItemModel*>(box->model())->item(i)->isEnabled();
        };
        QCOMPARE(enabled(device, 1), gpus > 0);
        QCOMPARE(precision->itemData(2).toString(), QStringLiteral("fp16"));
        EngineOptions asked;
        asked.precision = Precision::Float16;
        asked.device = DeviceKind::Cpu;
        panel.setEngineOptions(asked);  // float16 without CUDA: float32, and not offered
        QCOMPARE(panel.engineOptions().precision, Precision::Float32);
        QVERIFY(!enabled(precision, 2));
        asked.precision = Precision::BFloat16;
        asked.threads = 1;
        panel.setEngineOptions(asked);
        QCOMPARE(panel.engineOptions().precision, Precision::BFloat16);
        QCOMPARE(panel.engineOptions().device, DeviceKind::Cpu);

        StudioSettings saved = StudioSettings::read();
        saved.engine.device = DeviceKind::Cuda;
        saved.engine.deviceIndex = 1;
        saved.engine.precision = Precision::Float16;
        saved.windowLinked = false;
        saved.write();
        QCOMPARE(QSettings().value(QStringLiteral("engine/device")).toString(),
                 QStringLiteral("cuda:1"));
        QCOMPARE(QSettings().value(QStringLiteral("engine/precision")).toString(),
                 QStringLiteral("fp16"));
        StudioSettings back = StudioSettings::read();
        QCOMPARE(back.engine.device, DeviceKind::Cuda);
        QCOMPARE(back.engine.deviceIndex, 1);
        QCOMPARE(back.engine.precision, Precision::Float16);
        QCOMPARE(back.windowLinked, false);
        // A device this machine does not have falls back to the CPU in the panel.
        panel.setEngineOptions(back.engine);
        QCOMPARE(panel.engineOptions().device, gpus > 1 ? DeviceKind::Cuda : DeviceKind::Cpu);
        QSettings().setValue(QStringLiteral("engine/device"), QStringLiteral("tpu"));
        QSettings().setValue(QStringLiteral("engine/precision"), QStringLiteral("fp8"));
        back = StudioSettings::read();
        QCOMPARE(back.engine.device, DeviceKind::Cpu);
        QCOMPARE(back.engine.precision, Precision::Float32);
        QSettings().remove(QStringLiteral("engine"));
        QSettings().remove(QStringLiteral("view/windowLinked"));
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
};

QTEST_MAIN(TestStudioWindow)
#include "tst_studio_window.moc"
