#include "dicomweb_client.h"

#include <QSslCertificate>
#include <QUrl>
#include <QUuid>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>

#include <algorithm>
#include <iterator>

#include "dicom_json.h"
#include "error.h"
#include "http_transfer.h"
#include "multipart_reader.h"

namespace medvae::pacs {
namespace {

using End = HttpTransfer::End;

// What the PACS browser shows at each level, asked for besides the archive's defaults.
const char* const kStudyFields[] = {"StudyInstanceUID",
                                    "StudyDate",
                                    "StudyTime",
                                    "StudyDescription",
                                    "AccessionNumber",
                                    "PatientName",
                                    "PatientID",
                                    "PatientBirthDate",
                                    "ModalitiesInStudy",
                                    "NumberOfStudyRelatedSeries",
                                    "NumberOfStudyRelatedInstances"};
const char* const kSeriesFields[] = {"StudyInstanceUID",
                                     "SeriesInstanceUID",
                                     "Modality",
                                     "SeriesNumber",
                                     "SeriesDescription",
                                     "BodyPartExamined",
                                     "NumberOfSeriesRelatedInstances"};
const char* const kInstanceFields[] = {"StudyInstanceUID",
                                       "SeriesInstanceUID",
                                       "SOPInstanceUID",
                                       "SOPClassUID",
                                       "InstanceNumber",
                                       "Rows",
                                       "Columns",
                                       "NumberOfFrames",
                                       "ImagePositionPatient",
                                       "ImageOrientationPatient"};

QByteArray encoded(const std::string& text) {
    // ',' stays: it separates the UIDs of a list match; '*' and '?' are wildcards either way.
    return QUrl::toPercentEncoding(QString::fromStdString(text), ",*?");
}

void requireUid(const std::string& uid, const char* what, QueryLevel level) {
    if (uid.empty())
        throw Error(std::string("a ") + levelName(level) + " query needs the " + what + " UID");
    if (uid.find_first_not_of("0123456789.") != std::string::npos || uid.size() > 64)
        throw Error(std::string("'") + uid + "' is not a DICOM UID (digits and dots, at most 64)");
}

void requireUid(const std::string& uid, const char* what) {
    if (uid.empty() || uid.find_first_not_of("0123456789.") != std::string::npos || uid.size() > 64)
        throw Error(std::string("the ") + what + " UID '" + uid +
                    "' is not a DICOM UID (digits and dots, at most 64)");
}

// The study, series and SOP instance UIDs of one retrieved object, read from its own bytes.
InstanceRef identify(const std::vector<std::uint8_t>& bytes, int part) {
    DcmInputBufferStream stream;
    stream.setBuffer(bytes.data(), offile_off_t(bytes.size()));
    stream.setEos();
    DcmFileFormat file;
    file.transferInit();
    const OFCondition read = file.read(stream, EXS_Unknown, EGL_noChange, 4096);
    file.transferEnd();
    InstanceRef ref;
    OFString text;
    DcmDataset* data = file.getDataset();
    if (read.good() && data->findAndGetOFString(DCM_StudyInstanceUID, text).good())
        ref.studyUid = text.c_str();
    if (read.good() && data->findAndGetOFString(DCM_SeriesInstanceUID, text).good())
        ref.seriesUid = text.c_str();
    if (read.good() && data->findAndGetOFString(DCM_SOPInstanceUID, text).good())
        ref.sopInstanceUid = text.c_str();
    if (read.bad() || ref.sopInstanceUid.empty())
        throw Error("part " + std::to_string(part) +
                    " of the archive's answer is not a DICOM object with a SOP Instance UID" +
                    (read.bad() ? std::string(" (") + read.text() + ")" : std::string()));
    return ref;
}

// Feeds a streamed body to a multipart reader.
class MultipartSink : public HttpTransfer::Sink {
  public:
    explicit MultipartSink(MultipartReader& reader) : reader_(reader) {}
    void write(const char* data, std::size_t size) override { reader_.feed(data, size); }

