#include "dicom_decoder.h"

// DCMTK's headers define their own configuration macros; they come first.
#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>
#include <openjpeg.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>

#include "error.h"

namespace medvae {
namespace {

// Decoders are registered once per process; DCMTK's own log output is silenced (its messages
// reach the user through our errors instead). RLE is decoded by our own code below: DCMTK
// 3.6.7's RLE decoder writes out of bounds on hostile data (found by fuzzing).
void registerCodecs() {
    static std::once_flag once;
    std::call_once(once, [] {
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
    });
}

std::string text(DcmItem& item, const DcmTagKey& tag) {
    OFString value;
    if (item.findAndGetOFStringArray(tag, value).good()) return value.c_str();
    return {};
}

bool number(DcmItem& item, const DcmTagKey& tag, double& value, unsigned long index = 0) {
    Float64 v = 0;
    if (item.findAndGetFloat64(tag, v, index).good() && std::isfinite(v)) {
        value = v;
        return true;
    }
    return false;
}

unsigned long multiplicity(DcmItem& item, const DcmTagKey& tag) {
    DcmElement* element = nullptr;
    if (item.findAndGetElement(tag, element).bad() || !element) return 0;
    return element->getVM();
}

// A lookup table as DICOM describes it: entries, first input value mapped, bits per entry.
struct Lut {
    std::vector<double> values;
    std::int64_t firstMapped = 0;
    double map(double v) const {
        const std::int64_t i = std::clamp<std::int64_t>(std::int64_t(std::floor(v)) - firstMapped,
                                                        0, std::int64_t(values.size()) - 1);
        return values[std::size_t(i)];
    }
};

bool readLut(DcmItem& item, const DcmTagKey& descriptorTag, const DcmTagKey& dataTag,
             bool signedInput, Lut& lut) {
    Uint16 entries = 0, bits = 0;
    Uint16 first = 0;
    if (item.findAndGetUint16(descriptorTag, entries, 0).bad() ||
        item.findAndGetUint16(descriptorTag, first, 1).bad() ||
        item.findAndGetUint16(descriptorTag, bits, 2).bad())
        return false;
    const std::size_t n = entries == 0 ? 65536 : entries;
    lut.firstMapped = signedInput ? std::int64_t(std::int16_t(first)) : std::int64_t(first);
    const Uint16* words = nullptr;
    unsigned long count = 0;
    if (item.findAndGetUint16Array(dataTag, words, &count).bad() || !words) return false;
    lut.values.resize(n);
    if (count >= n) {  // one entry per 16-bit word
        for (std::size_t i = 0; i < n; ++i)
            lut.values[i] = bits == 8 ? (words[i] & 0xFF) : words[i];
    } else if (bits == 8 && count * 2 >= n) {  // 8-bit entries packed two per word
        for (std::size_t i = 0; i < n; ++i)
            lut.values[i] = (i % 2 == 0) ? (words[i / 2] & 0xFF) : (words[i / 2] >> 8);
    } else {
        return false;
    }
    return true;
}

// Reads the fragments of one frame of encapsulated pixel data.
std::vector<std::uint8_t> frameFragments(DcmPixelSequence& seq, std::uint32_t frame,
                                         std::uint32_t frames, const std::string& source) {
    const unsigned long items = seq.card();
    if (items < 2) throw Error("'" + source + "': the compressed pixel data holds no fragments");
    auto fragment = [&](unsigned long i) {
        DcmPixelItem* item = nullptr;
        if (seq.getItem(item, i).bad() || !item)
            throw Error("'" + source + "': damaged compressed pixel data");
        Uint8* data = nullptr;
        if (item->getUint8Array(data).bad() && item->getLength() > 0)
            throw Error("'" + source + "': damaged compressed pixel data");
        return std::pair<const Uint8*, std::uint32_t>(data, item->getLength());
    };
    unsigned long firstItem = 1, lastItem = items;  // [first, last) after the offset table
    if (frames > 1) {
        if (items - 1 == frames) {
            firstItem = 1 + frame;
            lastItem = firstItem + 1;
        } else {
            // Use the basic offset table: byte offsets of each frame's first fragment.
            const auto tableFragment = fragment(0);
            const Uint8* table = tableFragment.first;
            const std::uint32_t tableBytes = tableFragment.second;
            if (tableBytes < 4 * frames)
                throw Error(
                    "'" + source +
                    "': several fragments per frame and no offset table; cannot find frame " +
                    std::to_string(frame));
            auto offsetOf = [&](std::uint32_t f) {
                std::uint32_t v;
                std::memcpy(&v, table + 4 * f, 4);
                return v;
            };
            const std::uint32_t start = offsetOf(frame);
            const std::uint32_t end = frame + 1 < frames
                                          ? offsetOf(frame + 1)
                                          : std::numeric_limits<std::uint32_t>::max();
            std::uint64_t position = 0;
            firstItem = lastItem = 0;
            for (unsigned long i = 1; i < items; ++i) {
                if (position == start) firstItem = i;
                if (position == end) {
                    lastItem = i;
                    break;
                }
                position += 8 + fragment(i).second;  // item header + data
            }
            if (firstItem == 0)
                throw Error("'" + source + "': the offset table does not match the fragments");
            if (lastItem == 0) lastItem = items;
        }
    }
    std::vector<std::uint8_t> out;
    for (unsigned long i = firstItem; i < lastItem; ++i) {
        const auto [data, length] = fragment(i);
        if (length) out.insert(out.end(), data, data + length);
    }
    return out;
}

// OpenJPEG reads from memory through these callbacks.
struct MemoryStream {
    const std::uint8_t* data;
    std::size_t size, pos;
};
OPJ_SIZE_T streamRead(void* buffer, OPJ_SIZE_T n, void* user) {
    auto* s = static_cast<MemoryStream*>(user);
    if (s->pos >= s->size) return OPJ_SIZE_T(-1);
    const std::size_t take = std::min<std::size_t>(n, s->size - s->pos);
    std::memcpy(buffer, s->data + s->pos, take);
    s->pos += take;
    return take;
}
OPJ_OFF_T streamSkip(OPJ_OFF_T n, void* user) {
    auto* s = static_cast<MemoryStream*>(user);
    if (n < 0) return -1;
    const std::size_t take = std::min<std::size_t>(std::size_t(n), s->size - s->pos);
    s->pos += take;
    return OPJ_OFF_T(take);
}
OPJ_BOOL streamSeek(OPJ_OFF_T n, void* user) {
    auto* s = static_cast<MemoryStream*>(user);
    if (n < 0 || std::size_t(n) > s->size) return OPJ_FALSE;
    s->pos = std::size_t(n);
    return OPJ_TRUE;
}
void opjMessage(const char* message, void* user) {
    auto* last = static_cast<std::string*>(user);
    *last = message ? message : "";
    while (!last->empty() && (last->back() == '\n' || last->back() == '\r'))
        last->pop_back();
}

// Decoded JPEG 2000 samples, interleaved, as plain values.
std::vector<double> decodeJpeg2000(const std::vector<std::uint8_t>& stream, int rows, int cols,
                                   int samples, const std::string& source) {
    const bool jp2 = stream.size() >= 12 && std::memcmp(stream.data() + 4, "jP  ", 4) == 0;
    opj_codec_t* codec = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
    std::string lastError;
    opj_set_error_handler(codec, opjMessage, &lastError);
    opj_set_warning_handler(
        codec, [](const char*, void*) {}, nullptr);
    opj_set_info_handler(
        codec, [](const char*, void*) {}, nullptr);
    opj_dparameters_t params;
    opj_set_default_decoder_parameters(&params);
    MemoryStream memory{stream.data(), stream.size(), 0};
    opj_stream_t* s = opj_stream_default_create(OPJ_TRUE);
    opj_stream_set_user_data(s, &memory, nullptr);
    opj_stream_set_user_data_length(s, stream.size());
    opj_stream_set_read_function(s, streamRead);
    opj_stream_set_skip_function(s, streamSkip);
    opj_stream_set_seek_function(s, streamSeek);
    opj_image_t* image = nullptr;
    auto cleanup = [&] {
        if (image) opj_image_destroy(image);
        opj_stream_destroy(s);
        opj_destroy_codec(codec);
    };
    auto fail = [&](const std::string& what) {
        const std::string detail = lastError.empty() ? "" : " (" + lastError + ")";
        cleanup();
        throw Error("'" + source + "': cannot decode its JPEG 2000 pixel data: " + what + detail);
    };
    if (!opj_setup_decoder(codec, &params)) fail("decoder setup failed");
    if (!opj_read_header(s, codec, &image) || !image) fail("damaged codestream header");
    if (int(image->numcomps) != samples || image->numcomps == 0)
        fail("it has " + std::to_string(image->numcomps) + " components, the file says " +
             std::to_string(samples));
    for (OPJ_UINT32 c = 0; c < image->numcomps; ++c)
        if (int(image->comps[c].w) != cols || int(image->comps[c].h) != rows ||
            image->comps[c].dx != 1 || image->comps[c].dy != 1)
            fail("its size " + std::to_string(image->comps[c].w) + "x" +
                 std::to_string(image->comps[c].h) + " differs from the file's " +
                 std::to_string(cols) + "x" + std::to_string(rows));
    if (!opj_decode(codec, s, image) || !opj_end_decompress(codec, s))
        fail("damaged or truncated codestream");
    std::vector<double> values(std::size_t(rows) * std::size_t(cols) * std::size_t(samples));
    for (int c = 0; c < samples; ++c) {
        const OPJ_INT32* data = image->comps[c].data;
        if (!data) fail("no decoded data");
        for (std::size_t i = 0; i < std::size_t(rows) * std::size_t(cols); ++i)
            values[i * std::size_t(samples) + std::size_t(c)] = data[i];
    }
    cleanup();
    return values;
}

// DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
// segment per byte plane (most significant byte of each sample first, samples in turn).
// Returns interleaved sample values. Every read and write is bounds-checked.
std::vector<double> decodeRle(const std::vector<std::uint8_t>& frame, int rows, int cols,
                              int samples, int bitsAllocated, const std::string& source) {
    auto fail = [&](const std::string& what) {
        throw Error("'" + source + "': cannot decode its RLE pixel data: " + what);
    };
    if (frame.size() < 64) fail("the frame is shorter than its header");
    auto le32 = [&](std::size_t at) {
        return std::uint32_t(frame[at]) | (std::uint32_t(frame[at + 1]) << 8) |
               (std::uint32_t(frame[at + 2]) << 16) | (std::uint32_t(frame[at + 3]) << 24);
    };
    const int bytesPerSample = bitsAllocated / 8;
    const std::uint32_t segments = le32(0);
    if (segments != std::uint32_t(samples * bytesPerSample))
        fail(std::to_string(segments) + " segments where " +
             std::to_string(samples * bytesPerSample) + " are expected");
    const std::size_t pixels = std::size_t(rows) * std::size_t(cols);
    std::vector<std::uint8_t> planes(pixels * segments);
    for (std::uint32_t seg = 0; seg < segments; ++seg) {
        const std::size_t begin = le32(4 + 4 * seg);
        const std::size_t end = seg + 1 < segments ? le32(4 + 4 * (seg + 1)) : frame.size();
        if (begin < 64 || begin > end || end > frame.size())
            fail("segment offsets outside the frame");
        std::uint8_t* out = planes.data() + seg * pixels;
        std::size_t in = begin, written = 0;
        while (written < pixels && in < end) {
            const int n = std::int8_t(frame[in++]);
            if (n >= 0) {  // n + 1 literal bytes
                const std::size_t count = std::size_t(n) + 1;
                if (count > end - in || count > pixels - written)
                    fail("a literal run overflows its segment");
                std::memcpy(out + written, frame.data() + in, count);
                in += count;
                written += count;
            } else if (n != -128) {  // the next byte, 1 - n times
                const std::size_t count = std::size_t(1 - n);
                if (in >= end || count > pixels - written)
                    fail("a repeat run overflows its segment");
                std::memset(out + written, frame[in++], count);
                written += count;
            }
        }
        if (written < pixels) fail("a segment ends before its pixels do (truncated data)");
    }
    std::vector<double> values(pixels * std::size_t(samples));
    for (int c = 0; c < samples; ++c)
        for (std::size_t p = 0; p < pixels; ++p) {
            std::uint64_t v = 0;
            for (int k = 0; k < bytesPerSample; ++k)
                v = (v << 8) |
                    planes[(std::size_t(c) * std::size_t(bytesPerSample) + std::size_t(k)) *
                               pixels +
                           p];
            values[p * std::size_t(samples) + std::size_t(c)] = double(v);
        }
    return values;
}

// How a stored sample becomes a value: the Bits Stored field ending at High Bit, two's
// complement when Pixel Representation is 1 (bits above High Bit, e.g. overlays, are dropped).
struct StoredValues {
    int shift;  // High Bit + 1 - Bits Stored
    int bits;   // Bits Stored
    bool isSigned;
    double value(std::uint64_t raw) const {
        const std::uint64_t mask = bits >= 64 ? ~0ull : (1ull << bits) - 1;
        raw = (raw >> shift) & mask;
        if (isSigned && (raw >> (bits - 1)) & 1)
            return double(std::int64_t(raw) - std::int64_t(mask) - 1);
        return double(raw);
    }
};

// VOI LUT functions of PS3.3 C.11.2.1.2, output in [0, 1].
double windowed(double x, const WindowPreset& w, const std::string& function) {
    if (function == "SIGMOID") return 1.0 / (1.0 + std::exp(-4.0 * (x - w.center) / w.width));
    if (function == "LINEAR_EXACT") {
        if (x <= w.center - w.width / 2) return 0.0;
        if (x > w.center + w.width / 2) return 1.0;
        return (x - w.center) / w.width + 0.5;
    }
    // LINEAR (default); width >= 1
    const double c = w.center - 0.5, width = w.width - 1.0;
    if (x <= c - width / 2) return 0.0;
    if (x > c + width / 2) return 1.0;
    return width > 0 ? (x - c) / width + 0.5 : (x > c ? 1.0 : 0.0);
}

std::string tagText(std::uint32_t group, std::uint32_t element) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "(%04X,%04X)", group & 0xFFFF, element & 0xFFFF);
    return buf;
}

