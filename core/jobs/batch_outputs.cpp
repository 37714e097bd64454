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

}  // namespace

std::vector<std::string> BatchOutputs::names(const BatchSettings& s, const std::string& stem) {
    std::vector<std::string> names;
    if (s.latentNpy) names.push_back(stem + "_latent.npy");
    if (s.zNpy) names.push_back(stem + "_z.npy");
    if (s.decodedPng) names.push_back(stem + "_decoded.png");
    if (s.errorPng) names.push_back(stem + "_error.png");
    if (s.nifti) names.push_back(stem + s.niftiSuffix);
    return names;
}

void BatchOutputs::write(const OutputFolder& folder, const BatchSettings& s,
                         const EncodeResult& res, const Reconstruction* rec, BatchItemResult& r) {
    const std::vector<std::string> all = names(s, r.item.relativeStem);
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
    };
    const std::string display = folder.root() + "/" + r.item.relativeStem;
    if (s.latentNpy) store(npyBytes(res.latent));
    if (s.zNpy) store(npyBytes(res.z));
    if (s.decodedPng)
        store(PngWriter::encode(display + "_decoded.png",
                                Preprocessing::toPixels(res.decoded, s.pngBits)));
    if (s.errorPng) {
        if (!rec) throw Error("no reconstruction to draw the error of '" + display + "'");
        store(PngWriter::encode(display + "_error.png", errorPng(rec->signedError)));
    }
    if (s.nifti) {
        // As upstream saves it: latent.squeeze() (a 1-channel latent becomes [h, w]).
        const at::Tensor l = res.latent.to(at::kFloat).squeeze().contiguous();
        store(
            NiftiWriter::fileBytes(display + s.niftiSuffix, l.data_ptr<float>(), l.sizes().vec()));
    }
}

}  // namespace medvae::jobs
