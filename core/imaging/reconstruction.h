#pragma once

#include <ATen/core/Tensor.h>

#include "image.h"
#include "image_metrics.h"

namespace medvae {

// An original and its reconstruction, aligned and in the original's units, ready to be shown,
// measured and written.
//
// Alignment: the decoded image is floor(side / factor) * factor per side, so it can be smaller
// than the input; both are cropped to the common top-left area (`cropped` says whether the input
// lost rows or columns). With padToFactor() before inference the decoded image is larger and is
// cropped back to the input's size.
//
// Channels: shown as the original's colour channels (alpha dropped). A gray original is compared
// with the mean of the decoded channels; a colour original with a 1-channel model is compared as
// the mean of its channels.
struct Reconstruction {
    Image original;        // aligned area of the input, 1 (gray) or 3 (RGB) channels, input units
    Image reconstruction;  // decoded image mapped back through the input's per-channel min/max
    Image signedError;     // reconstruction - original, same layout
    int inputWidth = 0, inputHeight = 0;  // of the image given to the model
    bool cropped = false;                 // the aligned area is smaller than the input
    double dataRange = 0;                 // max - min of the input (over its colour channels)
    ImageComparison metrics;              // PSNR over dataRange, SSIM, MAE and max in input units
};

// `decoded`: [C, H', W'] float32 CPU in model space [-1, 1] (Engine::encode's `decoded`).
// Throws medvae::Error when the shapes cannot be aligned (empty overlap, wrong rank).
Reconstruction compareReconstruction(const Image& input, const at::Tensor& decoded);

// The input padded on the right and bottom to a multiple of `factor` by repeating its last row
// and column, so the model sees every pixel; compareReconstruction then crops back.
Image padToFactor(const Image& input, int factor);

}  // namespace medvae