// Inflates a deflated dataset (raw deflate, as PS3.5 A.5 specifies), refusing more than
// `limit` bytes of output.
std::vector<std::uint8_t> inflateDataset(const std::uint8_t* data, std::size_t size,
                                         std::uint64_t limit, const std::string& source) {
    z_stream zs{};
    if (inflateInit2(&zs, -15) != Z_OK)
        throw Error("'" + source + "': cannot start inflating its dataset");
    std::vector<std::uint8_t> out;
    zs.next_in = const_cast<Bytef*>(data);
    zs.avail_in = uInt(std::min<std::size_t>(size, std::numeric_limits<uInt>::max()));
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        const std::size_t used = out.size();
        out.resize(used + (1 << 16));
        zs.next_out = out.data() + used;
        zs.avail_out = 1 << 16;
        status = inflate(&zs, Z_NO_FLUSH);
        out.resize(used + (1 << 16) - zs.avail_out);
        if (status == Z_STREAM_END) break;
        if (status != Z_OK || (zs.avail_in == 0 && zs.avail_out != 0)) {
            inflateEnd(&zs);
            throw Error("'" + source + "': its deflated dataset is damaged or truncated");
        }
        if (out.size() > limit) {
            inflateEnd(&zs);
            throw Error("'" + source + "': its deflated dataset inflates to more than " +
                        std::to_string(limit) + " bytes");
        }
    }
    inflateEnd(&zs);
    return out;
}

