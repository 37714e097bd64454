#include "byte_reader.h"

#include "error.h"

namespace medvae {

ByteReader ByteReader::sub(std::uint64_t offset, std::uint64_t count) const {
    if (offset > size_) return ByteReader(data_ + size_, 0, origin_ + size_, truncated_);
    const std::uint64_t available = size_ - offset;
    return ByteReader(data_ + offset, std::size_t(count < available ? count : available),
                      origin_ + offset, truncated_);
}

bool ByteReader::find(std::uint64_t from, std::uint8_t byte, std::uint64_t& at) const {
    if (from >= size_) return false;
    const void* hit = std::memchr(data_ + from, byte, std::size_t(size_ - from));
    if (!hit) return false;
    at = std::uint64_t(static_cast<const std::uint8_t*>(hit) - data_);
    return true;
}

std::uint64_t ByteReader::uint(std::uint64_t offset, std::size_t count, ByteOrder order) const {
    if (count > 8) throw Error("a byte reader reads integers of at most 8 bytes");
    need(offset, count);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t byte = order == ByteOrder::Little ? count - 1 - i : i;
        value = (value << 8) | data_[offset + byte];
    }
    return value;
}

float ByteReader::f32(std::uint64_t offset, ByteOrder order) const {
    const std::uint32_t bits = u32(offset, order);
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

double ByteReader::f64(std::uint64_t offset, ByteOrder order) const {
    const std::uint64_t bits = u64(offset, order);
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

std::string ByteReader::text(std::uint64_t offset, std::uint64_t count) const {
    need(offset, count);
    if (count == 0) return {};
    return std::string(reinterpret_cast<const char*>(data_ + offset), std::size_t(count));
}

void ByteReader::truncated(std::uint64_t offset, std::uint64_t count) const {
    // A hostile offset may be near 2^64: the sum saturates rather than wraps to a small number.
    const std::uint64_t where = offset > UINT64_MAX - origin_ ? UINT64_MAX : origin_ + offset;
    if (truncated_) truncated_(where, count);
    throw Error("the data is truncated (needed bytes " + std::to_string(where) + "+" +
                std::to_string(count) + "; it ends at byte " + std::to_string(origin_ + size_) +
                ")");
}

}  // namespace medvae
