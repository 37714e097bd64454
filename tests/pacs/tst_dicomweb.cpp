// DicomwebClient against a private Orthanc (run under orthanc_server.py, which loads the corpus
// named by MEDVAE_PACS_CORPUS): QIDO-RS at the three levels, keys, dates and paging compared with
// what pydicom reads from the same files; WADO-RS retrieval giving the model the same input as the
// files on disk; STOW-RS of a new object found again; and bounded, worded failures against a closed
// port and a misbehaving loopback server. Under `--user` (MEDVAE_ORTHANC_USER set) the
// credentials suite runs instead.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <fstream>
#include <map>
#include <set>

#include "dicomweb_client.h"
#include "error.h"
#include "image_loader.h"
#include "preprocessing.h"

using medvae::Error;
using medvae::pacs::DicomwebClient;
using medvae::pacs::InstanceRef;
using medvae::pacs::Query;
using medvae::pacs::QueryLevel;
using medvae::pacs::RetrieveLimits;

namespace {

using Fact = std::map<std::string, std::string>;  // attribute keyword -> value (pydicom's text)

QString tool(const char* name) {
    return QStringLiteral(MEDVAE_PACS_TOOLS "/") + name;
}

QByteArray runPython(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(MEDVAE_PYTHON), args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        qFatal("%s failed: %s", qPrintable(args.join(' ')), p.readAllStandardError().constData());
    return p.readAllStandardOutput();
}

std::vector<Fact> readFacts() {
    QStringList args{tool("dicom_facts.py"), "facts"};
    args += QStringLiteral(MEDVAE_PACS_CORPUS).split('|');
    std::vector<Fact> facts;
    for (const QJsonValue& v : QJsonDocument::fromJson(runPython(args)).array()) {
        Fact f;
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            f[it.key().toStdString()] = it.value().toString().toStdString();
        facts.push_back(f);
    }
    return facts;
}

DicomwebClient::Options optionsFor(const QByteArray& base) {
    DicomwebClient::Options o;
    o.baseUrl = base.toStdString();
    o.responseTimeoutMs = 15000;
    return o;
}

DicomwebClient orthanc() {
    return DicomwebClient(optionsFor(qgetenv("MEDVAE_ORTHANC_DICOMWEB")));
}

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

std::set<std::string> column(const std::vector<medvae::pacs::QueryRow>& rows, const char* key) {
    std::set<std::string> out;
    for (const auto& r : rows)
        out.insert(r.value(key));
    return out;
}

// Orthanc trims the padding pydicom keeps; DS/IS numbers come back as numbers.
std::string clean(std::string s) {
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

}  // namespace

class TestDicomweb : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void studyQueryMatchesTheFiles();
    void keysAndDatesSelectStudies();
    void pagingCoversEveryStudyOnce();
    void seriesAndInstanceQueries();
    void seriesFoundWithoutItsStudy();
    void retrievalGivesTheModelTheSameInput();
    void retrievalLimitsAndCancel();
    void malformedRequestsRefused();
    void closedPortFailsInWords();
    void misbehavingServerFailsInBoundedTime();
    void storedObjectIsFoundAgain();  // last: it adds a series to the archive

  private:
    std::vector<Fact> facts_;
    std::map<std::string, std::vector<Fact>> byStudy_, bySeries_;
};

void TestDicomweb::initTestCase() {
    QVERIFY2(qEnvironmentVariableIsSet("MEDVAE_ORTHANC_DICOMWEB"), "run under orthanc_server.py");
    facts_ = readFacts();
    QVERIFY(facts_.size() >= 5);
    QCOMPARE(qgetenv("MEDVAE_ORTHANC_LOADED").toInt(), int(facts_.size()));
    for (const Fact& f : facts_) {
        byStudy_[f.at("StudyInstanceUID")].push_back(f);
        bySeries_[f.at("SeriesInstanceUID")].push_back(f);
    }
}

