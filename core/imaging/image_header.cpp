#include "image_header.h"

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "byte_reader.h"

namespace medvae {

namespace {

// Caps on every walk over untrusted structure. Real files stay far below them (large PNGs have
// thousands of IDAT chunks and long animated WebPs thousands of frames before a trailing EXIF);
// every step is O(1), so even hostile files cannot make the probe loop for long.
constexpr int kMaxPngChunks = 1 << 20;
constexpr int kMaxJpegSegments = 4096;
constexpr int kMaxRiffChunks = 1 << 16;
constexpr int kMaxJp2Boxes = 256;
constexpr std::uint32_t kMaxIfdEntries = 4096;
constexpr std::size_t kMaxPnmHeaderBytes = 64 * 1024;

constexpr ByteOrder kBig = ByteOrder::Big;
constexpr ByteOrder kLittle = ByteOrder::Little;

std::int64_t positiveOrUnknown(std::int64_t value) {
    return value > 0 ? value : -1;
}

int validOrientation(std::uint32_t value) {
    return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
}

// What IFD0 of a TIFF structure (a TIFF file or an EXIF block) declares.
struct TiffFields {
    bool valid = false;  // the byte-order mark and the magic 42 were there
    bool bigTiff = false;
    std::int64_t width = -1;
    std::int64_t height = -1;
    int orientation = 1;
};

// The first value of a SHORT or LONG entry, inline or at its offset; other types are refused.
bool tiffEntryValue(const ByteReader& tiff, ByteOrder order, std::uint64_t entry,
                    std::uint32_t& out) {
    std::uint32_t type = 0;
    std::uint32_t count = 0;
    if (!tiff.u16(entry + 2, order, type) || !tiff.u32(entry + 4, order, count) || count == 0) {
        return false;
    }
    std::uint64_t unit = 0;
    if (type == 3) {
        unit = 2;
    } else if (type == 4) {
        unit = 4;
    } else {
        return false;
    }
    std::uint64_t where = entry + 8;
    if (unit * count > 4) {
        std::uint32_t offset = 0;
        if (!tiff.u32(entry + 8, order, offset)) return false;
        where = offset;
    }
    return unit == 2 ? tiff.u16(where, order, out) : tiff.u32(where, order, out);
}

// IFD0's width, height and orientation; the first entry of each tag counts.
void readIfd0(const ByteReader& tiff, ByteOrder order, TiffFields& fields) {
    std::uint32_t ifd = 0;
    std::uint32_t count = 0;
    if (!tiff.u32(4, order, ifd) || !tiff.u16(ifd, order, count)) return;
    if (count > kMaxIfdEntries) count = kMaxIfdEntries;
    bool seen[3] = {false, false, false};  // width, height, orientation
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint64_t entry = std::uint64_t(ifd) + 2 + std::uint64_t(i) * 12;
        // An entry count larger than the data is treated as "as many entries as fit".
        if (!tiff.has(entry, 12)) break;
        std::uint32_t tag = 0;
        tiff.u16(entry, order, tag);
        const int field = tag == 256 ? 0 : tag == 257 ? 1 : tag == 274 ? 2 : -1;
        if (field < 0 || seen[field]) continue;
        seen[field] = true;
        std::uint32_t value = 0;
        if (!tiffEntryValue(tiff, order, entry, value)) continue;
        if (field == 0)
            fields.width = positiveOrUnknown(value);
        else if (field == 1)
            fields.height = positiveOrUnknown(value);
        else
            fields.orientation = validOrientation(value);
    }
}

// Reads IFD0 only: it describes the first page (what a decoder returns) and, in EXIF, the main
// image, so following the IFD chain would add risk (loops) without adding information.
TiffFields parseTiff(const ByteReader& tiff) {
    TiffFields fields;
    if (!tiff.matches(0, "II") && !tiff.matches(0, "MM")) return fields;
    const ByteOrder order = tiff.matches(0, "II") ? kLittle : kBig;
    std::uint32_t magic = 0;
    if (!tiff.u16(2, order, magic) || (magic != 42 && magic != 43)) return fields;
    fields.valid = true;
    fields.bigTiff = magic == 43;
    if (!fields.bigTiff) readIfd0(tiff, order, fields);
    return fields;
}

// EXIF payloads in PNG eXIf and WebP EXIF chunks are meant to start with the TIFF header, but
// some writers (Pillow for WebP among them) keep the JPEG-style "Exif\0\0" prefix.
int exifOrientation(const ByteReader& payload) {
    const ByteReader tiff = payload.matches(0, "Exif\0\0") ? payload.from(6) : payload;
    const TiffFields fields = parseTiff(tiff);
    return fields.valid ? fields.orientation : 1;
}

void probePng(const ByteReader& b, ImageHeader& h) {
    h.format = "PNG";
    std::uint32_t length = 0;
    std::uint32_t value = 0;
    if (b.u32(8, kBig, length) && b.matches(12, "IHDR") && length >= 8) {
        if (b.u32(16, kBig, value)) h.width = positiveOrUnknown(value);
        if (b.u32(20, kBig, value)) h.height = positiveOrUnknown(value);
    }
    // eXIf may come anywhere before IEND, so every chunk header is visited (not their data).
    std::uint64_t pos = 8;
    for (int i = 0; i < kMaxPngChunks; ++i) {
        if (!b.u32(pos, kBig, length) || !b.has(pos + 4, 4)) break;
        if (b.matches(pos + 4, "eXIf")) {
            h.exifOrientation = exifOrientation(b.sub(pos + 8, length));
            break;
        }
        if (b.matches(pos + 4, "IEND")) break;
        pos += 12 + std::uint64_t(length);
    }
}

// The marker at `pos` after any number of 0xFF fill bytes, moving past it; false at the end of
// the data or where no 0xFF starts a marker.
bool nextJpegMarker(const ByteReader& b, std::uint64_t& pos, std::uint32_t& marker) {
    std::uint32_t byte = 0;
    if (!b.u8(pos, byte) || byte != 0xFF) return false;
    marker = 0xFF;
    while (marker == 0xFF) {  // each step consumes one byte
        ++pos;
        if (!b.u8(pos, marker)) return false;
    }
    ++pos;
    return true;
}

// Markers without a length: SOI, TEM and the restart markers.
bool isStandaloneJpegMarker(std::uint32_t marker) {
    return marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
}

// Start-of-frame markers (C0-CF without DHT, JPG and DAC).
bool isJpegFrameMarker(std::uint32_t marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// The size in a start-of-frame segment: precision, height, width.
void readJpegFrameSize(const ByteReader& segment, ImageHeader& h) {
    std::uint32_t height = 0;
    std::uint32_t width = 0;
    // A height of 0 means "given later by a DNL marker": unknown here.
    if (segment.u16(1, kBig, height) && segment.u16(3, kBig, width)) {
        h.height = positiveOrUnknown(height);
        h.width = positiveOrUnknown(width);
    }
}

void probeJpeg(const ByteReader& b, ImageHeader& h) {
    h.format = "JPEG";
    bool exifSeen = false;
    std::uint64_t pos = 2;
    for (int i = 0; i < kMaxJpegSegments; ++i) {
        std::uint32_t marker = 0;
        if (!nextJpegMarker(b, pos, marker)) return;
        if (isStandaloneJpegMarker(marker)) continue;
        if (marker == 0xD9 || marker == 0xDA || marker == 0x00) return;  // no SOF before data
        std::uint32_t length = 0;
        if (!b.u16(pos, kBig, length) || length < 2) return;
        const ByteReader segment = b.sub(pos + 2, length - 2);
        if (isJpegFrameMarker(marker)) return readJpegFrameSize(segment, h);
        if (marker == 0xE1 && !exifSeen && segment.matches(0, "Exif\0\0")) {
            exifSeen = true;
            const TiffFields fields = parseTiff(segment.from(6));
            if (fields.valid) h.exifOrientation = fields.orientation;
        }
        pos += length;
    }
}

void probeTiff(const ByteReader& b, ImageHeader& h) {
    h.format = "TIFF";
    const TiffFields fields = parseTiff(b);
    if (fields.bigTiff) return;  // only classic TIFF is read; BigTIFF stays unknown
    h.width = fields.width;
    h.height = fields.height;
    h.exifOrientation = fields.orientation;
}

void probeBmp(const ByteReader& b, ImageHeader& h) {
    h.format = "BMP";
    std::uint32_t headerSize = 0;
    if (!b.u32(14, kLittle, headerSize)) return;
    std::uint32_t w = 0;
    std::uint32_t hgt = 0;
    if (headerSize == 12) {
        // BITMAPCOREHEADER: unsigned 16-bit sizes.
        if (b.u16(18, kLittle, w) && b.u16(20, kLittle, hgt)) {
            h.width = positiveOrUnknown(w);
            h.height = positiveOrUnknown(hgt);
        }
    } else if (headerSize >= 16 && headerSize <= 4096) {
        // BITMAPINFOHEADER and its successors: signed 32-bit, negative height for top-down.
        if (b.u32(18, kLittle, w) && b.u32(22, kLittle, hgt)) {
            const std::int64_t sw = static_cast<std::int32_t>(w);
            const std::int64_t sh = static_cast<std::int32_t>(hgt);
            h.width = positiveOrUnknown(sw);
            h.height = positiveOrUnknown(sh < 0 ? -sh : sh);
        }
    }
}

// The canvas size of a VP8X chunk (24-bit sizes minus one).
bool readVp8xSize(const ByteReader& payload, ImageHeader& h) {
    std::uint32_t w = 0;
    std::uint32_t hgt = 0;
    if (!payload.u24(4, kLittle, w) || !payload.u24(7, kLittle, hgt)) return false;
    h.width = std::int64_t(w) + 1;
    h.height = std::int64_t(hgt) + 1;
    return true;
}

// The frame size of a lossy VP8 key frame (14-bit sizes after the start code).
void readVp8Size(const ByteReader& payload, ImageHeader& h) {
    std::uint32_t w = 0;
    std::uint32_t hgt = 0;
    if (payload.matches(3, "\x9d\x01\x2a") && payload.u16(6, kLittle, w) &&
        payload.u16(8, kLittle, hgt)) {
        h.width = positiveOrUnknown(w & 0x3FFF);
        h.height = positiveOrUnknown(hgt & 0x3FFF);
    }
}

// The frame size of a lossless VP8L frame (14-bit sizes minus one after the signature 0x2F).
void readVp8lSize(const ByteReader& payload, ImageHeader& h) {
    std::uint32_t signature = 0;
    std::uint32_t bits = 0;
    if (payload.u8(0, signature) && signature == 0x2F && payload.u32(1, kLittle, bits)) {
        h.width = std::int64_t(bits & 0x3FFF) + 1;
        h.height = std::int64_t((bits >> 14) & 0x3FFF) + 1;
    }
}

void probeWebp(const ByteReader& b, ImageHeader& h) {
    h.format = "WebP";
    bool canvas = false;  // VP8X's canvas size wins over the first frame's
    bool frame = false;
    std::uint64_t pos = 12;
    for (int i = 0; i < kMaxRiffChunks; ++i) {
        std::uint32_t size = 0;
        if (!b.has(pos, 4) || !b.u32(pos + 4, kLittle, size)) break;
        const ByteReader payload = b.sub(pos + 8, size);
        const bool firstFrame = !canvas && !frame;
        if (b.matches(pos, "VP8X")) {
            canvas = readVp8xSize(payload, h) || canvas;
        } else if (b.matches(pos, "VP8 ") && firstFrame) {
            frame = true;
            readVp8Size(payload, h);
        } else if (b.matches(pos, "VP8L") && firstFrame) {
            frame = true;
            readVp8lSize(payload, h);
        } else if (b.matches(pos, "EXIF")) {
            h.exifOrientation = exifOrientation(payload);
            break;
        }
        // Chunks are padded to an even size.
        pos += 8 + std::uint64_t(size) + (size & 1u);
    }
}

bool isPnmSpace(std::uint32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The PNM header tokenizer: whitespace and '#' comments separate tokens, within a capped prefix.
class PnmTokens {
  public:
    explicit PnmTokens(const ByteReader& b) : b_(b.sub(0, kMaxPnmHeaderBytes)) {}

    bool next(std::string& token) {
        token.clear();
        std::uint32_t c = 0;
        while (b_.u8(pos_, c)) {
            if (isPnmSpace(c)) {
                ++pos_;
            } else if (c == '#') {
                while (b_.u8(pos_, c) && c != '\n' && c != '\r')
                    ++pos_;
            } else {
                break;
            }
        }
        while (b_.u8(pos_, c) && !isPnmSpace(c) && c != '#' && token.size() < 64) {
            token.push_back(static_cast<char>(c));
            ++pos_;
        }
        // A token that runs into the end of the data may be cut: it does not count.
        return !token.empty() && b_.has(pos_, 1);
    }

  private:
    ByteReader b_;
    std::uint64_t pos_ = 0;
};

// Decimal digits only; more than 12 digits is beyond any real image and would risk overflow.
std::int64_t pnmNumber(const std::string& token) {
    if (token.empty() || token.size() > 12) return -1;
    std::int64_t value = 0;
    for (char c : token) {
        if (c < '0' || c > '9') return -1;
        value = value * 10 + (c - '0');
    }
    return positiveOrUnknown(value);
}

void probePnm(const ByteReader& b, ImageHeader& h) {
    h.format = "PNM";
    PnmTokens tokens(b.from(2));
    std::string token;
    std::uint32_t kind = 0;
    b.u8(1, kind);
    if (kind == '7') {
        // PAM: "WIDTH n" and "HEIGHT n" lines up to ENDHDR, in any order.
        std::int64_t w = -1;
        std::int64_t hgt = -1;
        for (int i = 0; i < 64 && tokens.next(token) && token != "ENDHDR"; ++i) {
            std::string value;
            if (token == "WIDTH" && tokens.next(value)) w = pnmNumber(value);
            if (token == "HEIGHT" && tokens.next(value)) hgt = pnmNumber(value);
        }
        if (w > 0 && hgt > 0) {
            h.width = w;
            h.height = hgt;
        }
        return;
    }
    if (!tokens.next(token)) return;
    const std::int64_t w = pnmNumber(token);
    if (w < 0 || !tokens.next(token)) return;
    const std::int64_t hgt = pnmNumber(token);
    if (hgt < 0) return;
    h.width = w;
    h.height = hgt;
}

// SIZ: Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz; the image is the reference grid minus its offset.
bool readSiz(const ByteReader& codestream, ImageHeader& h) {
    if (!codestream.matches(0, "\xff\x4f\xff\x51")) return false;
    std::uint32_t xsiz = 0, ysiz = 0, xo = 0, yo = 0;
    if (!codestream.u32(8, kBig, xsiz) || !codestream.u32(12, kBig, ysiz) ||
        !codestream.u32(16, kBig, xo) || !codestream.u32(20, kBig, yo) || xsiz <= xo ||
        ysiz <= yo) {
        return false;
    }
    h.width = std::int64_t(xsiz) - xo;
    h.height = std::int64_t(ysiz) - yo;
    return true;
}

// One level of JP2 boxes: calls visit(type offset, payload) for each, up to kMaxJp2Boxes.
template <typename Visit>
void walkJp2Boxes(const ByteReader& b, Visit visit) {
    std::uint64_t pos = 0;
    for (int i = 0; i < kMaxJp2Boxes; ++i) {
        std::uint32_t length = 0;
        if (!b.u32(pos, kBig, length) || !b.has(pos + 4, 4)) return;
        std::uint64_t header = 8;
        std::uint64_t total = length;
        if (length == 1) {
            if (!b.u64(pos + 8, kBig, total)) return;
            header = 16;
        } else if (length == 0) {
            total = b.size() - pos;  // the last box runs to the end of the file
        }
        if (total < header) return;
        if (!visit(pos + 4, b.sub(pos + header, total - header))) return;
        if (total > b.size() - pos) return;
        pos += total;
    }
}

void probeJp2(const ByteReader& b, ImageHeader& h) {
    h.format = "JPEG 2000";
    bool found = false;
    walkJp2Boxes(b, [&](std::uint64_t type, const ByteReader& payload) {
        if (b.matches(type, "jp2h")) {
            // The image header box inside jp2h: HEIGHT then WIDTH, 32-bit big-endian.
            walkJp2Boxes(payload, [&](std::uint64_t childType, const ByteReader& child) {
                std::uint32_t hgt = 0, w = 0;
                if (payload.matches(childType, "ihdr") && child.u32(0, kBig, hgt) &&
                    child.u32(4, kBig, w) && hgt > 0 && w > 0) {
                    h.width = w;
                    h.height = hgt;
                    found = true;
                }
                return !found;
            });
        } else if (b.matches(type, "jp2c")) {
            found = readSiz(payload, h);
        }
        return !found;
    });
}

}  // namespace

namespace {

bool isTiff(const ByteReader& b) {
    return b.matches(0, "II*\0") || b.matches(0, "MM\0*") || b.matches(0, "II+\0") ||
           b.matches(0, "MM\0+");
}

// "P1" to "P7" followed by whitespace.
bool isPnm(const ByteReader& b) {
    std::uint32_t kind = 0;
    std::uint32_t space = 0;
    return b.matches(0, "P") && b.u8(1, kind) && b.u8(2, space) && kind >= '1' && kind <= '7' &&
           isPnmSpace(space);
}

void probeJ2kCodestream(const ByteReader& b, ImageHeader& h) {
    h.format = "JPEG 2000";
    readSiz(b, h);
}

}  // namespace

ImageHeader ImageHeader::probe(const std::vector<std::uint8_t>& bytes) {
    ImageHeader h;
    const ByteReader b(bytes.data(), bytes.size());
    // DICOM first: a DICOM file's preamble may itself hold another format's magic (TIFF/DICOM
    // dual files exist), and the "DICM" tag is what a DICOM reader trusts.
    if (b.matches(128, "DICM"))
        h.format = "DICOM";
    else if (b.matches(0, "\x89PNG\r\n\x1a\n"))
        probePng(b, h);
    else if (b.matches(0, "\xff\xd8\xff"))
        probeJpeg(b, h);
    else if (isTiff(b))
        probeTiff(b, h);
    else if (b.matches(0, "BM"))
        probeBmp(b, h);
    else if (b.matches(0, "RIFF") && b.matches(8, "WEBP"))
        probeWebp(b, h);
    else if (b.matches(0, "\0\0\0\x0cjP  \r\n\x87\n"))
        probeJp2(b, h);
    else if (b.matches(0, "\xff\x4f\xff\x51"))
        probeJ2kCodestream(b, h);
    else if (isPnm(b))
        probePnm(b, h);
    return h;
}

namespace {

// cv::transpose only handles element sizes up to 32 bytes from a fixed list; anything else
// (many channels, e.g. CV_32FC(5)) is copied element by element.
cv::Mat transposed(const cv::Mat& image) {
    const std::size_t esz = image.elemSize();
    if (esz == 1 || esz == 2 || esz == 3 || esz == 4 || esz == 6 || esz == 8 || esz == 12 ||
        esz == 16 || esz == 24 || esz == 32) {
        cv::Mat out;
        cv::transpose(image, out);
        return out;
    }
    cv::Mat out(image.cols, image.rows, image.type());
    for (int r = 0; r < out.rows; ++r) {
        for (int c = 0; c < out.cols; ++c)
            std::memcpy(out.ptr(r, c), image.ptr(c, r), esz);
    }
    return out;
}

cv::Mat flipped(const cv::Mat& image, int code) {
    cv::Mat out;
    cv::flip(image, out, code);
    return out;
}

}  // namespace

cv::Mat applyExifOrientation(const cv::Mat& image, int orientation) {
    if (image.empty() || image.dims != 2) return image.clone();
    switch (orientation) {
        case 2:
            return flipped(image, 1);
        case 3:
            return flipped(image, -1);
        case 4:
            return flipped(image, 0);
        case 5:
            return transposed(image);
        case 6:
            return flipped(transposed(image), 1);  // rotate 90 clockwise
        case 7:
            return flipped(transposed(image), -1);
        case 8:
            return flipped(transposed(image), 0);  // rotate 90 counter-clockwise
        default:
            return image.clone();
    }
}

}  // namespace medvae
