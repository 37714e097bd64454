#pragma once

#include <ATen/core/Tensor.h>
#include <opencv2/core/mat.hpp>

#include "image.h"

namespace medvae {

// The conversions between images and the model's input/output space, as upstream's load_2d:
// per channel, (x - min) / (max - min) (a constant channel becomes 0), then (x - 0.5) / 0.5, so
// the model sees [-1, 1]. Alpha is dropped; a gray image is replicated for 3-channel models; a
// colour image is averaged over its channels (after normalisation) for 1-channel models.
class Preprocessing {
  public:
    // -> [modelChannels, H, W] float32 on the CPU
    static at::Tensor toModelInput(const Image& image, int modelChannels);
    // Model-space image [C, H, W] (C = 1 or 3) -> 8- or 16-bit gray/RGB pixels, mapping [-1, 1]
    // linearly onto the full range and clamping outside it.
    static cv::Mat toPixels(const at::Tensor& image, int bits);
};

}  // namespace medvae
