// A multi-frame DICOM file, and a series of single-frame files, as a stack in the Inspect tab:
// the wheel pages through the frames (not zoom), Ctrl+wheel zooms, keys page, "Slice n/N" is
// shown, each job asks for the frame shown and shows pydicom's pixel_array[k] as the original, a
// frame computed before comes back from the cache without a job, and paging fast while the model
// is held keeps the GUI thread responsive (the project's stall probe) and queues no backlog.

#include <QApplication>
#include <QDebug>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QListWidget>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWheelEvent>

#include <mutex>

#include "compare_panel.h"
#include "fake_backend.h"
#include "image_view.h"
#include "inference_worker.h"
#include "inspection_controller.h"
#include "latent_panel.h"
#include "local_backend.h"
#include "main_window.h"
#include "source_list.h"
#include "stall_probe.h"

using namespace medvae;
using namespace medvae::ui;

namespace {

// Writes MR_small.dcm as `frames` frames (frame k rolled by 7k columns) to `dst`, and the frames'
// values through the modality LUT, float64, to `expected`.
bool writeStack(const QString& dst, const QString& expected, int frames) {
    QProcess p;
    p.start(MEDVAE_PYTHON,
            {"-c", R"(
import sys, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut
src, dst, expected, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ds = pydicom.dcmread(src)
base = ds.pixel_array
ds.PixelData = np.stack([np.roll(base, 7 * k, axis=1) for k in range(n)]).astype(base.dtype).tobytes()
ds.NumberOfFrames = n
ds.save_as(dst)
ds = pydicom.dcmread(dst)
apply_modality_lut(ds.pixel_array, ds).astype('<f8').tofile(expected)
)",
             MEDVAE_PYDICOM_FILES "/MR_small.dcm", dst, expected, QString::number(frames)});
    return p.waitForFinished(60000) && p.exitCode() == 0;
}

// The fake model, recording the frame of every image it is asked to encode.
class FrameRecordingBackend : public test::FakeBackend {
  public:
    explicit FrameRecordingBackend(std::shared_ptr<jobs::InferenceBackend> inner)
        : FakeBackend(std::move(inner)) {}
    EncodeResult run(const Image& image, const EncodeOptions& options,
                     const RunControl* control) override {
        {
            std::lock_guard<std::mutex> lock(mutex);
            frames << image.meta.frame;
            source = QString::fromStdString(image.meta.source);
        }
        return FakeBackend::run(image, options, control);
    }
    QList<int> recorded() {
        std::lock_guard<std::mutex> lock(mutex);
        return frames;
    }
    QString lastSource() {
        std::lock_guard<std::mutex> lock(mutex);
        return source;
    }
    std::mutex mutex;
    QList<int> frames;
    QString source;  // of the last image encoded
};

void wheel(QWidget* w, int angle, Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
    const QPointF at(w->width() / 2.0, w->height() / 2.0);
    QWheelEvent e(at, w->mapToGlobal(at), QPoint(), QPoint(0, angle), Qt::NoButton, modifiers,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &e);
}

// Runs Python code with `args`; its standard output, trimmed ("" when it failed).
QString python(const QString& code, const QStringList& args) {
    QProcess p;
    p.start(MEDVAE_PYTHON, QStringList{"-c", code} + args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        qWarning() << p.readAllStandardError();
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// Writes `count` slices of one series (MR_small.dcm, slice k rolled by 5k columns, InstanceNumber
// k+1) under random names into `folder`, and the slices' values through the modality LUT, in
// InstanceNumber order, float64, to `expected`. Prints the file names in InstanceNumber order.
const char* const kWriteSeries = R"(
import os, sys, uuid, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut
src, folder, expected, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = np.random.default_rng(14)
ds = pydicom.dcmread(src)
base = ds.pixel_array
names = [uuid.UUID(int=int(rng.integers(1 << 62)) << 64 | int(rng.integers(1 << 62))).hex for _ in range(n)]
values = []
for k, name in enumerate(names):
    ds.PixelData = np.roll(base, 5 * k, axis=1).astype(base.dtype).tobytes()
    ds.InstanceNumber = k + 1
    ds.save_as(os.path.join(folder, name))
for k, name in enumerate(names):  # read back, in InstanceNumber order
    d = pydicom.dcmread(os.path.join(folder, name))
    assert d.InstanceNumber == k + 1
    values.append(apply_modality_lut(d.pixel_array, d).astype('<f8'))
np.stack(values).tofile(expected)
print(' '.join(names))
)";

// Whether the original view shows frame `k` of the expected values.
bool showsFrame(const ImageView* view, const QByteArray& expected, int k) {
    const Image& image = view->image();
    if (image.width * image.height != 64 * 64 || image.channels != 1) {
        qWarning() << "shape" << image.width << image.height << image.channels << int(view->mode())
                   << view->errorText() << view->noticeText();
        return false;
    }
    const auto* values = reinterpret_cast<const double*>(expected.constData()) + k * 64 * 64;
    for (int i = 0; i < 64 * 64; ++i)
        if (double(image.pixels[std::size_t(i)]) != values[i]) {
            qWarning() << "at" << i << image.pixels[std::size_t(i)] << values[i] << values[i + 7];
            return false;
        }
    return true;
}

}  // namespace

