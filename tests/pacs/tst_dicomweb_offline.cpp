// The DICOMweb parts that need no archive: the streaming multipart reader (chunkings, limits,
// truncation), the DICOM JSON model, archive profiles (secrets never in the settings) and the
// archive factory.
#include <QFile>
#include <QJsonDocument>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

#include "archive_factory.h"
#include "archive_profile.h"
#include "dicom_json.h"
#include "error.h"
#include "key_store.h"
#include "multipart_reader.h"

using medvae::Error;
using medvae::pacs::ArchiveProfile;
using medvae::pacs::DicomJson;
using medvae::pacs::DimseAddress;
using medvae::pacs::MultipartReader;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytesOf(const std::string& s) {
    return Bytes(s.begin(), s.end());
}

// Three bodies that tempt a careless reader: the boundary without its CRLF, a delimiter's
// prefix, CR LF runs, a NUL, and binary.
std::vector<Bytes> sampleBodies() {
    std::vector<Bytes> bodies;
    bodies.push_back(bytesOf("DICM--b0undary\r\n--b0undar\r\r\n-"));
    bodies.push_back(bytesOf(std::string("\0\r\n\r\nx", 6)));
    Bytes binary(3000);
    std::mt19937 random(7);
    for (auto& b : binary)
        b = std::uint8_t(random());
    bodies.push_back(binary);
    return bodies;
}

// A body as RFC 2046 writes it: preamble, parts (the second with Content-Length, the third without
// headers), padding after one delimiter, epilogue.
std::string multipartBody(const std::vector<Bytes>& bodies, const std::string& boundary) {
    std::string out = "preamble line\r\n";
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        out += "--" + boundary + (i == 1 ? " \t" : "") + "\r\n";
        if (i == 0) out += "Content-Type: application/dicom\r\nX-Part: one\r\n";
        if (i == 1) out += "content-length: " + std::to_string(bodies[i].size()) + "\r\n";
        out += "\r\n";
        out.append(bodies[i].begin(), bodies[i].end());
        out += "\r\n";
    }
    return out + "--" + boundary + "--\r\nepilogue --" + boundary + "\r\n";
}

std::vector<MultipartReader::Part> readInChunks(const std::string& body,
                                                const std::string& boundary, std::size_t chunk,
                                                MultipartReader::Limits limits = {}) {
    std::vector<MultipartReader::Part> parts;
    MultipartReader reader(boundary, limits,
                           [&parts](MultipartReader::Part&& p) { parts.push_back(std::move(p)); });
    for (std::size_t at = 0; at < body.size(); at += chunk)
        reader.feed(body.data() + at, std::min(chunk, body.size() - at));
    reader.finish();
    return parts;
}

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace

class TestDicomwebOffline : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void readsPartsInEveryChunking();
    void learnsTheBoundaryFromTheBody();
    void truncatedBodyNamesThePart();
    void enforcesLimits();
    void refusesMalformedFraming();
    void boundaryOfContentTypes();
    void dicomJsonRows();
    void stowFailures();
    void keywordsAndTags();
    void profilesKeepSecretsOutOfSettings();
    void dimseAddresses();
    void factoryKinds();
};

void TestDicomwebOffline::readsPartsInEveryChunking() {
    const std::vector<Bytes> bodies = sampleBodies();
    const std::string boundary = "b0undary";
    const std::string body = multipartBody(bodies, boundary);
    for (std::size_t chunk : {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(13),
                              std::size_t(1000), body.size()}) {
        const auto parts = readInChunks(body, boundary, chunk);
        QCOMPARE(parts.size(), bodies.size());
        for (std::size_t i = 0; i < parts.size(); ++i) {
            QVERIFY2(parts[i].body == bodies[i],
                     qPrintable(QString("part %1, chunk %2").arg(i + 1).arg(chunk)));
            QCOMPARE(parts[i].number, int(i + 1));
        }
        QCOMPARE(parts[0].header("content-type"), std::string("application/dicom"));
        QCOMPARE(parts[0].header("x-part"), std::string("one"));
        QCOMPARE(parts[1].header("content-length"), std::to_string(bodies[1].size()));
        QVERIFY(parts[2].headers.empty());
    }
}

