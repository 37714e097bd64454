#pragma once

#include <cstddef>
#include <string>

namespace medvae::ui {

// The batch fidelity report of an output folder, end to end: reads every manifest*.jsonl of the
// folder as one table, draws the plots (Qt Charts), makes the worst items' thumbnails and writes
// one self-contained HTML page (report::ReportPage), complete or not at all.
//
// Needs a QApplication on the calling thread (Qt Charts); medvae-cli report runs it under the
// offscreen platform, the Batch panel in a medvae-cli process of its own.
class FidelityReport {
  public:
    struct Options {
        std::string outputDir;   // the batch's output folder
        std::string htmlPath;    // empty: <outputDir>/report.html
        std::size_t worst = 12;  // how many items of lowest PSNR to show
    };
    struct Written {
        std::string path;  // the page written
        int items = 0, failed = 0;
        std::size_t bytes = 0;
    };

    // Throws medvae::Error (no manifest, unreadable folder, page not writable).
    static Written write(const Options& options);

    static constexpr std::size_t kMaxWorst = 1000;
};

}  // namespace medvae::ui
