#pragma once

#include <ATen/core/Tensor.h>

namespace medvae {

// y = GroupNorm(x) * gamma + beta, then SiLU(y) = y * sigmoid(y) when `silu`.
// x: [N, C, H, W] float32 or bfloat16; gamma, beta: [C] float32. Returns x's dtype and layout.
//
// float32 uses LibTorch's group_norm. bfloat16 channels-last input on the CPU goes through the
// project's own kernel (statistics accumulated in double, one pass each for statistics and
// output): LibTorch 1.13's channels-last bfloat16 GroupNorm loses precision (about 30 % relative
// error on a 128-channel map). Other bfloat16 input is normalised in float32.
at::Tensor groupNormSilu(const at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta,
                         std::int64_t groups, double eps, bool silu);

}  // namespace medvae