void TestDicomwebOffline::learnsTheBoundaryFromTheBody() {
    const std::vector<Bytes> bodies = sampleBodies();
    // No preamble: the first delimiter opens the body, without a CRLF before it.
    std::string body = multipartBody(bodies, "learnt-1");
    body.erase(0, body.find("--"));
    for (std::size_t chunk : {std::size_t(1), std::size_t(5), body.size()}) {
        std::vector<MultipartReader::Part> parts;
        MultipartReader reader({}, {}, [&](MultipartReader::Part&& p) { parts.push_back(p); });
        for (std::size_t at = 0; at < body.size(); at += chunk)
            reader.feed(body.data() + at, std::min(chunk, body.size() - at));
        reader.finish();
        QCOMPARE(reader.boundary(), std::string("learnt-1"));
        QCOMPARE(parts.size(), bodies.size());
        QVERIFY(parts[2].body == bodies[2]);
    }
    // A first boundary line too long (text past 70 characters far before its end), whole or a
    // byte at a time: the same verdict (once "no boundary in its first 1024 bytes" when split).
    const std::string longLine = "--" + std::string(100, 'b') + std::string(2000, 'x') + "\r\n";
    for (std::size_t chunk : {std::size_t(1), std::size_t(7), longLine.size()}) {
        const QString e = errorOf([&] {
            MultipartReader reader({}, {}, [](MultipartReader::Part&&) {});
            for (std::size_t at = 0; at < longLine.size(); at += chunk)
                reader.feed(longLine.data() + at, std::min(chunk, longLine.size() - at));
            reader.finish();
        });
        QVERIFY2(e.contains("longer than 70 characters"), qPrintable(e));
    }
}

void TestDicomwebOffline::truncatedBodyNamesThePart() {
    const std::vector<Bytes> bodies = sampleBodies();
    const std::string body = multipartBody(bodies, "b0undary");
    const std::size_t second = body.find("--b0undary \t");
    const std::size_t third = body.find("\r\n--b0undary\r\n", second);
    for (std::size_t cut = second + 20; cut < third; cut += 3) {
        std::size_t delivered = 0;
        MultipartReader reader("b0undary", {}, [&](MultipartReader::Part&&) { ++delivered; });
        reader.feed(body.data(), cut);
        QCOMPARE(errorOf([&] { reader.finish(); }),
                 QString("the archive's answer ended inside part 2"));
        QCOMPARE(delivered, std::size_t(1));  // part 1 was whole, part 2 never handed on
    }
    MultipartReader empty("b0undary", {}, [](MultipartReader::Part&&) {});
    QVERIFY(errorOf([&] { empty.finish(); }).contains("before its first part"));
}

void TestDicomwebOffline::enforcesLimits() {
    const std::vector<Bytes> bodies = sampleBodies();
    const std::string body = multipartBody(bodies, "b0undary");
    MultipartReader::Limits small;
    small.maxPartBytes = 2999;  // the third part holds 3000
    QVERIFY(errorOf([&] {
                readInChunks(body, "b0undary", 64, small);
            }).contains("part 3 of the archive's answer is larger than the limit"));
    // An announced length over the limit is refused before the body arrives.
    small = {};
    small.maxPartBytes = 50;
    MultipartReader early("b", small, [](MultipartReader::Part&&) {});
    const std::string announced = "--b\r\nContent-Length: 100\r\n\r\n";
    QCOMPARE(errorOf([&] { early.feed(announced.data(), announced.size()); }),
             QString("part 1 of the archive's answer (100 bytes) is larger than the limit of 50 "
                     "bytes"));
    small = {};
    small.maxParts = 2;
    QVERIFY(
        errorOf([&] { readInChunks(body, "b0undary", 64, small); }).contains("more than 2 parts"));
    small = {};
    small.maxHeaderBytes = 40;
    const std::string longHeader =
        "--b\r\nX-Long: " + std::string(100, 'a') + "\r\n\r\nbody\r\n--b--\r\n";
    QVERIFY(
        errorOf([&] { readInChunks(longHeader, "b", 7, small); }).contains("headers of part 1"));
    small = {};
    small.maxPreambleBytes = 100;
    const std::string noBoundary(5000, 'x');
    QVERIFY(errorOf([&] { readInChunks(noBoundary, "b", 50, small); }).contains("no boundary"));
    // A preamble over the bound is refused however it arrives, also when the delimiter after it
    // comes in the same feed.
    const std::string longPreamble = std::string(300, 'p') + "\r\n--b\r\n\r\nx\r\n--b--\r\n";
    for (std::size_t chunk : {std::size_t(7), longPreamble.size()})
        QCOMPARE(errorOf([&] { readInChunks(longPreamble, "b", chunk, small); }),
                 QString("the archive's answer is not valid multipart: no boundary in its first "
                         "100 bytes"));
}

