#pragma once

#include <ATen/core/Tensor.h>

namespace medvae {

// y = GroupNorm(x) * gamma + beta, then SiLU(y) = y * sigmoid(y) when `silu`.
// x: [N, C, H, W] float32 or bfloat16; gamma, beta: [C] float32. Returns x's dtype and layout.
//
// The project's own kernel (statistics accumulated in double; one pass for the statistics and one
// for the output, which may overwrite the input) serves channels-last input on the CPU in two
// cases: bfloat16, since LibTorch 1.13's channels-last bfloat16 GroupNorm loses precision (about
// 30 % relative error on a 128-channel map), and in-place normalisation, which LibTorch lacks.
// Everything else goes through LibTorch's group_norm, in float32.
at::Tensor groupNormSilu(const at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta,
                         std::int64_t groups, double eps, bool silu);

// The same, overwriting x (no second activation-sized buffer) where the kernel allows it.
void groupNormSiluInPlace(at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta,
                          std::int64_t groups, double eps, bool silu);

}  // namespace medvae
