#include "network_blocks.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

#include "banded_layers.h"
#include "group_norm_silu.h"
#include "torch_compat.h"

namespace medvae {
namespace {

constexpr std::int64_t kGroups = 32;
constexpr double kEps = 1e-6;
const auto kChannelsLast = at::MemoryFormat::ChannelsLast;

at::Tensor param(at::IntArrayRef shape) {
    return at::empty(shape, at::TensorOptions().dtype(at::kFloat));
}

}  // namespace

ConvLayer::ConvLayer(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride_,
                     std::int64_t padding_)
    : stride(stride_), padding(padding_) {
    weight = register_parameter("weight", param({out, in, kernel, kernel}), false);
    bias = register_parameter("bias", param({out}), false);
}

at::Tensor ConvLayer::forward(const at::Tensor& x) const {
    return at::conv2d(x, weight, bias, {stride, stride}, {padding, padding});
}

void ConvLayer::prepare(const at::TensorOptions& options) {
    weight.set_data(weight.to(options).contiguous(kChannelsLast));
    bias.set_data(bias.to(options));
}

NormLayer::NormLayer(std::int64_t channels) {
    weight = register_parameter("weight", param({channels}), false);
    bias = register_parameter("bias", param({channels}), false);
}

// With autograd on (training), only differentiable LibTorch operations are used.
at::Tensor NormLayer::forward(const at::Tensor& x) const {
    if (at::GradMode::is_enabled()) return at::group_norm(x, kGroups, weight, bias, kEps);
    return groupNormSilu(x, weight, bias, kGroups, kEps, /*silu=*/false);
}

at::Tensor NormLayer::forwardSilu(const at::Tensor& x) const {
    if (at::GradMode::is_enabled()) return at::silu(at::group_norm(x, kGroups, weight, bias, kEps));
    return groupNormSilu(x, weight, bias, kGroups, kEps, /*silu=*/true);
}

void NormLayer::forwardSiluInPlace(at::Tensor& x) const {
    if (at::GradMode::is_enabled()) {
        x = forwardSilu(x);
        return;
    }
    groupNormSiluInPlace(x, weight, bias, kGroups, kEps, /*silu=*/true);
}

void NormLayer::prepare(const at::TensorOptions& options) {
    // Normalisation statistics and affine parameters stay float32 whatever the body's dtype.
    weight.set_data(weight.to(options.dtype(at::kFloat)));
    bias.set_data(bias.to(options.dtype(at::kFloat)));
}

ResnetBlock::ResnetBlock(std::int64_t in, std::int64_t out) {
    norm1 = register_module("norm1", std::make_shared<NormLayer>(in));
    conv1 = register_module("conv1", std::make_shared<ConvLayer>(in, out, 3, 1, 1));
    norm2 = register_module("norm2", std::make_shared<NormLayer>(out));
    conv2 = register_module("conv2", std::make_shared<ConvLayer>(out, out, 3, 1, 1));
    if (in != out)
        nin_shortcut = register_module("nin_shortcut", std::make_shared<ConvLayer>(in, out, 1));
}

at::Tensor ResnetBlock::forward(const at::Tensor& x, const ForwardSettings& settings,
                                const StepCounter* steps, double afterFirst) const {
    const std::int64_t out = conv1->weight.size(0);
    if (const std::int64_t rows =
            bandRows(x, std::max(x.size(1), out), 1, settings.bandBytes, settings.bandWork)) {
        // Two activation-sized buffers: x and the output.
        // Progress band by band: conv1 to afterFirst, conv2 as far again.
        at::Tensor h = normSiluConvByRows(x, *norm1, *conv1, rows, {steps, 0, afterFirst});
        if (steps) steps->part(afterFirst);
        normSiluInPlaceByRows(h, *norm2, rows, steps);
        convAddInPlaceByRows(h, *conv2, x, nin_shortcut.get(), rows,
                             {steps, afterFirst, 2 * afterFirst});
        return h;
    }
    // At most three activation-sized buffers live at once: x, the normalised copy, the output.
    at::Tensor h = conv1->forward(norm1->forwardSilu(x));  // [N, out, H, W]
    if (steps) steps->part(afterFirst);
    norm2->forwardSiluInPlace(h);
    h = conv2->forward(h);
    if (nin_shortcut) {
        h.add_(nin_shortcut->forward(x));
    } else {
        h.add_(x);
    }
    return h;
}

AttnBlock::AttnBlock(std::int64_t channels) {
    norm = register_module("norm", std::make_shared<NormLayer>(channels));
    q = register_module("q", std::make_shared<ConvLayer>(channels, channels, 1));
    k = register_module("k", std::make_shared<ConvLayer>(channels, channels, 1));
    v = register_module("v", std::make_shared<ConvLayer>(channels, channels, 1));
    proj_out = register_module("proj_out", std::make_shared<ConvLayer>(channels, channels, 1));
}

void AttnBlock::prepare(const at::TensorOptions& options) {
    qkvWeight_ =
        at::cat({q->weight, k->weight, v->weight}, 0).to(options).contiguous(kChannelsLast);
    qkvBias_ = at::cat({q->bias, k->bias, v->bias}, 0).to(options);
}

at::Tensor chunkedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                            std::size_t chunkBytes, const StepCounter* steps, double chunkWork) {
    const std::int64_t batch = q.size(0), n = q.size(1), c = q.size(2);
    const double scale = 1.0 / std::sqrt(double(c));
    const at::Tensor kt = k.transpose(1, 2);  // [B, C, N]
    at::Tensor out = at::empty({batch, n, c}, q.options());
    const std::int64_t rows = attentionChunkRows(batch, n, c, chunkBytes, chunkWork);
    for (std::int64_t start = 0; start < n; start += rows) {
        const std::int64_t count = std::min(rows, n - start);
        at::Tensor scores = at::bmm(q.narrow(1, start, count), kt);  // [B, rows, N]
        scores.mul_(scale);
        at::Tensor weights = at::softmax(scores, 2);
        scores.reset();
        out.narrow(1, start, count).copy_(at::bmm(weights, v));  // [B, rows, C]
        if (steps) steps->part(0.5 + 0.5 * double(start + count) / double(n));
    }
    return out;
}

