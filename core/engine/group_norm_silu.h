#pragma once

#include <ATen/core/Tensor.h>

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

}  // namespace medvae