  private:
    MultipartReader& reader_;
};

}  // namespace

DicomwebClient::DicomwebClient(Options options) : options_(std::move(options)) {
    base_ = options_.baseUrl;
    while (!base_.empty() && base_.back() == '/')
        base_.pop_back();
    const QUrl url(QString::fromStdString(base_), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "http" && url.scheme() != "https") ||
        url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery())
        throw Error("'" + HttpTransfer::displayUrl(url).toStdString() +
                    "' is not a DICOMweb address: give the archive's root as http(s)://HOST[:PORT]/"
                    "PATH, without a user name or query (e.g. http://127.0.0.1:8042/dicom-web)");
    if (!options_.caCertificateFile.empty()) {
        const QList<QSslCertificate> cas =
            QSslCertificate::fromPath(QString::fromStdString(options_.caCertificateFile), QSsl::Pem,
                                      QSslCertificate::PatternSyntax::FixedString);
        for (const QSslCertificate& ca : cas)
            caPem_ += ca.toPem();
        if (cas.isEmpty())
            throw Error("the CA certificate file '" + options_.caCertificateFile +
                        "' holds no PEM certificate (is it missing, unreadable or DER?); give "
                        "the certificate of the authority that signed the archive's");
    }
}

DicomwebClient::~DicomwebClient() = default;

std::string DicomwebClient::describe() const {
    return "DICOMweb " +
           HttpTransfer::displayUrl(QUrl(QString::fromStdString(base_))).toStdString();
}

std::string DicomwebClient::where(const std::string& what) const {
    return what + " at the archive " + describe();
}

// A request to the archive: its address, credentials and time bounds.
struct DicomwebClient::Exchange {
    static HttpTransfer::Request make(const DicomwebClient& client, const std::string& pathAndQuery,
                                      const QByteArray& accept) {
        HttpTransfer::Request request;
        request.url = QUrl(QString::fromStdString(client.base_ + pathAndQuery), QUrl::StrictMode);
        request.headers.append({"Accept", accept});
        const Options& o = client.options_;
        if (o.auth == Auth::Basic)
            request.headers.append(
                {"Authorization",
                 "Basic " + QByteArray::fromStdString(o.user + ":" + o.secret).toBase64()});
        else if (o.auth == Auth::Bearer)
            request.headers.append(
                {"Authorization", "Bearer " + QByteArray::fromStdString(o.secret)});
        request.responseTimeoutMs = o.responseTimeoutMs;
        if (!client.caPem_.isEmpty())
            request.extraCaCertificates = QSslCertificate::fromData(client.caPem_, QSsl::Pem);
        return request;
    }

    // Throws unless the exchange succeeded, with words for refused credentials.
    static void check(const DicomwebClient& client, const HttpTransfer::Request& request,
                      const HttpTransfer::Result& result, const std::string& what) {
        if (result.end == End::Cancelled) throw Error(client.where(what) + " was cancelled");
        if (result.succeeded()) return;
        if (result.status == 401 || result.status == 403) {
            const bool gave = client.options_.auth != Auth::None;
            throw Error(client.where(what) + ": HTTP " + std::to_string(result.status) + ". " +
                        (gave ? "The archive refused the credentials: check the user name and "
                                "password (or token) of the archive profile."
                              : "The archive asks for credentials: give a user name and password "
                                "(or token) in the archive profile."));
        }
        std::string message = HttpTransfer::failureMessage(request, result, client.where(what));
        if (!result.tlsErrors.isEmpty() || result.error == QNetworkReply::SslHandshakeFailedError)
            message += " The archive's certificate is not trusted for the host " +
                       request.url.host().toStdString() +
                       (client.options_.caCertificateFile.empty()
                            ? ": if your organisation's own certificate authority signed it, "
                              "give that authority's certificate (--ca-cert FILE, or the CA "
                              "file of the archive profile)."
                            : " even with the CA file " + client.options_.caCertificateFile +
                                  ": check that it signed the archive's certificate and that the "
                                  "certificate names this host.");
        throw Error(message);
    }
};

