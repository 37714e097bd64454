// The app's PACS browser, offscreen in the main window, against a private Orthanc (run under
// orthanc_server.py --user, which loads MEDVAE_PACS_UI_CORPUS): searches by modality and by patient
// ID give the studies pydicom reads from the loaded files, the series table counts what Orthanc
// holds, thumbnails arrive after a grey placeholder, a retrieved series lands in the private cache
// (0700, files named by UIDs) byte for byte as loaded and opens in the Images list in
// InstanceNumber order, Clear cache empties it; a wrong password, a closed port and a stalled
// archive (Cancel) end in words, in bounded time, while the GUI thread keeps running. Every
// check runs with the DICOMweb and the DIMSE profile.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <map>
#include <memory>
#include <set>

#include "archive_jobs.h"
#include "archive_profile.h"
#include "archive_profiles_dialog.h"
#include "error.h"
#include "keychain_test_support.h"
#include "main_window.h"
#include "pacs_browser.h"
#include "pacs_cache.h"
#include "recent_sources.h"
#include "source_list.h"
#include "stall_probe.h"
#include "stalled_archive.h"
#include "study_query_form.h"

using namespace medvae;
using medvae::jobs::RetrievedSeries;
using medvae::test::StalledArchive;
using medvae::ui::PacsBrowser;
using medvae::ui::SourceList;

namespace {

using Fact = std::map<QString, QString>;  // attribute keyword -> value (pydicom's text)

const QString kPassword = QStringLiteral("pw-for-tests-only");

// Pairs of files (retrieved, original): every data element equal, the file meta group aside.
const char* const kSameDataset = R"(
import sys, pydicom
pairs = list(zip(sys.argv[1::2], sys.argv[2::2]))
for got, want in pairs:
    a, b = pydicom.dcmread(got), pydicom.dcmread(want)
    assert a == b and a.PixelData == b.PixelData, (got, want)
print("same", len(pairs))
)";

QByteArray runPython(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(MEDVAE_PYTHON), args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        qFatal("%s failed: %s", qPrintable(args.join(' ')), p.readAllStandardError().constData());
    return p.readAllStandardOutput();
}

std::vector<Fact> readFacts() {
    QStringList args{QStringLiteral(MEDVAE_PACS_TOOLS "/dicom_facts.py"), "facts"};
    args += QStringLiteral(MEDVAE_PACS_UI_CORPUS).split('|');
    std::vector<Fact> facts;
    for (const QJsonValue& v : QJsonDocument::fromJson(runPython(args)).array()) {
        Fact f;
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            f[it.key()] = it.value().toString();
        facts.push_back(f);
    }
    return facts;
}

QByteArray sha256(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

// Column `c` of every row of a table.
QStringList column(const QTableWidget* table, int c, int role = Qt::DisplayRole) {
    QStringList out;
    for (int r = 0; r < table->rowCount(); ++r)
        out << table->item(r, c)->data(role).toString();
    return out;
}

QSet<QString> setOf(const QStringList& list) {
    return QSet<QString>(list.begin(), list.end());
}

}  // namespace

class TestPacsBrowser : public QObject {
    Q_OBJECT

    std::vector<Fact> facts_;
    std::map<QString, int> orthancCounts_;  // series UID -> instances Orthanc holds
    std::unique_ptr<ui::MainWindow> window_;
    PacsBrowser* browser_ = nullptr;

    static void saveProfile(const pacs::ArchiveProfile& p) {
        p.save(*pacs::ArchiveProfile::appSettings());
    }

    // Selects the profile and runs a search with the form as the caller left it.
    bool search(const QString& profile) {
        if (!browser_->selectProfile(profile)) return false;
        QSignalSpy done(browser_, &PacsBrowser::searchFinished);
        QTest::mouseClick(browser_->findChild<QPushButton*>("search"), Qt::LeftButton);
        return done.wait(30000) && done.first().first().toBool();
    }

    void clearForm() {
        ui::StudyQueryForm* f = browser_->form();
        for (QLineEdit* e : {f->patientId(), f->patientName(), f->accession(), f->description()})
            e->clear();
        f->modality()->setCurrentText(QString());
        f->dateEnabled()->setChecked(false);
    }

    QSet<QString> studiesWhere(const QString& key, const QString& value) const {
        QSet<QString> out;
        for (const Fact& f : facts_)
            if (f.at(key) == value) out.insert(f.at("StudyInstanceUID"));
        return out;
    }

