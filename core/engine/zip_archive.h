#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "byte_source.h"

namespace medvae {

// Read-only access to the stored (uncompressed) entries of a zip file, as PyTorch's torch.save
// writes them. Every offset and size is checked against the file before use, entries are
// checked against their CRC-32 when read, and anything else (compression, encryption, entries
// beyond the end of the file) is refused with medvae::Error.
class ZipArchive {
  public:
    struct Entry {
        std::string name;
        std::uint64_t size = 0;        // bytes, uncompressed == stored
        std::uint64_t dataOffset = 0;  // offset of the first data byte in the file
        std::uint32_t crc32 = 0;
        std::uint16_t method = 0;
    };

    // Indexes the archive held by `source` (a file or a buffer).
    explicit ZipArchive(ByteSource source);

    const std::map<std::string, Entry>& entries() const { return entries_; }
    bool contains(const std::string& name) const { return entries_.count(name) != 0; }

    // Returns the entry's bytes after checking its CRC-32. Throws when the entry is missing.
    std::vector<std::uint8_t> read(const std::string& name);

    const std::string& name() const { return source_.name(); }

  private:
    void locateData(Entry& entry);

    ByteSource source_;
    std::map<std::string, Entry> entries_;
};

// CRC-32 (ISO-HDLC, as zip uses) of a buffer, continuing from `crc`.
std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0);

}  // namespace medvae
