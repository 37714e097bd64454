#include "zip_archive.h"

#include <algorithm>
#include <array>

#include "byte_reader.h"
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

// Where the central directory is, as the end records say.
struct Directory {
    std::uint64_t count = 0;   // entries
    std::uint64_t size = 0;    // bytes
    std::uint64_t offset = 0;  // of its first byte in the file
};

// Zip64: the locator precedes the end record and points at the zip64 end record.
Directory readZip64End(ByteSource& source, std::uint64_t endRecordOffset) {
    const std::string damaged = "'" + source.name() + "' has a damaged zip64 directory";
    if (endRecordOffset < 20) throw Error(damaged);
    std::uint8_t locatorBytes[20];
    source.read(endRecordOffset - 20, locatorBytes, 20);
    const ByteReader locator(locatorBytes, sizeof locatorBytes);
    if (locator.u32le(0) != kZip64Locator) throw Error(damaged);
    const std::uint64_t recordOffset = locator.u64le(8);
    if (!ByteReader::fits(recordOffset, 56, source.size())) throw Error(damaged);
    std::uint8_t recordBytes[56];
    source.read(recordOffset, recordBytes, 56);
    const ByteReader record(recordBytes, sizeof recordBytes);
    if (record.u32le(0) != kZip64EndOfCentralDir) throw Error(damaged);
    return {record.u64le(32), record.u64le(40), record.u64le(48)};
}

// The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
Directory findDirectory(ByteSource& source) {
    const std::string& path = source.name();
    const std::uint64_t fileSize = source.size();
    if (fileSize < 22)
        throw Error("'" + path + "' is not a zip archive (too short: " + std::to_string(fileSize) +
                    " bytes)");
    const std::uint64_t tailSize = std::min<std::uint64_t>(fileSize, 22 + 65535);
    const std::vector<std::uint8_t> tailBytes = source.read(fileSize - tailSize, tailSize);
    const ByteReader tail(tailBytes);
    std::uint64_t end = tailSize - 22;
    while (tail.u32le(end) != kEndOfCentralDir) {
        if (end == 0)
            throw Error("'" + path +
                        "' is not a zip archive or is truncated (no end-of-directory record)");
        --end;
    }
    Directory directory{tail.u16le(end + 10), tail.u32le(end + 12), tail.u32le(end + 16)};
    if (directory.count == 0xFFFF || directory.size == 0xFFFFFFFFu ||
        directory.offset == 0xFFFFFFFFu)
        directory = readZip64End(source, fileSize - tailSize + end);
    if (directory.count > kMaxEntries)
        throw Error("'" + path + "' lists an absurd number of entries");
    if (directory.size > kMaxCentralDirBytes ||
        !ByteReader::fits(directory.offset, directory.size, fileSize))
        throw Error("'" + path + "' is truncated or damaged (zip directory lies outside the file)");
    return directory;
}

// Zip64 extended information (extra field 0x0001) replaces the fields that read 0xFFFFFFFF, in
// this order: size, compressed size, local header offset.
void applyZip64Extra(const ByteReader& extra, std::uint64_t& size, std::uint64_t& compressed,
                     std::uint64_t& localOffset, const std::string& path) {
    for (std::uint64_t at = 0; extra.has(at, 4);) {
        const std::uint16_t id = extra.u16le(at), length = extra.u16le(at + 2);
        if (!extra.has(at + 4, length)) break;
        if (id == 0x0001) {
            const ByteReader fields = extra.sub(at + 4, length);
            std::uint64_t used = 0;
            for (std::uint64_t* field : {&size, &compressed, &localOffset}) {
                if (*field != 0xFFFFFFFFu) continue;
                if (!fields.has(used, 8)) throw Error("'" + path + "' has a damaged zip64 field");
                *field = fields.u64le(used);
                used += 8;
            }
        }
        at += 4u + length;
    }
}

// The central directory entry at `pos`; moves `pos` past it.
ZipArchive::Entry readCentralEntry(const ByteReader& directory, std::uint64_t& pos,
                                   std::uint64_t index, const std::string& path) {
    if (!directory.has(pos, 46) || directory.u32le(pos) != kCentralHeader)
        throw Error("'" + path + "' has a damaged zip directory (entry " + std::to_string(index) +
                    ")");
    const ByteReader h = directory.from(pos);
    ZipArchive::Entry entry;
    const std::uint16_t flags = h.u16le(8);
    entry.method = h.u16le(10);
    entry.crc32 = h.u32le(16);
    std::uint64_t compressed = h.u32le(20);
    std::uint64_t size = h.u32le(24);
    const std::uint16_t nameLength = h.u16le(28);
    const std::uint16_t extraLength = h.u16le(30);
    const std::uint16_t commentLength = h.u16le(32);
    std::uint64_t localOffset = h.u32le(42);
    const std::uint64_t recordLength = 46ull + nameLength + extraLength + commentLength;
    h.need(0, recordLength);  // else the directory's handler: damaged
    entry.name = h.text(46, nameLength);
    applyZip64Extra(h.sub(46 + nameLength, extraLength), size, compressed, localOffset, path);
    if (flags & 0x1) throw Error("'" + path + "' contains encrypted entries");
    if (entry.method != 0)
        throw Error("'" + path + "': entry '" + entry.name +
                    "' is compressed; checkpoints written by torch.save store entries "
                    "uncompressed (re-save the file with torch.save)");
    if (compressed != size)
        throw Error("'" + path + "': entry '" + entry.name + "' has inconsistent sizes");
    entry.size = size;
    entry.dataOffset = localOffset;  // resolved lazily through the local header
    pos += recordLength;
    return entry;
}

}  // namespace

std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc) {
    static const CrcTables tables;
    const auto& t = tables.t;
    const ByteReader in(data, size);
    std::uint32_t c = ~crc;
    std::size_t i = 0;
    for (; in.has(i, 8); i += 8) {
        // The half that does not depend on the running CRC first, so that its lookups overlap
        // with the previous step's.
        const std::uint32_t hi = in.u32le(i + 4);
        const std::uint32_t upper =
            t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
        const std::uint32_t lo = in.u32le(i) ^ c;
        c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
            upper;
    }
    for (; i < size; ++i)
        c = t[0][(c ^ data[i]) & 0xFF] ^ (c >> 8);
    return ~c;
}

ZipArchive::ZipArchive(ByteSource source) : source_(std::move(source)) {
    const std::string& path = source_.name();
    const Directory location = findDirectory(source_);
    const std::vector<std::uint8_t> bytes = source_.read(location.offset, location.size);
    const ByteReader directory(bytes, [&path](std::uint64_t, std::uint64_t) {
        throw Error("'" + path + "' has a damaged zip directory");
    });
    std::uint64_t pos = 0;
    for (std::uint64_t n = 0; n < location.count; ++n) {
        Entry entry = readCentralEntry(directory, pos, n, path);
        entries_[entry.name] = entry;
    }
}

void ZipArchive::locateData(Entry& entry) {
    const std::string& path = source_.name();
    std::uint8_t bytes[30];
    source_.read(entry.dataOffset, bytes, sizeof bytes);
    const ByteReader header(bytes, sizeof bytes);
    if (header.u32le(0) != kLocalHeader)
        throw Error("'" + path + "' is damaged: entry '" + entry.name + "' has no local header");
    const std::uint64_t start = entry.dataOffset + 30 + header.u16le(26) + header.u16le(28);
    if (!ByteReader::fits(start, entry.size, source_.size()))
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
