// The Latent lab tab, offscreen, with the bundled demo model: the slider driven quickly while
// decodes are held in the backend (the GUI thread keeps handling timers; the newest request's
// decode is the one shown), interpolation against numpy and against `medvae-cli decode
// --interpolate`, an export re-applied by `medvae-cli decode --edit` bit for bit, refusals in
// words, and the tab in the main window taking the Inspect tab's z.
#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <ATen/ATen.h>

#include <condition_variable>
#include <mutex>

#include "image_loader.h"
#include "image_view.h"
#include "inference_worker.h"
#include "latent_lab.h"
#include "latent_lab_panel.h"
#include "local_backend.h"
#include "main_window.h"
#include "npy_file.h"
#include "reconstruction.h"
#include "stall_probe.h"
#include "windowed_image.h"

using namespace medvae;
using namespace medvae::ui;

namespace {

const QString kModel = QStringLiteral(MEDVAE_DEMO_MODEL);
const QString kFrontal = QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_frontal.png");
const QString kLateral = QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_lateral.png");

// The demo model's decoder behind a gate the test holds: a held decode waits until released or
// cancelled by its caller (a newer request), so that "a decode is running" is a fact, not a time.
class HeldDecoder : public jobs::InferenceBackend {
  public:
    explicit HeldDecoder(std::shared_ptr<jobs::LocalBackend> inner) : inner_(std::move(inner)) {}
    jobs::BackendDescription describe() const override { return inner_->describe(); }
    EncodeResult run(const Image& image, const EncodeOptions& options,
                     const RunControl* control) override {
        return inner_->run(image, options, control);
    }
    at::Tensor decode(const at::Tensor& z, const RunControl* control) override {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            ++entered_;
            changed_.notify_all();
            while (held_ && !(control && control->cancelled && control->cancelled()))
                changed_.wait_for(lock, std::chrono::milliseconds(5));
            if (held_) {
                ++cancelled_;
                throw Cancelled();
            }
        }
        return inner_->decode(z, control);
    }
    void hold(bool held) {
        std::lock_guard<std::mutex> lock(mutex_);
        held_ = held;
        changed_.notify_all();
    }
    bool waitForEntered(int count) {
        std::unique_lock<std::mutex> lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return entered_ >= count; });
    }
    int entered() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return entered_;
    }
    int cancelled() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return cancelled_;
    }

  private:
    std::shared_ptr<jobs::LocalBackend> inner_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool held_ = false;
    int entered_ = 0, cancelled_ = 0;
};

struct Run {
    int code = -1;
    QString out, err;
};

// The outcome of a started process, once it ended.
Run finish(QProcess& p) {
    Run r;
    if (!p.waitForFinished(300000)) return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QByteArray bytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

at::Tensor readNpy(const QString& path) {
    NpyArray a = NpyFile::read(path.toStdString());
    return at::from_blob(a.data.data(), a.shape, at::kFloat).clone();
}

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) {
    if (!a.sizes().equals(b.sizes())) return INFINITY;
    return (a - b).abs().max().item<double>();
}

// medvae-cli and the numpy reference, named as the package check reads them.
Run cli(const QStringList& args) {
    QProcess p;
    p.start(MEDVAE_CLI, args);
    return finish(p);
}

Run python(const QStringList& args) {
    QProcess p;
    p.start(MEDVAE_PYTHON, args);
    return finish(p);
}

// A seeded random z [4, 16, 16] for the demo model (8x down, 4 channels).
QString writeZ(const QDir& dir, const QString& name, std::uint64_t seed,
               std::vector<std::int64_t> shape = {4, 16, 16}) {
    at::manual_seed(seed);
    const at::Tensor z = at::randn(shape, at::kFloat).contiguous();
    const QString path = dir.filePath(name);
    NpyFile::write(path.toStdString(), z.data_ptr<float>(), shape);
    return path;
}

// The lab's view of a fresh worker whose engine is `backend`.
struct Bench {
    jobs::InferenceWorker worker;
    LatentLab* lab = nullptr;
    std::unique_ptr<LatentLabPanel> panel;