void TestDicomwebOffline::refusesMalformedFraming() {
    // Content-Length that does not reach the delimiter.
    const std::string wrongLength = "--b\r\nContent-Length: 2\r\n\r\nabc\r\n--b--\r\n";
    QVERIFY(errorOf([&] { readInChunks(wrongLength, "b", 1); }).contains("Content-Length"));
    const std::string badLength = "--b\r\nContent-Length: 1e3\r\n\r\nabc\r\n--b--\r\n";
    QVERIFY(errorOf([&] { readInChunks(badLength, "b", 4); }).contains("malformed Content-Length"));
    const std::string textAfter = "--b junk\r\n\r\nabc\r\n--b--\r\n";
    QVERIFY(errorOf([&] { readInChunks(textAfter, "b", 4); }).contains("other text"));
    const std::string noName = "--b\r\n: value\r\n\r\nabc\r\n--b--\r\n";
    QVERIFY(errorOf([&] { readInChunks(noName, "b", 4); }).contains("without a name"));
    // Text after a boundary line's first 1024 bytes of padding, and padding that never ends:
    // the same verdict whether the answer arrives whole or a byte at a time (the multipart fuzz
    // target once found "does not end" split against "other text" whole).
    const std::string lateText = "--b" + std::string(1100, ' ') + "x\r\n\r\nabc\r\n--b--\r\n";
    const std::string early =
        "--b" + std::string(10, ' ') + "x" + std::string(1100, 'y') + "\r\n\r\nabc\r\n--b--\r\n";
    for (const std::string& body : {lateText, early}) {
        const QString whole = errorOf([&] { readInChunks(body, "b", body.size()); });
        QVERIFY(!whole.isEmpty());
        for (std::size_t chunk : {std::size_t(1), std::size_t(7), std::size_t(1024)})
            QCOMPARE(errorOf([&] { readInChunks(body, "b", chunk); }), whole);
    }
    QVERIFY(errorOf([&] { readInChunks(lateText, "b", 1); }).contains("does not end"));
    QVERIFY(errorOf([&] { readInChunks(early, "b", 1); }).contains("other text"));
}

void TestDicomwebOffline::boundaryOfContentTypes() {
    QCOMPARE(MultipartReader::boundaryOf(
                 "multipart/related; type=\"application/dicom\"; boundary=\"a b;c\""),
             std::string("a b;c"));
    QCOMPARE(MultipartReader::boundaryOf("Multipart/Related;BOUNDARY=xyz;type=application/dicom"),
             std::string("xyz"));
    QCOMPARE(MultipartReader::parameterOf("multipart/related; type=\"application/dicom\"", "type"),
             std::string("application/dicom"));
    QVERIFY(errorOf([] {
                MultipartReader::boundaryOf("application/dicom");
            }).contains("instead of a multipart body"));
    QVERIFY(errorOf([] {
                MultipartReader::boundaryOf("multipart/related; type=x");
            }).contains("no valid boundary"));
    QVERIFY(errorOf([] {
                MultipartReader::boundaryOf("multipart/related; boundary=" + std::string(71, 'b'));
            }).contains("no valid boundary"));
    QVERIFY(
        MultipartReader::boundaryOf("multipart/related; boundary=" + std::string(70, 'b')).size() ==
        70);
}

