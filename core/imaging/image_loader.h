#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image.h"

namespace medvae {

// Reads image files into Image. PNG (8/16-bit; gray, gray+alpha, RGB, RGBA, palette), JPEG, and
// the other formats OpenCV decodes. Content is recognised by its bytes, not the extension.
// Unreadable, truncated, empty or oversized files throw medvae::Error naming the file and the
// reason; nothing is ever substituted for an image that failed to load.
class ImageLoader {
  public:
    struct Limits {
        std::uint64_t maxPixels = 100'000'000;  // per image (width x height)
        std::uint64_t maxFileBytes = 2ull << 30;
    };

    static Image loadFile(const std::string& path) { return loadFile(path, Limits{}); }
    static Image loadFile(const std::string& path, const Limits& limits);
    static Image decode(const std::vector<std::uint8_t>& bytes, const std::string& source,
                        const Limits& limits);
};

}  // namespace medvae
