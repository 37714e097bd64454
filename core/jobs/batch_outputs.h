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
    // Whose results: model A's files are <stem>_latent.npy, ...; model B's (when the batch
    // compares two models) carry "_b" before the extension, <stem>_latent_b.npy, ... No name of
    // one kind ends like a name of another, so no two items' files can ever collide.
    enum class Model { A, B };

    // Names of one model's files relative to the output folder, in the order they are written
    // and recorded.
    static std::vector<std::string> names(const BatchSettings& settings,
                                          const std::string& relativeStem, Model model = Model::A);
    // Every file of an item: A's, then B's when settings.compare.
    static std::vector<std::string> allNames(const BatchSettings& settings,
                                             const std::string& relativeStem);
    // Encodes and writes, one file at a time, every output of `model` the settings ask for;
    // appends to the result's outputs, outputBytes and outputSha256 (and for B to
    // compare.outputs). `rec` is needed for the error heatmap. Throws OutsideOutputFolder when a
    // name or a link would lead outside the folder, medvae::Error for other failures (disk full).
    static void write(const OutputFolder& folder, const BatchSettings& settings,
                      const EncodeResult& result, const Reconstruction* rec, BatchItemResult& r,
                      Model model = Model::A);
};

}  // namespace medvae::jobs
