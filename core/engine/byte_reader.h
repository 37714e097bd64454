#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace medvae {

enum class ByteOrder { Little, Big };

// A bounds-checked, read-only view of bytes owned by someone else: the one place where the
// project turns untrusted bytes (file headers, zip directories, pickles, DICOM elements) into
// numbers. Offsets and counts are 64-bit and every check is written so that offset + count
// cannot wrap. Copies are cheap views of the same bytes; the owner keeps them alive.
//
// Two kinds of read:
// - probes, `bool u32(offset, order, out)` and the like, say whether the value was there and
//   leave `out` alone when it was not (for readers that treat a short input as "unknown");
// - reads that must fit, `u32le(offset)`, `text(offset, count)`, ...: when they do not, the
//   caller's Truncated handler throws the medvae::Error worded for its input (what it is, where);
//   without a handler, a generic medvae::Error names the bytes that were missing.
class ByteReader {
  public:
    // Throws the caller's medvae::Error for `count` bytes at `offset` (counted from the start of
    // the outermost view, also in sub-views) that are not there.
    using Truncated = std::function<void(std::uint64_t offset, std::uint64_t count)>;

    ByteReader() = default;
    ByteReader(const std::uint8_t* data, std::size_t size, Truncated truncated = {})
        : data_(data), size_(size), truncated_(std::move(truncated)) {}
    explicit ByteReader(const std::vector<std::uint8_t>& bytes, Truncated truncated = {})
        : ByteReader(bytes.data(), bytes.size(), std::move(truncated)) {}

    // Whether `count` bytes at `offset` lie within `size` bytes.
    static constexpr bool fits(std::uint64_t offset, std::uint64_t count, std::uint64_t size) {
        return offset <= size && count <= size - offset;
    }

    const std::uint8_t* data() const { return data_; }
    std::uint64_t size() const { return size_; }
    bool has(std::uint64_t offset, std::uint64_t count) const { return fits(offset, count, size_); }

    // Whether the bytes at `offset` equal `literal` (all of it, embedded NULs included, without
    // the terminating one): matches(128, "DICM"), matches(0, "Exif\0\0").
    template <std::size_t N>
    bool matches(std::uint64_t offset, const char (&literal)[N]) const {
        return matches(offset, literal, N - 1);
    }
    bool matches(std::uint64_t offset, const void* bytes, std::size_t count) const {
        return has(offset, count) && (count == 0 || std::memcmp(data_ + offset, bytes, count) == 0);
    }

    // The bytes [offset, offset + count) as a view of their own, cut to what exists (empty past
    // the end). It keeps the Truncated handler, which still hears offsets in the outer view.
    ByteReader sub(std::uint64_t offset, std::uint64_t count) const;
    // Everything from `offset` on.
    ByteReader from(std::uint64_t offset) const { return sub(offset, size_); }

    // Probes.
    bool u8(std::uint64_t offset, std::uint32_t& out) const { return probe<1>(offset, {}, out); }
    bool u16(std::uint64_t offset, ByteOrder order, std::uint32_t& out) const {
        return probe<2>(offset, order, out);
    }
    bool u24(std::uint64_t offset, ByteOrder order, std::uint32_t& out) const {
        return probe<3>(offset, order, out);
    }
    bool u32(std::uint64_t offset, ByteOrder order, std::uint32_t& out) const {
        return probe<4>(offset, order, out);
    }
    bool u64(std::uint64_t offset, ByteOrder order, std::uint64_t& out) const {
        return probe<8>(offset, order, out);
    }
    // The offset of the first `byte` at or after `from`.
    bool find(std::uint64_t from, std::uint8_t byte, std::uint64_t& at) const;