    bool open(std::shared_ptr<jobs::InferenceBackend> backend) {
        QSignalSpy opened(&worker, &jobs::InferenceWorker::backendOpened);
        jobs::BackendRequest request;
        request.label = QStringLiteral("demo");
        request.open = [backend](qint64& parameters) {
            parameters = 0;
            return backend;
        };
        worker.open(request);
        // The worker emits from its own thread straight into the spy: the signal may come
        // before a wait() would begin, so wait for the count.
        if (!QTest::qWaitFor([&opened] { return !opened.isEmpty(); }, 60000) ||
            !opened.first().at(0).value<jobs::BackendOutcome>().ok)
            return false;
        lab = new LatentLab(&worker, &worker);
        panel = std::make_unique<LatentLabPanel>(lab, nullptr);
        panel->resize(1200, 700);
        panel->show();
        return true;
    }
    // Opens a z file and waits for the worker's read: true when the slot holds that file.
    bool openZ(LatentLab::Slot slot, const QString& path) {
        if (!lab->openFile(slot, path)) return false;
        if (!QTest::qWaitFor([this] { return !lab->reading(); }, 60000)) return false;
        const auto& in = lab->input(slot);
        return in && in->name == QFileInfo(path).fileName().toStdString() &&
               lab->lastError().isEmpty();
    }
    // Waits until the lab shows the decode of its newest request.
    bool settle() {
        QSignalSpy shown(lab, &LatentLab::shownChanged);
        while (lab->busy())
            if (!shown.wait(60000)) return false;
        return lab->shown() != nullptr && lab->shownId() == lab->latestId();
    }
};

}  // namespace

class TestLatentLab : public QObject {
    Q_OBJECT
  private:
    QTemporaryDir dir_;

