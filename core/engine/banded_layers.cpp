#include "banded_layers.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <functional>

#include "group_norm_silu.h"
#include "network_blocks.h"
#include "step_counter.h"

namespace medvae {
namespace {

constexpr std::int64_t kGroups = 32;
constexpr double kEps = 1e-6;
const auto kChannelsLast = at::MemoryFormat::ChannelsLast;

// The rows of a band: its output rows [begin, end) and the input rows [lo, hi) they need.
struct Band {
    std::int64_t begin, end, lo, hi;
};

Band band(std::int64_t begin, std::int64_t rows, std::int64_t height) {
    const std::int64_t end = std::min(height, begin + rows);
    return {begin, end, std::max<std::int64_t>(0, begin - 1), std::min(height, end + 1)};
}

// Output rows [b.begin, b.end) of a 3x3, stride-1, padding-1 convolution whose input rows
// [b.lo, b.hi) are `in`: padding one row above and below `in` stands for the image's own zero
// padding exactly where `in` reaches an edge of the image, and is discarded elsewhere.
at::Tensor convRows(const at::Tensor& in, const ConvLayer& conv, const Band& b) {
    return at::conv2d(in, conv.weight, conv.bias, {1, 1}, {1, 1})
        .narrow(2, b.begin - b.lo, b.end - b.begin);
}

at::Tensor emptyRows(const at::Tensor& like, std::int64_t channels, std::int64_t rows) {
    return at::empty({like.size(0), channels, rows, like.size(3)},
                     like.options().memory_format(kChannelsLast));
}

void requireSameSizeConv(const ConvLayer& conv) {
    TORCH_CHECK(conv.stride == 1 && conv.padding == 1 && conv.weight.size(2) == 3,
                "banded layers take 3x3 stride-1 convolutions");
}

// h = conv(h) + residual(begin, end) (rows [begin, end) of the residual), in place from the top.
void convAddRowsInPlace(at::Tensor& h, const ConvLayer& conv, std::int64_t rows,
                        const std::function<at::Tensor(std::int64_t, std::int64_t)>& residual,
                        const BandProgress& progress) {
    requireSameSizeConv(conv);
    const std::int64_t height = h.size(2), channels = h.size(1);
    at::Tensor rowAbove;  // the original of the row above the current band
    for (std::int64_t r = 0; r < height; r += rows) {
        const Band b = band(r, rows, height);
        at::Tensor in = emptyRows(h, channels, b.hi - b.lo);
        if (b.lo < b.begin) in.narrow(2, 0, 1).copy_(rowAbove);
        in.narrow(2, b.begin - b.lo, b.hi - b.begin).copy_(h.narrow(2, b.begin, b.hi - b.begin));
        at::Tensor y = convRows(in, conv, b);
        y.add_(residual(b.begin, b.end));
        rowAbove = in.narrow(2, b.end - 1 - b.lo, 1);  // still the original: `in` is a copy
        h.narrow(2, b.begin, b.end - b.begin).copy_(y);
        progress(double(b.end) / double(height));
    }
}

// Rows [begin, end) of conv(nearest x2 upsampling of x), channels-last: the upsampled input
// exists for those rows and their halo only.
at::Tensor upsampleConvRows(const at::Tensor& x, const ConvLayer& conv, std::int64_t begin,
                            std::int64_t end) {
    const std::int64_t height = 2 * x.size(2), width = 2 * x.size(3);
    const Band b{begin, end, std::max<std::int64_t>(0, begin - 1), std::min(height, end + 1)};
    // Upsampled row u is source row u / 2.
    const std::int64_t s0 = b.lo / 2, s1 = (b.hi - 1) / 2 + 1;
    const at::Tensor up = at::upsample_nearest2d(x.narrow(2, s0, s1 - s0), {2 * (s1 - s0), width})
                              .narrow(2, b.lo - 2 * s0, b.hi - b.lo)
                              .contiguous(kChannelsLast);
    return convRows(up, conv, b).contiguous(kChannelsLast);
}

}  // namespace

std::int64_t bandRows(const at::Tensor& x, std::int64_t channels, std::int64_t scale,
                      std::size_t bandBytes, double bandWork) {
    if (bandBytes == 0 || at::GradMode::is_enabled() || !groupNormByRows(x, kGroups)) return 0;
    const double width = double(scale * x.size(3)), batch = double(x.size(0));
    return planBandRows(scale * x.size(2), batch * double(channels) * width * x.element_size(),
                        batch * convRowWork(channels, std::int64_t(width)), bandBytes, bandWork);
}

std::int64_t convBandRows(const at::Tensor& x, std::int64_t outChannels, std::int64_t kernel,
                          std::size_t bandBytes, double bandWork) {
    if (at::GradMode::is_enabled() || !x.device().is_cpu() || !x.is_contiguous(kChannelsLast))
        return 0;
    const double width = double(x.size(0) * x.size(3));
    return planBandRows(x.size(2), width * double(outChannels) * double(x.element_size()),
                        convRowWork(x.size(1), outChannels, kernel, width), bandBytes, bandWork);
}

at::Tensor normSiluConvByRows(const at::Tensor& x, const NormLayer& norm, const ConvLayer& conv,
                              std::int64_t rows, const BandProgress& progress) {
    requireSameSizeConv(conv);
    const std::int64_t height = x.size(2);
    // Statistics of the whole of x in one pass (summed in bands they would round differently, and
    // bfloat16 networks amplify such rounding), then the bands.
    const GroupNormAffine affine = groupNormAffine(x, norm.weight, norm.bias, kGroups, kEps);
    progress(0);  // the statistics' pass is as long as a band or two
    at::Tensor out = emptyRows(x, conv.weight.size(0), height);
    for (std::int64_t r = 0; r < height; r += rows) {
        const Band b = band(r, rows, height);
        at::Tensor in = emptyRows(x, x.size(1), b.hi - b.lo);
        applyGroupNormRows(x, affine, b.lo, b.hi, in, 0, /*silu=*/true);
        out.narrow(2, b.begin, b.end - b.begin).copy_(convRows(in, conv, b));
        progress(double(b.end) / double(height));
    }
    return out;
}

void normSiluInPlaceByRows(at::Tensor& h, const NormLayer& norm, std::int64_t rows,
                           const BandProgress& progress) {
    const GroupNormAffine affine = groupNormAffine(h, norm.weight, norm.bias, kGroups, kEps);
    progress(0);  // the statistics' pass is as long as a band or two
    const std::int64_t height = h.size(2);
    for (std::int64_t r = 0; r < height; r += rows) {
        const std::int64_t end = std::min(height, r + rows);
        applyGroupNormRows(h, affine, r, end, h, r, /*silu=*/true);
        progress(double(end) / double(height));
    }
}

at::Tensor convByRows(const at::Tensor& x, const ConvLayer& conv, std::int64_t rows,
                      const BandProgress& progress) {
    requireSameSizeConv(conv);
    const std::int64_t height = x.size(2);
    at::Tensor out = emptyRows(x, conv.weight.size(0), height);
    for (std::int64_t r = 0; r < height; r += rows) {
        const Band b = band(r, rows, height);
        out.narrow(2, b.begin, b.end - b.begin)
            .copy_(convRows(x.narrow(2, b.lo, b.hi - b.lo), conv, b));
        progress(double(b.end) / double(height));
    }
    return out;
}

void convAddInPlaceByRows(at::Tensor& h, const ConvLayer& conv, const at::Tensor& x,
                          const ConvLayer* shortcut, std::int64_t rows,
                          const BandProgress& progress) {
    convAddRowsInPlace(
        h, conv, rows,
        [&](std::int64_t begin, std::int64_t end) {
            const at::Tensor xRows = x.narrow(2, begin, end - begin);
            return shortcut ? shortcut->forward(xRows) : xRows;
        },
        progress);
}

void pointwiseConvByRows(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                         const at::Tensor* residual, at::Tensor& out, std::int64_t rows,
                         const BandProgress& progress) {
    TORCH_CHECK(weight.size(2) == 1 && weight.size(3) == 1,
                "pointwiseConvByRows takes a 1x1 convolution");
    const std::int64_t height = x.size(2);
    for (std::int64_t r = 0; r < height; r += rows) {
        const std::int64_t count = std::min(rows, height - r);
        at::Tensor y = at::conv2d(x.narrow(2, r, count), weight, bias);
        if (residual) y.add_(residual->narrow(2, r, count));
        out.narrow(2, r, count).copy_(y);
        progress(double(r + count) / double(height));
    }
}

at::Tensor upsampleConvByRows(const at::Tensor& x, const ConvLayer& conv, std::int64_t rows,
                              const BandProgress& progress) {
    requireSameSizeConv(conv);
    const std::int64_t height = 2 * x.size(2), width = 2 * x.size(3);
    at::Tensor out = at::empty({x.size(0), conv.weight.size(0), height, width},
                               x.options().memory_format(kChannelsLast));
    for (std::int64_t r = 0; r < height; r += rows) {
        const std::int64_t end = std::min(height, r + rows);
        out.narrow(2, r, end - r).copy_(upsampleConvRows(x, conv, r, end));
        progress(double(end) / double(height));
    }
    return out;
}

at::Tensor upsampleResnetByRows(const at::Tensor& x, const ConvLayer& upConv,
                                const ResnetBlock& block, std::int64_t rows,
                                const StepCounter* steps, double afterFirst) {
    requireSameSizeConv(upConv);
    requireSameSizeConv(*block.conv1);
    const std::int64_t height = 2 * x.size(2), width = 2 * x.size(3);
    // The three passes make u (one convolution each) and the last two a convolution of the
    // block's: progress reports them as 1/5, 2/5 (to afterFirst) and 2/5 (after it) of the block.
    const BandProgress statistics(steps, 0, 0.4 * afterFirst);
    const BandProgress first(steps, 0.4 * afterFirst, afterFirst);
    const BandProgress second(steps, afterFirst, 2 * afterFirst);
    // norm1's statistics of u = upConv(upsampled x), from its bands made one at a time.
    GroupNormSums sums;
    for (std::int64_t r = 0; r < height; r += rows) {
        const std::int64_t end = std::min(height, r + rows);
        addGroupNormRows(upsampleConvRows(x, upConv, r, end), sums);
        statistics(double(end) / double(height));
    }
    const GroupNormAffine affine =
        groupNormAffineFromSums(sums, block.norm1->weight, block.norm1->bias, kGroups, kEps);
    // conv1(SiLU(norm1(u))), each band of u made again with its halo rows.
    at::Tensor h = at::empty({x.size(0), block.conv1->weight.size(0), height, width},
                             x.options().memory_format(kChannelsLast));  // [N, out, 2H, 2W]
    for (std::int64_t r = 0; r < height; r += rows) {
        const Band b = band(r, rows, height);
        at::Tensor u = upsampleConvRows(x, upConv, b.lo, b.hi);
        applyGroupNormRows(u, affine, 0, b.hi - b.lo, u, 0, /*silu=*/true);
        h.narrow(2, b.begin, b.end - b.begin).copy_(convRows(u, *block.conv1, b));
        first(double(b.end) / double(height));
    }
    if (steps) steps->part(afterFirst);
    normSiluInPlaceByRows(h, *block.norm2, rows, steps);
    // conv2 + shortcut(u) in place, u made a third time (without halo).
    convAddRowsInPlace(
        h, *block.conv2, rows,
        [&](std::int64_t begin, std::int64_t end) {
            const at::Tensor u = upsampleConvRows(x, upConv, begin, end);
            return block.nin_shortcut ? block.nin_shortcut->forward(u) : u;
        },
        second);
    return h;
}

at::Tensor downsampleByRows(const at::Tensor& x, const ConvLayer& conv, std::int64_t rows,
                            const BandProgress& progress) {
    TORCH_CHECK(conv.stride == 2 && conv.padding == 0 && conv.weight.size(2) == 3,
                "banded downsampling takes a 3x3 stride-2 convolution");
    const std::int64_t height = x.size(2), width = x.size(3);
    const std::int64_t outHeight = height / 2, perBand = std::max<std::int64_t>(1, rows / 2);
    at::Tensor out = at::empty({x.size(0), conv.weight.size(0), outHeight, width / 2},
                               x.options().memory_format(kChannelsLast));
    for (std::int64_t r = 0; r < outHeight; r += perBand) {
        const std::int64_t end = std::min(outHeight, r + perBand);
        // Output rows [r, end) read input rows [2r, 2 end + 1); the last may be the zero row below
        // the image (2 end + 1 <= height + 1).
        const std::int64_t first = 2 * r, count = 2 * (end - r) + 1;
        const std::int64_t real = std::min(count, height - first);
        at::Tensor padded = at::empty({x.size(0), x.size(1), count, width + 1},
                                      x.options().memory_format(kChannelsLast));
        padded.narrow(3, width, 1).zero_();
        if (real < count) padded.narrow(2, real, count - real).zero_();
        padded.narrow(2, 0, real).narrow(3, 0, width).copy_(x.narrow(2, first, real));
        out.narrow(2, r, end - r).copy_(conv.forward(padded));
        progress(double(end) / double(outHeight));
    }
    return out;
}

}  // namespace medvae
