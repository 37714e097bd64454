#pragma once

#include <functional>
#include <string>

#include "archive_client.h"
#include "dimse_address.h"
#include "dimse_association.h"

namespace medvae::pacs {

struct DimseClientOptions {
    DimseAddress archive;                         // the called AE: AET@HOST:PORT
    std::string callingAeTitle = "MEDVAESTUDIO";  // who we are to the archive
    DimseTimeouts timeouts;
    std::function<bool()> cancelled;  // polled while waiting (may be empty)
};

// An archive reached over DIMSE (PS3.7): verify = C-ECHO, find = C-FIND (Study Root) at the
// study, series or image level, retrieve = C-GET with the instances received in memory (the
// C-STORE sub-operations of the same association; nothing is written to disk), store = C-STORE.
// Each call opens one association and releases it at the end; a process-wide cap
// (AssociationSlots) bounds how many are open at once. One instance is used by one thread at a
// time (ArchiveClient's rule).
class DimseClient : public ArchiveClient {
  public:
    explicit DimseClient(DimseClientOptions options);

    std::string describe() const override;
    void verify() override;
    // DIMSE has no paging: Query::offset rows are skipped here. When more than Query::limit
    // rows would follow, the C-FIND is cancelled (C-CANCEL) and the answer is truncated.
    QueryAnswer find(const Query& query) override;
    void retrieve(const std::string& studyUid, const std::string& seriesUid,
                  const RetrieveLimits& limits,
                  const std::function<void(const InstanceRef&, std::vector<std::uint8_t>&&)>&
                      onInstance) override;
    std::vector<std::uint8_t> retrieveInstance(const InstanceRef& ref,
                                               const RetrieveLimits& limits) override;
    void store(const std::vector<std::vector<std::uint8_t>>& objects) override;

  private:
    void get(
        const std::string& level, const InstanceRef& keys, const RetrieveLimits& limits,
        const std::function<void(const InstanceRef&, std::vector<std::uint8_t>&&)>& onInstance);

    DimseClientOptions options_;
};

}  // namespace medvae::pacs
