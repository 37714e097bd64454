// DimseClient against a private Orthanc (orthanc_server.py wraps this program): C-ECHO; C-FIND
// at the study, series and image levels compared with pydicom's reading of the loaded files;
// C-GET of a series whose every instance decodes to the same model input as the file on disk;
// rejections, refusals and silence reported in words within their timeouts; the row limit.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <ATen/ATen.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "association_slots.h"
#include "derived_sink.h"
#include "dimse_client.h"
#include "error.h"
#include "error_heatmap.h"
#include "image_loader.h"
#include "loopback_listener.h"
#include "preprocessing.h"
#include "reconstruction.h"

using namespace medvae;
using namespace medvae::pacs;

namespace {

QJsonObject runReference(const QStringList& args) {
    QProcess p;
    p.start(MEDVAE_PYTHON, QStringList{MEDVAE_DIMSE_REFERENCE} + args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        qFatal("dimse_reference.py %s failed: %s", qPrintable(args.join(' ')),
               p.readAllStandardError().constData());
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

// The loaded files as pydicom reads them.
struct ReferenceInstance {
    std::string path, study, series, sop, patientId, modality, seriesNumber, instanceNumber;
};

std::string envText(const char* name) {
    const QByteArray v = qgetenv(name);
    if (v.isEmpty()) qFatal("%s is not set: run this test through orthanc_server.py", name);
    return v.toStdString();
}

// The message of the medvae::Error `call` throws (logged: it is what a user reads), or empty.
QString errorOf(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& e) {
        qInfo().noquote() << "error:" << e.what();
        return QString::fromStdString(e.what());
    }
    return {};
}

// A fake archive that accepts every association (each presentation context with Implicit VR
// Little Endian) and then never answers a DIMSE request: the DIMSE timeout's test.
void acceptThenSilence(QTcpSocket* socket) {
    auto received = std::make_shared<QByteArray>();
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, received] {
        received->append(socket->readAll());
        if (received->size() < 74 || quint8(received->at(0)) != 0x01) return;
        const auto be16 = [&](int at) {
            return int(quint8(received->at(at))) << 8 | int(quint8(received->at(at + 1)));
        };
        const int length = int(qFromBigEndian<quint32>(received->constData() + 2)) + 6;
        if (received->size() < length) return;
        QByteArray body;
        body += QByteArray::fromHex("00010000");
        body += received->mid(10, 32);  // called and calling AE titles, as asked
        body += QByteArray(32, '\0');
        const QByteArray implicitLittleEndian("1.2.840.10008.1.2");
        for (int at = 74; at + 4 <= length; at += 4 + be16(at + 2)) {
            const quint8 type = quint8(received->at(at));
            if (type == 0x10) body += received->mid(at, 4 + be16(at + 2));
            if (type != 0x20) continue;
            QByteArray item = QByteArray::fromHex("21000000");
            item += received->at(at + 4);  // the presentation context ID
            item += QByteArray::fromHex("00000040000000");
            item[item.size() - 1] = char(implicitLittleEndian.size());
            item += implicitLittleEndian;
            item[3] = char(item.size() - 4);
            body += item;
        }
        // User information: maximum length 16384 and an implementation class UID.
        const QByteArray implementation("1.2.3.4.5.6");
        QByteArray user = QByteArray::fromHex("510000040000400052000000") + implementation;
        user[11] = char(implementation.size());
        body += QByteArray::fromHex("5000") + char(0) + char(user.size()) + user;
        QByteArray pdu = QByteArray::fromHex("0200");
        const quint32 size = qToBigEndian(quint32(body.size()));
        pdu += QByteArray(reinterpret_cast<const char*>(&size), 4) + body;
        socket->write(pdu);
        received->clear();
        received->append('\xff');  // answered: everything after this is ignored
    });
}

at::Tensor modelInput(const Image& image) {
    return Preprocessing::toModelInput(image, 1);
}

}  // namespace

class TestDimse : public QObject {
    Q_OBJECT

    DimseClientOptions options_;
    std::vector<ReferenceInstance> corpus_;
    std::map<std::string, std::vector<ReferenceInstance>> bySeries_, byStudy_;

