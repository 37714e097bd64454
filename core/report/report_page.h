#pragma once

#include <QByteArray>
#include <QString>

#include <string>
#include <vector>

#include "fidelity_summary.h"

namespace medvae::report {

// A plot as PNG bytes (embedded as a data: URI), with the heading shown above it.
struct ReportFigure {
    QString title;
    QByteArray png;
};

// The thumbnails of one of the worst items: PNG bytes, or empty with the reason in `note`.
struct ItemThumbnails {
    const ReportItem* item = nullptr;
    QByteArray original, reconstruction, heatmap;
    std::string originalNote, reconstructionNote, heatmapNote;
};

// Everything one report page shows besides the summary's numbers.
struct ReportContent {
    QString folderName;                       // base name of the output folder
    QString generatedAt;                      // ISO 8601, UTC
    std::vector<ReportFigure> distributions;  // histograms and per-modality box plots
    std::vector<ReportFigure> comparisons;    // A vs B scatter plots
    std::vector<ItemThumbnails> worst;        // lowest PSNR first
    bool reconstructionsWritten = true;       // false: the batch wrote no decoded or error PNG
};

// The batch fidelity report as one self-contained HTML page: inline CSS, images as data: URIs,
// no script and nothing fetched. Every text that came from a manifest is HTML-escaped and cut
// to a bounded length, so a hostile record can neither inject markup nor make the page huge.
// Sections carry ids: summary, modalities, distributions, worst, compare (when compared),
// failures, notes.
class ReportPage {
  public:
    static QByteArray html(const FidelitySummary& summary, const ReportContent& content);

    // Longest text taken from a record (characters) before it is cut with "…".
    static constexpr int kMaxText = 300;
    // Failed items listed one by one before "and N more".
    static constexpr std::size_t kMaxFailuresListed = 1000;
};

}  // namespace medvae::report
