#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "latent_recipe.h"

namespace medvae {

// A z the Latent lab or `decode --edit` starts from: a .npy file, or a result held in memory.
struct LatentInput {
    std::string name;    // the file name recipes refer to ("chest_z.npy")
    std::string sha256;  // of the file's bytes (for one held in memory: of the .npy it exports)
    std::string path;    // the file it was read from; empty when held in memory
    at::Tensor z;        // [C, h, w] float32 CPU

    // Reads `path` as z for a model of `channels` latent channels (ZArray::read).
    static LatentInput fromFile(const std::string& path, int channels);
    // A z held in memory, exported as `name`.
    static LatentInput fromTensor(const std::string& name, const at::Tensor& z);
};

// What the Latent lab exports and `medvae-cli decode --edit` writes, in one place so that both
// write the same bytes: in `folder`, <stem>_z.npy (the edited z), <stem>_decoded.npy (model space
// [C, H, W]) and <stem>_decoded.png (8 or 16 bits); the lab adds <stem>_recipe.json and the input
// z files the recipe names (copied byte for byte, unless already there). Every file is written
// atomically; names stay inside `folder` (medvae::Error otherwise, and for an input whose name is
// taken by another file there).
class LatentExport {
  public:
    static std::vector<std::string> writeResult(const std::string& folder, const std::string& stem,
                                                const at::Tensor& z, const at::Tensor& decoded,
                                                int pngBits);
    static std::vector<std::string> writeRecipe(const std::string& folder, const std::string& stem,
                                                const LatentRecipe& recipe,
                                                const std::vector<LatentInput>& inputs);
    // "<stem>" of "<stem>_recipe.json" (or of any other name, its stem).
    static std::string stemOfRecipe(const std::string& recipePath);
};

}  // namespace medvae