    DimseClient client() const { return DimseClient(options_); }
    // The series with the most instances.
    const std::vector<ReferenceInstance>& largestSeries() const {
        const std::vector<ReferenceInstance>* best = nullptr;
        for (const auto& [uid, list] : bySeries_)
            if (!best || list.size() > best->size()) best = &list;
        return *best;
    }

  private Q_SLOTS:
    void initTestCase() {
        options_.archive.aeTitle = envText("MEDVAE_ORTHANC_AET");
        options_.archive.host = "127.0.0.1";
        options_.archive.port = std::uint16_t(std::stoi(envText("MEDVAE_ORTHANC_DICOM_PORT")));
        options_.callingAeTitle = envText("MEDVAE_ORTHANC_CALLER_AET");
        options_.timeouts = {5000, 5000, 20000};
        const QJsonObject ref =
            runReference(QStringList{"corpus"} + QString(MEDVAE_DIMSE_CORPUS).split('|'));
        for (const QJsonValue& v : ref["instances"].toArray()) {
            const QJsonObject o = v.toObject();
            const auto s = [&](const char* k) { return o[k].toString().toStdString(); };
            corpus_.push_back({s("path"), s("study"), s("series"), s("sop"), s("patient_id"),
                               s("modality"), s("series_number"), s("instance_number")});
            bySeries_[corpus_.back().series].push_back(corpus_.back());
            byStudy_[corpus_.back().study].push_back(corpus_.back());
        }
        QCOMPARE(qsizetype(corpus_.size()), qgetenv("MEDVAE_ORTHANC_LOADED").toLongLong());
        QVERIFY2(largestSeries().size() >= 3, "the corpus needs a series of 3+ instances");
    }

    void addressSpecs() {
        const DimseAddress a = DimseAddress::parse("ORTHANC@pacs.example.org:4242");
        QCOMPARE(a.aeTitle, std::string("ORTHANC"));
        QCOMPARE(a.host, std::string("pacs.example.org"));
        QCOMPARE(int(a.port), 4242);
        const DimseAddress v6 = DimseAddress::parse("PACS@[::1]:104");
        QCOMPARE(v6.host, std::string("::1"));
        QCOMPARE(v6.text(), std::string("PACS@[::1]:104"));
        for (const char* bad :
             {"pacs.example.org:4242", "@host:104", "PACS@host", "PACS@:104", "PACS@host:0",
              "PACS@host:65536", "PACS@host:12x", "SEVENTEEN_LETTERS@host:104", "A\\B@host:104"}) {
            const QString e = errorOf([&] { DimseAddress::parse(bad); });
            QVERIFY2(e.contains("is not AET@HOST:PORT") && e.contains(bad), qPrintable(e));
        }
    }

    void echo() { client().verify(); }

    void findStudies() {
        Query q;
        q.level = QueryLevel::Study;
        const QueryAnswer a = client().find(q);
        QVERIFY(!a.truncated);
        QCOMPARE(a.rows.size(), byStudy_.size());
        for (const QueryRow& row : a.rows) {
            const auto it = byStudy_.find(row.value("StudyInstanceUID"));
            QVERIFY2(it != byStudy_.end(), row.value("StudyInstanceUID").c_str());
            QCOMPARE(row.value("PatientID"), it->second.front().patientId);
            QCOMPARE(row.value("NumberOfStudyRelatedInstances"), std::to_string(it->second.size()));
        }
        // A matching key: only the studies of one patient.
        Query byPatient = q;
        byPatient.keys["PatientID"] = largestSeries().front().patientId;
        std::set<std::string> expected;
        for (const auto& i : corpus_)
            if (i.patientId == largestSeries().front().patientId) expected.insert(i.study);
        std::set<std::string> found;
        for (const QueryRow& row : client().find(byPatient).rows)
            found.insert(row.value("StudyInstanceUID"));
        QCOMPARE(found, expected);
    }

