#include "png_writer.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "atomic_file.h"
#include "error.h"

namespace medvae {

std::vector<std::uint8_t> PngWriter::encode(const std::string& path, const cv::Mat& rgbImage) {
    if (rgbImage.empty()) throw Error("cannot write '" + path + "': empty image");
    if (rgbImage.depth() != CV_8U && rgbImage.depth() != CV_16U)
        throw Error("cannot write '" + path + "': PNG takes 8- or 16-bit pixels");
    cv::Mat bgr = rgbImage;
    if (rgbImage.channels() == 3) cv::cvtColor(rgbImage, bgr, cv::COLOR_RGB2BGR);
    if (rgbImage.channels() == 4) cv::cvtColor(rgbImage, bgr, cv::COLOR_RGBA2BGRA);
    std::vector<std::uint8_t> bytes;
    try {
        if (!cv::imencode(".png", bgr, bytes)) throw Error("cannot encode '" + path + "' as PNG");
    } catch (const cv::Exception& e) {
        throw Error("cannot encode '" + path + "' as PNG: " + e.msg);
    }
    return bytes;
}

void PngWriter::write(const std::string& path, const cv::Mat& rgbImage) {
    const std::vector<std::uint8_t> bytes = encode(path, rgbImage);
    AtomicFile::writeAll(path, bytes.data(), bytes.size());
}

}  // namespace medvae