void TestDicomwebOffline::dicomJsonRows() {
    const QByteArray answer = R"([{
        "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^Jane", "Ideographic": "x"}]},
        "00200013": {"vr": "IS", "Value": [7]},
        "00280030": {"vr": "DS", "Value": [0.5, 0.25]},
        "00081030": {"vr": "LO"},
        "00080061": {"vr": "CS", "Value": ["CT", "MR"]},
        "00280010": {"vr": "US", "Value": [512]},
        "00081115": {"vr": "SQ", "Value": [{}]},
        "00091001": {"vr": "LO", "Value": ["private"]}
    }])";
    const auto rows = DicomJson::rowsOf(answer);
    QCOMPARE(rows.size(), std::size_t(1));
    const auto& r = rows[0];
    QCOMPARE(r.value("PatientName"), std::string("Doe^Jane"));
    QCOMPARE(r.value("InstanceNumber"), std::string("7"));
    QCOMPARE(r.value("PixelSpacing"), std::string("0.5\\0.25"));
    QCOMPARE(r.value("ModalitiesInStudy"), std::string("CT\\MR"));
    QCOMPARE(r.value("Rows"), std::string("512"));
    QVERIFY(r.values.count("StudyDescription") == 1 && r.value("StudyDescription").empty());
    QVERIFY(r.values.count("ReferencedSeriesSequence") == 0);
    QCOMPARE(r.value("00091001"), std::string("private"));
    QVERIFY(DicomJson::rowsOf("").empty());
    QVERIFY(DicomJson::rowsOf("[]").empty());
    QVERIFY(errorOf([] { DicomJson::rowsOf("{\"a\": 1}"); }).contains("not a DICOM JSON array"));
    QVERIFY(errorOf([] { DicomJson::rowsOf("[1]"); }).contains("no dataset"));
    QVERIFY(errorOf([] { DicomJson::rowsOf("[{"); }).contains("not a DICOM JSON array"));
}

void TestDicomwebOffline::stowFailures() {
    const QByteArray reply = R"({"00081198": {"vr": "SQ", "Value": [
        {"00081155": {"vr": "UI", "Value": ["1.2.3"]}, "00081197": {"vr": "US", "Value": [272]}}]},
        "00081199": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": ["1.2.4"]}}]}})";
    const auto failed = DicomJson::failedStores(reply);
    QCOMPARE(failed.size(), std::size_t(1));
    QCOMPARE(failed[0], std::string("1.2.3 (reason 0x0110)"));
    QVERIFY(DicomJson::failedStores(R"({"00081199": {"vr": "SQ", "Value": [{}]}})").empty());
}

void TestDicomwebOffline::keywordsAndTags() {
    QCOMPARE(DicomJson::tagOf("StudyDate"), std::string("00080020"));
    QCOMPARE(DicomJson::tagOf("ModalitiesInStudy"), std::string("00080061"));
    QCOMPARE(DicomJson::tagOf("0020000d"), std::string("0020000D"));
    QCOMPARE(DicomJson::keywordOf("0020000D"), std::string("StudyInstanceUID"));
    QVERIFY(errorOf([] { DicomJson::tagOf("NoSuchKeyword"); }).contains("not a DICOM attribute"));
}