    void findSeries() {
        const std::string study = largestSeries().front().study;
        Query q;
        q.level = QueryLevel::Series;
        q.studyUid = study;
        const QueryAnswer a = client().find(q);
        std::map<std::string, const std::vector<ReferenceInstance>*> expected;
        for (const auto& [uid, list] : bySeries_)
            if (list.front().study == study) expected[uid] = &list;
        QCOMPARE(a.rows.size(), expected.size());
        for (const QueryRow& row : a.rows) {
            const auto it = expected.find(row.value("SeriesInstanceUID"));
            QVERIFY(it != expected.end());
            QCOMPARE(row.value("Modality"), it->second->front().modality);
            QCOMPARE(row.value("SeriesNumber"), it->second->front().seriesNumber);
            QCOMPARE(row.value("NumberOfSeriesRelatedInstances"),
                     std::to_string(it->second->size()));
        }
        QVERIFY(errorOf([&] {
                    Query noStudy;
                    noStudy.level = QueryLevel::Series;
                    client().find(noStudy);
                }).contains("needs a study UID"));
    }

    void findInstances() {
        const auto& series = largestSeries();
        Query q;
        q.level = QueryLevel::Instance;
        q.studyUid = series.front().study;
        q.seriesUid = series.front().series;
        const QueryAnswer a = client().find(q);
        QVERIFY(!a.truncated);
        std::map<std::string, std::string> expected;  // SOP instance UID -> InstanceNumber
        for (const auto& i : series)
            expected[i.sop] = i.instanceNumber;
        std::map<std::string, std::string> found;
        for (const QueryRow& row : a.rows)
            found[row.value("SOPInstanceUID")] = row.value("InstanceNumber");
        QCOMPARE(found, expected);
    }

    void limitTruncates() {
        const auto& series = largestSeries();
        Query q;
        q.level = QueryLevel::Instance;
        q.studyUid = series.front().study;
        q.seriesUid = series.front().series;
        q.limit = 2;
        const QueryAnswer cut = client().find(q);
        QVERIFY(cut.truncated);
        QCOMPARE(cut.rows.size(), std::size_t(2));
        q.limit = series.size();  // exactly all: nothing left over
        const QueryAnswer all = client().find(q);
        QVERIFY(!all.truncated);
        QCOMPARE(all.rows.size(), series.size());
        // The association was closed cleanly after the cancel: the next call works.
        client().verify();
    }

    void retrieveSeriesDecodesAsOnDisk() {
        const auto& series = largestSeries();
        std::map<std::string, std::string> pathBySop;
        for (const auto& i : series)
            pathBySop[i.sop] = i.path;
        std::set<std::string> received;
        client().retrieve(series.front().study, series.front().series, RetrieveLimits{},
                          [&](const InstanceRef& ref, std::vector<std::uint8_t>&& bytes) {
                              QCOMPARE(ref.seriesUid, series.front().series);
                              const auto it = pathBySop.find(ref.sopInstanceUid);
                              QVERIFY(it != pathBySop.end());
                              const at::Tensor fromArchive =
                                  modelInput(ImageLoader::decode(bytes, ref.sopInstanceUid));
                              const at::Tensor fromDisk =
                                  modelInput(ImageLoader::loadFile(it->second));
                              QVERIFY(fromArchive.sizes() == fromDisk.sizes());
                              QVERIFY(at::equal(fromArchive, fromDisk));
                              received.insert(ref.sopInstanceUid);
                          });
        QCOMPARE(received.size(), series.size());
    }

    void retrieveStudy() {
        const std::string study = largestSeries().front().study;
        std::map<std::string, std::string> expected;  // SOP instance -> series
        for (const auto& i : byStudy_[study])
            expected[i.sop] = i.series;
        std::map<std::string, std::string> received;
        client().retrieve(study, "", RetrieveLimits{},
                          [&](const InstanceRef& ref, std::vector<std::uint8_t>&&) {
                              received[ref.sopInstanceUid] = ref.seriesUid;
                          });
        QCOMPARE(received, expected);
    }

