#pragma once

#include <string>
#include <vector>

#include "batch_pipeline.h"
#include "output_folder.h"
#include "reconstruction.h"

namespace medvae::jobs {

// The result files of one batch item: their names for a batch's settings, and writing them into
// the output folder (never outside it) with their sizes and SHA-256 for the manifest.
class BatchOutputs {
  public:
    // Names relative to the output folder, in the order they are written and recorded.
    static std::vector<std::string> names(const BatchSettings& settings,
                                          const std::string& relativeStem);
    // Encodes and writes, one file at a time, every output the settings ask for; fills the
    // result's outputs, outputBytes and outputSha256. `rec` is needed for the error heatmap.
    // Throws OutsideOutputFolder when a name or a link would lead outside the folder,
    // medvae::Error for other failures (disk full, ...).
    static void write(const OutputFolder& folder, const BatchSettings& settings,
                      const EncodeResult& result, const Reconstruction* rec, BatchItemResult& r);
};

}  // namespace medvae::jobs