  private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void sliderNewestWinsWhileTheGuiStaysResponsive() {
        auto held = std::make_shared<HeldDecoder>(jobs::LocalBackend::open(kModel.toStdString()));
        Bench bench;
        QVERIFY(bench.open(held));
        const QDir d(dir_.path());
        QVERIFY(bench.openZ(LatentLab::A, writeZ(d, "s_a_z.npy", 11)));
        QVERIFY(bench.openZ(LatentLab::B, writeZ(d, "s_b_z.npy", 12)));
        QVERIFY(bench.settle());

        held->hold(true);
        const int before = held->entered();
        QSlider* slider = bench.panel->slider();
        slider->setValue(10);
        QVERIFY(held->waitForEntered(before + 1));  // a decode provably runs, held
        // The GUI thread handles timers while the decode is held (the project's stall probe).
        test::StallProbe probe;
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= 20, 10000);
        // Quick moves: each supersedes the one before; the GUI thread never waits for them.
        for (int value : {30, 55, 20, 75}) {
            const int at = probe.ticks();
            slider->setValue(value);
            QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= at + 5, 10000);
        }
        QVERIFY(bench.lab->busy());
        QVERIFY2(bench.panel->statusLabel()->text().contains(QLatin1String("Decoding")),
                 qPrintable(bench.panel->statusLabel()->text()));
        QCOMPARE(bench.lab->shown()->recipe.t, 0.0);              // still the last finished decode
        QTRY_VERIFY_WITH_TIMEOUT(held->cancelled() >= 1, 10000);  // the stale one was aborted
        held->hold(false);
        QVERIFY(bench.settle());
        probe.stop();

        // What is shown is the newest request's decode: t = 0.75, and its pixels are the
        // decode of the numpy blend of A and B at 0.75.
        const auto shown = bench.lab->shown();
        QCOMPARE(shown->recipe.t, 0.75);
        QVERIFY(!bench.lab->busy());
        QVERIFY(!bench.panel->statusLabel()->text().contains(QLatin1String("Decoding")));
        const QString ref = d.filePath("s_ref.npy");
        const Run numpy = python({MEDVAE_LATENT_REFERENCE, "blend", d.filePath("s_a_z.npy"),
                                  d.filePath("s_b_z.npy"), "0.75", "linear", ref});
        QVERIFY2(numpy.code == 0, qPrintable(numpy.err));
        QVERIFY(maxAbsDiff(shown->z, readNpy(ref)) <= 1e-6);
        const at::Tensor expected =
            jobs::LocalBackend::open(kModel.toStdString())->decode(shown->z);
        QCOMPARE(maxAbsDiff(shown->decoded, expected), 0.0);
        QCOMPARE(bench.panel->decodedView()->renderedImage(),
                 shown->picture->initialRendering().convertToFormat(QImage::Format_RGB32));
    }

    void interpolationAndExportMatchTheCli() {
        Bench bench;
        QVERIFY(bench.open(jobs::LocalBackend::open(kModel.toStdString())));
        const QDir d(dir_.path());
        const QString a = writeZ(d, "e_a_z.npy", 21), b = writeZ(d, "e_b_z.npy", 22);
        QVERIFY(bench.openZ(LatentLab::A, a));
        QVERIFY(bench.openZ(LatentLab::B, b));
        bench.panel->setSpherical(true);
        bench.panel->slider()->setValue(25);
        QVERIFY(bench.settle());
        const at::Tensor atQuarter = bench.lab->shown()->decoded;
        // The endpoints are the decodes of A and B exactly.
        bench.panel->slider()->setValue(0);
        QVERIFY(bench.settle());
        const at::Tensor atA = bench.lab->shown()->decoded;
        bench.panel->slider()->setValue(100);
        QVERIFY(bench.settle());
        const at::Tensor atB = bench.lab->shown()->decoded;
        const Run steps = cli({"decode", "-m", kModel, "-o", d.filePath("steps"), "--interpolate",
                               a, b, "--steps", "5", "--slerp"});
        QVERIFY2(steps.code == 0, qPrintable(steps.err));
        QCOMPARE(maxAbsDiff(atA, readNpy(d.filePath("steps/e_a_to_e_b_step0_decoded.npy"))), 0.0);
        QCOMPARE(maxAbsDiff(atQuarter, readNpy(d.filePath("steps/e_a_to_e_b_step1_decoded.npy"))),
                 0.0);
        QCOMPARE(maxAbsDiff(atB, readNpy(d.filePath("steps/e_a_to_e_b_step4_decoded.npy"))), 0.0);
        QVERIFY(maxAbsDiff(atA, atB) > 0.01);

        // Edits at t = 0.25, exported, re-applied by the CLI from the recipe alone.
        bench.panel->slider()->setValue(25);
        LatentEdit scale{LatentEdit::Kind::Scale, 1, 0, 1.75, 0};
        LatentEdit swap{LatentEdit::Kind::Swap, 0, 3, 1, 0};
        LatentEdit noise{LatentEdit::Kind::Noise, 2, 0, 0.5, 99};
        for (const LatentEdit& e : {scale, swap, noise})
            bench.panel->addEdit(e);
        QVERIFY(bench.settle());
        QCOMPARE(bench.lab->shown()->recipe.edits.size(), std::size_t(3));
        QVERIFY(bench.lab->shown()->largestDifference > 0.01);
        QVERIFY(bench.panel->differenceView()->hasImage());
        const QString out = d.filePath("export");
        QVERIFY(QDir().mkpath(out));
        QSignalSpy exported(bench.lab, &LatentLab::exported);
        QVERIFY(bench.lab->exportShown(out, "lab", 16));
        QVERIFY(bench.lab->exporting());  // written on the worker
        QVERIFY(bench.panel->statusLabel()->text().startsWith(QLatin1String("Writing")));
        QVERIFY(!bench.lab->exportShown(out, "lab", 16));  // one export at a time
        QTRY_VERIFY_WITH_TIMEOUT(!bench.lab->exporting(), 60000);
        QCOMPARE(exported.count(), 1);
        const QStringList written = exported.first().first().toStringList();
        QVERIFY2(written.size() == 6, qPrintable(written.join(' ') + bench.lab->lastError()));
        QCOMPARE(bench.panel->statusLabel()->text(), QStringLiteral("Exported 6 file(s)."));
        const QString recipe = out + "/lab_recipe.json";
        const Run again = cli({"decode", "-m", kModel, "-o", d.filePath("again"), "--png-bits",
                               "16", "--edit", recipe});
        QVERIFY2(again.code == 0, qPrintable(again.err));
        for (const char* name : {"lab_z.npy", "lab_decoded.npy", "lab_decoded.png"}) {
            QVERIFY(!bytes(out + "/" + name).isEmpty());
            QVERIFY2(bytes(out + "/" + name) == bytes(d.filePath(QStringLiteral("again/") + name)),
                     qPrintable(name));
        }
        // The edited z against numpy (and torch's seeded noise) from the exported recipe.
        const Run blend = python(
            {MEDVAE_LATENT_REFERENCE, "blend", a, b, "0.25", "slerp", d.filePath("e_mix.npy")});
        const Run edit = python({MEDVAE_LATENT_REFERENCE, "edit", d.filePath("e_mix.npy"), recipe,
                                 d.filePath("e_ref.npy")});
        QVERIFY2(blend.code == 0 && edit.code == 0, qPrintable(blend.err + edit.err));
        QVERIFY(maxAbsDiff(readNpy(out + "/lab_z.npy"), readNpy(d.filePath("e_ref.npy"))) <= 3e-6);
    }

    // A large z is read and hashed on the worker: openFile returns at once, the GUI thread keeps
    // handling timers while the file is read, and the slot then holds the file's exact values.
    void aLargeZIsReadOffTheGuiThread() {
        auto held = std::make_shared<HeldDecoder>(jobs::LocalBackend::open(kModel.toStdString()));
        held->hold(true);  // its decode (16384² pixels) is never run: the bench's end cancels it
        Bench bench;
        QVERIFY(bench.open(held));
        const QDir d(dir_.path());
        const QString path = writeZ(d, "big_z.npy", 5, {4, 2900, 2900});  // 135 MB
        QVERIFY(QFileInfo(path).size() > (128 << 20));

        test::StallProbe probe;
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= 5, 10000);
        QElapsedTimer call;
        call.start();
        QVERIFY(bench.lab->openFile(LatentLab::A, path));
        const qint64 callMs = call.elapsed();
        QVERIFY(bench.lab->reading() && bench.lab->busy());
        QVERIFY(!bench.lab->input(LatentLab::A));  // not read on this thread
        QCOMPARE(bench.panel->statusLabel()->text(), QStringLiteral("Reading the z file…"));
        const int atSubmit = probe.ticks();
        probe.resetLongestGap();
        QTRY_VERIFY_WITH_TIMEOUT(!bench.lab->reading(), 60000);
        const int during = probe.ticks() - atSubmit;
        const int atRead =
            probe.ticks();  // the ticks after taking the read in count its handling too
        QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= atRead + 5, 10000);
        probe.stop();
        qInfo("openFile took %lld ms; %d timer ticks during the read; longest gap %lld ms", callMs,
              during, probe.longestGap());
        QVERIFY2(callMs < 50, qPrintable(QString::number(callMs)));
        QVERIFY2(during >= 5, qPrintable(QString::number(during)));
        QVERIFY2(probe.longestGap() < 50,
                 qPrintable(QString::number(probe.longestGap())));  // the stall bound
        QVERIFY2(bench.lab->lastError().isEmpty(), qPrintable(bench.lab->lastError()));
        const auto& in = bench.lab->input(LatentLab::A);
        QVERIFY(in);
        QCOMPARE(maxAbsDiff(in->z, readNpy(path)), 0.0);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCryptographicHash sha(QCryptographicHash::Sha256);
        QVERIFY(sha.addData(&file));
        QCOMPARE(QString::fromStdString(in->sha256), QString::fromLatin1(sha.result().toHex()));
        QVERIFY(held->waitForEntered(1));  // its decode was asked for, and is held
    }

    void refusalsInWords() {
        Bench bench;
        QVERIFY(bench.open(jobs::LocalBackend::open(kModel.toStdString())));
        const QDir d(dir_.path());
        QVERIFY(!bench.openZ(LatentLab::A, writeZ(d, "r_three_z.npy", 1, {3, 16, 16})));
        QVERIFY2(
            bench.lab->lastError().contains(QLatin1String("z must be [4, h, w] for this model")),
            qPrintable(bench.lab->lastError()));
        QVERIFY(!bench.lab->input(LatentLab::A));
        QVERIFY(bench.openZ(LatentLab::A, writeZ(d, "r_a_z.npy", 2)));
        QVERIFY(!bench.openZ(LatentLab::B, writeZ(d, "r_small_z.npy", 3, {4, 8, 16})));
        QVERIFY2(bench.lab->lastError().contains(QLatin1String("two z of one shape")),
                 qPrintable(bench.lab->lastError()));
        QVERIFY(!bench.openZ(LatentLab::B, d.filePath("missing_z.npy")));
        QVERIFY2(bench.lab->lastError().contains(QLatin1String("missing_z.npy")),
                 qPrintable(bench.lab->lastError()));
        // B first, then an A of another shape: A is checked against B as B against A.
        bench.lab->clear(LatentLab::A);
        QVERIFY(bench.openZ(LatentLab::B, d.filePath("r_small_z.npy")));
        QVERIFY(!bench.lab->input(LatentLab::A));
        QVERIFY(!bench.openZ(LatentLab::A, d.filePath("r_a_z.npy")));
        QVERIFY2(bench.lab->lastError().contains(
                     QLatin1String("A's z is [4, 16, 16] but B's is [4, 8, 16]")),
                 qPrintable(bench.lab->lastError()));
        bench.lab->clear(LatentLab::B);
        // A stage-2 latent of z's shape is taken, with a note saying what it is.
        QVERIFY(bench.openZ(LatentLab::A, writeZ(d, "r_latent.npy", 4)));
        QVERIFY2(bench.lab->note().contains(QLatin1String("r_latent.npy looks like a stage-2")),
                 qPrintable(bench.lab->note()));
        QVERIFY(bench.openZ(LatentLab::A, d.filePath("r_a_z.npy")));
        QVERIFY(bench.lab->note().isEmpty());
        QVERIFY(bench.settle());
        QVERIFY(bench.panel->statusLabel()->text().contains(QLatin1String("missing_z.npy")) ||
                bench.lab->lastError().isEmpty());
    }

    void mainWindowTabTakesTheInspectedZ() {
        MainWindow w;
        w.resize(1280, 860);
        w.show();
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.loadModel(kModel);
        QVERIFY(loaded.wait(60000) && loaded.first().at(0).toBool());
        auto* tabs = w.findChild<QTabWidget*>();
        QVERIFY(tabs);
        QCOMPARE(tabs->count(), 3);
        QCOMPARE(tabs->tabText(2), QStringLiteral("Latent lab"));
        w.openSources({kFrontal});
        QTRY_VERIFY_WITH_TIMEOUT(w.currentOutcome() && w.currentOutcome()->ok(), 60000);
        LatentLabPanel* panel = w.latentLabPanel();
        QVERIFY(panel);
        QSignalSpy decoded(panel->lab(), &LatentLab::shownChanged);
        const at::Tensor z = w.currentOutcome()->result.z;
        QVERIFY(panel->findChildren<QPushButton*>().size() >= 6);
        // "From Inspect" for A.
        QPushButton* take = nullptr;
        for (QPushButton* b : panel->findChildren<QPushButton*>())
            if (b->text() == QLatin1String("From Inspect")) {
                take = b;
                break;
            }
        QVERIFY(take);
        take->click();
        QVERIFY(panel->lab()->reading());  // hashed on the worker
        QTRY_VERIFY_WITH_TIMEOUT(!panel->lab()->reading(), 30000);
        QCOMPARE(QString::fromStdString(panel->lab()->input(LatentLab::A)->name),
                 QStringLiteral("colin27_projection_frontal_z.npy"));
        QCOMPARE(maxAbsDiff(panel->lab()->input(LatentLab::A)->z, z), 0.0);
        QVERIFY(decoded.wait(60000));
        // The decode of the image's own z is its reconstruction.
        const auto outcome = w.currentOutcome();
        const Reconstruction again = compareReconstruction(
            ImageLoader::load(kFrontal.toStdString()), panel->lab()->shown()->decoded);
        QVERIFY(again.reconstruction.pixels == outcome->reconstruction->reconstruction.pixels);

        // B from another image, a slerp and an edit: what the README's picture shows
        // (MEDVAE_LAB_SCREENSHOT=FILE saves it).
        w.openSources({kLateral});
        QTRY_VERIFY_WITH_TIMEOUT(w.currentOutcome() && w.currentOutcome()->source == kLateral &&
                                     w.currentOutcome()->ok(),
                                 60000);
        QVERIFY(panel->lab()->setFromResult(LatentLab::B, QStringLiteral("lateral_z.npy"),
                                            w.currentOutcome()->result.z));
        panel->setSpherical(true);
        panel->slider()->setValue(40);
        panel->addEdit({LatentEdit::Kind::Scale, 1, 0, 2.5, 0});
        tabs->setCurrentIndex(2);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->lab()->busy() && panel->lab()->shown() &&
                                     panel->lab()->shown()->recipe.edits.size() == 1,
                                 60000);
        QCOMPARE(panel->lab()->shown()->recipe.t, 0.4);
        QVERIFY(panel->decodedView()->hasImage() && panel->differenceView()->hasImage());
        if (qEnvironmentVariableIsSet("MEDVAE_LAB_SCREENSHOT"))
            QVERIFY(w.grab().save(qEnvironmentVariable("MEDVAE_LAB_SCREENSHOT")));
    }
};

QTEST_MAIN(TestLatentLab)
#include "tst_latent_lab.moc"