void TestDicomweb::studyQueryMatchesTheFiles() {
    DicomwebClient archive = orthanc();
    archive.verify();
    const auto answer = archive.find(Query{});
    QVERIFY(!answer.truncated);
    QCOMPARE(answer.rows.size(), byStudy_.size());
    for (const auto& row : answer.rows) {
        const auto it = byStudy_.find(row.value("StudyInstanceUID"));
        QVERIFY(it != byStudy_.end());
        const Fact& f = it->second.front();
        QCOMPARE(row.value("PatientName"), clean(f.at("PatientName")));
        QCOMPARE(row.value("PatientID"), clean(f.at("PatientID")));
        QCOMPARE(row.value("StudyDate"), f.at("StudyDate"));
        QCOMPARE(row.value("AccessionNumber"), clean(f.at("AccessionNumber")));
        QCOMPARE(row.value("NumberOfStudyRelatedInstances"), std::to_string(it->second.size()));
        std::set<std::string> modalities;
        for (const Fact& g : it->second)
            modalities.insert(g.at("Modality"));
        std::set<std::string> listed;
        for (const QString& m : QString::fromStdString(row.value("ModalitiesInStudy")).split('\\'))
            listed.insert(m.toStdString());
        QCOMPARE(listed, modalities);
    }
}

void TestDicomweb::keysAndDatesSelectStudies() {
    DicomwebClient archive = orthanc();
    // Expected sets, from the files.
    auto studiesWhere = [this](const std::function<bool(const Fact&)>& pred) {
        std::set<std::string> out;
        for (const Fact& f : facts_)
            if (pred(f)) out.insert(f.at("StudyInstanceUID"));
        return out;
    };
    Query q;
    q.keys["StudyDate"] = "20010101-20040119";
    const auto inRange = studiesWhere([](const Fact& f) {
        return f.at("StudyDate") >= "20010101" && f.at("StudyDate") <= "20040119";
    });
    QVERIFY(!inRange.empty() && inRange.size() < byStudy_.size());
    QCOMPARE(column(archive.find(q).rows, "StudyInstanceUID"), inRange);
    q.keys = {{"StudyDate", "20040120-"}};
    QCOMPARE(column(archive.find(q).rows, "StudyInstanceUID"),
             studiesWhere([](const Fact& f) { return f.at("StudyDate") >= "20040120"; }));
    q.keys = {{"ModalitiesInStudy", "CT"}};
    const auto ct = studiesWhere([](const Fact& f) { return f.at("Modality") == "CT"; });
    QVERIFY(!ct.empty());
    QCOMPARE(column(archive.find(q).rows, "StudyInstanceUID"), ct);
    const Fact& one = facts_.back();
    q.keys = {{"PatientID", clean(one.at("PatientID"))}};
    QCOMPARE(column(archive.find(q).rows, "StudyInstanceUID"), studiesWhere([&one](const Fact& f) {
                 return f.at("PatientID") == one.at("PatientID");
             }));
    q.keys = {{"StudyDate", "19000101-19000102"}};
    QVERIFY(archive.find(q).rows.empty());  // no match: an empty answer, not an error
}

void TestDicomweb::pagingCoversEveryStudyOnce() {
    DicomwebClient archive = orthanc();
    Query q;
    q.limit = 2;
    std::vector<std::string> seen;
    for (q.offset = 0;; q.offset += q.limit) {
        const auto answer = archive.find(q);
        for (const auto& row : answer.rows)
            seen.push_back(row.value("StudyInstanceUID"));
        QCOMPARE(answer.truncated, q.offset + q.limit < byStudy_.size());
        if (!answer.truncated) break;
        QCOMPARE(answer.rows.size(), std::size_t(2));
    }
    QCOMPARE(seen.size(), byStudy_.size());
    std::set<std::string> expected;
    for (const auto& [study, files] : byStudy_)
        expected.insert(study);
    QCOMPARE(std::set<std::string>(seen.begin(), seen.end()), expected);
}