at::Tensor AttnBlock::chunked(at::Tensor normed, const ForwardSettings& settings,
                              const StepCounter* steps) const {
    const std::int64_t b = normed.size(0), c = normed.size(1), h = normed.size(2),
                       w = normed.size(3);
    at::Tensor rows;  // [B, N, 3C] float32: q, k and v of each position
    if (const std::int64_t qkvRows =
            qkvWeight_.defined()
                ? convBandRows(normed, 3 * c, 1, settings.bandBytes, settings.bandWork)
                : 0) {
        // A large image: q/k/v made a band of rows at a time, straight into float32.
        at::Tensor qkv = at::empty({b, 3 * c, h, w},
                                   normed.options().dtype(at::kFloat).memory_format(kChannelsLast));
        pointwiseConvByRows(normed, qkvWeight_, qkvBias_, nullptr, qkv, qkvRows, steps);
        normed.reset();
        rows = qkv.permute({0, 2, 3, 1}).reshape({b, h * w, 3 * c});
    } else {
        // The fused q/k/v weights are a copy made for inference; training uses the parameters.
        at::Tensor qkv =
            at::GradMode::is_enabled() || !qkvWeight_.defined()
                ? at::cat({q->forward(normed), k->forward(normed), v->forward(normed)}, 1)
                      .contiguous(kChannelsLast)
                : at::conv2d(normed, qkvWeight_, qkvBias_);  // [B, 3C, H, W]
        normed.reset();
        // Channels-last memory is [B, H, W, 3C]: a [B, N, 3C] view needs no copy.
        rows = qkv.permute({0, 2, 3, 1}).reshape({b, h * w, 3 * c}).to(at::kFloat);
    }
    at::Tensor attended = chunkedAttention(
        rows.narrow(2, 0, c), rows.narrow(2, c, c), rows.narrow(2, 2 * c, c), settings.chunkBytes,
        steps, settings.bandBytes ? attentionChunkWork(settings.bandWork) : 0);
    rows.reset();
    // [B, N, C] is the memory of a channels-last [B, C, H, W] tensor.
    return attended.view({b, h, w, c}).permute({0, 3, 1, 2});
}

namespace {

// On the CPU a large image's attention runs in chunks of query rows (each row's softmax is its
// own, so the chunks give the rows the whole call gives) of at most attentionChunkWork(bandWork)
// operations, asking between them whether to stop. On CUDA one call: the GPU runs it in a fraction
// of a second.
at::Tensor fusedByQueryRows(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                            const ForwardSettings& settings, const StepCounter* steps) {
    const std::int64_t n = q.size(2);
    const std::int64_t rows =
        q.is_cuda() || settings.bandBytes == 0 || settings.bandWork <= 0
            ? 0
            : std::max<std::int64_t>(16, std::int64_t(attentionChunkWork(settings.bandWork) /
                                                      queryRowWork(q.size(0), n, q.size(3))));
    if (rows == 0 || rows >= n) return torch_compat::fusedAttention(q, k, v);
    at::Tensor out = at::empty_like(q, at::MemoryFormat::Contiguous);
    for (std::int64_t start = 0; start < n; start += rows) {
        const std::int64_t count = std::min(rows, n - start);
        out.narrow(2, start, count)
            .copy_(torch_compat::fusedAttention(q.narrow(2, start, count), k, v));
        if (steps) steps->part(0.5 + 0.5 * double(start + count) / double(n));
    }
    return out;
}

}  // namespace

