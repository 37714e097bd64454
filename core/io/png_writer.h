#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// Writes 8- or 16-bit gray, RGB (given in RGB order) or RGBA images as PNG, atomically.
class PngWriter {
  public:
    static void write(const std::string& path, const cv::Mat& rgbImage);
    // The bytes write() would store; `path` only names the image in messages.
    static std::vector<std::uint8_t> encode(const std::string& path, const cv::Mat& rgbImage);
};

}  // namespace medvae
