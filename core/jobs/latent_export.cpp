#include "latent_export.h"

#include <ATen/ATen.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "atomic_file.h"
#include "error.h"
#include "npy_file.h"
#include "output_naming.h"
#include "png_writer.h"
#include "preprocessing.h"
#include "sha256.h"
#include "z_array.h"

namespace medvae {
namespace {

std::vector<std::uint8_t> npyBytes(const at::Tensor& t) {
    const at::Tensor c = t.to(at::kFloat).contiguous();
    return NpyFile::encode(c.data_ptr<float>(), c.sizes().vec());
}

std::string sha256Of(const std::vector<std::uint8_t>& bytes) {
    Sha256 h;
    h.update(bytes.data(), bytes.size());
    return h.hexDigest();
}

std::vector<std::uint8_t> fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot read the input z to export it");
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::string inside(const std::string& folder, const std::string& name) {
    OutputNaming::checkRelative(name);
    return (std::filesystem::path(folder) / name).string();
}

}  // namespace

LatentInput LatentInput::fromFile(const std::string& path, int channels) {
    LatentInput in;
    in.z = ZArray::read(path, channels);
    in.path = path;
    in.name = std::filesystem::path(path).filename().string();
    in.sha256 = Sha256::ofFile(path);
    return in;
}

LatentInput LatentInput::fromTensor(const std::string& name, const at::Tensor& z) {
    LatentInput in;
    in.z = z.to(at::kFloat).contiguous().clone();
    in.name = name;
    in.sha256 = sha256Of(npyBytes(in.z));
    return in;
}

std::vector<std::string> LatentExport::writeResult(const std::string& folder,
                                                   const std::string& stem, const at::Tensor& z,
                                                   const at::Tensor& decoded, int pngBits) {
    const std::string zPath = inside(folder, stem + "_z.npy");
    const std::string npyPath = inside(folder, stem + "_decoded.npy");
    const std::string pngPath = inside(folder, stem + "_decoded.png");
    ZArray::write(zPath, z);
    ZArray::write(npyPath, decoded);
    PngWriter::write(pngPath, Preprocessing::toPixels(decoded, pngBits));
    return {zPath, npyPath, pngPath};
}

std::vector<std::string> LatentExport::writeRecipe(const std::string& folder,
                                                   const std::string& stem,
                                                   const LatentRecipe& recipe,
                                                   const std::vector<LatentInput>& inputs) {
    std::vector<std::string> written;
    for (const LatentInput& input : inputs) {
        const std::string target = inside(folder, input.name);
        if (input.name == stem + "_z.npy")
            throw Error("the input z '" + input.name +
                        "' would be overwritten by the edited z; "
                        "export under another name");
        std::error_code ec;
        if (std::filesystem::exists(target, ec)) {
            if (Sha256::ofFile(target) == input.sha256) continue;  // already there
            throw Error(target +
                        " exists and is not the input z the recipe names; export to "
                        "another folder");
        }
        const std::vector<std::uint8_t> bytes =
            input.path.empty() ? npyBytes(input.z) : fileBytes(input.path);
        if (sha256Of(bytes) != input.sha256)
            throw Error(input.path + ": the file changed since it was opened; open it again");
        AtomicFile::writeAll(target, bytes.data(), bytes.size());
        written.push_back(target);
    }
    const std::string json = recipe.toJson();
    const std::string recipePath = inside(folder, stem + "_recipe.json");
    AtomicFile::writeAll(recipePath, json.data(), json.size());
    written.push_back(recipePath);
    return written;
}

std::string LatentExport::stemOfRecipe(const std::string& recipePath) {
    std::string stem = OutputNaming::stem(recipePath);
    const std::string suffix = "_recipe";
    if (stem.size() > suffix.size() &&
        stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0)
        stem.resize(stem.size() - suffix.size());
    return stem;
}

}  // namespace medvae