    void retrieveInstanceAndLimits() {
        const ReferenceInstance& one = largestSeries().front();
        const std::vector<std::uint8_t> bytes =
            client().retrieveInstance({one.study, one.series, one.sop}, RetrieveLimits{});
        QVERIFY(at::equal(modelInput(ImageLoader::decode(bytes, one.sop)),
                          modelInput(ImageLoader::loadFile(one.path))));
        // An instance over the limit is refused at once, without keeping it (and without
        // waiting for the rest of a dataset that has already arrived).
        RetrieveLimits tiny;
        tiny.maxInstanceBytes = 100;
        QElapsedTimer timer;
        timer.start();
        const QString e = errorOf([&] {
            client().retrieveInstance({one.study, one.series, one.sop}, tiny);
        });
        QVERIFY2(e.contains("larger than the limit of 100 bytes per instance"), qPrintable(e));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        RetrieveLimits two;
        two.maxInstances = 2;
        const QString many = errorOf([&] {
            client().retrieve(one.study, one.series, two, [](const InstanceRef&, auto&&) {});
        });
        QVERIFY2(many.contains("more than 2 instances"), qPrintable(many));
        client().verify();  // the archive still answers after the aborted retrievals
    }

    void cancelledBetweenResponses() {
        DimseClientOptions o = options_;
        o.cancelled = [] { return true; };
        Query q;
        const QString e = errorOf([&] { DimseClient(o).find(q); });
        QVERIFY2(e.contains("C-FIND failed: cancelled"), qPrintable(e));
        client().verify();
    }

    void associationsAreCapped() {
        const int capacity = AssociationSlots::capacity();
        QCOMPARE(capacity, AssociationSlots::kDefaultCapacity);
        AssociationSlots::setCapacity(1);
        {
            AssociationSlots::Slot held("a test", 1000, {});
            QCOMPARE(AssociationSlots::inUse(), 1);
            DimseClientOptions o = options_;
            o.timeouts.connectMs = 300;
            o.timeouts.acseMs = 300;
            const QString e = errorOf([&] { DimseClient(o).verify(); });
            QVERIFY2(e.contains("no free connection") && e.contains("all 1 DIMSE associations"),
                     qPrintable(e));
        }
        QCOMPARE(AssociationSlots::inUse(), 0);
        client().verify();  // the slot came back
        AssociationSlots::setCapacity(capacity);
    }

    void wrongCalledAeTitleIsRejectedInWords() {
        DimseClientOptions o = options_;
        o.archive.aeTitle = "NOTTHEARCHIVE";
        const QString e = errorOf([&] { DimseClient(o).verify(); });
        QVERIFY2(e.contains("rejected the association") &&
                     e.contains("called AE title 'NOTTHEARCHIVE' not recognised"),
                 qPrintable(e));
    }

    void unknownCallingAeTitleCannotFind() {
        DimseClientOptions o = options_;
        o.callingAeTitle = "STRANGER";
        Query q;
        const QString e = errorOf([&] { DimseClient(o).find(q); });
        QVERIFY2(e.contains("C-FIND") && e.contains("calling AE title 'STRANGER'"), qPrintable(e));
    }

