#include "image_loader.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "error.h"
#include "zip_archive.h"  // crc32

namespace medvae {
namespace {

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           p[3];
}

bool startsWith(const std::vector<std::uint8_t>& b, const char* magic, std::size_t n,
                std::size_t at = 0) {
    return b.size() >= at + n && std::memcmp(b.data() + at, magic, n) == 0;
}

std::string sniffFormat(const std::vector<std::uint8_t>& b) {
    if (startsWith(b, "\x89PNG\r\n\x1a\n", 8)) return "PNG";
    if (startsWith(b, "\xff\xd8\xff", 3)) return "JPEG";
    if (startsWith(b, "II*\0", 4) || startsWith(b, "MM\0*", 4)) return "TIFF";
    if (startsWith(b, "BM", 2)) return "BMP";
    if (startsWith(b, "RIFF", 4) && startsWith(b, "WEBP", 4, 8)) return "WebP";
    if (startsWith(b, "\0\0\0\x0cjP  ", 8) || startsWith(b, "\xff\x4f\xff\x51", 4))
        return "JPEG 2000";
    if (startsWith(b, "P5", 2) || startsWith(b, "P6", 2)) return "PNM";
    if (b.size() >= 132 && std::memcmp(b.data() + 128, "DICM", 4) == 0) return "DICOM";
    return "";
}

// Width and height from the header, where cheap to find, so huge images are refused before
// any pixel memory is allocated. Returns false when unknown.
bool headerSize(const std::vector<std::uint8_t>& b, const std::string& format, std::uint64_t& w,
                std::uint64_t& h) {
    if (format == "PNG" && b.size() >= 24 && std::memcmp(b.data() + 12, "IHDR", 4) == 0) {
        w = be32(&b[16]);
        h = be32(&b[20]);
        return true;
    }
    if (format == "JPEG") {
        for (std::size_t i = 2; i + 9 < b.size();) {
            if (b[i] != 0xFF) return false;
            const std::uint8_t marker = b[i + 1];
            if (marker == 0xFF) {
                ++i;
                continue;
            }
            const std::size_t len = (std::size_t(b[i + 2]) << 8) | b[i + 3];
            const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                             marker != 0xCC;
            if (sof) {
                h = (std::uint64_t(b[i + 5]) << 8) | b[i + 6];
                w = (std::uint64_t(b[i + 7]) << 8) | b[i + 8];
                return true;
            }
            i += 2 + len;
        }
    }
    return false;
}

// Walks the PNG chunks and checks each one's length and CRC, so that damaged or truncated files
// are refused with a precise reason (and libpng never gets to print its own warnings).
void checkPngStructure(const std::vector<std::uint8_t>& b, const std::string& source) {
    std::size_t pos = 8;
    bool first = true;
    while (true) {
        if (b.size() - pos < 12)
            throw Error("'" + source + "' is a truncated PNG (it ends before its IEND chunk)");
        const std::uint32_t length = be32(&b[pos]);
        const std::string type(reinterpret_cast<const char*>(&b[pos + 4]), 4);
        if (length > b.size() - pos - 12)
            throw Error("'" + source + "' is a truncated or damaged PNG (chunk '" + type +
                        "' runs past the end of the file)");
        if (first && type != "IHDR")
            throw Error("'" + source + "' is a damaged PNG (it does not start with IHDR)");
        first = false;
        const std::uint32_t stored = be32(&b[pos + 8 + length]);
        if (crc32(&b[pos + 4], 4 + std::size_t(length)) != stored)
            throw Error("'" + source + "' is a damaged PNG (chunk '" + type +
                        "' fails its CRC check)");
        pos += 12 + std::size_t(length);
        if (type == "IEND") return;
    }
}

// A JPEG cut short still decodes (libjpeg fills the rest with gray); refuse it instead.
bool jpegComplete(const std::vector<std::uint8_t>& b) {
    for (std::size_t i = b.size(); i-- > 1;)
        if (b[i - 1] == 0xFF && b[i] == 0xD9) return true;
    return false;
}

}  // namespace

Image ImageLoader::loadFile(const std::string& path, const Limits& limits) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open '" + path + "': " + std::strerror(errno));
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < 0) throw Error("cannot read '" + path + "' (is it a folder?)");
    if (std::uint64_t(size) > limits.maxFileBytes)
        throw Error("'" + path + "' is too large (" + std::to_string(size) +
                    " bytes; the limit is " + std::to_string(limits.maxFileBytes) + ")");
    in.seekg(0);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), size);
    if (!in) throw Error("read error in '" + path + "'");
    return decode(bytes, path, limits);
}