// DCMTK allocates each element's declared length before reading it, so a tiny file declaring a
// 4 GB element would exhaust memory. This walks the element structure first (meta header,
// dataset, nested sequences and items, iteratively) and refuses any length that runs past the
// end of the data. Deflated datasets are inflated (within `inflateLimit`) and walked too.
// Returns the size of the data walked: the file, or the meta header plus the inflated dataset.
std::size_t checkDeclaredLengths(const std::uint8_t* b, std::size_t size, std::size_t pos,
                                 bool meta, bool explicitVr, bool bigEndian,
                                 std::uint64_t inflateLimit, const std::string& source) {
    auto fail = [&](std::size_t at, const std::string& what) {
        throw Error("'" + source + "' is not a valid DICOM file (at byte " + std::to_string(at) +
                    ": " + what + ")");
    };
    auto u16 = [&](std::size_t at, bool be) {
        return be ? std::uint32_t((b[at] << 8) | b[at + 1])
                  : std::uint32_t(b[at] | (b[at + 1] << 8));
    };
    auto u32 = [&](std::size_t at, bool be) {
        return be ? (u16(at, true) << 16) | u16(at + 2, true)
                  : u16(at, false) | (u16(at + 2, false) << 16);
    };
    // Open containers: sequences (their items hold elements), items, and encapsulated pixel data
    // (its items are raw fragments). `end` is 0 for undefined lengths, closed by a delimiter.
    enum class Kind { Sequence, Item, Fragments };
    struct Frame {
        std::size_t end;
        Kind kind;
        bool explicitVr;
    };
    std::vector<Frame> open;
    constexpr std::size_t kMaxDepth = 64, kMaxElements = 1u << 22;
    std::size_t elements = 0;
    std::string syntax;
    while (pos < size) {
        while (!open.empty() && open.back().end != 0 && pos >= open.back().end)
            open.pop_back();
        if (size - pos < 8) fail(pos, "truncated element header");
        if (++elements > kMaxElements) fail(pos, "too many elements");
        if (meta && u16(pos, false) != 0x0002) {
            meta = false;  // the dataset starts: its encoding comes from the transfer syntax
            while (!syntax.empty() && (syntax.back() == '\0' || syntax.back() == ' '))
                syntax.pop_back();
            if (syntax == "1.2.840.10008.1.2") explicitVr = false;
            if (syntax == "1.2.840.10008.1.2.2") bigEndian = true;
            if (syntax == "1.2.840.10008.1.2.1.99") {
                const std::vector<std::uint8_t> inflated =
                    inflateDataset(b + pos, size - pos, inflateLimit, source);
                return pos + checkDeclaredLengths(inflated.data(), inflated.size(), 0, false, true,
                                                  false, 0, source);
            }
        }
        const bool be = !meta && bigEndian;
        const bool explicitHere = meta || (open.empty() ? explicitVr : open.back().explicitVr);
        const std::uint32_t group = u16(pos, be), element = u16(pos + 2, be);
        if (group == 0xFFFE) {  // item or delimiter: always a 4-byte length
            const std::uint64_t length = u32(pos + 4, be);
            if (element == 0xE00D || element == 0xE0DD) {  // delimiters close their container
                if (!open.empty()) open.pop_back();
                pos += 8;
                continue;
            }
            if (element != 0xE000) fail(pos, "unknown item tag " + tagText(group, element));
            const bool fragments = !open.empty() && open.back().kind == Kind::Fragments;
            if (length == 0xFFFFFFFFull) {
                if (fragments) fail(pos, "a pixel data fragment of undefined length");
                if (open.size() >= kMaxDepth) fail(pos, "nested too deeply");
                open.push_back({0, Kind::Item, explicitHere});
                pos += 8;
                continue;
            }
            if (length > size - pos - 8)
                fail(pos, "an item declares " + std::to_string(length) + " bytes, only " +
                              std::to_string(size - pos - 8) + " remain");
            if (fragments) {
                pos += 8 + std::size_t(length);  // raw compressed bytes
            } else {
                if (open.size() >= kMaxDepth) fail(pos, "nested too deeply");
                open.push_back({pos + 8 + std::size_t(length), Kind::Item, explicitHere});
                pos += 8;
            }
            continue;
        }
        std::size_t header = 8;
        std::uint64_t length;
        std::string vr;
        if (explicitHere) {
            vr = {char(b[pos + 4]), char(b[pos + 5])};
            const bool longForm = vr == "OB" || vr == "OW" || vr == "OF" || vr == "SQ" ||
                                  vr == "UT" || vr == "UN" || vr == "OD" || vr == "OL" ||
                                  vr == "OV" || vr == "UC" || vr == "UR";
            if (longForm) {
                if (size - pos < 12) fail(pos, "truncated element header");
                length = u32(pos + 8, be);
                header = 12;
            } else {
                length = u16(pos + 6, be);
            }
        } else {
            length = u32(pos + 4, be);
        }
        if (meta && group == 0x0002 && element == 0x0010 && length < 128 &&
            length <= size - pos - header)
            syntax.assign(reinterpret_cast<const char*>(b + pos + header), std::size_t(length));
        const bool pixelData = group == 0x7FE0 && element == 0x0010;
        if (length == 0xFFFFFFFFull) {
            // Undefined length: encapsulated pixel data, a sequence, or (UN) a sequence whose
            // items are implicit VR little endian.
            if (!explicitHere || vr == "SQ" || vr == "UN" || pixelData || vr == "OB" ||
                vr == "OW") {
                if (open.size() >= kMaxDepth) fail(pos, "nested too deeply");
                const Kind kind = pixelData ? Kind::Fragments : Kind::Sequence;
                open.push_back({0, kind, vr == "UN" ? false : explicitHere});
                pos += header;
                continue;
            }
            fail(pos, "undefined length on element " + tagText(group, element));
        }
        if (length > size - pos - header)
            fail(pos, "element " + tagText(group, element) + " declares " + std::to_string(length) +
                          " bytes, only " + std::to_string(size - pos - header) +
                          " remain; the file is truncated or damaged");
        if (vr == "SQ") {  // a defined-length sequence: walk into its items
            if (open.size() >= kMaxDepth) fail(pos, "nested too deeply");
            open.push_back({pos + header + std::size_t(length), Kind::Sequence, explicitHere});
            pos += header;
            continue;
        }
        pos += header + std::size_t(length);
    }
    return size;
}

