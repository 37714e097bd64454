#pragma once

#include <QByteArray>

#include <cstdint>
#include <string>
#include <vector>

#include "archive_client.h"

namespace medvae::pacs {

// An archive over DICOMweb (PS3.18): QIDO-RS queries, WADO-RS retrieval as
// multipart/related application/dicom read as it streams (one instance in memory at a time),
// STOW-RS stores. Every exchange goes through HttpTransfer: bounded in time and size,
// cancellable, TLS always verified. Credentials travel only in the Authorization header and never
// appear in messages.
//
// Thread-safety: as ArchiveClient. Each call makes its HTTP machinery in the calling thread and
// ends it there (Qt's network objects belong to one thread), so a client may be built on one
// thread and used from a worker; consecutive calls do not share a connection.
class DicomwebClient : public ArchiveClient {
  public:
    enum class Auth { None, Basic, Bearer };

    struct Options {
        std::string baseUrl;  // the DICOMweb root, e.g. http://host:8042/dicom-web
        Auth auth = Auth::None;
        std::string user;               // Basic
        std::string secret;             // Basic: the password; Bearer: the token
        int responseTimeoutMs = 30000;  // until an answer's headers arrive (uploads included)
        int queryTimeoutMs = 60000;     // a whole QIDO-RS exchange
        std::uint64_t maxQueryBytes = 64ull << 20;  // one QIDO-RS answer
        // A PEM file of certificate authorities trusted for https besides the system's (an
        // archive whose certificate a hospital's own CA signed); empty: the system's alone.
        std::string caCertificateFile;
    };

    // Throws medvae::Error when baseUrl is not an http(s) address.
    explicit DicomwebClient(Options options);
    ~DicomwebClient() override;

    std::string describe() const override;  // "DICOMweb http://host:8042/dicom-web"
    void verify() override;                 // a QIDO-RS study query for one row
    QueryAnswer find(const Query& query) override;
    void retrieve(const std::string& studyUid, const std::string& seriesUid,
                  const RetrieveLimits& limits,
                  const std::function<void(const InstanceRef&, std::vector<std::uint8_t>&&)>&
                      onInstance) override;
    std::vector<std::uint8_t> retrieveInstance(const InstanceRef& ref,
                                               const RetrieveLimits& limits) override;
    void store(const std::vector<std::vector<std::uint8_t>>& objects) override;

    // The QIDO-RS address of a query (path and parameters; keywords turned into tags, values
    // percent-encoded), for tests and messages. Throws medvae::Error for a query that lacks the
    // study (series) UID its level needs, or names an unknown attribute.
    std::string queryUrl(const Query& query) const;

  private:
    struct Exchange;
    void retrieveParts(const std::string& path, const RetrieveLimits& limits,
                       const std::function<void(std::vector<std::uint8_t>&&)>& onPart);
    std::string where(const std::string& what) const;

    Options options_;
    std::string base_;  // baseUrl without a trailing '/'
    QByteArray caPem_;  // the certificates of options_.caCertificateFile, PEM
};

}  // namespace medvae::pacs