void TestDicomweb::seriesAndInstanceQueries() {
    DicomwebClient archive = orthanc();
    for (const auto& [study, files] : byStudy_) {
        Query q;
        q.level = QueryLevel::Series;
        q.studyUid = study;
        const auto series = archive.find(q).rows;
        std::set<std::string> expected;
        for (const Fact& f : files)
            expected.insert(f.at("SeriesInstanceUID"));
        QCOMPARE(column(series, "SeriesInstanceUID"), expected);
        for (const auto& row : series) {
            const Fact& f = bySeries_.at(row.value("SeriesInstanceUID")).front();
            QCOMPARE(row.value("Modality"), f.at("Modality"));
            QCOMPARE(row.value("SeriesNumber"), f.at("SeriesNumber"));
            QCOMPARE(row.value("StudyInstanceUID"), study);
            // The instances of the series: UIDs and numbers (IS as a number).
            Query iq;
            iq.level = QueryLevel::Instance;
            iq.studyUid = study;
            iq.seriesUid = row.value("SeriesInstanceUID");
            std::map<std::string, std::string> numbers, expectedNumbers;
            for (const auto& r : archive.find(iq).rows) {
                numbers[r.value("SOPInstanceUID")] = r.value("InstanceNumber");
                QCOMPARE(r.value("Rows"), bySeries_.at(iq.seriesUid).front().at("Rows"));
            }
            for (const Fact& g : bySeries_.at(iq.seriesUid))
                expectedNumbers[g.at("SOPInstanceUID")] = g.at("InstanceNumber");
            QCOMPARE(numbers, expectedNumbers);
        }
        Query all;  // the instances of the whole study
        all.level = QueryLevel::Instance;
        all.studyUid = study;
        QCOMPARE(archive.find(all).rows.size(), files.size());
    }
}

void TestDicomweb::seriesFoundWithoutItsStudy() {
    DicomwebClient archive = orthanc();
    const Fact& f = facts_.front();
    Query q;
    q.level = QueryLevel::Series;
    q.keys["SeriesInstanceUID"] = f.at("SeriesInstanceUID");
    const auto rows = archive.find(q).rows;
    QCOMPARE(rows.size(), std::size_t(1));
    QCOMPARE(rows[0].value("StudyInstanceUID"), f.at("StudyInstanceUID"));
}

void TestDicomweb::retrievalGivesTheModelTheSameInput() {
    DicomwebClient archive = orthanc();
    std::size_t compared = 0;
    for (const auto& [series, files] : bySeries_) {
        std::map<std::string, std::string> pathOf;
        for (const Fact& f : files)
            pathOf[f.at("SOPInstanceUID")] = f.at("path");
        std::set<std::string> got;
        archive.retrieve(
            files.front().at("StudyInstanceUID"), series, RetrieveLimits{},
            [&](const InstanceRef& ref, std::vector<std::uint8_t>&& bytes) {
                QCOMPARE(ref.seriesUid, series);
                got.insert(ref.sopInstanceUid);
                const std::string path = pathOf.at(ref.sopInstanceUid);
                const auto fromArchive = medvae::ImageLoader::decode(bytes, "archive");
                const auto fromDisk = medvae::ImageLoader::loadFile(path);
                QVERIFY(fromArchive.pixels == fromDisk.pixels);
                for (int channels : {1, 3})
                    QVERIFY(torch::equal(medvae::Preprocessing::toModelInput(fromArchive, channels),
                                         medvae::Preprocessing::toModelInput(fromDisk, channels)));
                ++compared;
            });
        QCOMPARE(got.size(), files.size());
    }
    QCOMPARE(compared, facts_.size());
    // One instance alone.
    const Fact& f = facts_.front();
    const auto bytes = archive.retrieveInstance(
        {f.at("StudyInstanceUID"), f.at("SeriesInstanceUID"), f.at("SOPInstanceUID")}, {});
    QVERIFY(medvae::ImageLoader::decode(bytes, "archive").pixels ==
            medvae::ImageLoader::loadFile(f.at("path")).pixels);
}

