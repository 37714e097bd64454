#include "hf_cache.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "error.h"

namespace medvae {
namespace {

namespace fs = std::filesystem;

struct Variant {
    const char* model;
    const char* file;
};

// The published 2D variants (reference table of the model card / upstream repository).
constexpr Variant kVariants[] = {
    {"medvae_4_1_2d", "vae_4x_1c_2D.ckpt"},
    {"medvae_4_3_2d", "vae_4x_3c_2D.ckpt"},
    {"medvae_8_1_2d", "vae_8x_1c_2D.ckpt"},
    {"medvae_8_4_2d", "vae_8x_4c_2D.ckpt"},
};

std::string knownNames() {
    std::string names;
    for (const Variant& v : kVariants) {
        if (!names.empty()) names += ", ";
        names += v.model;
    }
    return names;
}

// A snapshot entry counts when it resolves (following symlinks into blobs/) to a non-empty file;
// a dangling link is what an interrupted download leaves behind.
bool usableFile(const fs::path& p) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return false;  // follows symlinks
    const auto size = fs::file_size(p, ec);
    return !ec && size > 0;
}

std::string readRef(const fs::path& refFile) {
    std::ifstream in(refFile);
    std::string rev;
    if (!(in >> rev)) return {};
    return rev;
}

}  // namespace

std::string HuggingFaceCache::root() {
    if (const char* v = std::getenv("HF_HUB_CACHE"); v && *v) return v;
    if (const char* v = std::getenv("HF_HOME"); v && *v) return (fs::path(v) / "hub").string();
    const char* home = std::getenv("HOME");
    const fs::path base = (home && *home) ? fs::path(home) : fs::path(".");
    return (base / ".cache" / "huggingface" / "hub").string();
}

std::string HuggingFaceCache::fileNameFor(const std::string& modelName) {
    for (const Variant& v : kVariants)
        if (modelName == v.model) return v.file;
    throw Error("unknown MedVAE model name '" + modelName + "' (known 2D models: " + knownNames() +
                ")");
}

std::string HuggingFaceCache::modelNameFor(const std::string& fileName) {
    for (const Variant& v : kVariants)
        if (fileName == v.file) return v.model;
    return {};
}

std::string HuggingFaceCache::snapshotPath(const std::string& root, const std::string& revision,
                                           const std::string& fileName) {
    return (fs::path(root) / kRepoFolder / "snapshots" / revision / "model_weights" / fileName)
        .string();
}

std::string HuggingFaceCache::downloadUrl(const std::string& fileName) {
    return "https://huggingface.co/stanfordmimi/MedVAE/resolve/main/model_weights/" + fileName;
}

std::vector<CachedCheckpoint> HuggingFaceCache::find(const std::string& root) {
    std::vector<CachedCheckpoint> found;
    const fs::path snapshots = fs::path(root) / kRepoFolder / "snapshots";
    std::error_code ec;
    if (!fs::is_directory(snapshots, ec)) return found;
    for (fs::directory_iterator it(snapshots, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code dirEc;
        if (!it->is_directory(dirEc)) continue;
        const std::string revision = it->path().filename().string();
        for (const Variant& v : kVariants) {
            const fs::path file = it->path() / "model_weights" / v.file;
            if (usableFile(file)) found.push_back({v.model, v.file, file.string(), revision});
        }
    }
    std::sort(found.begin(), found.end(), [](const CachedCheckpoint& a, const CachedCheckpoint& b) {
        return a.modelName != b.modelName ? a.modelName < b.modelName : a.revision < b.revision;
    });
    return found;
}

std::string HuggingFaceCache::locate(const std::string& root, const std::string& modelName) {
    const std::string fileName = fileNameFor(modelName);
    const std::string mainRev = readRef(fs::path(root) / kRepoFolder / "refs" / "main");
    if (!mainRev.empty()) {
        const std::string p = snapshotPath(root, mainRev, fileName);
        if (usableFile(p)) return p;
    }
    // Any other snapshot holding the file; the most recently modified one wins so a fresh
    // download is preferred over an old revision.
    std::string best;
    fs::file_time_type bestTime{};
    for (const CachedCheckpoint& c : find(root)) {
        if (c.modelName != modelName) continue;
        std::error_code ec;
        const auto t = fs::last_write_time(c.path, ec);
        if (best.empty() || (!ec && t > bestTime)) {
            best = c.path;
            bestTime = ec ? bestTime : t;
        }
    }
    if (!best.empty()) return best;
    throw Error("model " + modelName + " (" + fileName +
                ") is not in the Hugging Face cache: looked in " +
                snapshotPath(root, mainRev.empty() ? "<revision>" : mainRev, fileName) +
                (mainRev.empty() ? std::string() : " and the other snapshots") +
                ". Download it with `huggingface-cli download stanfordmimi/MedVAE model_weights/" +
                fileName + "` or from " + downloadUrl(fileName) +
                " and pass the file with --model, or set HF_HUB_CACHE/HF_HOME to the cache that "
                "holds it");
}

}  // namespace medvae
