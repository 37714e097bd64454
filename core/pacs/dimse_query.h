#pragma once

#include <memory>

#include "archive_client.h"

class DcmDataset;

namespace medvae::pacs {

// A Query as a C-FIND identifier (Study Root) and a C-FIND response as a QueryRow.
class DimseQuery {
  public:
    // QueryRetrieveLevel (STUDY, SERIES, IMAGE), the query's matching keys by keyword, the
    // study/series UIDs it lies below, and empty return keys for what a browser shows at that
    // level. Throws medvae::Error for an unknown keyword, a sequence attribute, or a missing
    // study/series UID.
    static std::unique_ptr<DcmDataset> identifier(const Query& query);
    // Every non-empty attribute of a response by keyword, as text (PN: the alphabetic group;
    // several values joined with '\'), converted to UTF-8 where the character set allows.
    static QueryRow row(DcmDataset& response);
};

}  // namespace medvae::pacs
