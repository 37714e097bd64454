#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// What is known about an image besides its pixels, whatever its source.
struct ImageMetadata {
    std::string source;      // path or URL it came from
    std::string format;      // "PNG", "JPEG", ...
    std::string colorModel;  // "gray", "gray+alpha", "RGB", "RGBA"
    int bitsPerSample = 8;   // as stored: 8, 16, 32
    bool floatingPoint = false;
};

// Pixels as float in their original units (0-255 for 8-bit, 0-65535 for 16-bit, ...), planar:
// channel c, row y, column x is pixels[(c * height + y) * width + x]. Channels are gray,
// gray+alpha, RGB or RGBA, in that order.
struct Image {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<float> pixels;
    ImageMetadata meta;

    bool hasAlpha() const { return channels == 2 || channels == 4; }
    const float* plane(int c) const {
        return pixels.data() + std::size_t(c) * std::size_t(width) * std::size_t(height);
    }
};

}  // namespace medvae