std::string DicomwebClient::queryUrl(const Query& query) const {
    std::string path;
    const char* const* fields = kStudyFields;
    std::size_t fieldCount = std::size(kStudyFields);
    switch (query.level) {
        case QueryLevel::Study:
            path = "/studies";
            break;
        case QueryLevel::Series:
            // Without a study: the series of every study (PS3.18 10.6, /series).
            if (!query.studyUid.empty()) requireUid(query.studyUid, "study", query.level);
            path =
                (query.studyUid.empty() ? std::string() : "/studies/" + query.studyUid) + "/series";
            fields = kSeriesFields;
            fieldCount = std::size(kSeriesFields);
            break;
        case QueryLevel::Instance:
            requireUid(query.studyUid, "study", query.level);
            path = "/studies/" + query.studyUid;
            if (!query.seriesUid.empty()) {
                requireUid(query.seriesUid, "series", query.level);
                path += "/series/" + query.seriesUid;
            }
            path += "/instances";
            fields = kInstanceFields;
            fieldCount = std::size(kInstanceFields);
            break;
    }
    QByteArray params;
    for (const auto& [keyword, value] : query.keys)
        params += QByteArray::fromStdString(DicomJson::tagOf(keyword)) + "=" + encoded(value) + "&";
    QByteArray include;
    for (std::size_t i = 0; i < fieldCount; ++i)
        include += (i ? "," : "") + QByteArray::fromStdString(DicomJson::tagOf(fields[i]));
    params += "includefield=" + include;
    // One row more than asked: it tells whether the archive had more.
    if (query.limit > 0) params += "&limit=" + QByteArray::number(qulonglong(query.limit + 1));
    if (query.offset > 0) params += "&offset=" + QByteArray::number(qulonglong(query.offset));
    return path + "?" + params.toStdString();
}

QueryAnswer DicomwebClient::find(const Query& query) {
    HttpTransfer::Request request =
        Exchange::make(*this, queryUrl(query), "application/dicom+json");
    request.timeoutMs = options_.queryTimeoutMs;
    request.maxBodyBytes = std::int64_t(options_.maxQueryBytes);
    const std::string what = std::string("a ") + levelName(query.level) + " query (QIDO-RS)";
    const HttpTransfer::Result result = HttpTransfer().run(request);
    Exchange::check(*this, request, result, what);
    QueryAnswer answer;
    if (result.status == 204) return answer;  // no match
    try {
        answer.rows = DicomJson::rowsOf(result.body);
    } catch (const Error& e) {
        throw Error(where(what) + ": " + e.what());
    }
    if (query.limit > 0 && answer.rows.size() > query.limit) {
        answer.rows.resize(query.limit);
        answer.truncated = true;
    }
    return answer;
}

void DicomwebClient::verify() {
    Query query;
    query.limit = 1;
    find(query);
}

