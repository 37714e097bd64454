#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "archive_client.h"
#include "archive_profile.h"
#include "batch_inputs.h"
#include "derived_sink.h"
#include "reconstruction.h"

namespace medvae::cli {

// `medvae-cli batch --store-derived`: stores the reconstruction and the error heatmap of each
// finished archive item back into the archive it came from, as new derived objects
// (pacs::DerivedSink: Secondary Capture, new series and SOP Instance UIDs, filed in the
// original's study). The original is retrieved once more for its Patient and Study modules (the
// pipeline does not keep the bytes of an item after decoding it); it is only read, never
// stored. Used from the pipeline's writing threads one call at a time (BatchSettings::storeResult).
class ArchiveStore {
  public:
    // Throws medvae::Error when the profile's archive cannot be opened.
    ArchiveStore(const pacs::ArchiveProfile& profile, const std::string& secret,
                 pacs::ModelDescription model);

    // Stores the item's derived objects; returns their SOP Instance UIDs (reconstruction, then
    // heatmap). Throws medvae::Error naming the item by its UIDs when the item is not an archive
    // instance, the original cannot be retrieved, or the archive refuses the objects.
    std::vector<std::string> store(const jobs::BatchItem& item, const Reconstruction& rec);

    // BatchSettings::storeResult for a batch of the profile's archive: a store shared by the
    // pipeline's calls. Throws medvae::Error when the archive cannot be opened.
    static std::function<std::vector<std::string>(const jobs::BatchItem&, const Reconstruction&)>
    hook(const pacs::ArchiveProfile& profile, const std::string& secret,
         pacs::ModelDescription model);

  private:
    std::unique_ptr<pacs::ArchiveClient> archive_;
    pacs::DerivedSink sink_;
    pacs::ModelDescription model_;
};

}  // namespace medvae::cli
