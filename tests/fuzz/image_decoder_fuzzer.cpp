// libFuzzer target for the image decoder: every format it recognises (DICOM through DCMTK and
// OpenJPEG, PNG, JPEG, TIFF, BMP, WebP, PNM through OpenCV) and the header probe in front of
// them. Any exception other than medvae::Error, and any sanitizer report, is a bug.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "error.h"
#include "image_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    medvae::LoadOptions options;
    options.maxPixels = 4'000'000;  // keep single inputs within the fuzzer's memory limit
    options.maxFrames = 64;
    if (size > 0) options.frame = data[size - 1] % 3;  // sometimes ask for another frame
    try {
        medvae::ImageDecoder::decode(std::vector<std::uint8_t>(data, data + size), "fuzz", options);
    } catch (const medvae::Error&) {
    }
    return 0;
}
