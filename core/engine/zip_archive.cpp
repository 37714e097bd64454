#include "zip_archive.h"

#include <algorithm>
#include <array>

#include "error.h"

namespace medvae {
namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kEndOfCentralDir = 0x06054b50;
constexpr std::uint32_t kZip64EndOfCentralDir = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint64_t kMaxEntries = 1u << 20;
constexpr std::uint64_t kMaxCentralDirBytes = 256ull << 20;

std::uint16_t le16(const std::uint8_t* p) {
    return std::uint16_t(p[0] | (p[1] << 8));
}
std::uint32_t le32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
           (std::uint32_t(p[3]) << 24);
}
std::uint64_t le64(const std::uint8_t* p) {
    return std::uint64_t(le32(p)) | (std::uint64_t(le32(p + 4)) << 32);
}

// Slice-by-8 tables: checkpoints run to hundreds of megabytes and every byte is checked.
struct CrcTables {
    std::array<std::array<std::uint32_t, 256>, 8> t{};
    CrcTables() {
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[0][i] = c;
        }
        for (std::uint32_t i = 0; i < 256; ++i)
            for (int s = 1; s < 8; ++s)
                t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
    }
};

}  // namespace

std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc) {
    static const CrcTables tables;
    const auto& t = tables.t;
    std::uint32_t c = ~crc;
    while (size >= 8) {
        std::uint32_t lo = le32(data) ^ c;
        std::uint32_t hi = le32(data + 4);
        c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
            t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
        data += 8;
        size -= 8;
    }
    while (size--)
        c = t[0][(c ^ *data++) & 0xFF] ^ (c >> 8);
    return ~c;
}