    void closedPortIsRefusedQuickly() {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }  // closed: nothing listens there now
        DimseClientOptions o = options_;
        o.archive.port = port;
        QElapsedTimer timer;
        timer.start();
        const QString e = errorOf([&] { DimseClient(o).verify(); });
        QVERIFY2(e.contains("connection refused"), qPrintable(e));
        QVERIFY2(timer.elapsed() < o.timeouts.connectMs,
                 qPrintable(QString::number(timer.elapsed())));
    }

    void silentArchiveAfterAssociationTimesOut() {
        test::LoopbackListener silent("silent archive", acceptThenSilence);
        DimseClientOptions o = options_;
        o.archive.port = silent.port();
        o.timeouts.dimseMs = 2000;
        QElapsedTimer timer;
        timer.start();
        const QString e = errorOf([&] { DimseClient(o).verify(); });
        const qint64 elapsed = timer.elapsed();
        QVERIFY2(e.contains("C-ECHO failed: timeout") && e.contains("2 s (DIMSE timeout)"),
                 qPrintable(e));
        QVERIFY2(elapsed >= 1500 && elapsed < 2000 + 3000, qPrintable(QString::number(elapsed)));
    }

    void silentServerTimesOut() {
        // Accepts the connection and never says a word.
        test::LoopbackListener silent("silent archive", [](QTcpSocket*) {});
        DimseClientOptions o = options_;
        o.archive.port = silent.port();
        o.timeouts.acseMs = 2000;
        QElapsedTimer timer;
        timer.start();
        const QString e = errorOf([&] { DimseClient(o).verify(); });
        const qint64 elapsed = timer.elapsed();
        QVERIFY2(e.contains("timeout") && e.contains("2 s"), qPrintable(e));
        QVERIFY2(elapsed >= 1500 && elapsed < 2000 + 3000, qPrintable(QString::number(elapsed)));
    }

    // Runs last: it adds series to loaded studies. A signed, rescaled CT slice and an unsigned
    // 12-bit MR slice without rescale.
    void derivedObjectsStoredAndFoundAgain_data() {
        QTest::addColumn<QString>("sop");
        QTest::newRow("signed CT") << QString::fromStdString(largestSeries().front().sop);
        for (const auto& i : corpus_)
            if (i.path.find("colin27") != std::string::npos)
                QTest::newRow("unsigned MR") << QString::fromStdString(i.sop);
    }

    void derivedObjectsStoredAndFoundAgain() {
        QFETCH(QString, sop);
        const ReferenceInstance& one =
            *std::find_if(corpus_.begin(), corpus_.end(),
                          [&](const auto& i) { return i.sop == sop.toStdString(); });
        const QString url = QString::fromStdString(envText("MEDVAE_ORTHANC_URL"));
        const QString originalBefore = runReference({"file-sha256", url, sop})["sha256"].toString();
        const std::vector<std::uint8_t> source =
            client().retrieveInstance({one.study, one.series, one.sop}, RetrieveLimits{});
        const Image image = ImageLoader::decode(source, one.sop);
        // A stand-in for the model's output: deterministic, and different from the input.
        const at::Tensor decoded = Preprocessing::toModelInput(image, 1).flip({2}) * 0.8;
        const Reconstruction rec = compareReconstruction(image, decoded);
        DerivedResult result;
        result.source = source;
        result.reconstruction = rec.reconstruction;
        result.heatmap = ErrorHeatmap::of(rec.signedError, ErrorHeatmap::Kind::Absolute);
        result.model = {"medvae_test", std::string(64, 'a').replace(0, 12, "0123456789ab")};
        DimseClient archive = client();
        DerivedSink sink(archive);
        const std::vector<InstanceRef> stored = sink.store(result);
        QCOMPARE(stored.size(), std::size_t(2));
        checkFoundAgain(one, stored);
        checkStoredReconstruction(one, stored[0], result, image.meta.bitsPerSample);
        checkStoredHeatmap(one, stored[1], result.heatmap);
        // The original is untouched.
        QCOMPARE(runReference({"file-sha256", url, sop})["sha256"].toString(), originalBefore);
    }

  private:
    static int seriesNumber(const ReferenceInstance& i) {
        return i.seriesNumber.empty() ? 0 : std::stoi(i.seriesNumber);
    }

    // Each derived object is found by C-FIND, alone in its new series of the original's study.
    void checkFoundAgain(const ReferenceInstance& one, const std::vector<InstanceRef>& stored) {
        for (const InstanceRef& ref : stored) {
            QCOMPARE(ref.studyUid, one.study);
            QVERIFY(ref.seriesUid != one.series && ref.sopInstanceUid != one.sop);
            QVERIFY(ref.sopInstanceUid.rfind("2.25.", 0) == 0 && ref.sopInstanceUid.size() <= 64);
            Query q;
            q.level = QueryLevel::Instance;
            q.studyUid = ref.studyUid;
            q.seriesUid = ref.seriesUid;
            const QueryAnswer a = client().find(q);
            QCOMPARE(a.rows.size(), std::size_t(1));
            QCOMPARE(a.rows.front().value("SOPInstanceUID"), ref.sopInstanceUid);
        }
    }

    // pydicom's reading, through Orthanc's REST API, of what was stored.
    QJsonObject storedObject(const InstanceRef& ref, const ReferenceInstance& one,
                             const char* photometric) {
        const QString url = QString::fromStdString(envText("MEDVAE_ORTHANC_URL"));
        const QJsonObject r =
            runReference({"stored", url, QString::fromStdString(ref.sopInstanceUid)});
        [&] {
            QCOMPARE(r["image_type"].toArray(), (QJsonArray{"DERIVED", "SECONDARY"}));
            QCOMPARE(r["sop_class"].toString(), QString(DerivedObject::kSecondaryCapture));
            QCOMPARE(r["conversion_type"].toString(), QString("WSD"));
            QCOMPARE(r["patient_id"].toString().toStdString(), one.patientId);
            QCOMPARE(r["study"].toString().toStdString(), one.study);
            QCOMPARE(r["series"].toString().toStdString(), ref.seriesUid);
            QCOMPARE(r["source_sops"].toArray(), (QJsonArray{QString::fromStdString(one.sop)}));
            QCOMPARE(r["referenced_series"].toArray(),
                     (QJsonArray{QString::fromStdString(one.series)}));
            QVERIFY(r["series_description"].toString().contains("medvae_test 0123456789ab"));
            QCOMPARE(r["photometric"].toString(), QString(photometric));
        }();
        return r;
    }

    void checkStoredReconstruction(const ReferenceInstance& one, const InstanceRef& ref,
                                   const DerivedResult& result, int bitsStored) {
        const QJsonObject r = storedObject(ref, one, "MONOCHROME2");
        QCOMPARE(r["series_number"].toString(), QString::number(1000 + seriesNumber(one)));
        QCOMPARE(r["bits_stored"].toInt(), bitsStored);
        // Stored values give the reconstruction back through the rescale, to half a step.
        const double slope = r["rescale_slope"].toDouble();
        const double intercept = r["rescale_intercept"].toDouble();
        const QJsonArray pixels = r["pixels"].toArray();
        const std::vector<float>& expected = result.reconstruction.pixels;
        QCOMPARE(qsizetype(pixels.size()), qsizetype(expected.size()));
        const double top = double((1 << bitsStored) - 1);
        int compared = 0;
        for (qsizetype i = 0; i < pixels.size(); ++i) {
            const double stored = pixels[i].toDouble();
            if (stored <= 0 || stored >= top) continue;  // clamped
            ++compared;
            QVERIFY2(
                std::abs(stored * slope + intercept - expected[std::size_t(i)]) <= slope / 2 + 1e-3,
                qPrintable(QString("pixel %1").arg(i)));
        }
        QVERIFY(compared > pixels.size() / 2);
        // The same pixels as the project's DICOM writer gives for this reconstruction.
        QTemporaryDir dir;
        const QString local = dir.filePath("reconstruction.dcm");
        const std::vector<std::uint8_t> bytes =
            DerivedObject::reconstruction(result.source, result.reconstruction, result.model,
                                          {DerivedObject::newUid(), 1, "local"});
        QFile f(local);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
        f.close();
        QCOMPARE(runReference({"pixels", local})["pixels"].toArray(), pixels);
    }

    void checkStoredHeatmap(const ReferenceInstance& one, const InstanceRef& ref,
                            const ErrorHeatmap& heatmap) {
        const QJsonObject h = storedObject(ref, one, "RGB");
        QCOMPARE(h["series_number"].toString(), QString::number(2000 + seriesNumber(one)));
        const std::vector<std::uint8_t> rgb = heatmap.rgb();
        const QJsonArray pixels = h["pixels"].toArray();
        QCOMPARE(qsizetype(pixels.size()), qsizetype(rgb.size()));
        for (qsizetype i = 0; i < pixels.size(); ++i)
            QCOMPARE(pixels[i].toInt(), int(rgb[std::size_t(i)]));
    }
};

QTEST_GUILESS_MAIN(TestDimse)
#include "tst_dimse.moc"