std::size_t checkDeclaredLengths(const std::vector<std::uint8_t>& b, std::uint64_t inflateLimit,
                                 const std::string& source) {
    if (b.size() >= 132 && std::memcmp(b.data() + 128, "DICM", 4) == 0)
        return checkDeclaredLengths(b.data(), b.size(), 132, true, true, false, inflateLimit,
                                    source);
    if (b.size() >= 8) {
        const bool explicitVr = b[4] >= 'A' && b[4] <= 'Z' && b[5] >= 'A' && b[5] <= 'Z';
        const bool bigEndian = b[0] == 0 && b[1] != 0;  // group 0x0008 written big-endian
        return checkDeclaredLengths(b.data(), b.size(), 0, false, explicitVr, bigEndian,
                                    inflateLimit, source);
    }
    return b.size();
}

// A private copy of the bytes on disk, removed when it goes out of scope.
struct TemporaryCopy {
    std::string path;
    TemporaryCopy(const std::vector<std::uint8_t>& bytes, const std::string& source) {
        const char* dir = std::getenv("TMPDIR");
        std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/medvae-dicom-XXXXXX";
        std::vector<char> name(pattern.begin(), pattern.end());
        name.push_back('\0');
        const int fd = ::mkstemp(name.data());
        if (fd < 0)
            throw Error("'" + source +
                        "': cannot create a temporary file: " + std::strerror(errno));
        path = name.data();
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
            if (n <= 0) {
                ::close(fd);
                ::unlink(path.c_str());
                throw Error("'" + source +
                            "': cannot write a temporary file: " + std::strerror(errno));
            }
            done += std::size_t(n);
        }
        ::close(fd);
    }
    ~TemporaryCopy() { ::unlink(path.c_str()); }
    TemporaryCopy(const TemporaryCopy&) = delete;
    TemporaryCopy& operator=(const TemporaryCopy&) = delete;
};

