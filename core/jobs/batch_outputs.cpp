#include "batch_outputs.h"

#include <ATen/ATen.h>

#include <algorithm>

#include "error.h"
#include "error_heatmap.h"
#include "nifti_writer.h"
#include "npy_file.h"
#include "png_writer.h"
#include "preprocessing.h"

namespace medvae::jobs {
namespace {

std::vector<std::uint8_t> npyBytes(const at::Tensor& t) {
    const at::Tensor c = t.to(at::kFloat).contiguous();
    return NpyFile::encode(c.data_ptr<float>(), c.sizes().vec());
}

// The heatmap the app's compare view draws (ErrorHeatmap: magma, 0 to the 99th percentile).
cv::Mat errorPng(const Image& signedError) {
    const ErrorHeatmap heatmap = ErrorHeatmap::of(signedError, ErrorHeatmap::Kind::Absolute);
    const std::vector<std::uint8_t> rgb = heatmap.rgb();
    cv::Mat mat(heatmap.height(), heatmap.width(), CV_8UC3);
    std::copy(rgb.begin(), rgb.end(), mat.ptr<std::uint8_t>());
    return mat;
}

// `name` with "_b" before its extension (".npy", ".png", ".nii.gz", ...).
std::string modelBName(const std::string& name) {
    const std::size_t slash = name.rfind('/');
    const std::size_t dot = name.find('.', slash == std::string::npos ? 0 : slash + 1);
    return dot == std::string::npos ? name + "_b" : name.substr(0, dot) + "_b" + name.substr(dot);
}

}  // namespace

std::vector<std::string> BatchOutputs::names(const BatchSettings& s, const std::string& stem,
                                             Model model) {
    // B's suffixes are A's with "_b" before the extension, so they never end like A's.
    const auto name = [&](const std::string& suffix) {
        return stem + (model == Model::B ? modelBName(suffix) : suffix);
    };
    std::vector<std::string> names;
    if (s.latentNpy) names.push_back(name("_latent.npy"));
    if (s.zNpy) names.push_back(name("_z.npy"));
    if (s.decodedPng) names.push_back(name("_decoded.png"));
    if (s.errorPng) names.push_back(name("_error.png"));
    if (s.nifti) names.push_back(name(s.niftiSuffix));
    return names;
}

std::vector<std::string> BatchOutputs::allNames(const BatchSettings& s, const std::string& stem) {
    std::vector<std::string> all = names(s, stem);
    if (s.compare) {
        const std::vector<std::string> b = names(s, stem, Model::B);
        all.insert(all.end(), b.begin(), b.end());
    }
    return all;
}

void BatchOutputs::write(const OutputFolder& folder, const BatchSettings& s,
                         const EncodeResult& res, const Reconstruction* rec, BatchItemResult& r,
                         Model model) {
    const std::vector<std::string> all = names(s, r.item.relativeStem, model);
    for (const std::string& name : all)
        folder.removeStalePartials(name);  // this item's only: other shards write theirs
    std::size_t next = 0;
    // One file in memory at a time: encoded, hashed and written, then released.
    const auto store = [&](const std::vector<std::uint8_t>& bytes) {
        const std::string& name = all.at(next++);
        const OutputFolder::Digest d = folder.write(name, bytes.data(), bytes.size());
        r.outputs.push_back(name);
        r.outputBytes.push_back(d.size);
        r.outputSha256.push_back(d.sha256);
        if (model == Model::B) r.compare.outputs.push_back(name);
    };
    const std::string display = folder.root() + "/" + r.item.relativeStem;
    // Names for the writers' messages, as the files are called.
    const auto shown = [&](const std::string& suffix) {
        return display + (model == Model::B ? modelBName(suffix) : suffix);
    };
    if (s.latentNpy) store(npyBytes(res.latent));
    if (s.zNpy) store(npyBytes(res.z));
    if (s.decodedPng)
        store(PngWriter::encode(shown("_decoded.png"),
                                Preprocessing::toPixels(res.decoded, s.pngBits)));
    if (s.errorPng) {
        if (!rec) throw Error("no reconstruction to draw the error of '" + display + "'");
        store(PngWriter::encode(shown("_error.png"), errorPng(rec->signedError)));
    }
    if (s.nifti) {
        // As upstream saves it: latent.squeeze() (a 1-channel latent becomes [h, w]).
        const at::Tensor l = res.latent.to(at::kFloat).squeeze().contiguous();
        store(NiftiWriter::fileBytes(shown(s.niftiSuffix), l.data_ptr<float>(), l.sizes().vec()));
    }
}

}  // namespace medvae::jobs