    // Reads that must fit.
    void need(std::uint64_t offset, std::uint64_t count) const {
        if (!has(offset, count)) truncated(offset, count);
    }
    std::uint8_t u8(std::uint64_t offset) const { return std::uint8_t(read<1>(offset, {})); }
    std::uint16_t u16(std::uint64_t offset, ByteOrder order) const {
        return std::uint16_t(read<2>(offset, order));
    }
    std::uint32_t u32(std::uint64_t offset, ByteOrder order) const {
        return std::uint32_t(read<4>(offset, order));
    }
    std::uint64_t u64(std::uint64_t offset, ByteOrder order) const {
        return read<8>(offset, order);
    }
    std::uint16_t u16le(std::uint64_t offset) const { return u16(offset, ByteOrder::Little); }
    std::uint16_t u16be(std::uint64_t offset) const { return u16(offset, ByteOrder::Big); }
    std::uint32_t u32le(std::uint64_t offset) const { return u32(offset, ByteOrder::Little); }
    std::uint32_t u32be(std::uint64_t offset) const { return u32(offset, ByteOrder::Big); }
    std::uint64_t u64le(std::uint64_t offset) const { return u64(offset, ByteOrder::Little); }
    std::uint64_t u64be(std::uint64_t offset) const { return u64(offset, ByteOrder::Big); }
    // An unsigned integer of 0 to 8 bytes (pickle's LONG1, odd-sized fields).
    std::uint64_t uint(std::uint64_t offset, std::size_t count, ByteOrder order) const;
    // IEEE 754 binary32 / binary64 stored in `order`.
    float f32(std::uint64_t offset, ByteOrder order) const;
    double f64(std::uint64_t offset, ByteOrder order) const;
    // `count` bytes as they are.
    std::string text(std::uint64_t offset, std::uint64_t count) const;
    const std::uint8_t* bytes(std::uint64_t offset, std::uint64_t count) const {
        need(offset, count);
        return data_ + offset;
    }

  private:
    ByteReader(const std::uint8_t* data, std::size_t size, std::uint64_t origin,
               const Truncated& truncated)
        : data_(data), size_(size), origin_(origin), truncated_(truncated) {}

    template <std::size_t N>
    static std::uint64_t decode(const std::uint8_t* p, ByteOrder order) {
        if constexpr (N == 2 || N == 4 || N == 8) {
            // One load and, for the other byte order, one swap: parsers of large inputs
            // (checksums over whole checkpoints) read through here.
            using Word =
                std::conditional_t<N == 2, std::uint16_t,
                                   std::conditional_t<N == 4, std::uint32_t, std::uint64_t>>;
            Word word;
            std::memcpy(&word, p, N);
            constexpr ByteOrder host =
                __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ByteOrder::Little : ByteOrder::Big;
            if (order != host) word = swapped(word);
            return word;
        } else {
            std::uint64_t value = 0;
            for (std::size_t i = 0; i < N; ++i)
                value |= std::uint64_t(p[i]) << (8 * (order == ByteOrder::Little ? i : N - 1 - i));
            return value;
        }
    }
    static std::uint16_t swapped(std::uint16_t v) { return __builtin_bswap16(v); }
    static std::uint32_t swapped(std::uint32_t v) { return __builtin_bswap32(v); }
    static std::uint64_t swapped(std::uint64_t v) { return __builtin_bswap64(v); }
    template <std::size_t N, typename T>
    bool probe(std::uint64_t offset, ByteOrder order, T& out) const {
        if (!has(offset, N)) return false;
        out = T(decode<N>(data_ + offset, order));
        return true;
    }
    template <std::size_t N>
    std::uint64_t read(std::uint64_t offset, ByteOrder order) const {
        need(offset, N);
        return decode<N>(data_ + offset, order);
    }
    [[noreturn]] void truncated(std::uint64_t offset, std::uint64_t count) const;

    const std::uint8_t* data_ = nullptr;
    std::uint64_t size_ = 0;
    std::uint64_t origin_ = 0;  // where data_ lies in the outermost view
    Truncated truncated_;
};

}  // namespace medvae
