#include "image_decoder.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>

#include "byte_reader.h"
#include "dicom_decoder.h"
#include "error.h"
#include "image_header.h"
#include "zip_archive.h"  // crc32

namespace medvae {
namespace {

// Walks the PNG chunks and checks each one's length and CRC, so that damaged or truncated files
// are refused with a precise reason (and libpng never gets to print its own warnings).
void checkPngStructure(const std::vector<std::uint8_t>& bytes, const std::string& source) {
    const ByteReader b(bytes);
    std::uint64_t pos = 8;
    for (bool first = true;; first = false) {
        if (!b.has(pos, 12))
            throw Error("'" + source + "' is a truncated PNG (it ends before its IEND chunk)");
        const std::uint32_t length = b.u32be(pos);
        const std::string type = b.text(pos + 4, 4);
        if (!b.has(pos + 12, length))
            throw Error("'" + source + "' is a truncated or damaged PNG (chunk '" + type +
                        "' runs past the end of the file)");
        if (first && type != "IHDR")
            throw Error("'" + source + "' is a damaged PNG (it does not start with IHDR)");
        const std::uint32_t stored = b.u32be(pos + 8 + length);
        if (crc32(b.bytes(pos + 4, 4 + std::uint64_t(length)), 4 + std::size_t(length)) != stored)
            throw Error("'" + source + "' is a damaged PNG (chunk '" + type +
                        "' fails its CRC check)");
        pos += 12 + std::uint64_t(length);
        if (type == "IEND") return;
    }
}

// A JPEG cut short still decodes (libjpeg fills the rest with gray); refuse it instead.
bool jpegComplete(const std::vector<std::uint8_t>& b) {
    for (std::size_t i = b.size(); i-- > 1;)
        if (b[i - 1] == 0xFF && b[i] == 0xD9) return true;
    return false;
}

// Bytes an uncompressed BMP needs: pixel data offset plus rows padded to 4 bytes.
std::int64_t bmpNeededBytes(const ByteReader& b, std::int64_t w, std::int64_t h) {
    if (!b.has(0, 34)) return -1;
    const std::uint32_t offset = b.u32le(10), compression = b.u32le(30);
    const int bpp = b.u16le(28);
    if ((compression == 0 || compression == 3) && bpp > 0 && bpp <= 32)
        return std::int64_t(offset) + (w * bpp + 31) / 32 * 4 * h;
    return -1;
}

// Moves `pos` past whitespace and '#' comments, which end at CR or LF as Netpbm, OpenCV and the
// header probe read them.
void skipPnmSpace(const ByteReader& b, std::uint64_t& pos) {
    std::uint32_t c = 0;
    while (b.u8(pos, c) && (std::isspace(int(c)) || c == '#')) {
        if (c == '#')
            while (b.u8(pos, c) && c != '\n' && c != '\r')
                ++pos;
        else
            ++pos;
    }
}

// The decimal number at `pos` (at most 12 digits), moving past it; -1 when there is none.
std::int64_t pnmNumber(const ByteReader& b, std::uint64_t& pos) {
    std::int64_t v = 0;
    int digits = 0;
    std::uint32_t c = 0;
    while (b.u8(pos, c) && std::isdigit(int(c)) && digits < 12)
        v = v * 10 + (c - '0'), ++pos, ++digits;
    return digits ? v : -1;
}

// Bytes a binary PNM (P4, P5, P6) needs. Header: magic, width, height, [maxval], each separated
// by whitespace or comments, then exactly one whitespace byte before the pixels.
std::int64_t pnmNeededBytes(const ByteReader& b, std::int64_t w, std::int64_t h) {
    std::uint32_t kind = 0;
    if (!b.matches(0, "P") || !b.u8(1, kind) || !b.has(2, 1) || kind < '4' || kind > '6') return -1;
    std::uint64_t pos = 2;
    const int fields = kind == '4' ? 2 : 3;
    std::int64_t maxval = 1;
    for (int f = 0; f < fields; ++f) {
        skipPnmSpace(b, pos);
        const std::int64_t v = pnmNumber(b, pos);
        if (v < 0) return -1;
        if (f == 2) maxval = v;
    }
    ++pos;  // the single whitespace byte
    const std::int64_t channels = kind == '6' ? 3 : 1, depth = maxval > 255 ? 2 : 1;
    return kind == '4' ? std::int64_t(pos) + (w + 7) / 8 * h
                       : std::int64_t(pos) + w * h * channels * depth;
}

// Bytes of pixel data an uncompressed BMP or binary PNM needs, so a truncated file is refused
// before the codec reads past its end (OpenCV then prints its own messages); -1 when unknown.
std::int64_t neededBytes(const std::vector<std::uint8_t>& bytes, const std::string& format,
                         std::int64_t w, std::int64_t h) {
    if (w <= 0 || h <= 0) return -1;
    const ByteReader b(bytes);
    if (format == "BMP") return bmpNeededBytes(b, w, h);
    if (format == "PNM") return pnmNeededBytes(b, w, h);
    return -1;
}

std::string pixelCount(std::int64_t width, std::int64_t height, std::uint64_t limit) {
    return std::to_string(width) + "x" + std::to_string(height) + " pixels, over the limit of " +
           std::to_string(limit) + " pixels";
}

// The size the header declares: refused when unreadable where it always is, empty or over the
// limit; shown to the caller's admission check when known.
void checkDeclaredSize(const ImageHeader& header, const std::string& source,
                       const LoadOptions& limits) {
    static const std::set<std::string> kSizeAlwaysReadable = {"PNG", "JPEG", "BMP", "WebP", "PNM"};
    // A header that cannot be read is damage: refuse it here rather than let the codec fail
    // (OpenCV then prints its own messages).
    if ((header.width < 0 || header.height < 0) && kSizeAlwaysReadable.count(header.format))
        throw Error("'" + source + "' is a damaged " + header.format +
                    " file (its header cannot be read)");
    if (header.width == 0 || header.height == 0)
        throw Error("'" + source + "' declares an empty image (" + std::to_string(header.width) +
                    "x" + std::to_string(header.height) + ")");
    if (header.width < 0 || header.height < 0) return;
    if (std::uint64_t(header.width) * std::uint64_t(header.height) > limits.maxPixels)
        throw Error("'" + source + "' is " +
                    pixelCount(header.width, header.height, limits.maxPixels));
    if (limits.admit) limits.admit(source, header.width, header.height);
}

// What the header already shows (damage, an empty or oversized image, truncation) is refused
// before a codec runs; the caller's admission check sees every size that is known here.
void checkBeforeDecoding(const std::vector<std::uint8_t>& bytes, const ImageHeader& header,
                         const std::string& source, const LoadOptions& limits) {
    const std::string& format = header.format;
    if (format.empty())
        throw Error("'" + source +
                    "' is not an image this program can read (unrecognised contents)");
    checkDeclaredSize(header, source, limits);
    if (format == "PNG") checkPngStructure(bytes, source);
    const std::int64_t needed = neededBytes(bytes, format, header.width, header.height);
    if (needed > std::int64_t(bytes.size()))
        throw Error("'" + source + "' is a truncated " + format + " file (" +
                    std::to_string(bytes.size()) + " bytes, its header needs " +
                    std::to_string(needed) + ")");
    if (format == "JPEG" && !jpegComplete(bytes))
        throw Error("'" + source + "' is a truncated JPEG (no end-of-image marker)");
}

cv::Mat decodeWithOpenCv(const std::vector<std::uint8_t>& bytes, const std::string& format,
                         const std::string& source) {
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
    return mat;
}

int bitsPerSample(int depth) {
    if (depth == CV_8U || depth == CV_8S) return 8;
    if (depth == CV_16U || depth == CV_16S) return 16;
    return depth == CV_64F ? 64 : 32;
}

// The decoded channels in the project's order: RGB(A), gray or gray+alpha.
std::vector<cv::Mat> channelPlanes(const cv::Mat& mat, const ByteReader& bytes,
                                   const std::string& format) {
    std::vector<cv::Mat> planes;
    cv::split(mat, planes);
    // OpenCV gives BGR(A); the project's order is RGB(A).
    if (planes.size() >= 3) std::swap(planes[0], planes[2]);
    // PNG gray+alpha arrives as BGRA with equal colour planes: its header says what it is.
    std::uint32_t pngColourType = 0;
    if (format == "PNG" && bytes.u8(25, pngColourType) &&
        (pngColourType == 0 || pngColourType == 4) && planes.size() >= 3)
        planes.erase(planes.begin() + 1, planes.begin() + 3);
    return planes;
}

// The decoded pixels as planar float RGB(A), gray or gray+alpha, with their metadata.
Image toImage(const cv::Mat& mat, const ByteReader& bytes, const ImageHeader& header,
              const std::string& source) {
    static const char* const kColorModels[] = {"gray", "gray+alpha", "RGB", "RGBA"};
    Image image;
    image.width = mat.cols;
    image.height = mat.rows;
    image.meta.source = source;
    image.meta.format = header.format;
    image.meta.exifOrientation = header.exifOrientation;
    image.meta.floatingPoint = mat.depth() == CV_32F || mat.depth() == CV_64F;
    image.meta.bitsPerSample = bitsPerSample(mat.depth());
    const std::vector<cv::Mat> planes = channelPlanes(mat, bytes, header.format);
    image.channels = int(planes.size());
    if (image.channels < 1 || image.channels > 4)
        throw Error("'" + source + "' has " + std::to_string(image.channels) +
                    " channels; 1 to 4 are supported");
    image.meta.colorModel = kColorModels[image.channels - 1];

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

}  // namespace

Image ImageDecoder::decode(const std::vector<std::uint8_t>& bytes, const std::string& source,
                           const LoadOptions& limits) {
    if (bytes.empty()) throw Error("'" + source + "' is empty (0 bytes)");
    const ImageHeader header = ImageHeader::probe(bytes);
    if (header.format == "DICOM" || (header.format.empty() && DicomDecoder::looksLikeDicom(bytes)))
        return DicomDecoder::decode(bytes, source, limits);
    checkBeforeDecoding(bytes, header, source, limits);
    cv::Mat mat = decodeWithOpenCv(bytes, header.format, source);
    // IMREAD_UNCHANGED leaves JPEG, PNG and WebP pixels as stored, so they are turned upright
    // here; OpenCV's TIFF reader has already applied the orientation tag itself.
    if (header.format != "TIFF") mat = applyExifOrientation(mat, header.exifOrientation);
    if (std::uint64_t(mat.cols) * std::uint64_t(mat.rows) > limits.maxPixels)
        throw Error("'" + source + "' is " + pixelCount(mat.cols, mat.rows, limits.maxPixels));
    const bool sizeKnown = header.width > 0 && header.height > 0;
    if (!sizeKnown && limits.admit) limits.admit(source, mat.cols, mat.rows);
    return toImage(mat, ByteReader(bytes), header, source);
}

}  // namespace medvae
