#include "group_norm_silu.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace medvae {
namespace {

// Several instruction-set variants of the hot loops, chosen at load time by the processor.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MEDVAE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MEDVAE_CLONES
#endif

constexpr std::int64_t kStatChunk = 256;  // pixels summed in float before going to double

inline float bf16ToFloat(std::uint16_t h) {
    std::uint32_t bits = std::uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

inline std::uint16_t floatToBf16(float f) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    // Round to nearest even; NaN stays NaN (its payload's top bits are kept, quiet bit set).
    if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return std::uint16_t((bits >> 16) | 0x40);
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    return std::uint16_t(bits >> 16);
}

template <typename T>
inline float load(const T* p, std::int64_t i) {
    if constexpr (std::is_same_v<T, float>) {
        return p[i];
    } else {
        return bf16ToFloat(p[i]);
    }
}

// Per-channel sum and sum of squares of `count` pixels of `c` channels, taken about `shift`
// (a value near each channel's mean) so that the float partial sums lose no precision when a
// mean is large compared with the spread.
template <typename T>
MEDVAE_CLONES void channelSums(const T* __restrict x, std::int64_t count, std::int64_t c,
                               const float* __restrict shift, double* __restrict sum,
                               double* __restrict sumsq) {
    std::vector<float> s(static_cast<std::size_t>(c)), q(static_cast<std::size_t>(c));
    for (std::int64_t start = 0; start < count; start += kStatChunk) {
        const std::int64_t end = std::min(count, start + kStatChunk);
        std::fill(s.begin(), s.end(), 0.0f);
        std::fill(q.begin(), q.end(), 0.0f);
        float* __restrict sp = s.data();
        float* __restrict qp = q.data();
        for (std::int64_t p = start; p < end; ++p) {
            const T* __restrict row = x + p * c;
            for (std::int64_t k = 0; k < c; ++k) {
                const float v = load(row, k) - shift[k];
                sp[k] += v;
                qp[k] += v * v;
            }
        }
        for (std::int64_t k = 0; k < c; ++k) {
            sum[k] += s[std::size_t(k)];
            sumsq[k] += q[std::size_t(k)];
        }
    }
}

// y = (x - center) * scale + shift per channel; subtracting the mean first keeps precision when
// the mean is large. y may be x (in place): every element is read once, then written in place.
template <typename T>
MEDVAE_CLONES void applyAffine(const T* x, T* y, std::int64_t count, std::int64_t c,
                               const float* __restrict center, const float* __restrict scale,
                               const float* __restrict shift) {
    for (std::int64_t p = 0; p < count; ++p) {
        const T* in = x + p * c;
        T* out = y + p * c;
        for (std::int64_t k = 0; k < c; ++k) {
            const float v = (load(in, k) - center[k]) * scale[k] + shift[k];
            if constexpr (std::is_same_v<T, float>) {
                out[k] = v;
            } else {
                out[k] = floatToBf16(v);
            }
        }
    }
}

// Adds the per-channel sums of every image of `rows` (a band of an activation, top to bottom)
// to `sums`; the first band sets each image's pivot from its first pixel.
template <typename T>
void addRows(const at::Tensor& rows, GroupNormSums& sums) {
    const std::int64_t n = rows.size(0), c = rows.size(1), hw = rows.size(2) * rows.size(3);
    const T* xd = reinterpret_cast<const T*>(rows.data_ptr());
    const std::size_t all = std::size_t(n * c);
    if (sums.pixels == 0) {
        sums.images = n;
        sums.channels = c;
        sums.pivot.resize(all);
        sums.sum.assign(all, 0.0);
        sums.squares.assign(all, 0.0);
        for (std::int64_t img = 0; img < n; ++img)
            for (std::int64_t ch = 0; ch < c; ++ch)
                sums.pivot[std::size_t(img * c + ch)] = load(xd + img * hw * c, ch);
    }
    TORCH_CHECK(sums.images == n && sums.channels == c, "bands of one activation differ in shape");
    // Fixed chunks (not one per thread) so results do not depend on the thread count.
    constexpr std::int64_t kChunk = 4096;
    const std::int64_t chunks = (hw + kChunk - 1) / kChunk;
    std::vector<double> partial(static_cast<std::size_t>(chunks) * 2 * std::size_t(c));
    for (std::int64_t img = 0; img < n; ++img) {
        const T* xi = xd + img * hw * c;
        const float* pivot = sums.pivot.data() + img * c;
        std::fill(partial.begin(), partial.end(), 0.0);
        at::parallel_for(0, chunks, 1, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t k = begin; k < end; ++k) {
                const std::int64_t start = k * kChunk, count = std::min(kChunk, hw - start);
                double* s = partial.data() + k * 2 * c;
                channelSums<T>(xi + start * c, count, c, pivot, s, s + c);
            }
        });
        double* sum = sums.sum.data() + img * c;
        double* squares = sums.squares.data() + img * c;
        for (std::int64_t k = 0; k < chunks; ++k) {
            const double* s = partial.data() + k * 2 * c;
            for (std::int64_t ch = 0; ch < c; ++ch) {
                sum[ch] += s[ch];
                squares[ch] += s[c + ch];
            }
        }
    }
    sums.pixels += double(hw);
}