// Every element, in sequences too, must fit in the file before its value is loaded.
void checkElementLengths(DcmItem& item, std::size_t fileSize, const std::string& source,
                         int depth = 0) {
    if (depth > 64) throw Error("'" + source + "': sequences nested too deeply");
    for (unsigned long i = 0; i < item.card(); ++i) {
        DcmElement* element = item.getElement(i);
        if (!element) continue;
        const Uint32 length = element->getLength();
        if (length != DCM_UndefinedLength && length > fileSize)
            throw Error("'" + source + "' is not a valid DICOM file (element " +
                        tagText(element->getGTag(), element->getETag()) + " declares " +
                        std::to_string(length) + " bytes in " + std::to_string(fileSize) +
                        " bytes of data)");
        if (auto* sequence = dynamic_cast<DcmSequenceOfItems*>(element))
            for (unsigned long j = 0; j < sequence->card(); ++j)
                if (DcmItem* nested = sequence->getItem(j))
                    checkElementLengths(*nested, fileSize, source, depth + 1);
    }
}

}  // namespace

bool DicomDecoder::looksLikeDicom(const std::vector<std::uint8_t>& b) {
    if (b.size() >= 132 && std::memcmp(b.data() + 128, "DICM", 4) == 0) return true;
    if (b.size() < 8) return false;
    const unsigned groupLe = unsigned(b[0] | (b[1] << 8)), groupBe = unsigned((b[0] << 8) | b[1]);
    const bool group =
        groupLe == 0x0002 || groupLe == 0x0008 || groupBe == 0x0002 || groupBe == 0x0008;
    if (!group) return false;
    // Explicit VR: two capital letters; implicit: a plausible 32-bit length.
    const bool vr = b[4] >= 'A' && b[4] <= 'Z' && b[5] >= 'A' && b[5] <= 'Z';
    const std::uint32_t lengthLe =
        std::uint32_t(b[4] | (b[5] << 8) | (b[6] << 16) | (std::uint32_t(b[7]) << 24));
    return vr || lengthLe < 1024;
}

