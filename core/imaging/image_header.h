#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// What the first bytes of an image file say, read without decoding any pixels: the format (by
// magic bytes, never by extension), the declared size (so decompression bombs are refused before
// memory is allocated) and the EXIF orientation. Malformed headers never crash the reader: the
// fields it cannot read stay unknown.
struct ImageHeader {
    std::string
        format;  // "PNG", "JPEG", "TIFF", "BMP", "WebP", "PNM", "JPEG 2000", "DICOM", "" (unknown)
    std::int64_t width = -1;  // -1 when unknown
    std::int64_t height = -1;
    int exifOrientation = 1;  // 1..8 as in EXIF/TIFF tag 274; 1 when absent or invalid

    static ImageHeader probe(const std::vector<std::uint8_t>& bytes);
};

// Turns a decoded image (as stored, row 0 first) into its upright view for EXIF orientation 1..8
// (2 mirror horizontal, 3 rotate 180, 4 mirror vertical, 5 transpose, 6 rotate 90 clockwise,
// 7 transverse, 8 rotate 90 counter-clockwise). Other values leave the image as it is.
cv::Mat applyExifOrientation(const cv::Mat& image, int orientation);

}  // namespace medvae