// The per-channel affine map of one image from its channels' sums about the pivot.
void affineOfImage(const GroupNormSums& sums, std::int64_t img, const float* gd, const float* bd,
                   std::int64_t groups, double eps, GroupNormAffine& a) {
    const std::int64_t c = sums.channels, perGroup = c / groups;
    const float* pivot = sums.pivot.data() + img * c;
    const double* sum = sums.sum.data() + img * c;
    const double* squares = sums.squares.data() + img * c;
    float* center = a.center.data() + img * c;
    float* scale = a.scale.data() + img * c;
    float* shift = a.shift.data() + img * c;
    const double pixels = sums.pixels;
    for (std::int64_t grp = 0; grp < groups; ++grp) {
        const std::int64_t first = grp * perGroup, last = first + perGroup;
        // Per channel S = sum(x - K), Q = sum((x - K)^2), then exactly about the group mean.
        double mean = 0;
        for (std::int64_t ch = first; ch < last; ++ch)
            mean += double(pivot[ch]) + sum[ch] / pixels;
        mean /= double(perGroup);
        double deviation = 0;  // sum over the group of (x - mean)^2
        for (std::int64_t ch = first; ch < last; ++ch) {
            const double d = double(pivot[ch]) - mean;
            deviation += squares[ch] + 2 * d * sum[ch] + pixels * d * d;
        }
        const double var = std::max(deviation / (pixels * double(perGroup)), 0.0);
        const double rstd = 1.0 / std::sqrt(var + eps);
        for (std::int64_t ch = first; ch < last; ++ch) {
            // The float center's rounding error is moved into the shift, computed in double.
            center[ch] = float(mean);
            scale[ch] = float(gd[ch] * rstd);
            shift[ch] = float(bd[ch] - (mean - double(float(mean))) * gd[ch] * rstd);
        }
    }
}

// Rows [rowBegin, rowEnd) of every image of x, mapped, into y from its row `yRow` on.
template <typename T>
void applyRows(const at::Tensor& x, const GroupNormAffine& a, std::int64_t rowBegin,
               std::int64_t rowEnd, at::Tensor& y, std::int64_t yRow) {
    const std::int64_t n = x.size(0), c = x.size(1), w = x.size(3);
    const std::int64_t xhw = x.size(2) * w, yhw = y.size(2) * w;
    const std::int64_t count = (rowEnd - rowBegin) * w;
    const T* xd = reinterpret_cast<const T*>(x.data_ptr());
    T* yd = reinterpret_cast<T*>(y.data_ptr());
    for (std::int64_t img = 0; img < n; ++img) {
        const T* xi = xd + (img * xhw + rowBegin * w) * c;
        T* yi = yd + (img * yhw + yRow * w) * c;
        const float* center = a.center.data() + img * c;
        const float* scale = a.scale.data() + img * c;
        const float* shift = a.shift.data() + img * c;
        at::parallel_for(0, count, 1024, [&](std::int64_t begin, std::int64_t end) {
            applyAffine<T>(xi + begin * c, yi + begin * c, end - begin, c, center, scale, shift);
        });
    }
}

bool ownKernel(const at::Tensor& x, std::int64_t groups) {
    return x.device().is_cpu() && x.dim() == 4 && x.size(1) % groups == 0 &&
           (x.scalar_type() == at::kFloat || x.scalar_type() == at::kBFloat16) &&
           x.is_contiguous(at::MemoryFormat::ChannelsLast);
}

