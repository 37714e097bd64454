#pragma once

#include <string>

#include "report_page.h"

namespace medvae::ui {

// The worst items' thumbnails: the original (the input, when it is a local file that still
// loads), the reconstruction (<stem>_decoded.png) and the error heatmap (<stem>_error.png)
// from the batch's output folder, each scaled to kWidth pixels wide and encoded as PNG. An
// output recorded outside the output folder (a hostile manifest) is never read. Widget-free.
class ReportThumbnails {
  public:
    static constexpr int kWidth = 240;
    static constexpr long long kMaxPixels = 100'000'000;  // larger images are not read

    static report::ItemThumbnails make(const report::ReportItem& item,
                                       const std::string& outputDir);
    // Whether the item's record lists a decoded or error PNG.
    static bool listsReconstruction(const report::ReportItem& item);
};

}  // namespace medvae::ui