ZipArchive::ZipArchive(ByteSource source) : source_(std::move(source)) {
    const std::string& path = source_.name();
    const std::uint64_t fileSize = source_.size();
    if (fileSize < 22)
        throw Error("'" + path + "' is not a zip archive (too short: " + std::to_string(fileSize) +
                    " bytes)");

    // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
    const std::uint64_t tail = std::min<std::uint64_t>(fileSize, 22 + 65535);
    std::vector<std::uint8_t> buf(tail);
    source_.read(fileSize - tail, buf.data(), tail);
    std::int64_t eocd = -1;
    for (std::int64_t i = std::int64_t(tail) - 22; i >= 0; --i) {
        if (le32(&buf[i]) == kEndOfCentralDir) {
            eocd = i;
            break;
        }
    }
    if (eocd < 0)
        throw Error("'" + path +
                    "' is not a zip archive or is truncated (no end-of-directory record)");
    const std::uint64_t eocdOffset = fileSize - tail + std::uint64_t(eocd);
    const std::uint8_t* e = &buf[eocd];
    std::uint64_t count = le16(e + 10);
    std::uint64_t cdSize = le32(e + 12);
    std::uint64_t cdOffset = le32(e + 16);

    if (count == 0xFFFF || cdSize == 0xFFFFFFFFu || cdOffset == 0xFFFFFFFFu) {
        // Zip64: the locator precedes the end record and points at the zip64 end record.
        if (eocdOffset < 20) throw Error("'" + path + "' has a damaged zip64 directory");
        std::uint8_t loc[20];
        source_.read(eocdOffset - 20, loc, 20);
        if (le32(loc) != kZip64Locator) throw Error("'" + path + "' has a damaged zip64 directory");
        const std::uint64_t z64 = le64(loc + 8);
        std::uint8_t rec[56];
        if (z64 > fileSize || fileSize - z64 < 56)
            throw Error("'" + path + "' has a damaged zip64 directory");
        source_.read(z64, rec, 56);
        if (le32(rec) != kZip64EndOfCentralDir)
            throw Error("'" + path + "' has a damaged zip64 directory");
        count = le64(rec + 32);
        cdSize = le64(rec + 40);
        cdOffset = le64(rec + 48);
    }
    if (count > kMaxEntries) throw Error("'" + path + "' lists an absurd number of entries");
    if (cdSize > kMaxCentralDirBytes || cdOffset > fileSize || cdSize > fileSize - cdOffset)
        throw Error("'" + path + "' is truncated or damaged (zip directory lies outside the file)");

    std::vector<std::uint8_t> cd(cdSize);
    source_.read(cdOffset, cd.data(), cdSize);
    std::uint64_t pos = 0;
    for (std::uint64_t n = 0; n < count; ++n) {
        if (cdSize - pos < 46 || le32(&cd[pos]) != kCentralHeader)
            throw Error("'" + path + "' has a damaged zip directory (entry " + std::to_string(n) +
                        ")");
        const std::uint8_t* h = &cd[pos];
        Entry entry;
        const std::uint16_t flags = le16(h + 8);
        entry.method = le16(h + 10);
        entry.crc32 = le32(h + 16);
        std::uint64_t compressed = le32(h + 20);
        std::uint64_t size = le32(h + 24);
        const std::uint16_t nameLen = le16(h + 28);
        const std::uint16_t extraLen = le16(h + 30);
        const std::uint16_t commentLen = le16(h + 32);
        std::uint64_t localOffset = le32(h + 42);
        if (cdSize - pos < 46ull + nameLen + extraLen + commentLen)
            throw Error("'" + path + "' has a damaged zip directory");
        entry.name.assign(reinterpret_cast<const char*>(h + 46), nameLen);
        // Zip64 extended information replaces the fields that read 0xFFFFFFFF, in this order.
        const std::uint8_t* x = h + 46 + nameLen;
        for (std::uint32_t xp = 0; xp + 4 <= extraLen;) {
            const std::uint16_t id = le16(x + xp), len = le16(x + xp + 2);
            if (xp + 4ull + len > extraLen) break;
            if (id == 0x0001) {
                const std::uint8_t* f = x + xp + 4;
                std::uint32_t used = 0;
                auto next = [&](std::uint64_t& field) {
                    if (field != 0xFFFFFFFFu) return;
                    if (used + 8 > len) throw Error("'" + path + "' has a damaged zip64 field");
                    field = le64(f + used);
                    used += 8;
                };
                next(size);
                next(compressed);
                next(localOffset);
            }
            xp += 4u + len;
        }
        if (flags & 0x1) throw Error("'" + path + "' contains encrypted entries");
        if (entry.method != 0)
            throw Error("'" + path + "': entry '" + entry.name +
                        "' is compressed; checkpoints written by torch.save store entries "
                        "uncompressed (re-save the file with torch.save)");
        if (compressed != size)
            throw Error("'" + path + "': entry '" + entry.name + "' has inconsistent sizes");
        entry.size = size;
        entry.dataOffset = localOffset;  // resolved lazily through the local header
        entries_[entry.name] = entry;
        pos += 46ull + nameLen + extraLen + commentLen;
    }
}

void ZipArchive::locateData(Entry& entry) {
    const std::string& path = source_.name();
    const std::uint64_t fileSize = source_.size();
    std::uint8_t h[30];
    source_.read(entry.dataOffset, h, 30);
    if (le32(h) != kLocalHeader)
        throw Error("'" + path + "' is damaged: entry '" + entry.name + "' has no local header");
    const std::uint64_t start = entry.dataOffset + 30 + le16(h + 26) + le16(h + 28);
    if (start > fileSize || entry.size > fileSize - start)
        throw Error("'" + path + "' is truncated: entry '" + entry.name + "' (" +
                    std::to_string(entry.size) + " bytes) runs past the end of the file");
    entry.dataOffset = start;
}

std::vector<std::uint8_t> ZipArchive::read(const std::string& name) {
    auto it = entries_.find(name);
    if (it == entries_.end()) throw Error("'" + source_.name() + "' has no entry '" + name + "'");
    Entry entry = it->second;
    locateData(entry);
    std::vector<std::uint8_t> data = source_.read(entry.dataOffset, entry.size);
    if (crc32(data.data(), data.size()) != entry.crc32)
        throw Error("'" + source_.name() + "' is corrupt: entry '" + name +
                    "' fails its CRC-32 check (the file was damaged after it was written)");
    return data;
}

}  // namespace medvae