at::Tensor AttnBlock::fused(at::Tensor normed, const ForwardSettings& settings,
                            const StepCounter* steps) const {
    const std::int64_t b = normed.size(0), c = normed.size(1), h = normed.size(2),
                       w = normed.size(3);
    // The kernel wants each of q, k, v as a contiguous [B, 1, N, C]: separate convolutions give
    // exactly that (channels-last [B, C, H, W] is [B, N, C] in memory), where slicing the fused
    // q/k/v output would need three copies. On the CPU the attention runs in float32.
    const at::ScalarType type = normed.is_cuda() ? normed.scalar_type() : at::kFloat;
    const std::int64_t rowsPerBand =
        convBandRows(normed, c, 1, settings.bandBytes, settings.bandWork);
    auto rows = [&](const ConvLayer& conv) {
        at::Tensor y;
        if (rowsPerBand) {  // a large image: a band of rows at a time, asking between bands
            y = at::empty({b, c, h, w}, normed.options().dtype(type).memory_format(kChannelsLast));
            pointwiseConvByRows(normed, conv.weight, conv.bias, nullptr, y, rowsPerBand, steps);
        } else {
            y = conv.forward(normed).to(type);
        }
        return y.permute({0, 2, 3, 1}).reshape({b, 1, h * w, c});
    };
    at::Tensor qRows = rows(*q), kRows = rows(*k), vRows = rows(*v);  // [B, 1, N, C] each
    normed.reset();
    at::Tensor attended = fusedByQueryRows(qRows, kRows, vRows, settings, steps);
    qRows.reset();
    kRows.reset();
    vRows.reset();
    return attended.view({b, h, w, c}).permute({0, 3, 1, 2});  // [B, C, H, W] channels-last
}

at::Tensor AttnBlock::forward(const at::Tensor& x, const ForwardSettings& settings,
                              const StepCounter* steps) const {
    at::Tensor normed = norm->forward(x);
    at::Tensor image = settings.fused && torch_compat::kHasFusedAttention
                           ? fused(std::move(normed), settings, steps)
                           : chunked(std::move(normed), settings, steps);
    if (steps) steps->checkCancelled();
    image = image.to(x.scalar_type());
    if (const std::int64_t rows =
            convBandRows(image, x.size(1), 1, settings.bandBytes, settings.bandWork)) {
        // A large image: proj_out + x a band of rows at a time, asking between bands.
        at::Tensor out = at::empty_like(x, x.options().memory_format(kChannelsLast));
        pointwiseConvByRows(image, proj_out->weight, proj_out->bias, &x, out, rows, steps);
        return out;
    }
    at::Tensor out = proj_out->forward(image);
    out.add_(x);
    return out;
}

Downsample::Downsample(std::int64_t channels) {
    conv = register_module("conv", std::make_shared<ConvLayer>(channels, channels, 3, 2, 0));
}

at::Tensor Downsample::forward(const at::Tensor& x, const ForwardSettings& settings,
                               const StepCounter* steps) const {
    if (const std::int64_t rows = bandRows(x, x.size(1), 1, settings.bandBytes, settings.bandWork))
        return downsampleByRows(x, *conv, rows, steps);
    const std::int64_t h = x.size(2), w = x.size(3);
    at::Tensor padded =
        at::empty({x.size(0), x.size(1), h + 1, w + 1}, x.options().memory_format(kChannelsLast));
    padded.narrow(2, h, 1).zero_();
    padded.narrow(3, w, 1).zero_();
    padded.narrow(2, 0, h).narrow(3, 0, w).copy_(x);
    return conv->forward(padded);
}

Upsample::Upsample(std::int64_t channels) {
    conv = register_module("conv", std::make_shared<ConvLayer>(channels, channels, 3, 1, 1));
}

at::Tensor Upsample::forward(const at::Tensor& x, const ForwardSettings& settings,
                             const StepCounter* steps) const {
    if (const std::int64_t rows = bandRows(x, x.size(1), 2, settings.bandBytes, settings.bandWork))
        return upsampleConvByRows(x, *conv, rows, steps);
    return conv->forward(at::upsample_nearest2d(x, {2 * x.size(2), 2 * x.size(3)}));
}

}  // namespace medvae
