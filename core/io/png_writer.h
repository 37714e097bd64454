#pragma once

#include <opencv2/core/mat.hpp>

#include <string>

namespace medvae {

// Writes 8- or 16-bit gray, RGB (given in RGB order) or RGBA images as PNG, atomically.
class PngWriter {
  public:
    static void write(const std::string& path, const cv::Mat& rgbImage);
};

}  // namespace medvae