void TestDicomweb::retrievalLimitsAndCancel() {
    DicomwebClient archive = orthanc();
    // The largest series.
    auto largest = bySeries_.begin();
    for (auto it = bySeries_.begin(); it != bySeries_.end(); ++it)
        if (it->second.size() > largest->second.size()) largest = it;
    QVERIFY(largest->second.size() >= 3);
    const std::string study = largest->second.front().at("StudyInstanceUID");
    std::size_t handed = 0;
    auto count = [&handed](const InstanceRef&, std::vector<std::uint8_t>&&) { ++handed; };
    RetrieveLimits limits;
    limits.maxInstances = 2;
    QVERIFY(errorOf([&] {
                archive.retrieve(study, largest->first, limits, count);
            }).contains("more than 2 parts"));
    QCOMPARE(handed, std::size_t(2));
    limits = {};
    limits.maxInstanceBytes = 1000;
    QVERIFY(errorOf([&] {
                archive.retrieve(study, largest->first, limits, count);
            }).contains("larger than the limit of 1000 bytes"));
    limits = {};
    limits.maxTotalBytes = 2000;
    QVERIFY(!errorOf([&] { archive.retrieve(study, largest->first, limits, count); }).isEmpty());
    limits = {};
    limits.cancelled = [] { return true; };
    QVERIFY(errorOf([&] {
                archive.retrieve(study, largest->first, limits, count);
            }).contains("cancelled"));
}

void TestDicomweb::malformedRequestsRefused() {
    DicomwebClient archive = orthanc();
    Query q;
    q.keys["NoSuchAttribute"] = "x";
    QVERIFY(
        errorOf([&] { archive.find(q); }).contains("'NoSuchAttribute' is not a DICOM attribute"));
    QVERIFY(
        errorOf([&] { archive.retrieve("1.2", "../../x", {}, {}); }).contains("not a DICOM UID"));
    Query instances;
    instances.level = QueryLevel::Instance;
    QVERIFY(errorOf([&] { archive.find(instances); }).contains("needs the study UID"));
    QVERIFY(errorOf([] {
                DicomwebClient(optionsFor("http://user:pw@127.0.0.1/dicom-web"));
            }).contains("not a DICOMweb address"));
    // An unknown series: an HTTP error in words, not an empty success.
    QVERIFY(!errorOf([&] {
                 archive.retrieveInstance({"1.2.3", "1.2.3.4", "1.2.3.4.5"}, {});
             }).isEmpty());
}

void TestDicomweb::closedPortFailsInWords() {
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();  // nothing listens there now
    DicomwebClient::Options o =
        optionsFor("http://127.0.0.1:" + QByteArray::number(port) + "/dicom-web");
    o.responseTimeoutMs = 5000;
    DicomwebClient archive(o);
    QElapsedTimer timer;
    timer.start();
    const QString error = errorOf([&] { archive.verify(); });
    QVERIFY2(error.contains("connection refused"), qPrintable(error));
    QVERIFY2(error.contains("DICOMweb http://127.0.0.1:"), qPrintable(error));
    QVERIFY(timer.elapsed() < o.responseTimeoutMs);
}