Image DicomDecoder::decode(const std::vector<std::uint8_t>& bytes, const std::string& source,
                           const LoadOptions& options) {
    registerCodecs();
    const std::size_t dataSize = checkDeclaredLengths(bytes, options.maxFileBytes, source);
    // DCMTK parses from a file so that values over 4 KB are loaded lazily, when (and if) they
    // are accessed: from a memory buffer it would allocate every declared length at once, and a
    // small hostile file may declare gigabytes that our own walk above did not see the same way.
    TemporaryCopy copy(bytes, source);
    DcmFileFormat file;
    const OFCondition read = file.loadFile(copy.path.c_str(), EXS_Unknown, EGL_noChange, 4096);
    if (read.bad())
        throw Error("'" + source + "' is not a readable DICOM file (" + read.text() + ")");
    // Values we read below are checked against the file's size before DCMTK loads them.
    checkElementLengths(*file.getDataset(), dataSize, source);
    DcmDataset& ds = *file.getDataset();

    Image image;
    ImageMetadata& meta = image.meta;
    meta.source = source;
    meta.format = "DICOM";
    meta.transferSyntax = DcmXfer(ds.getOriginalXfer()).getXferName();
    meta.modality = text(ds, DCM_Modality);
    meta.studyDescription = text(ds, DCM_StudyDescription);
    meta.seriesDescription = text(ds, DCM_SeriesDescription);

    Uint16 rows = 0, cols = 0, samples = 1, bitsAllocated = 0, bitsStored = 0, highBit = 0,
           representation = 0, planar = 0;
    if (ds.findAndGetUint16(DCM_Rows, rows).bad() || ds.findAndGetUint16(DCM_Columns, cols).bad() ||
        rows == 0 || cols == 0) {
        if (!ds.tagExists(DCM_PixelData))
            throw Error("'" + source + "' is a DICOM file without an image (no pixel data; " +
                        (meta.modality.empty() ? std::string("a report or other non-image object")
                                               : "modality " + meta.modality) +
                        ")");
        throw Error("'" + source + "': DICOM image without valid Rows/Columns");
    }
    ds.findAndGetUint16(DCM_SamplesPerPixel, samples);
    ds.findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
    if (ds.findAndGetUint16(DCM_BitsStored, bitsStored).bad()) bitsStored = bitsAllocated;
    if (ds.findAndGetUint16(DCM_HighBit, highBit).bad())
        highBit = Uint16(bitsStored ? bitsStored - 1 : 0);
    ds.findAndGetUint16(DCM_PixelRepresentation, representation);
    ds.findAndGetUint16(DCM_PlanarConfiguration, planar);
    meta.photometric = text(ds, DCM_PhotometricInterpretation);
    Sint32 frames = 1;
    if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).bad() || frames < 1) frames = 1;

    if (ds.tagExists(DCM_FloatPixelData) || ds.tagExists(DCM_DoubleFloatPixelData))
        throw Error("'" + source + "' stores float pixel data, which is not supported");
    if (!ds.tagExists(DCM_PixelData))
        throw Error("'" + source + "' is a DICOM file without pixel data");
    if (samples != 1 && samples != 3)
        throw Error("'" + source + "' has " + std::to_string(samples) +
                    " samples per pixel; 1 or 3 are supported");
    if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32)
        throw Error("'" + source + "' has " + std::to_string(bitsAllocated) +
                    " bits allocated per sample; 1, 8, 16 and 32 are supported");
    if (bitsStored == 0 || bitsStored > bitsAllocated || highBit >= bitsAllocated ||
        highBit + 1 < bitsStored)
        throw Error("'" + source + "': inconsistent Bits Stored / High Bit (" +
                    std::to_string(bitsStored) + "/" + std::to_string(highBit) + ")");
    if (std::uint64_t(rows) * cols > options.maxPixels)
        throw Error("'" + source + "' is " + std::to_string(cols) + "x" + std::to_string(rows) +
                    " pixels, over the limit of " + std::to_string(options.maxPixels) + " pixels");
    if (options.admit) options.admit(source, cols, rows);
    if (frames > options.maxFrames)
        throw Error("'" + source + "' declares " + std::to_string(frames) +
                    " frames, over the limit of " + std::to_string(options.maxFrames));
    if (options.frame < 0 || options.frame >= frames)
        throw Error("'" + source + "' has " + std::to_string(frames) +
                    (frames == 1 ? " frame" : " frames") + "; frame " +
                    std::to_string(options.frame) + " does not exist");
    meta.frames = frames;
    meta.frame = options.frame;
    meta.bitsAllocated = bitsAllocated;
    meta.bitsPerSample = bitsStored;
    meta.signedPixels = representation == 1;

    // One frame of samples, interleaved, as plain numbers.
    const std::size_t pixels = std::size_t(rows) * cols;
    std::vector<double> values(pixels * samples);
    std::string colorModel = meta.photometric;
    DcmElement* element = nullptr;
    ds.findAndGetElement(DCM_PixelData, element);
    auto* pixelData = dynamic_cast<DcmPixelData*>(element);
    if (!pixelData) throw Error("'" + source + "': damaged pixel data element");
    const E_TransferSyntax xfer = ds.getOriginalXfer();
    const DcmXfer xferInfo(xfer);
    const bool jpeg2000 = xfer == EXS_JPEG2000LosslessOnly || xfer == EXS_JPEG2000 ||
                          xfer == EXS_JPEG2000MulticomponentLosslessOnly ||
                          xfer == EXS_JPEG2000Multicomponent;
    const bool rle = xfer == EXS_RLELossless;
    const StoredValues stored{highBit + 1 - bitsStored, bitsStored, representation == 1};
    // The compressed bytes of the requested frame, for the codecs that are not DCMTK's.
    auto encapsulatedFrame = [&](const char* codec) {
        DcmPixelSequence* seq = nullptr;
        if (pixelData->getEncapsulatedRepresentation(xfer, nullptr, seq).bad() || !seq)
            throw Error("'" + source + "': " + codec +
                        " transfer syntax but no compressed pixel data");
        return frameFragments(*seq, std::uint32_t(options.frame), std::uint32_t(frames), source);
    };
    if (bitsAllocated == 1) {
        // Bit-packed (segmentations, masks): frames need not start on a byte boundary.
        if (xferInfo.isEncapsulated() || samples != 1)
            throw Error("'" + source + "': compressed or colour 1-bit images are not supported");
        Uint8* bits = nullptr;
        unsigned long length = 0;
        if (ds.findAndGetUint8Array(DCM_PixelData, const_cast<const Uint8*&>(bits), &length)
                .bad() ||
            !bits)
            throw Error("'" + source + "': cannot read its 1-bit pixel data");
        const std::uint64_t first = std::uint64_t(options.frame) * pixels;
        if ((first + pixels + 7) / 8 > length)
            throw Error("'" + source + "' is truncated: its pixel data holds " +
                        std::to_string(length) + " bytes");
        for (std::size_t p = 0; p < pixels; ++p) {
            const std::uint64_t bit = first + p;
            values[p] = (bits[bit / 8] >> (bit % 8)) & 1;
        }
    } else if (rle) {
        values = decodeRle(encapsulatedFrame("RLE"), rows, cols, samples, bitsAllocated, source);
        for (double& v : values)
            v = stored.value(std::uint64_t(v));  // masking and sign as uncompressed
    } else if (jpeg2000) {
        values = decodeJpeg2000(encapsulatedFrame("JPEG 2000"), rows, cols, samples, source);
        // The dataset's Pixel Representation decides signedness, whatever the codestream says.
        if (representation == 1) {
            const double range = double(1ull << bitsStored), half = range / 2;
            for (double& v : values)
                if (v >= half) v -= range;
        }
        // The codestream's own colour transform has been undone: YBR_ICT/RCT are RGB now.
        if (samples == 3) colorModel = "RGB";
    } else {
        Uint32 frameBytes = 0;
        if (pixelData->getUncompressedFrameSize(&ds, frameBytes).bad() || frameBytes == 0)
            throw Error("'" + source + "': cannot determine the size of a frame");
        if (meta.photometric == "YBR_FULL_422" && !xferInfo.isEncapsulated())
            frameBytes =
                Uint32(pixels * 2 * (bitsAllocated / 8));  // two samples per pixel on average
        const std::uint64_t expected = std::uint64_t(pixels) * samples * (bitsAllocated / 8);
        if (frameBytes < expected &&
            !(meta.photometric == "YBR_FULL_422" && !xferInfo.isEncapsulated()))
            throw Error("'" + source + "': frame size " + std::to_string(frameBytes) +
                        " is smaller than " + std::to_string(rows) + "x" + std::to_string(cols) +
                        " pixels need");
        if (!xferInfo.isEncapsulated()) {
            // Uncompressed: the element must really hold all frames up to the one asked for.
            const std::uint64_t needed =
                std::uint64_t(frameBytes) * std::uint64_t(options.frame + 1);
            if (pixelData->getLength() < needed)
                throw Error("'" + source + "' is truncated: its pixel data holds " +
                            std::to_string(pixelData->getLength()) + " bytes, " +
                            std::to_string(needed) + " are needed");
        }
        std::vector<Uint8> buffer(frameBytes + (frameBytes & 1));
        OFString decompressed;
        if (meta.photometric == "YBR_FULL_422" && !xferInfo.isEncapsulated()) {
            // DCMTK sizes frames as if 4:2:2 were full resolution: copy the frame ourselves.
            const void* data = nullptr;
            if (bitsAllocated == 8) {
                const Uint8* p8 = nullptr;
                if (ds.findAndGetUint8Array(DCM_PixelData, p8).good()) data = p8;
            } else {
                const Uint16* p16 = nullptr;
                if (ds.findAndGetUint16Array(DCM_PixelData, p16).good()) data = p16;
            }
            if (!data) throw Error("'" + source + "': cannot read its pixel data");
            std::memcpy(buffer.data(),
                        static_cast<const Uint8*>(data) +
                            std::size_t(frameBytes) * std::size_t(options.frame),
                        frameBytes);
        } else {
            Uint32 startFragment = 0;
            const OFCondition ok = pixelData->getUncompressedFrame(
                &ds, Uint32(options.frame), startFragment, buffer.data(), Uint32(buffer.size()),
                decompressed, nullptr);
            if (ok.bad())
                throw Error("'" + source + "': cannot decode its pixel data (" +
                            meta.transferSyntax + "): " + ok.text());
        }
        if (!decompressed.empty()) colorModel = decompressed.c_str();
        // Big-endian 32-bit samples arrive as two host-order 16-bit words, high word first.
        if (bitsAllocated == 32 && !xferInfo.isEncapsulated() && xferInfo.isBigEndian())
            for (std::size_t i = 0; i + 4 <= buffer.size(); i += 4) {
                std::swap(buffer[i], buffer[i + 2]);
                std::swap(buffer[i + 1], buffer[i + 3]);
            }

        auto sample = [&](std::size_t i) -> double {
            std::uint64_t raw;
            if (bitsAllocated == 8) {
                raw = buffer[i];
            } else if (bitsAllocated == 16) {
                Uint16 v;
                std::memcpy(&v, buffer.data() + 2 * i, 2);  // DCMTK gives host byte order
                raw = v;
            } else {
                Uint32 v;
                std::memcpy(&v, buffer.data() + 4 * i, 4);
                raw = v;
            }
            return stored.value(raw);
        };
        if (meta.photometric == "YBR_FULL_422" && decompressed.empty() && samples == 3 &&
            !xferInfo.isEncapsulated()) {
            // Uncompressed 4:2:2: Y1 Y2 Cb Cr for each pair of pixels along a row.
            if (cols % 2)
                throw Error("'" + source + "': YBR_FULL_422 with an odd number of columns");
            if (frameBytes < pixels * 2 * (bitsAllocated / 8))
                throw Error("'" + source + "': truncated 4:2:2 frame");
            for (std::size_t p = 0; p < pixels; p += 2) {
                const std::size_t base = p * 2;
                const double y1 = sample(base), y2 = sample(base + 1), cb = sample(base + 2),
                             cr = sample(base + 3);
                values[p * 3] = y1;
                values[p * 3 + 1] = cb;
                values[p * 3 + 2] = cr;
                values[(p + 1) * 3] = y2;
                values[(p + 1) * 3 + 1] = cb;
                values[(p + 1) * 3 + 2] = cr;
            }
            colorModel = "YBR_FULL";
        } else {
            for (std::size_t p = 0; p < pixels; ++p)
                for (int c = 0; c < samples; ++c)
                    values[p * samples + std::size_t(c)] =
                        planar && samples > 1 ? sample(std::size_t(c) * pixels + p)
                                              : sample(p * samples + std::size_t(c));
        }
    }

    image.width = cols;
    image.height = rows;
    double spacing = 0;
    if (number(ds, DCM_PixelSpacing, spacing, 0)) {
        meta.pixelSpacing[0] = spacing;
        number(ds, DCM_PixelSpacing, meta.pixelSpacing[1], 1);
        meta.spacingKind = "calibrated (Pixel Spacing)";
    } else if (number(ds, DCM_ImagerPixelSpacing, spacing, 0)) {
        meta.pixelSpacing[0] = spacing;
        number(ds, DCM_ImagerPixelSpacing, meta.pixelSpacing[1], 1);
        meta.spacingKind = "at the detector (Imager Pixel Spacing)";
    }
    if (samples == 1 && colorModel == "PALETTE COLOR") {
        Lut red, green, blue;
        if (!readLut(ds, DCM_RedPaletteColorLookupTableDescriptor,
                     DCM_RedPaletteColorLookupTableData, false, red) ||
            !readLut(ds, DCM_GreenPaletteColorLookupTableDescriptor,
                     DCM_GreenPaletteColorLookupTableData, false, green) ||
            !readLut(ds, DCM_BluePaletteColorLookupTableDescriptor,
                     DCM_BluePaletteColorLookupTableData, false, blue))
            throw Error("'" + source +
                        "': PALETTE COLOR image with missing or unsupported palette tables");
        image.channels = 3;
        image.pixels.resize(pixels * 3);
        for (std::size_t p = 0; p < pixels; ++p) {
            image.pixels[p] = float(red.map(values[p]));
            image.pixels[pixels + p] = float(green.map(values[p]));
            image.pixels[2 * pixels + p] = float(blue.map(values[p]));
        }
        meta.colorModel = "RGB";
        return image;
    }
    if (samples == 3) {
        const bool ybr = colorModel.rfind("YBR_FULL", 0) == 0;
        if (!ybr && colorModel != "RGB" && colorModel != "YBR_RCT" && colorModel != "YBR_ICT")
            throw Error("'" + source + "': photometric interpretation " + colorModel +
                        " is not supported");
        image.channels = 3;
        image.pixels.resize(pixels * 3);
        const double half = double(1u << (bitsStored - 1));
        for (std::size_t p = 0; p < pixels; ++p) {
            double r = values[p * 3], g = values[p * 3 + 1], b = values[p * 3 + 2];
            if (ybr) {  // ITU-R BT.601 full range, as PS3.3 C.7.6.3.1.2 gives it
                const double y = r, cb = g - half, cr = b - half;
                // Out-of-gamut results are clipped to the sample range, as RGB samples must be.
                const double top = 2 * half - 1;
                r = std::clamp(y + 1.402 * cr, 0.0, top);
                g = std::clamp(y - 0.344136 * cb - 0.714136 * cr, 0.0, top);
                b = std::clamp(y + 1.772 * cb, 0.0, top);
            }
            image.pixels[p] = float(r);
            image.pixels[pixels + p] = float(g);
            image.pixels[2 * pixels + p] = float(b);
        }
        meta.colorModel = "RGB";
        return image;
    }
    if (colorModel != "MONOCHROME1" && colorModel != "MONOCHROME2")
        throw Error("'" + source + "': photometric interpretation '" + colorModel +
                    "' is not supported");

    // Modality LUT: a LUT sequence when present, else rescale slope and intercept.
    const double storedMin = representation == 1 ? -double(1ull << (bitsStored - 1)) : 0.0;
    const double storedMax = representation == 1 ? double((1ull << (bitsStored - 1)) - 1)
                                                 : double((1ull << bitsStored) - 1);
    DcmItem* lutItem = nullptr;
    Lut modalityLut;
    bool useLut = false;
    if (ds.findAndGetSequenceItem(DCM_ModalityLUTSequence, lutItem, 0).good() && lutItem) {
        if (!readLut(*lutItem, DCM_LUTDescriptor, DCM_LUTData, representation == 1, modalityLut))
            throw Error("'" + source + "': unsupported Modality LUT Sequence");
        useLut = true;
    } else {
        number(ds, DCM_RescaleSlope, meta.rescaleSlope);
        number(ds, DCM_RescaleIntercept, meta.rescaleIntercept);
        if (meta.rescaleSlope == 0) meta.rescaleSlope = 1;
        meta.rescaleType = text(ds, DCM_RescaleType);
    }
    auto modality = [&](double v) {
        return useLut ? modalityLut.map(v) : v * meta.rescaleSlope + meta.rescaleIntercept;
    };
    double lo = modality(storedMin), hi = modality(storedMax);
    if (lo > hi) std::swap(lo, hi);

    // The file's VOI windows, kept as presets whether or not one is applied.
    const unsigned long windows =
        std::min(multiplicity(ds, DCM_WindowCenter), multiplicity(ds, DCM_WindowWidth));
    for (unsigned long i = 0; i < windows && i < 16; ++i) {
        WindowPreset w;
        if (!number(ds, DCM_WindowCenter, w.center, i) ||
            !number(ds, DCM_WindowWidth, w.width, i) || w.width <= 0)
            continue;
        OFString explanation;
        if (ds.findAndGetOFString(DCM_WindowCenterWidthExplanation, explanation, i).good())
            w.name = explanation.c_str();
        meta.windows.push_back(w);
    }
    const std::string voiFunction = text(ds, DCM_VOILUTFunction);
    WindowPreset window;
    bool applyWindow = false;
    if (options.window == LoadOptions::Window::FromFile) {
        if (options.windowIndex < 0 || std::size_t(options.windowIndex) >= meta.windows.size())
            throw Error("'" + source + "' has " + std::to_string(meta.windows.size()) +
                        " VOI window" + (meta.windows.size() == 1 ? "" : "s") + "; window " +
                        std::to_string(options.windowIndex) + " does not exist");
        window = meta.windows[std::size_t(options.windowIndex)];
        applyWindow = true;
    } else if (options.window == LoadOptions::Window::Custom) {
        if (!(options.windowWidth > 0)) throw Error("a VOI window needs a positive width");
        window = {options.windowCenter, options.windowWidth, "custom"};
        applyWindow = true;
    }

    image.channels = 1;
    image.pixels.resize(pixels);
    const bool invert = colorModel == "MONOCHROME1";
    for (std::size_t p = 0; p < pixels; ++p) {
        double v = modality(values[p]);
        if (applyWindow) {
            v = windowed(v, window, voiFunction);
            if (invert) v = 1.0 - v;
        } else if (invert) {
            v = lo + hi - v;
        }
        image.pixels[p] = float(v);
    }
    meta.inverted = invert;
    meta.windowed = applyWindow;
    if (applyWindow) meta.appliedWindow = window;
    meta.colorModel = "gray";

    return image;
}

}  // namespace medvae
