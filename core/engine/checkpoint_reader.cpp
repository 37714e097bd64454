#include "checkpoint_reader.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "byte_reader.h"
#include "error.h"
#include "json_value.h"
#include "restricted_unpickler.h"
#include "zip_archive.h"

namespace medvae {
namespace {

using Kind = PickleValue::Kind;

bool mulOverflows(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
    return __builtin_mul_overflow(a, b, &out);
}

// The entry of the top-level object that holds the weights, and what to call that layout.
const PickleValue* selectWeights(const PickleValue* root, const std::string& file,
                                 std::string& layout, std::vector<std::string>& others) {
    if (root->kind != Kind::Dict)
        throw Error("'" + file + "' holds " + root->describe() +
                    ", not a dict of weights; is it a MedVAE checkpoint?");
    auto isTensorDict = [](const PickleValue* v) {
        if (!v || v->kind != Kind::Dict) return false;
        for (std::size_t i = 1; i < v->items.size(); i += 2)
            if (v->items[i]->kind == Kind::Tensor) return true;
        return false;
    };
    const PickleValue* weights = nullptr;
    for (const char* name : {"state_dict", "autoencoder", "model", "module"}) {
        const PickleValue* v = root->get(name);
        if (isTensorDict(v)) {
            weights = v;
            layout = name;
            break;
        }
    }
    if (!weights) {
        if (!isTensorDict(root))
            throw Error("'" + file +
                        "' has no weights: expected a state dict, or a dict with a 'state_dict' "
                        "or 'autoencoder' entry holding one");
        layout = "bare";
        return root;
    }
    for (std::size_t i = 0; i + 1 < root->items.size(); i += 2) {
        const PickleValue* k = root->items[i];
        if (root->items[i + 1] == weights) continue;
        others.push_back(k->isString() ? k->text : "(" + k->describe() + ")");
    }
    return weights;
}

// Copies a strided view of `storage` (elements of `elem` bytes) into a dense C-order buffer.
void gather(const std::uint8_t* storage, std::size_t elem, std::int64_t offset,
            const std::vector<std::int64_t>& sizes, const std::vector<std::int64_t>& strides,
            std::uint8_t* out) {
    const std::size_t dims = sizes.size();
    std::int64_t numel = 1;
    for (auto s : sizes)
        numel *= s;
    if (numel == 0) return;
    // Fast path: the innermost dimensions that are contiguous are copied as one block.
    std::size_t inner = dims;
    std::int64_t block = 1;
    while (inner > 0 && strides[inner - 1] == block) {
        block *= sizes[inner - 1];
        --inner;
    }
    std::vector<std::int64_t> index(inner, 0);
    const std::size_t blockBytes = std::size_t(block) * elem;
    for (std::int64_t done = 0; done < numel; done += block) {
        std::int64_t src = offset;
        for (std::size_t d = 0; d < inner; ++d)
            src += index[d] * strides[d];
        std::memcpy(out, storage + std::size_t(src) * elem, blockBytes);
        out += blockBytes;
        for (std::size_t d = inner; d-- > 0;) {
            if (++index[d] < sizes[d]) break;
            index[d] = 0;
        }
    }
}

void swapBytes(std::vector<std::uint8_t>& bytes, std::size_t elem) {
    if (elem == 1) return;
    for (std::size_t i = 0; i + elem <= bytes.size(); i += elem)
        std::reverse(&bytes[i], &bytes[i + elem]);
}

}  // namespace

Checkpoint CheckpointReader::read(const std::string& path, const Limits& limits) {
    return read(ByteSource::fromFile(path), limits);
}

namespace {
// Parsing allocates what the (checked) file asks for; should memory still run out, say so as
// the project's error rather than let std::bad_alloc end the program.
template <typename F>
Checkpoint readGuarded(const std::string& file, F&& read) {
    try {
        return read();
    } catch (const std::bad_alloc&) {
        throw Error("'" + file + "': out of memory while reading the checkpoint");
    } catch (const std::length_error&) {
        throw Error("'" + file + "': out of memory while reading the checkpoint");
    }
}
}  // namespace

Checkpoint CheckpointReader::read(ByteSource source, const Limits& limits) {
    const std::string file = source.name();
    if (source.size() == 0) throw Error("'" + file + "' is empty");
    std::uint8_t start[9] = {};
    const std::uint64_t n = std::min<std::uint64_t>(9, source.size());
    source.read(0, start, n);
    const ByteReader magic(start, std::size_t(n));
    if (magic.matches(0, "PK\x03\x04"))
        return readGuarded(file, [&] { return readTorchZip(std::move(source), limits); });
    if (magic.matches(8, "{"))
        return readGuarded(file, [&] { return readSafetensors(std::move(source), limits); });
    if (magic.matches(0, "\x80") && magic.has(0, 2) && magic.u8(1) <= 5)
        throw Error("'" + file +
                    "' is a checkpoint in PyTorch's legacy (pre-1.6) format, which is not "
                    "supported; load it in Python and save it again with torch.save");
    throw Error("'" + file +
                "' is neither a PyTorch checkpoint (zip) nor a safetensors file (unrecognised "
                "contents; is it truncated or a different kind of file?)");
}

namespace {

using Limits = CheckpointReader::Limits;

// torch.save puts everything under one folder named after the file: <prefix>/data.pkl.
std::string torchSavePrefix(const ZipArchive& zip, const std::string& file) {
    std::string prefix;
    int pickles = 0;
    for (const auto& [name, entry] : zip.entries()) {
        const auto slash = name.find('/');
        if (slash != std::string::npos &&
            name.compare(slash, std::string::npos, "/data.pkl") == 0) {
            prefix = name.substr(0, slash + 1);
            ++pickles;
        }
    }
    if (pickles != 1)
        throw Error("'" + file + "' is a zip file but not a PyTorch checkpoint (" +
                    (pickles ? "several" : "no") + " '<name>/data.pkl' entries)");
    return prefix;
}

// Whether the storages hold big-endian elements (the optional "byteorder" entry).
bool storedBigEndian(ZipArchive& zip, const std::string& prefix, const std::string& file) {
    if (!zip.contains(prefix + "byteorder")) return false;
    const auto order = zip.read(prefix + "byteorder");
    const std::string text(order.begin(), order.end());
    if (text == "big") return true;
    if (text != "little")
        throw Error("'" + file + "': unknown byte order '" + text.substr(0, 16) + "'");
    return false;
}

void addUpTo(std::uint64_t& total, std::uint64_t bytes, const std::string& file,
             const Limits& limits) {
    total += bytes;
    if (total > limits.maxTotalBytes)
        throw Error("'" + file + "': the weights add up to more than " +
                    std::to_string(limits.maxTotalBytes >> 30) + " GiB");
}

// The bytes of the storage `st` (as little-endian elements), after checking its entry's size.
std::vector<std::uint8_t> readStorage(ZipArchive& zip, const std::string& prefix,
                                      const PickleValue* st, bool bigEndian, const std::string& key,
                                      const std::string& file, const Limits& limits,
                                      std::uint64_t& total) {
    const std::size_t elem = dtypeSize(st->dtype);
    const std::string entry = prefix + "data/" + st->text;
    if (!zip.contains(entry))
        throw Error("'" + file + "' is incomplete: storage '" + st->text + "' of weight '" + key +
                    "' is missing");
    // torch.save writes exactly numel * element size bytes; anything else is damage, and
    // checking before reading keeps a small file from making us read a large one often.
    std::uint64_t declared = 0;
    const std::uint64_t stored = zip.entries().at(entry).size;
    if (mulOverflows(std::uint64_t(st->storageNumel), elem, declared) || declared != stored)
        throw Error("'" + file + "': storage '" + st->text + "' holds " + std::to_string(stored) +
                    " bytes but declares " + std::to_string(st->storageNumel) + " elements of " +
                    std::to_string(elem) + " bytes (the file is damaged)");
    addUpTo(total, stored, file, limits);
    std::vector<std::uint8_t> bytes = zip.read(entry);
    if (bigEndian) swapBytes(bytes, elem);
    return bytes;
}

// The bytes of the view `value` describes, after checking that every element it can reach
// lies inside a storage of `storageNumel` elements; `empty` when it has no elements.
std::uint64_t checkedViewBytes(const PickleValue* value, std::uint64_t storageNumel,
                               const std::string& key, const std::string& file,
                               const Limits& limits, bool& empty) {
    const std::size_t elem = dtypeSize(value->storage->dtype);
    std::uint64_t numel = 1, lastIndex = std::uint64_t(value->storageOffset);
    empty = false;
    for (std::size_t d = 0; d < value->sizes.size(); ++d) {
        const std::uint64_t size = std::uint64_t(value->sizes[d]);
        if (size == 0) empty = true;
        std::uint64_t reach = 0;
        if (mulOverflows(numel, size, numel) ||
            (size > 0 && mulOverflows(size - 1, std::uint64_t(value->strides[d]), reach)) ||
            __builtin_add_overflow(lastIndex, reach, &lastIndex))
            throw Error("'" + file + "': weight '" + key + "' has an absurd size");
    }
    std::uint64_t tensorBytes = 0;
    if (mulOverflows(empty ? 0 : numel, elem, tensorBytes) || tensorBytes > limits.maxTensorBytes)
        throw Error("'" + file + "': weight '" + key + "' has an absurd size (" +
                    std::to_string(numel) + " elements)");
    if (!empty && lastIndex >= storageNumel)
        throw Error("'" + file + "': weight '" + key + "' reaches element " +
                    std::to_string(lastIndex) + " of a storage of only " +
                    std::to_string(storageNumel) + " elements (the file is damaged)");
    return tensorBytes;
}

bool isContiguous(const PickleValue* value) {
    std::int64_t expect = 1;
    for (std::size_t d = value->sizes.size(); d-- > 0;) {
        if (value->sizes[d] != 1 && value->strides[d] != expect) return false;
        expect *= value->sizes[d];
    }
    return true;
}

// The tensors of `weights`, each a dense copy of its view (or its whole storage, taken over
// when it is the storage's only remaining viewer).
void readTensors(ZipArchive& zip, const std::string& prefix, bool bigEndian,
                 const PickleValue* weights, const std::string& file, const Limits& limits,
                 Checkpoint& ckpt) {
    // Storages are read once each, even when several tensors view the same one.
    std::map<std::string, std::shared_ptr<std::vector<std::uint8_t>>> storages;
    std::map<std::string, int> viewers;
    for (std::size_t i = 1; i < weights->items.size(); i += 2)
        if (weights->items[i]->kind == Kind::Tensor) ++viewers[weights->items[i]->storage->text];
    std::uint64_t total = 0;
    for (std::size_t i = 0; i + 1 < weights->items.size(); i += 2) {
        const PickleValue* keyValue = weights->items[i];
        const PickleValue* value = weights->items[i + 1];
        if (!keyValue->isString())
            throw Error("'" + file + "': a weight is named by " + keyValue->describe() +
                        ", not a string");
        const std::string& key = keyValue->text;
        if (value->kind != Kind::Tensor)
            throw Error("'" + file + "': weight '" + key + "' is " + value->describe() +
                        "; refusing a checkpoint whose weights are not plain tensors");
        const PickleValue* st = value->storage;
        const std::size_t elem = dtypeSize(st->dtype);
        auto& bytes = storages[st->text];
        if (!bytes)
            bytes = std::make_shared<std::vector<std::uint8_t>>(
                readStorage(zip, prefix, st, bigEndian, key, file, limits, total));
        bool empty = false;
        const std::uint64_t tensorBytes =
            checkedViewBytes(value, bytes->size() / elem, key, file, limits, empty);
        addUpTo(total, tensorBytes, file, limits);

        RawTensor t;
        t.dtype = st->dtype;
        t.shape = value->sizes;
        const bool whole = value->storageOffset == 0 && tensorBytes == bytes->size();
        if (whole && isContiguous(value) && viewers[st->text] == 1 && !empty) {
            t.bytes = std::move(*bytes);  // sole user of this storage: take it without a copy
            bytes->clear();
        } else {
            t.bytes.resize(tensorBytes);
            if (!empty)
                gather(bytes->data(), elem, value->storageOffset, value->sizes, value->strides,
                       t.bytes.data());
        }
        if (!ckpt.tensors.emplace(key, std::move(t)).second)
            throw Error("'" + file + "': weight '" + key + "' appears twice");
        if (--viewers[st->text] == 0) storages.erase(st->text);  // its last tensor is built
    }
}

}  // namespace

Checkpoint CheckpointReader::readTorchZip(ByteSource source, const Limits& limits) {
    const std::string file = source.name();
    ZipArchive zip(std::move(source));
    const std::string prefix = torchSavePrefix(zip, file);
    const auto& pklEntry = zip.entries().at(prefix + "data.pkl");
    if (pklEntry.size > limits.maxPickleBytes)
        throw Error("'" + file + "': its pickle is implausibly large (" +
                    std::to_string(pklEntry.size) + " bytes)");
    const bool bigEndian = storedBigEndian(zip, prefix, file);

    const std::vector<std::uint8_t> pickle = zip.read(prefix + "data.pkl");
    RestrictedUnpickler unpickler(file);
    const PickleValue* root = unpickler.load(pickle.data(), pickle.size());

    Checkpoint ckpt;
    ckpt.format = "PyTorch zip (torch.save)";
    for (const std::string& global : unpickler.globals())
        if (!RestrictedUnpickler::isExpectedGlobal(global))
            ckpt.unexpectedGlobals.push_back(global);
    const PickleValue* weights = selectWeights(root, file, ckpt.layout, ckpt.otherEntries);
    if (const PickleValue* meta = root->get("medvae_studio"); meta && meta->kind == Kind::Dict)
        for (std::size_t i = 0; i + 1 < meta->items.size(); i += 2)
            if (meta->items[i]->isString() && meta->items[i + 1]->isString())
                ckpt.metadata[meta->items[i]->text] = meta->items[i + 1]->text;
    readTensors(zip, prefix, bigEndian, weights, file, limits, ckpt);
    return ckpt;
}

namespace {

// The JSON header of a safetensors file (after its 8-byte little-endian length).
JsonValue safetensorsHeader(ByteSource& source, const CheckpointReader::Limits& limits,
                            std::uint64_t& headerLen) {
    const std::string file = source.name();
    std::uint8_t lengthBytes[8];
    source.read(0, lengthBytes, 8);
    headerLen = ByteReader(lengthBytes, sizeof lengthBytes).u64le(0);
    if (headerLen > limits.maxSafetensorsHeader || headerLen > source.size() - 8)
        throw Error("'" + file + "': safetensors header length " + std::to_string(headerLen) +
                    " is impossible for a file of " + std::to_string(source.size()) + " bytes");
    const auto header = source.read(8, headerLen);
    JsonValue json = JsonValue::parse(std::string(header.begin(), header.end()), file);
    if (!json.isObject()) throw Error("'" + file + "': safetensors header is not a JSON object");
    return json;
}

DType safetensorsDType(const std::string& name, const std::string& key, const std::string& file) {
    static const std::pair<const char*, DType> dtypes[] = {
        {"F32", DType::Float32}, {"F16", DType::Float16}, {"BF16", DType::BFloat16},
        {"F64", DType::Float64}, {"I64", DType::Int64},   {"I32", DType::Int32},
        {"I16", DType::Int16},   {"I8", DType::Int8},     {"U8", DType::UInt8},
        {"BOOL", DType::Bool}};
    for (const auto& [stored, dtype] : dtypes)
        if (name == stored) return dtype;
    throw Error("'" + file + "': '" + key + "' has unsupported dtype " + name);
}

// An entry of the header holds a dtype string, a shape array and two integer data offsets.
bool isWellFormedEntry(const JsonValue& info) {
    const JsonValue* dtype = info.find("dtype");
    const JsonValue* shape = info.find("shape");
    const JsonValue* offsets = info.find("data_offsets");
    return info.isObject() && dtype && dtype->isString() && shape && shape->isArray() && offsets &&
           offsets->isArray() && offsets->array().size() == 2 && offsets->array()[0].isInteger() &&
           offsets->array()[1].isInteger();
}

// The shape array of entry `key` into `t.shape`; returns the element count.
std::uint64_t safetensorsShape(const JsonValue& shape, const std::string& key,
                               const std::string& file, RawTensor& t) {
    std::uint64_t numel = 1;
    for (const JsonValue& d : shape.array()) {
        if (!d.isInteger() || d.integer() < 0 ||
            mulOverflows(numel, std::uint64_t(d.integer()), numel))
            throw Error("'" + file + "': '" + key + "' has an absurd shape");
        t.shape.push_back(d.integer());
    }
    return numel;
}

// One tensor's entry of the header: its dtype and shape go into `t`; returns the byte range
// [begin, begin + bytes) it has in the data section of `dataSize` bytes, checked.
std::pair<std::uint64_t, std::uint64_t> safetensorsEntry(const std::string& key,
                                                         const JsonValue& info,
                                                         std::uint64_t dataSize,
                                                         const CheckpointReader::Limits& limits,
                                                         const std::string& file, RawTensor& t) {
    if (!isWellFormedEntry(info))
        throw Error("'" + file + "': malformed safetensors entry for '" + key + "'");
    t.dtype = safetensorsDType(info.find("dtype")->string(), key, file);
    const std::uint64_t numel = safetensorsShape(*info.find("shape"), key, file, t);
    const auto& offsets = info.find("data_offsets")->array();
    const std::int64_t begin = offsets[0].integer();
    const std::int64_t end = offsets[1].integer();
    std::uint64_t bytes = 0;
    if (mulOverflows(numel, dtypeSize(t.dtype), bytes) || bytes > limits.maxTensorBytes)
        throw Error("'" + file + "': '" + key + "' has an absurd shape");
    if (begin < 0 || end < begin || std::uint64_t(end) > dataSize ||
        std::uint64_t(end - begin) != bytes)
        throw Error("'" + file + "': the data of '" + key +
                    "' lies outside the file or does not match its shape (the file is damaged "
                    "or truncated)");
    return {std::uint64_t(begin), bytes};
}

}  // namespace

Checkpoint CheckpointReader::readSafetensors(ByteSource source, const Limits& limits) {
    const std::string file = source.name();
    std::uint64_t headerLen = 0;
    const JsonValue json = safetensorsHeader(source, limits, headerLen);
    const std::uint64_t dataStart = 8 + headerLen;
    const std::uint64_t dataSize = source.size() - dataStart;

    Checkpoint ckpt;
    ckpt.format = "safetensors";
    ckpt.layout = "bare";
    std::uint64_t total = 0;
    for (const auto& [key, info] : json.members()) {
        if (key == "__metadata__") continue;
        RawTensor t;
        const auto [begin, bytes] = safetensorsEntry(key, info, dataSize, limits, file, t);
        total += bytes;
        if (total > limits.maxTotalBytes)
            throw Error("'" + file + "': the weights are implausibly large");
        t.bytes = source.read(dataStart + begin, bytes);
        ckpt.tensors.emplace(key, std::move(t));
    }
    if (ckpt.tensors.empty()) throw Error("'" + file + "' holds no tensors");
    return ckpt;
}

}  // namespace medvae
