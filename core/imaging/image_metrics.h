#pragma once

namespace medvae {

// How far a reconstruction is from its original.
struct ImageComparison {
    double psnr = 0;      // dB, 10 log10(range² / MSE); infinite for identical images
    double ssim = 0;      // mean structural similarity over channels (Wang et al. 2004)
    double mae = 0;       // mean absolute error, in the images' units
    double maxError = 0;  // largest absolute error, in the images' units
};

// Compares two planar images of `channels` x `height` x `width` floats in the same units.
// `dataRange` is the span of valid values (1 for [0, 1], 2 for model space [-1, 1], 255, ...).
// SSIM uses an 11 x 11 Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, over the positions
// where the window fits (smaller windows for images under 11 pixels).
class ImageMetrics {
  public:
    static ImageComparison compare(const float* original, const float* reconstruction, int channels,
                                   int height, int width, double dataRange);
};

}  // namespace medvae
