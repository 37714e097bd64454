#include "byte_source.h"

#include <cerrno>
#include <cstring>

#include "byte_reader.h"
#include "error.h"

namespace medvae {

ByteSource ByteSource::fromFile(const std::string& path) {
    ByteSource src;
    src.name_ = path;
    src.file_.open(path, std::ios::binary);
    if (!src.file_) throw Error("cannot open '" + path + "': " + std::strerror(errno));
    src.file_.seekg(0, std::ios::end);
    const std::streamoff end = src.file_.tellg();
    if (end < 0) throw Error("cannot read '" + path + "' (is it a directory?)");
    src.size_ = std::uint64_t(end);
    return src;
}

ByteSource ByteSource::fromMemory(std::vector<std::uint8_t> bytes, std::string name) {
    ByteSource src;
    src.name_ = std::move(name);
    src.memory_ = std::move(bytes);
    src.size_ = src.memory_.size();
    src.inMemory_ = true;
    return src;
}

void ByteSource::read(std::uint64_t offset, void* out, std::uint64_t count) {
    if (!ByteReader::fits(offset, count, size_))
        throw Error("'" + name_ + "' is truncated (needed bytes " + std::to_string(offset) + "+" +
                    std::to_string(count) + " of " + std::to_string(size_) + ")");
    if (count == 0) return;
    if (inMemory_) {
        std::memcpy(out, memory_.data() + offset, count);
        return;
    }
    file_.clear();
    file_.seekg(std::streamoff(offset));
    file_.read(static_cast<char*>(out), std::streamsize(count));
    if (!file_ || std::uint64_t(file_.gcount()) != count)
        throw Error("read error in '" + name_ + "' at offset " + std::to_string(offset));
}

std::vector<std::uint8_t> ByteSource::read(std::uint64_t offset, std::uint64_t count) {
    if (!ByteReader::fits(offset, count, size_)) read(offset, nullptr, count);  // throws
    std::vector<std::uint8_t> out(count);
    read(offset, out.data(), count);
    return out;
}

}  // namespace medvae
