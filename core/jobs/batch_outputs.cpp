#include "batch_outputs.h"

#include <ATen/ATen.h>

#include <cmath>

#include "colormap.h"
#include "error.h"
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

// |original - reconstruction| averaged over channels, drawn with magma from 0 to the 99th
// percentile (so a few outliers do not wash out the map).
cv::Mat errorHeatmap(const Image& signedError) {
    const std::size_t n = std::size_t(signedError.width) * std::size_t(signedError.height);
    std::vector<float> magnitude(n, 0.0f);
    for (int c = 0; c < signedError.channels; ++c) {
        const float* p = signedError.plane(c);
        for (std::size_t i = 0; i < n; ++i)
            magnitude[i] += std::fabs(p[i]) / signedError.channels;
    }
    float hi = 0;
    try {
        hi = Colormap::percentiles(magnitude.data(), n, 0, 99).second;
    } catch (const Error&) {
        hi = 0;  // no finite value: drawn black
    }
    if (!(hi > 0)) hi = 1;
    cv::Mat rgb(signedError.height, signedError.width, CV_8UC3);
    Colormap::apply(ColormapKind::Magma, magnitude.data(), n, 0.0f, hi, rgb.ptr<std::uint8_t>());
    return rgb;
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
        store(PngWriter::encode(display + "_error.png", errorHeatmap(rec->signedError)));
    }
    if (s.nifti) {
        // As upstream saves it: latent.squeeze() (a 1-channel latent becomes [h, w]).
        const at::Tensor l = res.latent.to(at::kFloat).squeeze().contiguous();
        store(
            NiftiWriter::fileBytes(display + s.niftiSuffix, l.data_ptr<float>(), l.sizes().vec()));
    }
}

}  // namespace medvae::jobs
