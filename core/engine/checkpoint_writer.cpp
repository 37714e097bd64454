#include "checkpoint_writer.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "error.h"
#include "zip_archive.h"

namespace medvae {
namespace {

// Just enough of pickle protocol 2 for a checkpoint.
class Pickler {
  public:
    std::string bytes;
    void op(char c) { bytes.push_back(c); }
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i)
            bytes.push_back(char((v >> (8 * i)) & 0xFF));
    }
    void str(const std::string& s) {
        op('X');  // BINUNICODE
        u32(std::uint32_t(s.size()));
        bytes += s;
    }
    void global(const char* module, const char* name) {
        op('c');
        bytes += module;
        bytes += '\n';
        bytes += name;
        bytes += '\n';
    }
    void integer(std::int64_t v) {
        if (v >= 0 && v < 256) {
            op('K');
            bytes.push_back(char(v));
        } else if (v >= INT32_MIN && v <= INT32_MAX) {
            op('J');
            u32(std::uint32_t(std::int32_t(v)));
        } else {
            op('\x8a');  // LONG1, 8 bytes little-endian two's complement
            bytes.push_back(8);
            for (int i = 0; i < 8; ++i)
                bytes.push_back(char((std::uint64_t(v) >> (8 * i)) & 0xFF));
        }
    }
    void intTuple(const std::vector<std::int64_t>& values) {
        op('(');
        for (auto v : values)
            integer(v);
        op('t');
    }
    void emptyOrderedDict() {
        global("collections", "OrderedDict");
        op(')');
        op('R');
    }
};

void put16(std::string& s, std::uint16_t v) {
    s.push_back(char(v & 0xFF));
    s.push_back(char(v >> 8));
}
void put32(std::string& s, std::uint32_t v) {
    put16(s, std::uint16_t(v & 0xFFFF));
    put16(s, std::uint16_t(v >> 16));
}

// {"state_dict": OrderedDict(key -> tensor), metadataKey: {str: str}} in pickle protocol 2, the
// tensors' storages named "0", "1", ... in the order of `stateDict`.
std::string checkpointPickle(const std::vector<std::pair<std::string, RawTensor>>& stateDict,
                             const std::map<std::string, std::string>& metadata,
                             const std::string& metadataKey) {
    Pickler p;
    p.op('\x80');
    p.op(2);
    p.op('}');
    p.op('(');
    p.str("state_dict");
    p.emptyOrderedDict();
    p.op('(');
    int index = 0;
    for (const auto& [key, t] : stateDict) {
        p.str(key);
        p.global("torch._utils", "_rebuild_tensor_v2");
        p.op('(');
        // persistent id ('storage', torch.XStorage, key, 'cpu', numel)
        p.op('(');
        p.str("storage");
        p.global("torch", storageTypeName(t.dtype));
        p.str(std::to_string(index++));
        p.str("cpu");
        p.integer(t.numel());
        p.op('t');
        p.op('Q');  // BINPERSID
        p.integer(0);
        p.intTuple(t.shape);
        std::vector<std::int64_t> strides(t.shape.size());
        std::int64_t s = 1;
        for (std::size_t d = t.shape.size(); d-- > 0;) {
            strides[d] = s;
            s *= t.shape[d];
        }
        p.intTuple(strides);
        p.op('\x89');          // NEWFALSE: requires_grad
        p.emptyOrderedDict();  // backward hooks
        p.op('t');
        p.op('R');
    }
    p.op('u');  // SETITEMS into the OrderedDict
    p.str(metadataKey);
    p.op('}');
    p.op('(');
    for (const auto& [k, v] : metadata) {
        p.str(k);
        p.str(v);
    }
    p.op('u');
    p.op('u');  // SETITEMS into the top-level dict
    p.op('.');
    return p.bytes;
}

struct ZipEntry {
    std::string name;
    const std::uint8_t* data;
    std::uint64_t size;
    std::uint32_t crc;
    std::uint64_t offset;
};

