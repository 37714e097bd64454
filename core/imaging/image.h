#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// A VOI window: values center - width/2 .. center + width/2 span the display range.
struct WindowPreset {
    double center = 0;
    double width = 0;
    std::string name;  // the file's explanation, or a preset name ("soft tissue", ...)
};

// What is known about an image besides its pixels, whatever its source. Never holds patient
// identifiers (names, IDs, birth dates): nothing here may leak into logs or manifests.
struct ImageMetadata {
    std::string source;      // path or URL it came from
    std::string format;      // "PNG", "JPEG", "DICOM", ...
    std::string colorModel;  // "gray", "gray+alpha", "RGB", "RGBA"
    int bitsPerSample = 8;   // as stored: 8, 12, 16, 32
    bool floatingPoint = false;
    int exifOrientation = 1;  // applied: the pixels are upright

    // DICOM
    std::string modality;     // "CT", "MR", "CR", "DX", "MG", ...
    std::string photometric;  // as in the file: MONOCHROME1, MONOCHROME2, RGB, ...
    std::string
        transferSyntax;  // UID name, e.g. "JPEG Lossless, Non-Hierarchical, First-Order Prediction"
    int bitsAllocated = 0;
    bool signedPixels = false;
    double rescaleSlope = 1, rescaleIntercept = 0;
    std::string rescaleType;          // "HU", "US", ... when given
    bool inverted = false;            // MONOCHROME1 turned so that higher is brighter
    double pixelSpacing[2] = {0, 0};  // mm between rows, between columns; 0 when unknown
    std::string
        spacingKind;  // "calibrated (Pixel Spacing)" or "at the detector (Imager Pixel Spacing)"
    std::vector<WindowPreset> windows;  // the file's VOI windows
    bool windowed = false;              // pixels were windowed to [0, 1]
    WindowPreset appliedWindow;
    int frames = 1, frame = 0;
    std::string studyDescription, seriesDescription;
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
    // Same width, height and channels: images that can run through the model as one batch.
    bool sameShape(const Image& o) const {
        return width == o.width && height == o.height && channels == o.channels;
    }
    const float* plane(int c) const {
        return pixels.data() + std::size_t(c) * std::size_t(width) * std::size_t(height);
    }
};

}  // namespace medvae
