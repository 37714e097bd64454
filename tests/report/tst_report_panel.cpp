// The Batch panel's Report button offscreen: after a real run with the demo model it writes
// report.html into the output folder in a medvae-cli process (the GUI thread keeps serving
// events meanwhile), the page has the run's items and thumbnails, Open report hands the page
// to the opener, and a folder without manifests offers no report.
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "batch_panel.h"
#include "local_backend.h"

using namespace medvae;

class TestReportPanel : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void reportAfterARun() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(QFile::copy(MEDVAE_SAMPLES "/colin27_projection_frontal.png",
                            in + "/colin27_projection_frontal.png"));
        QVERIFY(QFile::copy(MEDVAE_SAMPLES "/colin27_t1_coronal.dcm", in + "/coronal.dcm"));

        ui::BatchPanel panel;
        panel.setReportProgram(MEDVAE_CLI);
        QList<QUrl> opened;
        panel.setFolderOpener([&opened](const QUrl& url) { return opened << url, true; });
        panel.resize(1000, 500);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto* report = panel.findChild<QPushButton*>("reportButton");
        auto* openReport = panel.findChild<QPushButton*>("openReportButton");
        QVERIFY(report && openReport);

        QCOMPARE(panel.addInputs({in}), 2);
        panel.setBackend(jobs::LocalBackend::open(MEDVAE_DEMO_MODEL));
        panel.setOutputFolder(out);
        QVERIFY(!report->isEnabled());  // nothing run yet: no manifest
        panel.findChild<QCheckBox*>("decodedCheck")->setChecked(true);
        panel.findChild<QCheckBox*>("errorCheck")->setChecked(true);
        QSignalSpy finished(&panel, &ui::BatchPanel::finished);
        QTest::mouseClick(panel.findChild<QPushButton*>("startButton"), Qt::LeftButton);
        QVERIFY(finished.wait(120000));
        QCOMPARE(panel.lastSummary().done, 2);
        QVERIFY(report->isEnabled());
        QVERIFY(!openReport->isEnabled());

        // The GUI thread keeps running its event loop while the report is written: a timer
        // started with the report fires before the report is done.
        QSignalSpy written(&panel, &ui::BatchPanel::reportFinished);
        bool tickedWhileWriting = false;
        QTimer::singleShot(0, &panel, [&] { tickedWhileWriting = panel.isWritingReport(); });
        QTest::mouseClick(report, Qt::LeftButton);
        QVERIFY(panel.isWritingReport());
        QVERIFY(!report->isEnabled());
        QVERIFY(written.wait(120000));
        QVERIFY(tickedWhileWriting);
        QCOMPARE(written.at(0).at(1).toString(), QString());
        const QString page = out + "/report.html";
        QCOMPARE(written.at(0).at(0).toString(), page);
        QVERIFY2(panel.statusLine().contains("report.html"), qPrintable(panel.statusLine()));
        QFile f(page);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(f.readAll());
        QVERIFY(html.contains("<span id=\"count\">2</span>"));
        QVERIFY(html.contains("<td>MR</td>"));  // the DICOM sample's Modality
        QCOMPARE(html.count("alt=\"reconstruction\""), 2);
        QCOMPARE(html.count("alt=\"error heatmap\""), 2);
        QVERIFY(!html.contains(dir.path()));  // inputs by base name only

        QVERIFY(openReport->isEnabled());
        QTest::mouseClick(openReport, Qt::LeftButton);
        QCOMPARE(opened, QList<QUrl>{QUrl::fromLocalFile(page)});
    }

    // A folder without manifests: Report… is offered for any existing folder (its listing is
    // left to the report's process) and answers in words; no report to open.
    void noManifestNoReport() {
        QTemporaryDir dir;
        ui::BatchPanel panel;
        panel.setReportProgram(MEDVAE_CLI);
        panel.setOutputFolder(dir.path() + "/not-yet");
        QVERIFY(!panel.findChild<QPushButton*>("reportButton")->isEnabled());
        panel.setOutputFolder(dir.path());
        QVERIFY(panel.findChild<QPushButton*>("reportButton")->isEnabled());
        QSignalSpy written(&panel, &ui::BatchPanel::reportFinished);
        QVERIFY(panel.writeReport());
        QVERIFY(written.wait(60000));
        const QString error = written.at(0).at(1).toString();
        QVERIFY2(error.contains("no manifest (manifest*.jsonl)"), qPrintable(error));
        QVERIFY2(panel.statusLine().contains(error), qPrintable(panel.statusLine()));
        QVERIFY(!QFileInfo::exists(dir.path() + "/report.html"));
        QVERIFY(!panel.openReport());
    }

    void reportErrorShown() {
        QTemporaryDir dir;
        QFile manifest(dir.path() + "/manifest.jsonl");
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write("{\"index\": 0, \"status\": \"ok\"}\n");
        manifest.close();
        QVERIFY(QDir().mkpath(dir.path() + "/report.html"));  // a folder where the page goes
        ui::BatchPanel panel;
        panel.setReportProgram(MEDVAE_CLI);
        panel.setOutputFolder(dir.path());
        QSignalSpy written(&panel, &ui::BatchPanel::reportFinished);
        QVERIFY(panel.writeReport());
        QVERIFY(written.wait(60000));
        const QString error = written.at(0).at(1).toString();
        QVERIFY2(error.contains("cannot write the report"), qPrintable(error));
        QVERIFY2(panel.statusLine().contains(error), qPrintable(panel.statusLine()));
    }
};

QTEST_MAIN(TestReportPanel)
#include "tst_report_panel.moc"