// A stored entry's local header at `pos`, its data padded to 64 bytes as torch.save does.
std::string localHeader(const ZipEntry& e, std::uint64_t pos) {
    std::string header;
    put32(header, 0x04034b50);
    put16(header, 20);    // version needed
    put16(header, 0);     // flags
    put16(header, 0);     // stored
    put16(header, 0);     // time
    put16(header, 0x21);  // date (1980-01-01)
    put32(header, e.crc);
    put32(header, std::uint32_t(e.size));
    put32(header, std::uint32_t(e.size));
    put16(header, std::uint16_t(e.name.size()));
    const std::uint64_t before = pos + 30 + e.name.size() + 4;
    const std::uint16_t pad = std::uint16_t((64 - before % 64) % 64);
    put16(header, std::uint16_t(4 + pad));
    header += e.name;
    put16(header, 0x4246);  // "FB" padding field, as torch.save writes
    put16(header, pad);
    header.append(pad, 'Z');
    return header;
}

// The central directory and its end record, for entries written up to `end`.
std::string centralDirectory(const std::vector<ZipEntry>& entries, std::uint64_t end) {
    std::string central;
    for (const ZipEntry& e : entries) {
        put32(central, 0x02014b50);
        put16(central, 20);
        put16(central, 20);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0x21);
        put32(central, e.crc);
        put32(central, std::uint32_t(e.size));
        put32(central, std::uint32_t(e.size));
        put16(central, std::uint16_t(e.name.size()));
        put16(central, 0);  // extra
        put16(central, 0);  // comment
        put16(central, 0);  // disk
        put16(central, 0);  // internal attributes
        put32(central, 0);  // external attributes
        put32(central, std::uint32_t(e.offset));
        central += e.name;
    }
    std::string record;
    put32(record, 0x06054b50);
    put16(record, 0);
    put16(record, 0);
    put16(record, std::uint16_t(entries.size()));
    put16(record, std::uint16_t(entries.size()));
    put32(record, std::uint32_t(central.size()));
    put32(record, std::uint32_t(end));
    put16(record, 0);
    return central + record;
}

// Writes `entries` as a stored zip to a temporary beside `path` (unique to this process and
// call, removed on any failure) and renames it to `path` when complete.
void writeStoredZip(const std::string& path, std::vector<ZipEntry>& entries) {
    static std::atomic<unsigned> counter{0};
    const std::string temp =
        path + ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    struct Cleanup {
        const std::string& file;
        bool keep = false;
        ~Cleanup() {
            if (!keep) std::remove(file.c_str());
        }
    } cleanup{temp};
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write '" + path + "': cannot create '" + temp + "'");
    std::uint64_t pos = 0;
    for (ZipEntry& e : entries) {
        if (e.size >= 0xFFFFFFFFull || pos >= 0xFFFFFFFFull)
            throw Error("cannot write '" + path + "': checkpoints over 4 GB are not supported");
        e.crc = crc32(e.data, e.size);
        e.offset = pos;
        const std::string header = localHeader(e, pos);
        out.write(header.data(), std::streamsize(header.size()));
        out.write(reinterpret_cast<const char*>(e.data), std::streamsize(e.size));
        pos += header.size() + e.size;
    }
    const std::string directory = centralDirectory(entries, pos);
    out.write(directory.data(), std::streamsize(directory.size()));
    out.close();
    if (!out) throw Error("cannot write '" + path + "' (disk full or not writable?)");
    if (std::rename(temp.c_str(), path.c_str()) != 0)
        throw Error("cannot write '" + path + "': " + std::strerror(errno));
    cleanup.keep = true;
}

}  // namespace

void CheckpointWriter::write(const std::string& path,
                             const std::vector<std::pair<std::string, RawTensor>>& stateDict,
                             const std::map<std::string, std::string>& metadata,
                             const std::string& metadataKey) {
    const std::string pickle = checkpointPickle(stateDict, metadata, metadataKey);
    // Zip entries under "<stem>/", stored, data aligned to 64 bytes as torch.save does.
    const std::string prefix = std::filesystem::path(path).stem().string() + "/";
    std::vector<ZipEntry> entries;
    entries.push_back({prefix + "data.pkl", reinterpret_cast<const std::uint8_t*>(pickle.data()),
                       pickle.size(), 0, 0});
    int index = 0;
    for (const auto& [key, t] : stateDict)
        entries.push_back(
            {prefix + "data/" + std::to_string(index++), t.bytes.data(), t.bytes.size(), 0, 0});
    static const std::string version = "3\n";
    entries.push_back({prefix + "version", reinterpret_cast<const std::uint8_t*>(version.data()),
                       version.size(), 0, 0});
    if (entries.size() >= 0xFFFF)
        throw Error("cannot write '" + path + "': too many tensors for one checkpoint (" +
                    std::to_string(stateDict.size()) + ")");
    writeStoredZip(path, entries);
}

}  // namespace medvae