Image ImageLoader::decode(const std::vector<std::uint8_t>& bytes, const std::string& source,
                          const Limits& limits) {
    if (bytes.empty()) throw Error("'" + source + "' is empty (0 bytes)");
    const std::string format = sniffFormat(bytes);
    if (format.empty())
        throw Error("'" + source +
                    "' is not an image this program can read (unrecognised contents)");
    if (format == "DICOM")
        throw Error("'" + source + "' is a DICOM file; DICOM input is not supported by this build");
    std::uint64_t w = 0, h = 0;
    if (headerSize(bytes, format, w, h)) {
        if (w == 0 || h == 0)
            throw Error("'" + source + "' declares an empty image (" + std::to_string(w) + "x" +
                        std::to_string(h) + ")");
        if (w * h > limits.maxPixels)
            throw Error("'" + source + "' is " + std::to_string(w) + "x" + std::to_string(h) +
                        " pixels, over the limit of " + std::to_string(limits.maxPixels) +
                        " pixels");
    }
    if (format == "PNG") checkPngStructure(bytes, source);
    if (format == "JPEG" && !jpegComplete(bytes))
        throw Error("'" + source + "' is a truncated JPEG (no end-of-image marker)");

    // OpenCV's own cap applies to the formats whose size is not read above; it is read once,
    // at OpenCV's first decode, from the environment.
    static const bool configured = [] {
        setenv("OPENCV_IO_MAX_IMAGE_PIXELS", "100000000", 0);
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        return true;
    }();
    (void)configured;
    cv::Mat mat;
    try {
        mat = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        throw Error("cannot decode '" + source + "' (" + format + "): " + e.msg);
    }
    if (mat.empty())
        throw Error("cannot decode '" + source + "' (" + format +
                    "): the file is corrupt, truncated or uses an unsupported variant");
    if (std::uint64_t(mat.cols) * std::uint64_t(mat.rows) > limits.maxPixels)
        throw Error("'" + source + "' is " + std::to_string(mat.cols) + "x" +
                    std::to_string(mat.rows) + " pixels, over the limit of " +
                    std::to_string(limits.maxPixels) + " pixels");

    Image image;
    image.width = mat.cols;
    image.height = mat.rows;
    image.meta.source = source;
    image.meta.format = format;
    const int depth = mat.depth();
    image.meta.floatingPoint = depth == CV_32F || depth == CV_64F;
    image.meta.bitsPerSample = depth == CV_8U || depth == CV_8S     ? 8
                               : depth == CV_16U || depth == CV_16S ? 16
                               : depth == CV_64F                    ? 64
                                                                    : 32;

    std::vector<cv::Mat> planes;
    cv::split(mat, planes);
    // OpenCV gives BGR(A); the project's order is RGB(A).
    if (planes.size() >= 3) std::swap(planes[0], planes[2]);
    // PNG gray+alpha arrives as BGRA with equal colour planes: its header says what it is.
    if (format == "PNG" && bytes.size() > 25 && (bytes[25] == 0 || bytes[25] == 4) &&
        planes.size() >= 3)
        planes.erase(planes.begin() + 1, planes.begin() + 3);
    image.channels = int(planes.size());
    if (image.channels < 1 || image.channels > 4)
        throw Error("'" + source + "' has " + std::to_string(image.channels) +
                    " channels; 1 to 4 are supported");
    image.meta.colorModel = image.channels == 1   ? "gray"
                            : image.channels == 2 ? "gray+alpha"
                            : image.channels == 3 ? "RGB"
                                                  : "RGBA";

    const std::size_t planeSize = std::size_t(image.width) * std::size_t(image.height);
    image.pixels.resize(planeSize * planes.size());
    for (std::size_t c = 0; c < planes.size(); ++c) {
        cv::Mat f(image.height, image.width, CV_32F, image.pixels.data() + c * planeSize);
        planes[c].convertTo(f, CV_32F);
    }
    for (float v : image.pixels)
        if (!std::isfinite(v))
            throw Error("'" + source + "' contains NaN or infinite pixel values");
    return image;
}

}  // namespace medvae