class TstStacks : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        file_ = dir_.filePath("stack.dcm");
        QVERIFY(writeStack(file_, dir_.filePath("stack.f8"), 6));
        QFile f(dir_.filePath("stack.f8"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        expected_ = f.readAll();
        QCOMPARE(expected_.size(), qsizetype(6 * 64 * 64 * 8));

        window_.resize(900, 640);
        compare_ = new ComparePanel(&window_);
        latent_ = new LatentPanel(&window_);
        compare_->setGeometry(0, 0, 900, 320);
        latent_->setGeometry(0, 320, 900, 320);
        window_.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window_));
        controller_ = new InspectionController(&worker_, compare_, latent_, &window_);
        QSignalSpy opened(&worker_, &jobs::InferenceWorker::backendOpened);
        jobs::BackendRequest request;
        request.label = QStringLiteral("fake backend");
        request.open = [fake = fake_](qint64& parameters) {
            parameters = 0;
            return std::shared_ptr<jobs::InferenceBackend>(fake);
        };
        worker_.open(request);
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 30000);
        const auto backend = opened.first().at(0).value<jobs::BackendOutcome>();
        QVERIFY2(backend.ok, qPrintable(backend.error));
        EncodeOptions options;
        options.decode = true;  // as the app asks: a reconstruction to compare
        controller_->setEncodeOptions(options);
        controller_->setBackend(&backend.backend);
    }

    void wheelPagesAndCtrlWheelZooms() {
        ImageView* original = compare_->originalView();
        QSignalSpy shown(controller_, &InspectionController::resultShown);
        controller_->show(file_);
        QVERIFY(shown.wait(30000));
        QVERIFY2(shown.last().at(1).toBool(), qPrintable(controller_->statusText()));
        QCOMPARE(controller_->frameCount(), 6);
        QCOMPARE(original->sliceText(), QStringLiteral("Slice 1/6"));
        QCOMPARE(compare_->errorView()->sliceCount(), 6);
        QVERIFY(showsFrame(original, expected_, 0));

        // The wheel (down) shows the next frame and does not zoom.
        const double scale = original->effectiveScale();
        wheel(original, -120);
        QCOMPARE(controller_->frame(), 1);
        QCOMPARE(original->sliceText(), QStringLiteral("Slice 2/6"));
        QVERIFY(shown.wait(30000));
        QCOMPARE(original->effectiveScale(), scale);
        QVERIFY(original->viewState().fit);
        QCOMPARE(controller_->shownOutcome()->image.meta.frame, 1);
        QVERIFY(showsFrame(original, expected_, 1));
        QCOMPARE(fake_->recorded(), QList<int>({0, 1}));  // each job asked for the frame shown

        // Ctrl+wheel zooms and keeps the frame.
        wheel(original, 120, Qt::ControlModifier);
        const double zoomed = original->effectiveScale();
        QVERIFY(zoomed > scale * 1.2);
        QCOMPARE(controller_->frame(), 1);

        // Back to frame 0: from the cache, at once, without a job, still zoomed.
        const int calls = fake_->calls();
        wheel(original, 120);
        QCOMPARE(controller_->frame(), 0);
        QCOMPARE(controller_->shownOutcome()->image.meta.frame, 0);
        QVERIFY(showsFrame(original, expected_, 0));
        QCOMPARE(fake_->calls(), calls);
        QVERIFY(!controller_->jobRunning());
        QCOMPARE(original->effectiveScale(), zoomed);

        // Keys: End the last frame (a job), Page Up the one before, Home the first (cached).
        original->setFocus();
        QTest::keyClick(original, Qt::Key_End);
        QCOMPARE(controller_->frame(), 5);
        QVERIFY(shown.wait(30000));
        QVERIFY(showsFrame(original, expected_, 5));
        QTest::keyClick(original, Qt::Key_Up);
        QCOMPARE(controller_->frame(), 4);
        QVERIFY(shown.wait(30000));
        QTest::keyClick(original, Qt::Key_Home);
        QCOMPARE(controller_->frame(), 0);
        QCOMPARE(fake_->recorded(), QList<int>({0, 1, 5, 4}));
        wheel(original, 120);  // before the first frame: nothing
        QCOMPARE(controller_->frame(), 0);
    }

    void pagingFastStaysResponsiveWithoutBacklog() {
        ImageView* original = compare_->originalView();
        controller_->showFrame(0);
        QTRY_VERIFY_WITH_TIMEOUT(!controller_->jobRunning(), 10000);
        const int completedBefore = fake_->completed();
        fake_->hold();
        wheel(original, -120);  // frame 1 is cached; frame 2 is not
        wheel(original, -120);
        QCOMPARE(controller_->frame(), 2);
        QVERIFY(fake_->waitForWaiting(1));  // a job provably runs, held in the model
        // The GUI thread handles timers while the model is held (the project's stall probe).
        test::StallProbe probe;
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= 20, 10000);
        for (int step = 0; step < 2; ++step) {  // frame 3 (a job), then 4 (cached)
            const int at = probe.ticks();
            wheel(original, -120);
            QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= at + 5, 10000);
        }
        QCOMPARE(controller_->frame(), 4);  // cached: shown at once, the held job cancelled
        const int at = probe.ticks();
        wheel(original, 120);
        QCOMPARE(controller_->frame(), 3);  // not cached: a job, the newest
        QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= at + 5, 10000);
        QSignalSpy shown(controller_, &InspectionController::resultShown);
        fake_->stopHolding();
        QVERIFY(shown.wait(30000));
        probe.stop();
        QCOMPARE(controller_->shownOutcome()->image.meta.frame, 3);
        QVERIFY(showsFrame(original, expected_, 3));
        QTRY_VERIFY_WITH_TIMEOUT(!controller_->jobRunning(), 10000);
        // Only the newest job ran to its end: the superseded ones were dropped, none queued.
        QCOMPARE(fake_->completed(), completedBefore + 1);
        QCOMPARE(fake_->timedOut(), 0);
    }

    void seriesIsAStack() {
        // Three single-frame files, written as the stack's first three frames, as one entry:
        // frame k shows the image of file k (the encode request names that file).
        QProcess p;
        p.start(MEDVAE_PYTHON, {"-c", R"(
import sys, numpy as np, pydicom
ds = pydicom.dcmread(sys.argv[1])
base = ds.pixel_array
for k, name in enumerate(sys.argv[2:]):
    ds.PixelData = np.roll(base, 7 * k, axis=1).astype(base.dtype).tobytes()
    ds.InstanceNumber = k + 1
    ds.save_as(name)
)",
                                MEDVAE_PYDICOM_FILES "/MR_small.dcm", dir_.filePath("s0"),
                                dir_.filePath("s1"), dir_.filePath("s2")});
        QVERIFY(p.waitForFinished(60000) && p.exitCode() == 0);
        const QStringList files = {dir_.filePath("s0"), dir_.filePath("s1"), dir_.filePath("s2")};
        ImageView* original = compare_->originalView();
        QSignalSpy shown(controller_, &InspectionController::resultShown);
        controller_->setStack(files.first(), files);
        controller_->show(files.first());
        QVERIFY(shown.wait(30000));
        QCOMPARE(controller_->frameCount(), 3);
        QCOMPARE(original->sliceText(), QStringLiteral("Slice 1/3"));
        QVERIFY(showsFrame(original, expected_, 0));
        wheel(original, -120);
        QVERIFY(shown.wait(30000));
        QCOMPARE(controller_->frame(), 1);
        QCOMPARE(controller_->frameCount(), 3);  // a file's own single frame changes nothing
        QCOMPARE(fake_->lastSource(), files[1]);
        QVERIFY(showsFrame(original, expected_, 1));
        const int calls = fake_->calls();
        wheel(original, 120);  // back: from the cache
        QCOMPARE(controller_->frame(), 0);
        QVERIFY(showsFrame(original, expected_, 0));
        QCOMPARE(fake_->calls(), calls);
    }

    void fileMenuGroupsASeries() {
        // A folder holding a 4-slice series under random names (their order is not the
        // InstanceNumber order), a PNG and a multi-frame file opens as 3 entries in the order of
        // the folder; the series pages in InstanceNumber order, slice k pydicom's k-th instance.
        QStandardPaths::setTestModeEnabled(true);
        QTemporaryDir folder;
        const QString expectedPath = dir_.filePath("series.f8");
        const QStringList names = python(kWriteSeries, {MEDVAE_PYDICOM_FILES "/MR_small.dcm",
                                                        folder.path(), expectedPath, "4"})
                                      .split(' ', Qt::SkipEmptyParts);
        QCOMPARE(names.size(), 4);
        QStringList sorted = names;
        sorted.sort();
        QVERIFY2(sorted != names, "the names happen to be in InstanceNumber order");
        QVERIFY(QFile::copy(file_, folder.filePath("mf.dcm")));
        QVERIFY(QFile::copy(MEDVAE_SOURCE_DIR "/resources/samples/colin27_projection_lateral.png",
                            folder.filePath("lateral.png")));
        QFile f(expectedPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray expected = f.readAll();
        QCOMPARE(expected.size(), qsizetype(4 * 64 * 64 * 8));

        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.loadModel(MEDVAE_SOURCE_DIR "/resources/models/medvae-demo-8x4.ckpt");
        QVERIFY(loaded.wait(60000));
        QSignalSpy opened(&w, &MainWindow::sourcesOpened);
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.openSources({folder.path()});
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 30000);
        QCOMPARE(opened.first().at(0).toInt(), 3);
        // In the folder's (byte) order, the series where its first file came.
        QStringList all = sorted + QStringList{"lateral.png", "mf.dcm"};
        all.sort();
        QStringList want;
        for (const QString& name : all) {
            const QString entry =
                names.contains(name) ? folder.filePath(names.first()) : folder.filePath(name);
            if (!want.contains(entry)) want << entry;
        }
        QStringList got;
        for (int i = 0; i < w.imageList()->count(); ++i)
            got << SourceList::sourceOf(w.imageList()->item(i));
        QCOMPARE(got, want);

        // The series is shown (the first entry, or chosen), paged as one stack of 4.
        w.imageList()->setCurrentRow(int(want.indexOf(folder.filePath(names.first()))));
        QTRY_VERIFY_WITH_TIMEOUT(w.currentSource() == folder.filePath(names.first()) &&
                                     w.inspection()->frameCount() == 4 && !shown.isEmpty(),
                                 60000);
        const ImageView* original = w.comparePanel()->originalView();
        for (int k = 0; k < 4; ++k) {
            shown.clear();
            w.inspection()->showFrame(k);
            QTRY_VERIFY_WITH_TIMEOUT(w.inspection()->frame() == k && !w.jobRunning(), 60000);
            QTRY_VERIFY_WITH_TIMEOUT(showsFrame(original, expected, k), 60000);
        }
    }

    void groupingAFolderKeepsTheGuiResponsive() {
        // ~200 small DICOM files of one series: their headers are read on the worker, the GUI
        // thread keeps handling a 1 ms timer (the project's stall probe), one entry comes.
        QStandardPaths::setTestModeEnabled(true);
        QTemporaryDir folder;
        const QStringList names =
            python(kWriteSeries, {MEDVAE_PYDICOM_FILES "/MR_small.dcm", folder.path(),
                                  dir_.filePath("many.f8"), "200"})
                .split(' ', Qt::SkipEmptyParts);
        QCOMPARE(names.size(), 200);
        MainWindow w;
        test::StallProbe probe;
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= 5, 10000);
        QSignalSpy opened(&w, &MainWindow::sourcesOpened);
        probe.resetLongestGap();
        QElapsedTimer call;
        call.start();
        w.openSources({folder.path()});
        const qint64 callMs = call.elapsed();
        QVERIFY(opened.isEmpty());  // not grouped on this thread
        QVERIFY2(w.jobText().contains("group series"), qPrintable(w.jobText()));
        QVERIFY(opened.wait(60000));
        const int atOpened = probe.ticks();
        QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= atOpened + 5, 10000);
        probe.stop();
        qInfo("openSources took %lld ms; longest gap %lld ms", callMs, probe.longestGap());
        QCOMPARE(opened.first().at(0).toInt(), 1);
        QCOMPARE(w.imageList()->count(), 1);
        QCOMPARE(SourceList::sourceOf(w.imageList()->item(0)), folder.filePath(names.first()));
        QVERIFY2(callMs < 50, qPrintable(QString::number(callMs)));
        QVERIFY2(probe.longestGap() < 50, qPrintable(QString::number(probe.longestGap())));
    }

    void cleanupTestCase() {
        delete controller_;
        controller_ = nullptr;
    }

  private:
    QTemporaryDir dir_;
    QString file_;
    QByteArray expected_;
    // The demo model inside, for a real reconstruction of the gray frames.
    std::shared_ptr<FrameRecordingBackend> fake_ = std::make_shared<FrameRecordingBackend>(
        jobs::LocalBackend::open(MEDVAE_SOURCE_DIR "/resources/models/medvae-demo-8x4.ckpt"));
    jobs::InferenceWorker worker_;
    QWidget window_;
    ComparePanel* compare_ = nullptr;
    LatentPanel* latent_ = nullptr;
    InspectionController* controller_ = nullptr;
};

QTEST_MAIN(TstStacks)
#include "tst_stacks.moc"
