#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "archive_client.h"
#include "derived_object.h"
#include "error_heatmap.h"
#include "image.h"

namespace medvae::pacs {

// One finished result whose derived objects go back to the archive.
struct DerivedResult {
    std::vector<std::uint8_t> source;  // the original instance, DICOM Part 10, as retrieved
    Image reconstruction;              // Reconstruction::reconstruction (the source's units)
    ErrorHeatmap heatmap;              // ErrorHeatmap::of(Reconstruction::signedError, ...)
    ModelDescription model;
};

// Stores the derived objects of finished results (DerivedObject: the reconstruction and the
// error heatmap as Secondary Capture images) through any ArchiveClient's store (C-STORE or
// STOW-RS). The results of one source series share one new series per kind, so a viewer shows
// them beside the original series: reconstructions get SeriesNumber 1000 + the source's,
// heatmaps 2000 + the source's. Originals are never stored, changed or overwritten: every
// object stored has new Series and SOP Instance UIDs. Latents are not stored here (see
// DerivedObject): they stay files beside the outputs. One sink is used by one thread.
class DerivedSink {
  public:
    explicit DerivedSink(ArchiveClient& archive) : archive_(archive) {}

    // Builds and stores both objects in one store call; returns them as stored (reconstruction
    // first, then the heatmap). Throws medvae::Error naming the source by its UID.
    std::vector<InstanceRef> store(const DerivedResult& result);

  private:
    const DerivedSeries& seriesFor(const DerivedObject::Source& source, const std::string& kind,
                                   int numberOffset, const ModelDescription& model);

    ArchiveClient& archive_;
    std::map<std::string, DerivedSeries> series_;  // kind|model|source series -> derived series
};

}  // namespace medvae::pacs
