#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace medvae {

// How an image is loaded, and the limits that keep hostile or huge input from exhausting the
// machine. Every limit, when exceeded, is a clear error naming the input.
struct LoadOptions {
    std::uint64_t maxPixels = 100'000'000;    // per image (width x height), checked before decoding
    std::uint64_t maxFileBytes = 2ull << 30;  // files and decoded base64 / data: URIs
    std::uint64_t maxDownloadBytes = 512ull << 20;
    int maxFrames = 10000;  // DICOM files declaring more frames are refused

    // Called with the image's size as soon as it is known (from the header, before any pixel
    // memory is allocated, for every format whose header gives it; right after decoding for the
    // others); throws medvae::Error to refuse the image. See MemoryBudget::guard.
    std::function<void(const std::string& source, std::int64_t width, std::int64_t height)> admit;

    int frame = 0;  // which frame of a multi-frame DICOM file (0-based)

    // Optional VOI windowing of DICOM images before the model's min-max normalisation.
    enum class Window { None, FromFile, Custom };
    Window window = Window::None;
    int windowIndex = 0;                       // FromFile: which of the file's windows
    double windowCenter = 0, windowWidth = 0;  // Custom, in modality units

    // URLs
    int timeoutMs = 30000;
    int maxRedirects = 5;
    std::function<void(std::int64_t received, std::int64_t total)> progress;
    std::function<bool()> cancelled;
};

}  // namespace medvae
