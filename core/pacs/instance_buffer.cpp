#include "instance_buffer.h"

namespace medvae::pacs {

OFCondition InstanceBuffer::status() const {
    return EC_Normal;
}

offile_off_t InstanceBuffer::avail() const {
    return offile_off_t(1) << 30;
}

offile_off_t InstanceBuffer::write(const void* buffer, offile_off_t length) {
    if (length <= 0) return 0;
    if (!overflowed_ && bytes_.size() + std::uint64_t(length) > limit_) {
        overflowed_ = true;
        std::vector<std::uint8_t>().swap(bytes_);
    }
    if (!overflowed_) {
        const auto* begin = static_cast<const std::uint8_t*>(buffer);
        bytes_.insert(bytes_.end(), begin, begin + length);
    }
    return length;  // taken, kept or not
}

}  // namespace medvae::pacs
