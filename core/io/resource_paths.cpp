#include "resource_paths.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace medvae {
namespace {

namespace fs = std::filesystem;

// resources/ of an installation (relative to the running executable) or of the source tree.
std::string resourceDir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path().parent_path() / "share" / "medvae-studio";
        if (fs::is_directory(installed, ec)) return installed.string();
    }
#ifdef MEDVAE_SOURCE_RESOURCES
    if (fs::is_directory(MEDVAE_SOURCE_RESOURCES, ec)) return MEDVAE_SOURCE_RESOURCES;
#endif
    return {};
}

}  // namespace

std::string ResourcePaths::demoModel() {
    if (const char* env = std::getenv("MEDVAE_MODEL"); env && *env) return env;
    const std::string dir = resourceDir();
    if (dir.empty()) return {};
    const fs::path model = fs::path(dir) / "models" / kDemoModelFile;
    std::error_code ec;
    return fs::exists(model, ec) ? model.string() : std::string();
}

}  // namespace medvae
