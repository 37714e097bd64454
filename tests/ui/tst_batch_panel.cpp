// The Batch panel offscreen: a folder dropped onto it, a run with the demo model, item states
// and metrics in the table, files and manifest on disk, inspect on click, resume, cancel.

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDir>
#include <QDirIterator>
#include <QDropEvent>
#include <QFile>
#include <QJsonObject>
#include <QLabel>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include "../jobs/batch_test_support.h"
#include "batch_panel.h"
#include "local_backend.h"

using namespace medvae;

namespace {

void drop(QWidget* target, const QList<QUrl>& urls, bool& accepted) {
    QMimeData mime;
    mime.setUrls(urls);
    const QPointF pos(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(pos.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    accepted = enter.isAccepted();
    QDropEvent dropEvent(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &dropEvent);
}

// Stands in for a remote endpoint: the local engine's results without z.
class FakeRemote : public jobs::InferenceBackend {
  public:
    explicit FakeRemote(std::shared_ptr<jobs::LocalBackend> local) : local_(std::move(local)) {}
    jobs::BackendDescription describe() const override {
        jobs::BackendDescription d = local_->describe();
        d.kind = "remote";
        d.modelSha256.clear();
        d.location = "https://endpoint.invalid/score";
        return d;
    }
    EncodeResult run(const Image& image, const EncodeOptions& options,
                     const RunControl* control) override {
        EncodeResult r = local_->run(image, options, control);
        r.z = at::Tensor();
        return r;
    }

  private:
    std::shared_ptr<jobs::LocalBackend> local_;
};

int linesIn(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    return int(f.readAll().count('\n'));
}

}  // namespace

class TestBatchPanel : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void dropRunInspectResumeCancel() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in + "/sub"));
        QVERIFY(QFile::copy(MEDVAE_SAMPLES "/colin27_projection_frontal.png",
                            in + "/colin27_projection_frontal.png"));
        QVERIFY(QFile::copy(MEDVAE_SAMPLES "/colin27_t1_coronal.dcm",
                            in + "/sub/colin27_t1_coronal.dcm"));
        {
            QFile bad(in + "/bad.png");
            QVERIFY(bad.open(QIODevice::WriteOnly));
            bad.write("not an image at all");
        }

        ui::BatchPanel panel;
        panel.resize(900, 500);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto* start = panel.findChild<QPushButton*>("startButton");
        auto* table = panel.findChild<QTableWidget*>("itemsTable");
        QVERIFY(start && table);

        bool accepted = false;
        drop(&panel, {QUrl::fromLocalFile(in)}, accepted);
        QVERIFY(accepted);
        QCOMPARE(panel.itemCount(), 3);
        QCOMPARE(table->rowCount(), 3);
        QCOMPARE(table->item(0, 0)->text(), QString("bad"));
        QCOMPARE(table->item(2, 0)->text(), QString("sub/colin27_t1_coronal"));
        QCOMPARE(panel.statusText(0), QString("Waiting"));
        QVERIFY(!start->isEnabled());  // no backend, no output folder yet

        panel.setBackend(jobs::LocalBackend::open(MEDVAE_DEMO_MODEL));
        panel.setOutputFolder(out);
        panel.findChild<QCheckBox*>("errorCheck")->setChecked(true);
        QVERIFY(panel.findChild<QCheckBox*>("decodeCheck")->isChecked());
        QVERIFY(start->isEnabled());

        QSignalSpy finished(&panel, &ui::BatchPanel::finished);
        QTest::mouseClick(start, Qt::LeftButton);
        QVERIFY(panel.isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY(!panel.isRunning());
        QCOMPARE(panel.statusText(0), QString("Failed"));
        QCOMPARE(panel.statusText(1), QString("Done"));
        QCOMPARE(panel.statusText(2), QString("Done"));
        QVERIFY(table->item(0, 7)->text().contains("bad.png"));
        for (int row = 1; row <= 2; ++row) {
            bool ok = false;
            const double psnr = table->item(row, 2)->text().toDouble(&ok);
            QVERIFY2(ok && psnr > 5 && psnr < 100, qPrintable(table->item(row, 2)->text()));
            QVERIFY(table->item(row, 3)->text().toDouble() > 0);
            QCOMPARE(table->item(row, 5)->text(), QString::fromUtf8("4\u00d732\u00d732"));
        }
        QCOMPARE(panel.lastSummary().done, 2);
        QCOMPARE(panel.lastSummary().failed, 1);
        for (const char* f :
             {"colin27_projection_frontal_latent.npy", "colin27_projection_frontal_error.png",
              "sub/colin27_t1_coronal_latent.npy", "sub/colin27_t1_coronal_error.png"})
            QVERIFY2(QFileInfo::exists(out + "/" + f), f);
        QCOMPARE(linesIn(out + "/manifest.jsonl"), 3);

        // Clicking an item asks to inspect its input.
        QSignalSpy inspect(&panel, &ui::BatchPanel::inspectRequested);
        const QRect cell = table->visualItemRect(table->item(2, 0));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(inspect.size(), 1);
        QCOMPARE(inspect.at(0).at(0).toString(), in + "/sub/colin27_t1_coronal.dcm");

        // Again with "skip finished items": nothing is computed twice.
        QTest::mouseClick(start, Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(panel.statusText(1), QString("Skipped"));
        QCOMPARE(panel.statusText(2), QString("Skipped"));
        QCOMPARE(panel.lastSummary().skipped, 2);
        QCOMPARE(linesIn(out + "/manifest.jsonl"), 4);  // only the failed item again

        // Pause then cancel: the run ends, reports the cancel, leaves no temporary files.
        panel.findChild<QCheckBox*>("resumeCheck")->setChecked(false);
        const QString out2 = dir.path() + "/out2";
        panel.setOutputFolder(out2);
        QTest::mouseClick(start, Qt::LeftButton);
        QTest::mouseClick(panel.findChild<QPushButton*>("pauseButton"), Qt::LeftButton);
        QTest::mouseClick(panel.findChild<QPushButton*>("cancelButton"), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY(panel.lastSummary().cancelled);
        QDirIterator it(out2, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            QVERIFY2(!QFileInfo(f).fileName().startsWith('.'), qPrintable(f));
        }
    }

    void multiFrameInputsShowOneRowPerFrame() {
        // A 3-frame DICOM file (the bundled slice rolled by 9k columns, written by pydicom) and a
        // PNG: one row per frame once the frames are counted, named as the frames' files, each
        // with its own record's numbers; progress counted in frames, never past its total; the
        // summary's counts are the manifest's.
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in));
        QCOMPARE(test::python(R"(
import sys, numpy as np, pydicom
ds = pydicom.dcmread(sys.argv[1])
base = ds.pixel_array
ds.PixelData = np.stack([np.roll(base, 9 * k, axis=1) for k in range(3)]).astype(base.dtype).tobytes()
ds.NumberOfFrames = 3
ds.save_as(sys.argv[2])
print(pydicom.dcmread(sys.argv[2]).pixel_array.shape)
)",
                              {MEDVAE_SAMPLES "/colin27_t1_coronal.dcm", in + "/mf.dcm"}),
                 QString("(3, 256, 256)"));
        QVERIFY(QFile::copy(MEDVAE_SAMPLES "/colin27_projection_lateral.png", in + "/g.png"));

        ui::BatchPanel panel;
        panel.resize(900, 500);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(panel.addInputs({in}), 2);
        QCOMPARE(panel.rowCount(), 2);
        panel.setBackend(jobs::LocalBackend::open(MEDVAE_DEMO_MODEL));
        panel.setOutputFolder(out);
        panel.findChild<QCheckBox*>("decodeCheck")->setChecked(true);
        auto* table = panel.findChild<QTableWidget*>("itemsTable");
        auto* progress = panel.findChild<QProgressBar*>();
        QVERIFY(table && progress);
        QStringList lines;  // the status line whenever a cell or the bar changes
        connect(table, &QTableWidget::itemChanged, this, [&] { lines << panel.statusLine(); });
        connect(progress, &QProgressBar::valueChanged, this, [&] { lines << panel.statusLine(); });

        QSignalSpy finished(&panel, &ui::BatchPanel::finished);
        panel.start();
        QVERIFY(finished.wait(120000));
        const QList<QJsonObject> records = test::readJsonl(out + "/manifest.jsonl");
        QCOMPARE(records.size(), 4);
        QCOMPARE(panel.rowCount(), 4);
        QCOMPARE(table->rowCount(), 4);
        QCOMPARE(progress->maximum(), 4);
        QCOMPARE(progress->value(), 4);
        const QStringList names = {"g", "mf/frame_0000", "mf/frame_0001", "mf/frame_0002"};
        for (int row = 0; row < 4; ++row) {
            QCOMPARE(panel.cellText(row, 0), names[row]);
            QCOMPARE(panel.statusText(row), QString("Done"));
            const auto record = std::find_if(records.begin(), records.end(), [&](const auto& o) {
                return o["output_stem"].toString() == names[row];
            });
            QVERIFY2(record != records.end(), qPrintable(names[row]));
            QCOMPARE((*record)["status"].toString(), QString("ok"));
            QCOMPARE(
                panel.cellText(row, 2),
                QString::number((*record)["metrics"].toObject()["psnr_db"].toDouble(), 'f', 2));
        }
        QVERIFY(panel.cellText(1, 2) != panel.cellText(2, 2));  // each frame its own numbers
        int ok = 0;
        for (const QJsonObject& o : records)
            ok += o["status"].toString() == "ok";
        QCOMPARE(panel.lastSummary().done, ok);
        QCOMPARE(panel.lastSummary().failed, 0);
        QVERIFY2(panel.statusLine().startsWith(QString("%1 done, 0 skipped, 0 failed").arg(ok)),
                 qPrintable(panel.statusLine()));
        static const QRegularExpression count("^(\\d+) of (\\d+)");
        for (const QString& line : lines) {
            const auto m = count.match(line);
            if (m.hasMatch())
                QVERIFY2(m.captured(1).toInt() <= m.captured(2).toInt(), qPrintable(line));
        }
        // Once mf.dcm's first frame is in, the total counts its three frames.
        QVERIFY2(!lines.filter(QRegularExpression("^\\d+ of 4")).isEmpty(),
                 qPrintable(lines.join(" | ")));
    }

    void outputFolderWithoutFileManager() {
        // No file manager (the opener fails): the panel says so and the path can be copied.
        QTemporaryDir dir;
        const QString out = dir.path() + "/out";
        ui::BatchPanel panel;
        panel.resize(900, 500);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QList<QUrl> asked;
        bool opens = false;
        panel.setFolderOpener([&](const QUrl& url) {
            asked << url;
            return opens;
        });
        panel.setOutputFolder(out);
        auto* open = panel.findChild<QPushButton*>("openFolderButton");
        auto* copy = panel.findChild<QPushButton*>("copyPathButton");
        QVERIFY(open && copy && open->isEnabled() && copy->isEnabled());

        QTest::mouseClick(open, Qt::LeftButton);  // not made yet: nothing to open
        QVERIFY(asked.isEmpty());
        QVERIFY2(panel.statusLine().contains("does not exist yet"), qPrintable(panel.statusLine()));
        QVERIFY(panel.statusLine().contains(QDir::toNativeSeparators(out)));

        QVERIFY(QDir().mkpath(out));
        QTest::mouseClick(open, Qt::LeftButton);
        QCOMPARE(asked, QList<QUrl>({QUrl::fromLocalFile(out)}));
        QVERIFY2(panel.statusLine().contains("No file manager could open"),
                 qPrintable(panel.statusLine()));
        QVERIFY(panel.statusLine().contains(QDir::toNativeSeparators(out)));

        opens = true;  // a file manager answers: no complaint
        const QString before = panel.statusLine();
        QVERIFY(panel.openOutputFolder());
        QCOMPARE(panel.statusLine(), before);

        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), QDir::toNativeSeparators(out));

        // A long message wraps inside the panel instead of widening it.
        const int width = panel.width();
        panel.setOutputFolder(dir.path() + QString("/very-long-folder-name").repeated(30));
        panel.openOutputFolder();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCOMPARE(panel.width(), width);
        QVERIFY(panel.minimumSizeHint().width() <= width);
    }

    void remoteBackendHasNoZ() {
        QTemporaryDir dir;
        QVERIFY(QFile::copy(MEDVAE_SAMPLES "/colin27_projection_lateral.png",
                            dir.path() + "/lateral.png"));
        ui::BatchPanel panel;
        auto* z = panel.findChild<QCheckBox*>("zCheck");
        z->setChecked(true);
        panel.setBackend(std::make_shared<FakeRemote>(jobs::LocalBackend::open(MEDVAE_DEMO_MODEL)));
        QVERIFY(!z->isChecked() && !z->isEnabled());
        QCOMPARE(panel.addInputs({dir.path() + "/lateral.png"}), 1);
        panel.setOutputFolder(dir.path() + "/out");
        QSignalSpy finished(&panel, &ui::BatchPanel::finished);
        panel.start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(panel.statusText(0), QString("Done"));
        QVERIFY(QFileInfo::exists(dir.path() + "/out/lateral_latent.npy"));
        QFile manifest(dir.path() + "/out/manifest.jsonl");
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QByteArray line = manifest.readAll();
        QVERIFY(line.contains("\"backend\":\"remote\""));
        QVERIFY(line.contains("https://endpoint.invalid/score"));
    }
};

QTEST_MAIN(TestBatchPanel)
#include "tst_batch_panel.moc"