void TestDicomweb::misbehavingServerFailsInBoundedTime() {
    const std::string file = facts_.front().at("path");
    QProcess server;
    server.start(QStringLiteral(MEDVAE_PYTHON),
                 {tool("faulty_dicomweb_server.py"), QString::fromStdString(file)});
    QVERIFY(server.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(server.canReadLine(), 30000);
    const QByteArray port = server.readLine().trimmed();
    const QByteArray base = "http://127.0.0.1:" + port;
    const InstanceRef ref{"1.2.3", "1.2.3.4", "1.2.3.4.5"};
    QElapsedTimer timer;

    DicomwebClient truncated(optionsFor(base + "/truncated"));
    timer.start();
    QString error =
        errorOf([&] { truncated.retrieve("1.2.3", "1.2.3.4", {}, [](auto&&, auto&&) {}); });
    QVERIFY2(error.contains("the archive's answer ended inside part 2"), qPrintable(error));
    QVERIFY(timer.elapsed() < 15000);

    RetrieveLimits limits;
    limits.timeoutMs = 1000;
    DicomwebClient silent(optionsFor(base + "/stall-headers"));
    timer.start();
    error = errorOf([&] { silent.retrieveInstance(ref, limits); });
    QVERIFY2(error.contains("no response within 1 s"), qPrintable(error));
    QVERIFY(timer.elapsed() < 10000);
    DicomwebClient::Options o = optionsFor(base + "/stall-headers");
    o.responseTimeoutMs = 1000;
    timer.start();
    error = errorOf([&] { DicomwebClient(o).verify(); });  // a query
    QVERIFY2(error.contains("no response within 1 s"), qPrintable(error));
    QVERIFY(timer.elapsed() < 10000);

    DicomwebClient stalling(optionsFor(base + "/stall-body"));
    timer.start();
    error = errorOf([&] { stalling.retrieveInstance(ref, limits); });
    QVERIFY2(!error.isEmpty() && error.contains("1 s"), qPrintable(error));
    QVERIFY(timer.elapsed() < 10000);

    // 204 No Content: no match, as `[]` is (which Orthanc answers).
    const auto none = DicomwebClient(optionsFor(base + "/no-content")).find(Query{});
    QVERIFY(none.rows.empty() && !none.truncated);

    DicomwebClient conflict(optionsFor(base + "/stow-conflict"));
    error = errorOf([&] { conflict.store({std::vector<std::uint8_t>(10, 1)}); });
    QVERIFY2(error.contains("HTTP 409") && error.contains("1.2.3.4.5.6.7 (reason 0x0110)"),
             qPrintable(error));

    server.closeWriteChannel();
    QVERIFY(server.waitForFinished(30000));
}

void TestDicomweb::storedObjectIsFoundAgain() {
    QTemporaryDir dir;
    const QString out = dir.filePath("derived.dcm");
    const Fact& source = facts_.back();
    const QJsonObject uids =
        QJsonDocument::fromJson(runPython({tool("dicom_facts.py"), "derive",
                                           QString::fromStdString(source.at("path")), out}))
            .object();
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    DicomwebClient archive = orthanc();
    archive.store({std::vector<std::uint8_t>(bytes.begin(), bytes.end())});
    Query q;
    q.level = QueryLevel::Instance;
    q.studyUid = uids.value("StudyInstanceUID").toString().toStdString();
    q.seriesUid = uids.value("SeriesInstanceUID").toString().toStdString();
    const auto rows = archive.find(q).rows;
    QCOMPARE(rows.size(), std::size_t(1));
    QCOMPARE(rows[0].value("SOPInstanceUID"),
             uids.value("SOPInstanceUID").toString().toStdString());
    QCOMPARE(q.studyUid, source.at("StudyInstanceUID"));
    const auto back =
        archive.retrieveInstance({q.studyUid, q.seriesUid, rows[0].value("SOPInstanceUID")}, {});
    QVERIFY(medvae::ImageLoader::decode(back, "archive").pixels ==
            medvae::ImageLoader::loadFile(out.toStdString()).pixels);
}

// Under `orthanc_server.py --user NAME:PW`: the archive wants HTTP Basic credentials.
class TestDicomwebCredentials : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void credentialsDecide();
};

void TestDicomwebCredentials::credentialsDecide() {
    DicomwebClient::Options o = optionsFor(qgetenv("MEDVAE_ORTHANC_DICOMWEB"));
    o.auth = DicomwebClient::Auth::Basic;
    o.user = qgetenv("MEDVAE_ORTHANC_USER").toStdString();
    o.secret = qgetenv("MEDVAE_ORTHANC_PASSWORD").toStdString();
    DicomwebClient(o).verify();
    QVERIFY(!DicomwebClient(o).find(Query{}).rows.empty());

    o.secret = "wrong-password-x";
    QString error = errorOf([&] { DicomwebClient(o).verify(); });
    QVERIFY2(error.contains("HTTP 401") && error.contains("refused the credentials"),
             qPrintable(error));
    QVERIFY(!error.contains("wrong-password-x"));
    o.auth = DicomwebClient::Auth::Bearer;
    error = errorOf([&] { DicomwebClient(o).verify(); });
    QVERIFY2(error.contains("refused the credentials"), qPrintable(error));
    o.auth = DicomwebClient::Auth::None;
    error = errorOf([&] { DicomwebClient(o).verify(); });
    QVERIFY2(error.contains("HTTP 401") && error.contains("asks for credentials"),
             qPrintable(error));
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("MEDVAE_ORTHANC_USER")) {
        TestDicomwebCredentials credentials;
        return QTest::qExec(&credentials, argc, argv);
    }
    TestDicomweb test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_dicomweb.moc"