    // Chooses the study with `uid` and waits for its series.
    bool chooseStudy(const QString& uid) {
        QTableWidget* studies = browser_->studyTable();
        const int row = column(studies, 0, Qt::UserRole).indexOf(uid);
        if (row < 0) return false;
        QSignalSpy listed(browser_, &PacsBrowser::seriesListed);
        studies->selectRow(row);
        return listed.wait(30000) && listed.first().first().toBool();
    }

    const Fact& patientFact() const {
        for (const Fact& f : facts_)
            if (f.at("PatientID") == "98890234") return f;
        qFatal("the corpus lacks patient 98890234");
    }

    // Instances per series, as Orthanc's REST API counts them.
    void readOrthancCounts() {
        QNetworkAccessManager net;
        QNetworkRequest request(
            QUrl(qEnvironmentVariable("MEDVAE_ORTHANC_URL") + "/series?expand"));
        request.setRawHeader("Authorization", "Basic " + (qgetenv("MEDVAE_ORTHANC_USER") + ":" +
                                                          qgetenv("MEDVAE_ORTHANC_PASSWORD"))
                                                             .toBase64());
        QNetworkReply* reply = net.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(30000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        for (const QJsonValue& s : QJsonDocument::fromJson(reply->readAll()).array()) {
            const QJsonObject o = s.toObject();
            orthancCounts_[o["MainDicomTags"].toObject()["SeriesInstanceUID"].toString()] =
                o["Instances"].toArray().size();
        }
        reply->deleteLater();
        QVERIFY(orthancCounts_.size() >= 5);
    }

  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        facts_ = readFacts();
        QVERIFY(facts_.size() >= 9);
        QCOMPARE(qEnvironmentVariableIntValue("MEDVAE_ORTHANC_LOADED"), int(facts_.size()));
        readOrthancCounts();
        if (QTest::currentTestFailed()) return;
        QSettings().remove(QStringLiteral("pacs"));
        pacs::ArchiveProfile web;
        web.name = "web";
        web.address = qEnvironmentVariable("MEDVAE_ORTHANC_DICOMWEB").toStdString();
        web.auth = pacs::ArchiveProfile::Auth::Basic;
        web.user = qEnvironmentVariable("MEDVAE_ORTHANC_USER").toStdString();
        saveProfile(web);
        // No keychain in a test session: the password is kept for this session, as the app does
        // on desktops without one.
        remote::KeyStore().keepForSession(QString::fromStdString(web.keyAccount()), kPassword);
        pacs::ArchiveProfile dimse;
        dimse.name = "dimse";
        dimse.kind = pacs::ArchiveProfile::Kind::Dimse;
        dimse.address = (qEnvironmentVariable("MEDVAE_ORTHANC_AET") +
                         "@127.0.0.1:" + qEnvironmentVariable("MEDVAE_ORTHANC_DICOM_PORT"))
                            .toStdString();
        dimse.callingAet = qEnvironmentVariable("MEDVAE_ORTHANC_CALLER_AET").toStdString();
        saveProfile(dimse);
        window_ = std::make_unique<ui::MainWindow>();
        window_->resize(1400, 900);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        QAction* open = nullptr;
        for (QAction* a : window_->findChildren<QAction*>())
            if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P)) open = a;
        QVERIFY2(open, "File > PACS Browser has no Ctrl+Shift+P");
        open->trigger();
        browser_ = window_->findChild<PacsBrowser*>();
        QVERIFY(browser_);
        QVERIFY(browser_->isVisible());
        QCOMPARE(browser_, window_->pacsBrowser());
    }

    // MEDVAE_PACS_SCREENSHOT=FILE: the browser with every study found and the project's sample
    // study chosen, for the README (docs/pacs_browser.png).
    void saveScreenshot(const QString& path) {
        clearForm();
        QVERIFY(search("web"));
        QString sampleStudy;
        for (const Fact& f : facts_)
            if (f.at("path").endsWith("colin27_t1_coronal.dcm"))
                sampleStudy = f.at("StudyInstanceUID");
        QVERIFY(chooseStudy(sampleStudy));
        QTableWidgetItem* preview = browser_->seriesTable()->item(0, 0);
        QTRY_VERIFY_WITH_TIMEOUT(preview->data(Qt::UserRole + 1).toBool(), 30000);
        auto* dock = qobject_cast<QDockWidget*>(browser_->parentWidget());
        QVERIFY(dock);
        dock->setFloating(true);
        dock->resize(1180, 760);
        browser_->studyTable()->resizeColumnsToContents();
        QVERIFY(QTest::qWaitForWindowExposed(dock));
        QVERIFY(browser_->grab().save(path));
    }

    void cleanupTestCase() {
        if (qEnvironmentVariableIsSet("MEDVAE_PACS_SCREENSHOT"))
            saveScreenshot(qEnvironmentVariable("MEDVAE_PACS_SCREENSHOT"));
        const QString cache = browser_ ? browser_->cache().root() : QString();
        window_.reset();  // the app's exit: the cache goes with the browser
        if (!cache.isEmpty()) QVERIFY2(!QFileInfo::exists(cache), qPrintable(cache));
        QSettings().remove(QStringLiteral("pacs"));
    }

    void searchByModality_data() {
        QTest::addColumn<QString>("profile");
        QTest::newRow("dicomweb") << "web";
        QTest::newRow("dimse") << "dimse";
    }
    void searchByModality() {
        QFETCH(QString, profile);
        clearForm();
        for (const QString modality : {"MR", "CT"}) {
            browser_->form()->modality()->setCurrentText(modality);
            QVERIFY(search(profile));
            QCOMPARE(setOf(column(browser_->studyTable(), 0, Qt::UserRole)),
                     studiesWhere("Modality", modality));
        }
        QCOMPARE(browser_->countText(),
                 QStringLiteral("Studies found: %1.").arg(browser_->studyTable()->rowCount()));
    }

    void searchByPatientIdListsItsSeries_data() { searchByModality_data(); }
    void searchByPatientIdListsItsSeries() {
        QFETCH(QString, profile);
        clearForm();
        const Fact& patient = patientFact();
        browser_->form()->patientId()->setText(patient.at("PatientID"));
        QVERIFY(search(profile));
        QTableWidget* studies = browser_->studyTable();
        QCOMPARE(column(studies, 0, Qt::UserRole), QStringList{patient.at("StudyInstanceUID")});
        QCOMPARE(column(studies, 0), QStringList{patient.at("PatientName")});
        QCOMPARE(column(studies, 1), QStringList{patient.at("PatientID")});
        QCOMPARE(column(studies, 3), QStringList{patient.at("StudyDate")});

        QVERIFY(chooseStudy(patient.at("StudyInstanceUID")));
        QTableWidget* series = browser_->seriesTable();
        std::map<QString, int> pydicomCounts;
        for (const Fact& f : facts_)
            if (f.at("StudyInstanceUID") == patient.at("StudyInstanceUID"))
                ++pydicomCounts[f.at("SeriesInstanceUID")];
        QCOMPARE(series->rowCount(), int(pydicomCounts.size()));
        // Before any preview came: a grey placeholder in every row.
        for (int r = 0; r < series->rowCount(); ++r) {
            const QImage icon =
                series->item(r, 0)->icon().pixmap(PacsBrowser::kThumbnailSize).toImage();
            QCOMPARE(icon.pixel(icon.width() / 2, icon.height() / 2), qRgb(128, 128, 128));
        }
        for (int r = 0; r < series->rowCount(); ++r) {
            const QString uid = series->item(r, 0)->data(Qt::UserRole).toString();
            QCOMPARE(series->item(r, 4)->text().toInt(), orthancCounts_.at(uid));
            QCOMPARE(orthancCounts_.at(uid), pydicomCounts.at(uid));
            for (const Fact& f : facts_)
                if (f.at("SeriesInstanceUID") == uid) {
                    QCOMPARE(series->item(r, 1)->text(), f.at("SeriesNumber"));
                    QCOMPARE(series->item(r, 2)->text(), f.at("Modality"));
                    QCOMPARE(series->item(r, 3)->text(), f.at("SeriesDescription"));
                }
        }
        // Series by number; each preview arrives (fetched off the GUI thread) with the shape of
        // the series' images.
        QCOMPARE(column(series, 1), (QStringList{"4", "5"}));
        for (int r = 0; r < series->rowCount(); ++r) {
            QTableWidgetItem* item = series->item(r, 0);
            QTRY_VERIFY_WITH_TIMEOUT(item->data(Qt::UserRole + 1).toBool(), 30000);
            const QSize size = item->icon().availableSizes().value(0);
            QCOMPARE(std::max(size.width(), size.height()), PacsBrowser::kThumbnailSize);
        }
    }

    void pagedResultsSayMoreExist_data() { searchByModality_data(); }
    void pagedResultsSayMoreExist() {
        QFETCH(QString, profile);
        clearForm();
        const int studies =
            int(studiesWhere("Modality", "MR").size() + studiesWhere("Modality", "CT").size());
        browser_->pageSize()->setValue(2);
        QVERIFY(search(profile));
        QCOMPARE(browser_->studyTable()->rowCount(), 2);
        QVERIFY2(browser_->countText().contains("more match"), qPrintable(browser_->countText()));
        QSet<QString> seen = setOf(column(browser_->studyTable(), 0, Qt::UserRole));
        QSignalSpy done(browser_, &PacsBrowser::searchFinished);
        browser_->nextPage();
        QVERIFY(done.wait(30000));
        QCOMPARE(browser_->studyTable()->rowCount(), studies - 2);
        QVERIFY2(!browser_->countText().contains("more match"), qPrintable(browser_->countText()));
        seen.unite(setOf(column(browser_->studyTable(), 0, Qt::UserRole)));
        QCOMPARE(seen.size(), studies);
        browser_->pageSize()->setValue(100);
    }

    void retrievedSeriesIsInTheCacheAndTheImagesList_data() { searchByModality_data(); }
    void retrievedSeriesIsInTheCacheAndTheImagesList() {
        QFETCH(QString, profile);
        clearForm();
        const Fact& patient = patientFact();
        browser_->form()->patientId()->setText(patient.at("PatientID"));
        QVERIFY(search(profile));
        QVERIFY(chooseStudy(patient.at("StudyInstanceUID")));
        browser_->seriesTable()->selectRow(1);  // series 5: five instances
        const QString seriesUid =
            browser_->seriesTable()->item(1, 0)->data(Qt::UserRole).toString();
        std::vector<Fact> expected;
        for (const Fact& f : facts_)
            if (f.at("SeriesInstanceUID") == seriesUid) expected.push_back(f);
        std::sort(expected.begin(), expected.end(), [](const Fact& a, const Fact& b) {
            return a.at("InstanceNumber").toInt() < b.at("InstanceNumber").toInt();
        });
        QCOMPARE(int(expected.size()), 5);

        const int listedBefore = window_->imageList()->count();
        // The GUI thread keeps handling timers while the archive works (the stall probe).
        test::StallProbe probe;
        probe.start();
        QSignalSpy retrieved(browser_, &PacsBrowser::seriesRetrieved);
        QSignalSpy ended(browser_, &PacsBrowser::retrievalEnded);
        QTest::mouseClick(browser_->findChild<QPushButton*>("retrieveSeries"), Qt::LeftButton);
        QVERIFY(ended.wait(60000));
        probe.stop();
        QVERIFY2(ended.first().at(0).toBool(), qPrintable(ended.first().at(2).toString()));
        QVERIFY(probe.ticks() > 0);
        QCOMPARE(retrieved.size(), 1);
        const auto series = retrieved.first().first().value<RetrievedSeries>();
        QCOMPARE(series.seriesUid, seriesUid);
        QCOMPARE(series.files.size(), 5);

        // In InstanceNumber order, named by UIDs, byte for byte the files that were loaded.
        const QString root = browser_->cache().root();
        for (int i = 0; i < 5; ++i) {
            const Fact& f = expected[std::size_t(i)];
            QCOMPARE(series.files[i], root + "/" + f.at("StudyInstanceUID") + "/" + seriesUid +
                                          "/" + f.at("SOPInstanceUID") + ".dcm");
            if (profile == "web")  // WADO-RS with transfer-syntax=*: the stored file itself
                QCOMPARE(sha256(series.files[i]), sha256(f.at("path")));
        }
        if (profile == "dimse") {
            // C-GET sends the dataset, and the cache file gets its own Part 10 header: the same
            // data elements as loaded, value for value (pydicom), pixel data included.
            QStringList args{"-c", kSameDataset};
            for (int i = 0; i < 5; ++i)
                args << series.files[i] << expected[std::size_t(i)].at("path");
            QCOMPARE(runPython(args).trimmed(), QByteArray("same 5"));
        }
        // Owner-only: the cache, each folder in it, each file.
        const auto ownerOnlyFolder = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
        for (const QString& folder :
             {root, root + "/" + patient.at("StudyInstanceUID"),
              root + "/" + patient.at("StudyInstanceUID") + "/" + seriesUid}) {
            const QFile::Permissions p = QFileInfo(folder).permissions();
            QCOMPARE(p & (ownerOnlyFolder | QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                          QFile::ReadOther | QFile::WriteOther | QFile::ExeOther),
                     ownerOnlyFolder);
        }
        QCOMPARE(QFileInfo(series.files[0]).permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());

        // Opened as one stack in the Images list (slice k is file k), named by the first
        // instance's UID; not in File > Recent (the cache goes away); no patient identifier in
        // any name or the title.
        SourceList* images = window_->imageList();
        QCOMPARE(images->count(), listedBefore + 1);
        QListWidgetItem* stack = images->item(listedBefore);
        QCOMPARE(SourceList::sourceOf(stack), series.files[0]);
        QCOMPARE(stack->text(), expected[0].at("SOPInstanceUID") + ".dcm  1/5");
        QCOMPARE(images->currentItem(), stack);
        const auto* recent = window_->findChild<ui::RecentSources*>();
        QVERIFY(recent);
        for (const QString& file : series.files)
            QVERIFY(!recent->sources().contains(file));
        for (const QString& secret : {patient.at("PatientID"), patient.at("PatientName"),
                                      QString(patient.at("PatientName")).replace('^', ' ')}) {
            for (int i = 0; i < images->count(); ++i)
                QVERIFY(!images->item(i)->text().contains(secret));
            QVERIFY(!window_->windowTitle().contains(secret));
            QVERIFY(!browser_->statusText().contains(secret));
            QVERIFY(!window_->jobText().contains(secret));
        }
        images->clear();
    }

    void retrievedStudyAnnouncesEachSeries() {
        clearForm();
        const Fact& patient = patientFact();
        browser_->form()->patientId()->setText(patient.at("PatientID"));
        QVERIFY(search("web"));
        QVERIFY(chooseStudy(patient.at("StudyInstanceUID")));
        const int listedBefore = window_->imageList()->count();
        QSignalSpy retrieved(browser_, &PacsBrowser::seriesRetrieved);
        QSignalSpy ended(browser_, &PacsBrowser::retrievalEnded);
        QTest::mouseClick(browser_->findChild<QPushButton*>("retrieveStudy"), Qt::LeftButton);
        QVERIFY(ended.wait(60000));
        QVERIFY2(ended.first().at(0).toBool(), qPrintable(ended.first().at(2).toString()));
        // One announcement per series, by series number, each with its own files.
        QCOMPARE(retrieved.size(), 2);
        QStringList labels;
        int files = 0;
        for (const QList<QVariant>& signal : retrieved) {
            const auto series = signal.first().value<RetrievedSeries>();
            labels << series.label;
            files += int(series.files.size());
            for (const QString& file : series.files)
                QVERIFY(file.contains("/" + series.seriesUid + "/"));
        }
        QCOMPARE(labels, (QStringList{"4 Scout", "5 SmartScore - Gated 0.5 sec"}));
        QCOMPARE(files, 7);
        QCOMPARE(window_->imageList()->count(), listedBefore + 2);  // a stack per series
        QCOMPARE(browser_->findChild<QProgressBar*>("progress")->value(), 1);
        window_->imageList()->clear();
    }

    void clearCacheEmptiesIt() {
        QVERIFY(browser_->cache().fileCount() > 0);
        QTest::mouseClick(browser_->findChild<QPushButton*>("clearCache"), Qt::LeftButton);
        QCOMPARE(browser_->cache().fileCount(), 0);
        QVERIFY(!QFileInfo::exists(browser_->cache().root()));
    }

    void wrongPasswordIsReportedInWords() {
        // The dialog's Test connection with a typed (unsaved) wrong password.
        auto keychain = std::make_shared<test::FakeKeychain>();
        keychain->autoAnswer = true;
        auto settings = pacs::ArchiveProfile::appSettings();
        ui::ArchiveProfilesDialog dialog(*settings, remote::KeyStore("MedVAE test", 5000, keychain),
                                         *browser_->jobs());
        dialog.findChild<QListWidget*>()->setCurrentRow(1);  // "web" (sorted: dimse, web)
        QCOMPARE(dialog.selectedName(), QStringLiteral("web"));
        dialog.findChild<QLineEdit*>("secret")->setText("not-the-password");
        QSignalSpy tested(&dialog, &ui::ArchiveProfilesDialog::connectionTested);
        dialog.testConnection();
        QVERIFY(tested.wait(30000));
        QCOMPARE(tested.first().at(0).toBool(), false);
        const QString report = tested.first().at(1).toString();
        QVERIFY2(report.contains("credentials") || report.contains("401"), qPrintable(report));
        QVERIFY(!report.contains("not-the-password"));
        // The right one passes.
        dialog.findChild<QLineEdit*>("secret")->setText(kPassword);
        tested.clear();
        dialog.testConnection();
        QVERIFY(tested.wait(30000));
        QVERIFY2(tested.first().at(0).toBool(), qPrintable(tested.first().at(1).toString()));
    }

    void closedPortIsReportedQuickly_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("dicomweb") << "dicomweb";
        QTest::newRow("dimse") << "dimse";
    }
    void closedPortIsReportedQuickly() {
        QFETCH(QString, kind);
        QTcpServer probe;  // a port that was free a moment ago and is closed now
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        pacs::ArchiveProfile closed;
        closed.name = "closed";
        closed.kind = kind == "dimse" ? pacs::ArchiveProfile::Kind::Dimse
                                      : pacs::ArchiveProfile::Kind::Dicomweb;
        closed.address = kind == "dimse"
                             ? "NOONE@127.0.0.1:" + std::to_string(port)
                             : "http://127.0.0.1:" + std::to_string(port) + "/dicom-web";
        QSignalSpy verified(browser_->jobs(), &jobs::ArchiveJobs::verified);
        QElapsedTimer clock;
        clock.start();
        browser_->jobs()->verify(closed);
        QVERIFY(verified.wait(15000));
        QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(verified.first().at(0).toBool(), false);
        const QString error = verified.first().at(1).toString();
        QVERIFY2(error.contains(QString::number(port)) &&
                     (error.contains("refused") || error.contains("Connection")),
                 qPrintable(error));
        // A failed search names the archive, never the patient it looked for.
        QSignalSpy searched(browser_->jobs(), &jobs::ArchiveJobs::searched);
        pacs::Query query;
        query.keys["PatientID"] = "98890234";
        query.keys["PatientName"] = "*Doe*";
        browser_->jobs()->search(closed, query);
        QVERIFY(searched.wait(15000));
        const QString searchError = searched.first().at(1).toString();
        QVERIFY2(searchError.contains(QString::number(port)), qPrintable(searchError));
        QVERIFY2(!searchError.contains("98890234") && !searchError.contains("Doe"),
                 qPrintable(searchError));
    }

    void cancelStopsAStalledRetrievalWithinASecond() {
        StalledArchive archive;
        QFile dicom(facts_.front().at("path"));
        QVERIFY(dicom.open(QIODevice::ReadOnly));
        archive.dicom = dicom.readAll();
        QVERIFY(archive.listen(QHostAddress::LocalHost, 0));
        pacs::ArchiveProfile stalled;
        stalled.name = "stalled";
        stalled.address = "http://127.0.0.1:" + std::to_string(archive.serverPort()) + "/dicom-web";
        QSignalSpy progress(browser_->jobs(), &jobs::ArchiveJobs::retrievalProgress);
        QSignalSpy ended(browser_->jobs(), &jobs::ArchiveJobs::retrievalEnded);
        browser_->jobs()->retrieve(stalled, StalledArchive::kStudy, {StalledArchive::kSeries},
                                   pacs::RetrieveLimits());
        QVERIFY(progress.wait(30000));  // the first instance is in
        QTRY_VERIFY_WITH_TIMEOUT(archive.stalled, 30000);
        QVERIFY(browser_->jobs()->retrieving());
        // The GUI thread handles timers while the retrieval waits (the stall probe).
        test::StallProbe probe;
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(probe.ticks() >= 20, 10000);
        probe.stop();
        QVERIFY(browser_->jobs()->retrieving());
        QElapsedTimer clock;
        clock.start();
        browser_->jobs()->cancelRetrieval();
        QVERIFY(ended.wait(5000));
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(ended.first().at(0).toBool(), false);
        QCOMPARE(ended.first().at(1).toBool(), true);  // cancelled
        QVERIFY(!browser_->jobs()->retrieving());
        QVERIFY(browser_->jobs()->cache().clear());
    }

    void closingDoesNotWaitForASilentArchive() {
        QTcpServer silent;  // accepts (the kernel does), never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        pacs::ArchiveProfile profile;
        profile.name = "silent";
        profile.address = "http://127.0.0.1:" + std::to_string(silent.serverPort()) + "/dicom-web";
        QTemporaryDir dir;
        auto jobs = std::make_unique<jobs::ArchiveJobs>(remote::KeyStore(),
                                                        jobs::PacsCache(dir.filePath("cache")));
        QSignalSpy searched(jobs.get(), &jobs::ArchiveJobs::searched);
        jobs->search(profile, pacs::Query());
        QVERIFY(silent.waitForNewConnection(10000));  // the query is on its way, unanswered
        QElapsedTimer clock;
        clock.start();
        jobs.reset();  // what the app's exit does
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(searched.size(), 0);
    }

    void hostileUidsNeverNameAFile() {
        QTemporaryDir dir;
        const jobs::PacsCache cache(dir.filePath("cache"));
        const std::vector<std::uint8_t> bytes{'D', 'I', 'C', 'M'};
        for (const pacs::InstanceRef& ref :
             {pacs::InstanceRef{"1.2", "1.2.3", "../../escaped"},
              pacs::InstanceRef{"..", "1.2.3", "1.2.3.4"},
              pacs::InstanceRef{"1.2", "/tmp", "1.2.3.4"},
              pacs::InstanceRef{"1.2", "1.2.3", "1.2.3.4" + std::string(64, '5')},
              pacs::InstanceRef{"1.2", "1.2.3", "Doe^Peter"}}) {
            QString error;
            try {
                cache.store(ref, bytes);
            } catch (const Error& e) {
                error = QString::fromUtf8(e.what());
            }
            QVERIFY2(error.contains("invalid UID"), qPrintable(error));
            QVERIFY(!error.contains("Doe"));
        }
        QCOMPARE(cache.fileCount(), 0);
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
                 QStringList());
        // A valid one lands where its UIDs say.
        QCOMPARE(cache.store({"1.2", "1.2.3", "1.2.3.4"}, bytes),
                 dir.filePath("cache/1.2/1.2.3/1.2.3.4.dcm"));
    }

    void profilesDialogKeepsTheSecretInTheKeychain() {
        auto keychain = std::make_shared<test::FakeKeychain>();
        keychain->autoAnswer = true;
        QTemporaryDir dir;
        QSettings settings(dir.filePath("profiles.ini"), QSettings::IniFormat);
        ui::ArchiveProfilesDialog dialog(settings, remote::KeyStore("MedVAE test", 5000, keychain),
                                         *browser_->jobs());
        dialog.addProfile();
        dialog.findChild<QLineEdit*>("name")->setText("hospital");
        dialog.findChild<QLineEdit*>("address")->setText("https://pacs.invalid/dicom-web");
        dialog.findChild<QComboBox*>("auth")->setCurrentIndex(
            int(pacs::ArchiveProfile::Auth::Bearer));
        dialog.findChild<QLineEdit*>("secret")->setText("token-123");
        QSignalSpy saved(&dialog, &ui::ArchiveProfilesDialog::profileSaved);
        QVERIFY(dialog.saveProfile());
        QVERIFY(saved.wait(10000));
        QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));
        QCOMPARE(keychain->entries[QStringLiteral("pacs-hospital")], QStringLiteral("token-123"));
        settings.sync();
        QFile ini(dir.filePath("profiles.ini"));
        QVERIFY(ini.open(QIODevice::ReadOnly));
        QVERIFY(!ini.readAll().contains("token-123"));
        const auto loaded = pacs::ArchiveProfile::load(settings, "hospital");
        QVERIFY(loaded);
        QCOMPARE(loaded->auth, pacs::ArchiveProfile::Auth::Bearer);
        remote::KeyStore keys("MedVAE test", 5000, keychain);
        QCOMPARE(loaded->readSecret(&keys), std::string("token-123"));
        // Removing the profile removes its secret.
        QSignalSpy changed(&dialog, &ui::ArchiveProfilesDialog::profilesChanged);
        dialog.removeProfile();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.busy() && changed.size() >= 1, 10000);
        QVERIFY(!keychain->entries.count(QStringLiteral("pacs-hospital")));
        QVERIFY(!pacs::ArchiveProfile::load(settings, "hospital"));
    }
};

QTEST_MAIN(TestPacsBrowser)
#include "tst_pacs_browser.moc"
