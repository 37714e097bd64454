#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace medvae::pacs {

// What a query asks for: studies, the series of a study, or the instances of a series.
enum class QueryLevel { Study, Series, Instance };

// A query, the same for DICOMweb (QIDO-RS) and DIMSE (C-FIND, Study Root): matching keys by DICOM
// keyword ("PatientID", "StudyDate" = "20240101-", "ModalitiesInStudy" = "CT"), the study (and
// series) the query lies below, and a bound on the rows kept.
struct Query {
    QueryLevel level = QueryLevel::Study;
    std::map<std::string, std::string> keys;  // keyword -> match value (DICOM matching rules)
    std::string studyUid;                     // required for Instance; for Series, empty: the
                                              // series of every study (DICOMweb; a DIMSE archive
                                              // may refuse it)
    std::string seriesUid;                    // required for Instance
    std::size_t limit = 1000;                 // more rows than this: the answer says so
    std::size_t offset = 0;                   // paging (DICOMweb); DIMSE skips rows itself
};

// One row of an answer: attribute values by keyword, as text (PN in its Alphabetic form, lists
// joined with '\\'). Identifying values live here only: never log or name files after them.
struct QueryRow {
    std::map<std::string, std::string> values;
    std::string value(const std::string& keyword) const {
        const auto it = values.find(keyword);
        return it == values.end() ? std::string() : it->second;
    }
};

struct QueryAnswer {
    std::vector<QueryRow> rows;
    bool truncated = false;  // the archive had more than Query::limit rows
};

// "study", "series" or "instance", for messages.
const char* levelName(QueryLevel level);

// One DICOM instance of an archive, by its UIDs.
struct InstanceRef {
    std::string studyUid;
    std::string seriesUid;
    std::string sopInstanceUid;
};

// Bounds of one retrieval, and how to stop it.
struct RetrieveLimits {
    std::uint64_t maxInstanceBytes = 2ull << 30;  // one object larger than this is refused
    std::uint64_t maxTotalBytes = 16ull << 30;    // the whole retrieval
    std::size_t maxInstances = 100000;
    int timeoutMs = 120000;           // silence longer than this ends the retrieval
    std::function<bool()> cancelled;  // polled while waiting; true ends it (Error)
};

// A connection to one archive (a PACS): DICOMweb or DIMSE behind one interface, so the app's PACS
// browser and `medvae-cli batch` use either the same way. Calls block and are made from worker
// threads (never the GUI thread); one instance is used by one thread at a time. Failures throw
// medvae::Error in words naming the archive (never a patient): unreachable host, refused
// credentials, rejected association, timeout, a malformed answer.
class ArchiveClient {
  public:
    virtual ~ArchiveClient() = default;

    // A short description for messages, e.g. "DICOMweb http://host:8042/dicom-web" or
    // "DIMSE ORTHANC@host:4242" (no credentials).
    virtual std::string describe() const = 0;
    // Checks that the archive answers (QIDO of one study, or C-ECHO).
    virtual void verify() = 0;
    virtual QueryAnswer find(const Query& query) = 0;
    // Retrieves every instance of a series (seriesUid empty: of the whole study) and hands each,
    // as DICOM Part 10 bytes, to `onInstance` in the order the archive sends them.
    virtual void retrieve(
        const std::string& studyUid, const std::string& seriesUid, const RetrieveLimits& limits,
        const std::function<void(const InstanceRef&, std::vector<std::uint8_t>&&)>& onInstance) = 0;
    // Retrieves one instance.
    virtual std::vector<std::uint8_t> retrieveInstance(const InstanceRef& ref,
                                                       const RetrieveLimits& limits) = 0;
    // Stores new objects (DICOM Part 10 bytes) in the archive: STOW-RS or C-STORE. Never used on
    // an original: only on derived objects with their own new UIDs.
    virtual void store(const std::vector<std::vector<std::uint8_t>>& objects) = 0;
};

}  // namespace medvae::pacs
