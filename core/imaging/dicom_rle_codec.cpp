#include "dicom_rle_codec.h"

#include <cstring>

#include "byte_reader.h"
#include "error.h"

namespace medvae {
namespace {

[[noreturn]] void fail(const std::string& source, const std::string& what) {
    throw Error("'" + source + "': cannot decode its RLE pixel data: " + what);
}

// One PackBits segment, [begin, end) of the frame, into `pixels` bytes at `out`.
void unpackSegment(const ByteReader& frame, std::uint64_t begin, std::uint64_t end,
                   std::uint8_t* out, std::size_t pixels, const std::string& source) {
    std::uint64_t in = begin;
    std::size_t written = 0;
    while (written < pixels && in < end) {
        const int n = std::int8_t(frame.u8(in++));
        if (n >= 0) {  // n + 1 literal bytes
            const std::size_t count = std::size_t(n) + 1;
            if (count > end - in || count > pixels - written)
                fail(source, "a literal run overflows its segment");
            std::memcpy(out + written, frame.bytes(in, count), count);
            in += count;
            written += count;
        } else if (n != -128) {  // the next byte, 1 - n times
            const std::size_t count = std::size_t(1 - n);
            if (in >= end || count > pixels - written)
                fail(source, "a repeat run overflows its segment");
            std::memset(out + written, frame.u8(in++), count);
            written += count;
        }
    }
    if (written < pixels) fail(source, "a segment ends before its pixels do (truncated data)");
}

}  // namespace

std::vector<double> DicomRleCodec::decode(const std::vector<std::uint8_t>& bytes, int rows,
                                          int cols, int samples, int bitsAllocated,
                                          const std::string& source) {
    const ByteReader frame(bytes);
    if (!frame.has(0, 64)) fail(source, "the frame is shorter than its header");
    const int bytesPerSample = bitsAllocated / 8;
    const std::uint32_t segments = frame.u32le(0);
    if (segments != std::uint32_t(samples * bytesPerSample))
        fail(source, std::to_string(segments) + " segments where " +
                         std::to_string(samples * bytesPerSample) + " are expected");
    const std::size_t pixels = std::size_t(rows) * std::size_t(cols);
    std::vector<std::uint8_t> planes(pixels * segments);
    for (std::uint32_t seg = 0; seg < segments; ++seg) {
        const std::uint64_t begin = frame.u32le(4 + 4 * seg);
        const std::uint64_t end =
            seg + 1 < segments ? frame.u32le(4 + 4 * (seg + 1)) : frame.size();
        if (begin < 64 || begin > end || end > frame.size())
            fail(source, "segment offsets outside the frame");
        unpackSegment(frame, begin, end, planes.data() + seg * pixels, pixels, source);
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

}  // namespace medvae