void TestDicomwebOffline::profilesKeepSecretsOutOfSettings() {
    QTemporaryDir dir;
    const QString file = dir.filePath("settings.ini");
    {
        QSettings settings(file, QSettings::IniFormat);
        ArchiveProfile p;
        p.name = "Hospital archive";
        p.address = "https://pacs.example/dicom-web";
        p.auth = ArchiveProfile::Auth::Basic;
        p.user = "reader";
        p.save(settings);
        ArchiveProfile d;
        d.name = "Modality";
        d.kind = ArchiveProfile::Kind::Dimse;
        d.address = "ORTHANC@127.0.0.1:4242";
        d.callingAet = "ME";
        d.save(settings);
        ArchiveProfile bad = d;
        bad.name = "a/b";
        QVERIFY(errorOf([&] { bad.save(settings); }).contains("without '/'"));
        bad.name = "x";
        bad.address = "ORTHANC@host";
        QVERIFY(errorOf([&] { bad.save(settings); }).contains("AET@HOST:PORT"));
    }
    QSettings settings(file, QSettings::IniFormat);
    const auto all = ArchiveProfile::loadAll(settings);
    QCOMPARE(all.size(), std::size_t(2));
    QCOMPARE(all[0].name, std::string("Hospital archive"));
    QCOMPARE(all[0].user, std::string("reader"));
    QVERIFY(all[0].auth == ArchiveProfile::Auth::Basic);
    QVERIFY(all[1].kind == ArchiveProfile::Kind::Dimse);
    QCOMPARE(all[1].callingAet, std::string("ME"));
    // The secret: from the keychain (here a session key), never in the settings file.
    medvae::remote::KeyStore keys(QStringLiteral("MedVAE Studio tst_dicomweb_offline"));
    QVERIFY(errorOf([&] {
                keys.keepForSession(QString::fromStdString(all[0].keyAccount()), QString());
                all[0].readSecret(&keys);
            }).contains("holds no password"));
    keys.keepForSession(QString::fromStdString(all[0].keyAccount()), "s3cret-pw");
    QCOMPARE(all[0].readSecret(&keys), std::string("s3cret-pw"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.contains("reader"));
    QVERIFY(!text.contains("s3cret"));
    ArchiveProfile::remove(settings, "Modality");
    QCOMPARE(ArchiveProfile::loadAll(settings).size(), std::size_t(1));
}

void TestDicomwebOffline::dimseAddresses() {
    const DimseAddress a = DimseAddress::parse("ORTHANC@pacs.example:104");
    QCOMPARE(a.aeTitle, std::string("ORTHANC"));
    QCOMPARE(a.host, std::string("pacs.example"));
    QCOMPARE(int(a.port), 104);
    QCOMPARE(a.text(), std::string("ORTHANC@pacs.example:104"));
    for (const char* bad : {"ORTHANC", "@h:1", "A@:1", "A@h:0", "A@h:70000", "A@h:x",
                            "SEVENTEEN_CHARS_X@h:1", "A\\B@h:1"})
        QVERIFY2(!errorOf([bad] { DimseAddress::parse(bad); }).isEmpty(), bad);
}

void TestDicomwebOffline::factoryKinds() {
    ArchiveProfile dimse;
    dimse.kind = ArchiveProfile::Kind::Dimse;
    dimse.address = "ORTHANC@127.0.0.1";
    QVERIFY(errorOf([&] { medvae::pacs::openArchive(dimse); }).contains("AET@HOST:PORT"));
    dimse.address = "ORTHANC@127.0.0.1:4242";
    dimse.callingAet = "STUDIO";
    QCOMPARE(medvae::pacs::openArchive(dimse)->describe(),
             std::string("DIMSE ORTHANC@127.0.0.1:4242"));
    dimse.callingAet = "A\\B";
    QVERIFY(errorOf([&] { medvae::pacs::openArchive(dimse); }).contains("calling"));
    ArchiveProfile web;
    web.address = "http://127.0.0.1:8042/dicom-web/";
    QCOMPARE(medvae::pacs::openArchive(web)->describe(),
             std::string("DICOMweb http://127.0.0.1:8042/dicom-web"));
    web.auth = ArchiveProfile::Auth::Bearer;
    QVERIFY(errorOf([&] { medvae::pacs::openArchive(web); }).contains("needs a password or token"));
    web.address = "ftp://host/dicom-web";
    QVERIFY(
        errorOf([&] { medvae::pacs::openArchive(web, "t"); }).contains("not a DICOMweb address"));
}

QTEST_GUILESS_MAIN(TestDicomwebOffline)
#include "tst_dicomweb_offline.moc"