void DicomwebClient::retrieveParts(const std::string& path, const RetrieveLimits& limits,
                                   const std::function<void(std::vector<std::uint8_t>&&)>& onPart) {
    HttpTransfer::Request request = Exchange::make(
        *this, path, "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
    // A retrieval's silences, before the answer (an archive preparing a series) and within it,
    // are bounded by its own limit.
    request.stallTimeoutMs = limits.timeoutMs;
    request.responseTimeoutMs = limits.timeoutMs;
    request.maxBodyBytes = std::int64_t(std::min<std::uint64_t>(limits.maxTotalBytes, INT64_MAX));
    request.cancelled = limits.cancelled;
    MultipartReader::Limits partLimits;
    partLimits.maxPartBytes = limits.maxInstanceBytes;
    partLimits.maxParts = limits.maxInstances;
    const std::string what = "the retrieval (WADO-RS) of " + path.substr(1);
    MultipartReader reader({}, partLimits, [&](MultipartReader::Part&& part) {
        const std::string type = part.header("content-type");
        if (!type.empty() && type.rfind("application/dicom", 0) != 0)
            throw Error("part " + std::to_string(part.number) + " of the archive's answer is '" +
                        type + "', not application/dicom");
        onPart(std::move(part.body));
    });
    MultipartSink sink(reader);
    HttpTransfer::Result result;
    try {
        result = HttpTransfer().run(request, &sink);
    } catch (const Error& e) {
        throw Error(where(what) + ": " + e.what());
    }
    if (result.end == End::Finished && result.isSuccessStatus() && !reader.complete()) {
        try {
            reader.finish();
        } catch (const Error& e) {
            throw Error(where(what) + ": " + e.what() + ". Try again later.");
        }
    }
    Exchange::check(*this, request, result, what);
    const std::string boundary =
        MultipartReader::boundaryOf(result.header("Content-Type").toStdString());
    if (boundary != reader.boundary())
        throw Error(where(what) +
                    ": the answer's parts are not delimited by the boundary its "
                    "Content-Type names");
}

void DicomwebClient::retrieve(
    const std::string& studyUid, const std::string& seriesUid, const RetrieveLimits& limits,
    const std::function<void(const InstanceRef&, std::vector<std::uint8_t>&&)>& onInstance) {
    requireUid(studyUid, "study");
    if (!seriesUid.empty()) requireUid(seriesUid, "series");
    const std::string path =
        "/studies/" + studyUid + (seriesUid.empty() ? std::string() : "/series/" + seriesUid);
    int part = 0;
    retrieveParts(path, limits, [&](std::vector<std::uint8_t>&& bytes) {
        const InstanceRef ref = identify(bytes, ++part);
        onInstance(ref, std::move(bytes));
    });
}

std::vector<std::uint8_t> DicomwebClient::retrieveInstance(const InstanceRef& ref,
                                                           const RetrieveLimits& limits) {
    requireUid(ref.studyUid, "study");
    requireUid(ref.seriesUid, "series");
    requireUid(ref.sopInstanceUid, "SOP instance");
    const std::string path = "/studies/" + ref.studyUid + "/series/" + ref.seriesUid +
                             "/instances/" + ref.sopInstanceUid;
    std::vector<std::uint8_t> object;
    int parts = 0;
    retrieveParts(path, limits, [&](std::vector<std::uint8_t>&& bytes) {
        if (++parts > 1)
            throw Error("the archive answered more than one object for the instance " +
                        ref.sopInstanceUid);
        object = std::move(bytes);
    });
    if (parts == 0)
        throw Error(where("the retrieval of the instance " + ref.sopInstanceUid) +
                    ": the answer holds no object");
    return object;
}

void DicomwebClient::store(const std::vector<std::vector<std::uint8_t>>& objects) {
    if (objects.empty()) return;
    const QByteArray boundary = "medvae-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    HttpTransfer::Request request = Exchange::make(*this, "/studies", "application/dicom+json");
    request.method = "POST";
    request.headers.append(
        {"Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary});
    for (const auto& object : objects) {
        request.body += "--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n";
        request.body.append(reinterpret_cast<const char*>(object.data()), qsizetype(object.size()));
        request.body += "\r\n";
    }
    request.body += "--" + boundary + "--\r\n";
    request.readErrorBodies = true;  // the Annex I reply says which objects failed, and why
    request.timeoutMs = 0;
    request.maxBodyBytes = std::int64_t(options_.maxQueryBytes);
    const std::string what = "storing " + std::to_string(objects.size()) + " object(s) (STOW-RS)";
    const HttpTransfer::Result result = HttpTransfer().run(request);
    const std::vector<std::string> failed = DicomJson::failedStores(result.body);
    std::string failures;
    for (const std::string& f : failed)
        failures += (failures.empty() ? "" : ", ") + f;
    if (result.status == 400 || result.status == 409 || result.status == 415 || !failed.empty()) {
        const char* why = result.status == 415 ? "it does not take this media type (HTTP 415)"
                          : result.status == 409
                              ? "it refused them as conflicting with what it holds, e.g. another "
                                "study (HTTP 409)"
                          : result.status == 400 ? "it found them malformed (HTTP 400)"
                                                 : "it refused some of them";
        throw Error(where(what) + ": " + why +
                    (failures.empty() ? std::string() : "; failed: " + failures));
    }
    Exchange::check(*this, request, result, what);
}

}  // namespace medvae::pacs
