#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "latent_edit.h"
#include "latent_interpolation.h"

namespace medvae {

// How an edited z was made, as a small JSON file that reproduces it (the Latent lab's export,
// `medvae-cli decode --edit`): the input z files by file name and SHA-256 (one, or two with an
// interpolation position), the model by name and SHA-256, and the ordered edits.
//
// {"format": "medvae-latent-recipe", "version": 1,
//  "model": {"name": "medvae_8_4_2d", "sha256": "..."},
//  "inputs": [{"file": "a_z.npy", "sha256": "..."}, {"file": "b_z.npy", "sha256": "..."}],
//  "interpolation": {"mode": "slerp", "t": 0.25},          (two inputs only)
//  "edits": [{"op": "scale", "channel": 0, "value": 1.5}, {"op": "swap", "channel": 0, "with": 3},
//            {"op": "noise", "channel": 1, "value": 0.1, "seed": 7}, ...]}
class LatentRecipe {
  public:
    struct FileRef {
        std::string file;    // a plain file name, found beside the recipe
        std::string sha256;  // lower-case hex
    };
    FileRef model;
    std::vector<FileRef> inputs;  // 1 or 2
    LatentInterpolation::Mode mode = LatentInterpolation::Mode::Linear;
    double t = 0;  // two inputs only
    std::vector<LatentEdit> edits;

    static constexpr std::uint64_t kMaxFileBytes = 1 << 20;

    // Numbers are written so that reading them back gives the same doubles.
    std::string toJson() const;
    // Throws medvae::Error naming `sourceName` and what is wrong (not JSON, a missing or
    // malformed field, a file name with a folder in it, t outside [0, 1], a bad edit).
    static LatentRecipe parse(const std::string& text, const std::string& sourceName);
    // parse() of a file of at most kMaxFileBytes.
    static LatentRecipe read(const std::string& path);

    // The input z files as `folder`/file, each read (ZArray::read for `channels`) and checked
    // against its SHA-256; with two inputs, blended at t. Throws medvae::Error.
    at::Tensor inputZ(const std::string& folder, int channels) const;
    // Throws medvae::Error when `sha256` is not the recipe's model.
    void checkModel(const std::string& name, const std::string& sha256) const;
};

}  // namespace medvae
