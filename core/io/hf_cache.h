#pragma once

#include <string>
#include <vector>

namespace medvae {

// One MedVAE 2D checkpoint found in a Hugging Face hub cache.
struct CachedCheckpoint {
    std::string modelName;  // upstream variant name, e.g. medvae_8_4_2d
    std::string fileName;   // file in the repository's model_weights/, e.g. vae_8x_4c_2D.ckpt
    std::string path;       // absolute path of the snapshot entry (may be a symlink into blobs/)
    std::string revision;   // snapshot folder name (a commit hash)
};

// Where Python users of MedVAE already have the published weights: the Hugging Face hub cache,
// laid out as <root>/models--stanfordmimi--MedVAE/snapshots/<revision>/model_weights/<file>,
// with refs/main holding the revision `main` points at. Snapshot entries are usually symlinks
// into ../../blobs/; they count only when they resolve to a regular, non-empty file.
class HuggingFaceCache {
  public:
    // $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub.
    static std::string root();
    // The MedVAE 2D checkpoints present under `root`, sorted by model name then revision.
    // A missing or unreadable cache gives an empty list.
    static std::vector<CachedCheckpoint> find(const std::string& root);
    // medvae_8_4_2d -> vae_8x_4c_2D.ckpt; throws medvae::Error listing the known names.
    static std::string fileNameFor(const std::string& modelName);
    // vae_8x_4c_2D.ckpt -> medvae_8_4_2d; empty when unknown.
    static std::string modelNameFor(const std::string& fileName);
    static std::string snapshotPath(const std::string& root, const std::string& revision,
                                    const std::string& fileName);
    // https://huggingface.co/stanfordmimi/MedVAE/resolve/main/model_weights/<file>
    static std::string downloadUrl(const std::string& fileName);
    // Path of `modelName` in the cache: the revision refs/main names first, else any snapshot
    // (the newest by modification time). Throws medvae::Error saying where it looked and how to
    // download the file.
    static std::string locate(const std::string& root, const std::string& modelName);

    static constexpr const char* kRepoFolder = "models--stanfordmimi--MedVAE";
};

}  // namespace medvae
