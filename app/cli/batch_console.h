#pragma once

// What medvae-cli batch prints: the model line, a line (or a bar) per finished item, and the
// closing summary.

#include <QElapsedTimer>
#include <QString>

#include <mutex>
#include <string>

#include "batch_pipeline.h"

namespace medvae::cli {

// "1h02m", "3m05s", "7s"; "?" when unknown.
QString duration(double seconds);

// "model: NAME from PATH (sha256 …, DEVICE)", marking the demo model.
void printModel(const char* label, const jobs::BackendDescription& desc,
                const std::string& checkpoint);

// An item as the progress lines name it: its source, and which frame of a multi-frame input.
QString shownName(const jobs::BatchItem& item);

// The progress display: one line per item, or a bar redrawn in place. Called from the pipeline's
// threads.
struct ProgressDisplay {
    bool bar = false;
    int total = 0;
    QElapsedTimer timer;
    std::mutex mutex;
    int finished = 0, processed = 0;

    void item(const jobs::BatchItemResult& r);
};

// The closing lines, and the exit status: 1 when the batch stopped or items failed, 130 when it
// was cancelled.
int reportSummary(const jobs::BatchSummary& s, const jobs::BatchSettings& settings);

}  // namespace medvae::cli