void runOwnKernel(const at::Tensor& x, at::Tensor& y, const at::Tensor& gamma,
                  const at::Tensor& beta, std::int64_t groups, double eps, bool silu) {
    const GroupNormAffine a = groupNormAffine(x, gamma, beta, groups, eps);
    applyGroupNormRows(x, a, 0, x.size(2), y, 0, silu);
}

}  // namespace

bool groupNormByRows(const at::Tensor& x, std::int64_t groups) {
    return ownKernel(x, groups);
}

void addGroupNormRows(const at::Tensor& rows, GroupNormSums& sums) {
    if (rows.scalar_type() == at::kFloat) {
        addRows<float>(rows, sums);
    } else {
        addRows<std::uint16_t>(rows, sums);
    }
}

GroupNormAffine groupNormAffineFromSums(const GroupNormSums& sums, const at::Tensor& gamma,
                                        const at::Tensor& beta, std::int64_t groups, double eps) {
    TORCH_CHECK(sums.pixels > 0 && sums.channels % groups == 0, "no rows to normalise by");
    const at::Tensor g = gamma.to(at::kFloat).contiguous(), b = beta.to(at::kFloat).contiguous();
    GroupNormAffine a;
    a.channels = sums.channels;
    a.center.assign(std::size_t(sums.images * sums.channels), 0.0f);
    a.scale = a.center;
    a.shift = a.center;
    for (std::int64_t img = 0; img < sums.images; ++img)
        affineOfImage(sums, img, g.data_ptr<float>(), b.data_ptr<float>(), groups, eps, a);
    return a;
}

GroupNormAffine groupNormAffine(const at::Tensor& x, const at::Tensor& gamma,
                                const at::Tensor& beta, std::int64_t groups, double eps) {
    GroupNormSums sums;
    addGroupNormRows(x, sums);
    return groupNormAffineFromSums(sums, gamma, beta, groups, eps);
}

void applyGroupNormRows(const at::Tensor& x, const GroupNormAffine& a, std::int64_t rowBegin,
                        std::int64_t rowEnd, at::Tensor& y, std::int64_t yRow, bool silu) {
    if (x.scalar_type() == at::kFloat) {
        applyRows<float>(x, a, rowBegin, rowEnd, y, yRow);
    } else {
        applyRows<std::uint16_t>(x, a, rowBegin, rowEnd, y, yRow);
    }
    // LibTorch's SiLU is vectorised with an accurate exp and computes bfloat16 in float32.
    if (silu) {
        at::Tensor rows = y.narrow(2, yRow, rowEnd - rowBegin);
        at::silu_(rows);
    }
}

at::Tensor groupNormSilu(const at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta,
                         std::int64_t groups, double eps, bool silu) {
    // Channels-last CPU input always takes the own kernel: LibTorch 1.13's channels-last kernel
    // computes the variance as E[x^2] - E[x]^2 in float, which cancels catastrophically when a
    // group's mean is large against its spread (decoder activations at 1024^2 and beyond gave
    // values off by 1e5; see tst_engine's large-image parity tests).
    if (ownKernel(x, groups)) {
        at::Tensor y = at::empty_like(x, x.options().memory_format(at::MemoryFormat::ChannelsLast));
        runOwnKernel(x, y, gamma, beta, groups, eps, silu);
        return y;
    }
    if (x.is_cuda() && x.scalar_type() != at::kFloat) {
        // CUDA's kernel takes float16/bfloat16 as they are and accumulates the statistics in
        // float32 (weights in the input's type): no float32 copy of the activation needed.
        at::Tensor y =
            at::group_norm(x, groups, gamma.to(x.scalar_type()), beta.to(x.scalar_type()), eps);
        if (silu) at::silu_(y);
        return y;
    }
    at::Tensor y =
        at::group_norm(x.to(at::kFloat), groups, gamma.to(at::kFloat), beta.to(at::kFloat), eps);
    if (silu) at::silu_(y);
    return y.to(x.scalar_type());
}

void groupNormSiluInPlace(at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta,
                          std::int64_t groups, double eps, bool silu) {
    if (ownKernel(x, groups)) {
        runOwnKernel(x, x, gamma, beta, groups, eps, silu);
    } else {
        x = groupNormSilu(x, gamma, beta, groups, eps, silu);
    }
}

}  // namespace medvae
