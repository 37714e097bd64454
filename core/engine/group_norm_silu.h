#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace medvae {

// y = GroupNorm(x) * gamma + beta, then SiLU(y) = y * sigmoid(y) when `silu`.
// x: [N, C, H, W] float32 or bfloat16; gamma, beta: [C] float32. Returns x's dtype and layout.
//
// The project's own kernel (statistics accumulated in double about a per-channel pivot; one pass
// for the statistics and one for the output, which may overwrite the input) serves every
// channels-last float32/bfloat16 input on the CPU. LibTorch 1.13's channels-last GroupNorm is not
// usable there: in float32 it computes the variance as E[x^2] - E[x]^2 in float, which cancels
// when a group's mean is large against its spread (errors of 1e2..1e5 at 1024^2), and in bfloat16
// it loses about 30 % on a 128-channel map. Other inputs go through LibTorch's group_norm with
// float32 statistics: CUDA float16/bfloat16 as they are (its kernel accumulates in float32),
// everything else converted to float32.
at::Tensor groupNormSilu(const at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta,
                         std::int64_t groups, double eps, bool silu);

// The same, overwriting x (no second activation-sized buffer) where the kernel allows it.
void groupNormSiluInPlace(at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta,
                          std::int64_t groups, double eps, bool silu);

// The same computation split in two, for running a layer over bands of rows: the per-channel
// affine map GroupNorm(x) * gamma + beta reduces to for each image, y = (x - center) * scale +
// shift, taken from the statistics of the whole image; then applied to any rows of it, giving
// exactly the values the whole-image kernel gives. Only where groupNormByRows(x) is true (the
// project's own kernel: CPU, channels-last, float32/bfloat16).
struct GroupNormAffine {
    std::int64_t channels = 0;
    std::vector<float> center, scale, shift;  // [N * C], image-major
};
bool groupNormByRows(const at::Tensor& x, std::int64_t groups);
GroupNormAffine groupNormAffine(const at::Tensor& x, const at::Tensor& gamma,
                                const at::Tensor& beta, std::int64_t groups, double eps);
// The statistics of an activation that exists only a band of rows at a time (each band made,
// added and dropped): bands added top to bottom, channels-last CPU float32/bfloat16 as above,
// give the affine map groupNormAffine gives for the whole activation (up to the rounding of
// float partial sums over a few hundred pixels).
struct GroupNormSums {
    std::int64_t images = 0, channels = 0;
    double pixels = 0;                 // per image, so far
    std::vector<float> pivot;          // [N * C]: each image's first pixel
    std::vector<double> sum, squares;  // [N * C]: sums of (x - pivot) and its square
};
void addGroupNormRows(const at::Tensor& rows, GroupNormSums& sums);
GroupNormAffine groupNormAffineFromSums(const GroupNormSums& sums, const at::Tensor& gamma,
                                        const at::Tensor& beta, std::int64_t groups, double eps);
// Writes rows [rowBegin, rowEnd) of every image of x, normalised (and SiLU'd), into y (channels-
// last, x's dtype and width, the same images) starting at y's row `yRow`. y may be x.
void applyGroupNormRows(const at::Tensor& x, const GroupNormAffine& a, std::int64_t rowBegin,
                        std::int64_t rowEnd, at::Tensor& y, std::int64_t yRow, bool silu);

}  // namespace medvae
