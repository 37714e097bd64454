#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>

#include "band_plan.h"
#include "step_counter.h"

namespace medvae {

class ConvLayer;
class NormLayer;
class ResnetBlock;

// The full-resolution layers of a large image run over bands of rows, so that no second
// activation-sized buffer exists beside a layer's input and output: each band is computed from
// its rows plus one halo row above and below (a 3x3 convolution's reach) into a small buffer and
// copied into place. Every output value is computed from exactly the inputs the whole-image layer
// uses; only the convolution's blocking over the smaller spatial extent may round differently
// (float rounding, tested against the whole-image path). Inference on the CPU only: callers use
// these where bandRows() says so, and the whole-image layers otherwise. Bands also bound the work
// between two questions whether to stop: each function given a `progress` tells it of every band
// (BandProgress: progress within the running block, and whether to stop, which throws Cancelled).

// Rows per band for a layer over x whose output is `scale` times x's height and width and whose
// widest side has `channels` channels, keeping a band's buffer under `bandBytes` and its work under
// `bandWork` operations (planBandRows); 0 when the layer is not to be banded (bandBytes 0, autograd
// on, not a channels-last CPU float32/bfloat16 tensor, or a layer too small for bands).
std::int64_t bandRows(const at::Tensor& x, std::int64_t channels, std::int64_t scale,
                      std::size_t bandBytes, double bandWork = kBandWork);

// Rows per band for a stride-1 `kernel` x `kernel` convolution of x into `outChannels` (the
// network's first convolution, attention's 1x1 convolutions), bounded as bandRows() bounds them
// but without the GroupNorm kernel's conditions: 0 with autograd on, off the CPU, for a tensor
// that is not channels-last, or for a layer too small for bands.
std::int64_t convBandRows(const at::Tensor& x, std::int64_t outChannels, std::int64_t kernel,
                          std::size_t bandBytes, double bandWork = kBandWork);

// conv(SiLU(norm(x))) for a 3x3 stride-1 convolution, the normalised input made a band at a time
// (its statistics from the whole of x).
at::Tensor normSiluConvByRows(const at::Tensor& x, const NormLayer& norm, const ConvLayer& conv,
                              std::int64_t rows, const BandProgress& progress = {});

// SiLU(norm(h)) in place, a band at a time (its statistics from the whole of h first: the values
// the whole-image layer gives).
void normSiluInPlaceByRows(at::Tensor& h, const NormLayer& norm, std::int64_t rows,
                           const BandProgress& progress = {});

// conv(x) for a 3x3 stride-1 convolution, a band of output rows at a time (the network's first
// convolution, from the image's few channels to many).
at::Tensor convByRows(const at::Tensor& x, const ConvLayer& conv, std::int64_t rows,
                      const BandProgress& progress = {});

// h = conv(h) + residual, overwriting h band by band from the top (3x3 stride-1 convolution); the
// original of the row above each band is kept from the band before. residual = shortcut(x) when
// `shortcut` is given, else x (same shape as h).
void convAddInPlaceByRows(at::Tensor& h, const ConvLayer& conv, const at::Tensor& x,
                          const ConvLayer* shortcut, std::int64_t rows,
                          const BandProgress& progress = {});

// conv(nearest x2 upsampling of x) for a 3x3 stride-1 convolution: the upsampled input exists a
// band at a time.
at::Tensor upsampleConvByRows(const at::Tensor& x, const ConvLayer& conv, std::int64_t rows,
                              const BandProgress& progress = {});

// block(upConv(nearest x2 upsampling of x)) for a ResnetBlock whose input is the upsampled
// activation u, without u ever existing whole (the decoder's last upsampling: u is its widest
// full-resolution activation). u is made band by band three times: for norm1's statistics, for
// conv1's input (with halo rows), and for the residual of conv2 (the shortcut of u, or u). Beside x
// only the block's output and one band exist. `rows` output rows per band; `steps` (optional)
// hears `afterFirst` once conv1 ran and is asked after each band whether to stop.
at::Tensor upsampleResnetByRows(const at::Tensor& x, const ConvLayer& upConv,
                                const ResnetBlock& block, std::int64_t rows,
                                const StepCounter* steps = nullptr, double afterFirst = 0.5);

// Downsample: x zero-padded by one row and column at the bottom and right, then a 3x3 stride-2
// convolution (side -> floor(side / 2)); `rows` input rows per band (the padded copy exists a band
// at a time).
at::Tensor downsampleByRows(const at::Tensor& x, const ConvLayer& conv, std::int64_t rows,
                            const BandProgress& progress = {});

// conv(x) (+ residual, same shape as the output, when given) for a 1x1 convolution, written into
// `out` ([N, out channels, H, W] channels-last, any floating type) `rows` rows at a time.
void pointwiseConvByRows(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                         const at::Tensor* residual, at::Tensor& out, std::int64_t rows,
                         const BandProgress& progress = {});

}  // namespace medvae
