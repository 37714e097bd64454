#include "npy_file.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <set>

#include "atomic_file.h"
#include "byte_reader.h"
#include "error.h"

namespace medvae {
namespace {

float halfToFloat(std::uint16_t h) {
    const std::uint32_t sign = std::uint32_t(h & 0x8000) << 16;
    std::uint32_t exp = (h >> 10) & 0x1F, mant = h & 0x3FF, bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {  // subnormal: renormalise
            exp = 127 - 15 + 1;
            while (!(mant & 0x400)) {
                mant <<= 1;
                --exp;
            }
            bits = sign | (exp << 23) | ((mant & 0x3FF) << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7F800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

// The value starting at `pos` of the header's dict literal: a tuple with its parentheses, a
// quoted string without its quotes, or anything else up to the next ',' or '}'. False when a
// tuple or string is not closed.
bool literalAt(const std::string& header, std::size_t pos, std::string& value) {
    const char open = pos < header.size() ? header[pos] : '\0';
    if (open == '(' || open == '\'' || open == '"') {
        const std::size_t end = header.find(open == '(' ? ')' : open, pos + 1);
        if (end == std::string::npos) return false;
        value =
            open == '(' ? header.substr(pos, end - pos + 1) : header.substr(pos + 1, end - pos - 1);
        return true;
    }
    std::size_t end = pos;
    while (end < header.size() && header[end] != ',' && header[end] != '}')
        ++end;
    value = header.substr(pos, end - pos);
    return true;
}

// Value of `key` in the header's Python dict literal, as raw text.
std::string field(const std::string& header, const std::string& key, const std::string& path) {
    const std::string quoted[] = {"'" + key + "'", "\"" + key + "\""};
    for (const auto& q : quoted) {
        auto pos = header.find(q);
        if (pos == std::string::npos) continue;
        pos = header.find(':', pos + q.size());
        if (pos == std::string::npos) break;
        pos = header.find_first_not_of(' ', pos + 1);
        std::string value;
        if (!literalAt(header, pos == std::string::npos ? header.size() : pos, value)) break;
        return value;
    }
    throw Error("'" + path + "' is not a valid .npy file (header has no '" + key + "')");
}

// Reads the preamble (magic, version, header length) and returns the header's text;
// `dataStart` is where the array data begins.
std::string readHeader(std::ifstream& in, std::uint64_t size, const std::string& path,
                       std::uint64_t& dataStart) {
    std::uint8_t bytes[12] = {};
    in.read(reinterpret_cast<char*>(bytes), 10);
    const ByteReader preamble(bytes, sizeof bytes);
    if (size < 10 || !preamble.matches(0, "\x93NUMPY"))
        throw Error("'" + path + "' is not a .npy file (wrong magic bytes)");
    std::uint64_t headerLen = 0, headerStart = 10;
    const std::uint8_t version = preamble.u8(6);
    if (version == 1) {
        headerLen = preamble.u16le(8);
    } else if (version == 2 || version == 3) {
        in.read(reinterpret_cast<char*>(bytes + 10), 2);
        headerLen = preamble.u32le(8);
        headerStart = 12;
    } else {
        throw Error("'" + path + "': unsupported .npy version " + std::to_string(version));
    }
    if (headerLen > 1 << 20 || headerStart + headerLen > size)
        throw Error("'" + path + "' is truncated or damaged (.npy header does not fit the file)");
    std::string header(headerLen, '\0');
    in.read(header.data(), std::streamsize(headerLen));
    dataStart = headerStart + headerLen;
    return header;
}

// The dimensions of a shape tuple such as "(3, 4)" or "(5,)"; `numel` is their product, kept
// under `maxBytes` elements.
std::vector<std::int64_t> parseShape(const std::string& shapeText, std::uint64_t maxBytes,
                                     const std::string& path, std::uint64_t& numel) {
    std::vector<std::int64_t> shape;
    numel = 1;
    for (std::size_t i = 1; i < shapeText.size();) {
        while (i < shapeText.size() && (shapeText[i] == ' ' || shapeText[i] == ','))
            ++i;
        if (i >= shapeText.size() || shapeText[i] == ')') break;
        std::size_t end = i;
        while (end < shapeText.size() && std::isdigit(static_cast<unsigned char>(shapeText[end])))
            ++end;
        if (end == i) throw Error("'" + path + "': malformed shape " + shapeText);
        if (end - i > 15) throw Error("'" + path + "': array too large (shape " + shapeText + ")");
        const auto d =
            std::int64_t(std::strtoull(shapeText.substr(i, end - i).c_str(), nullptr, 10));
        if (d < 0 || (d > 0 && numel > (maxBytes / std::uint64_t(d))))
            throw Error("'" + path + "': array too large (shape " + shapeText + ")");
        shape.push_back(d);
        numel *= std::uint64_t(d);
        i = end;
    }
    return shape;
}

// A dtype descriptor such as "<f4": byte order, kind and width in bytes.
struct ElementType {
    ByteOrder order = ByteOrder::Little;
    char kind = 'f';
    int width = 4;
};

ElementType parseType(const std::string& descr, const std::string& path) {
    if (descr.size() < 3) throw Error("'" + path + "': unsupported dtype '" + descr + "'");
    const char order = descr[0], kind = descr[1];
    const int width = std::atoi(descr.c_str() + 2);
    static const std::set<std::string> kKnown = {"f2", "f4", "f8", "i1", "i2", "i4",
                                                 "i8", "u1", "u2", "u4", "u8", "b1"};
    const bool known = kKnown.count(kind + std::to_string(width)) != 0;
    if (!known || std::string("<>|=").find(order) == std::string::npos)
        throw Error("'" + path + "': unsupported dtype '" + descr + "' (numeric arrays only)");
    return {order == '>' ? ByteOrder::Big : ByteOrder::Little, kind, width};
}

float elementValue(const ByteReader& raw, std::uint64_t offset, const ElementType& type) {
    if (type.kind == 'f') {
        if (type.width == 2) return halfToFloat(raw.u16(offset, type.order));
        if (type.width == 4) return raw.f32(offset, type.order);
        return float(raw.f64(offset, type.order));
    }
    std::uint64_t u = raw.uint(offset, std::size_t(type.width), type.order);
    if (type.kind == 'i' && type.width < 8 && (u >> (8 * type.width - 1)) & 1)
        u |= ~std::uint64_t(0) << (8 * type.width);
    return type.kind == 'u' || type.kind == 'b' ? float(u) : float(std::int64_t(u));
}

// Fortran order (the first index varies fastest) reordered to C order.
std::vector<float> toCOrder(const std::vector<float>& fortran,
                            const std::vector<std::int64_t>& shape) {
    std::vector<float> c(fortran.size());
    const std::size_t dims = shape.size();
    std::vector<std::int64_t> idx(dims, 0);
    for (std::uint64_t f = 0; f < fortran.size(); ++f) {
        std::uint64_t ci = 0;
        for (std::size_t d = 0; d < dims; ++d)
            ci = ci * std::uint64_t(shape[d]) + std::uint64_t(idx[d]);
        c[ci] = fortran[f];
        for (std::size_t d = 0; d < dims; ++d) {
            if (++idx[d] < shape[d]) break;
            idx[d] = 0;
        }
    }
    return c;
}

}  // namespace

std::vector<std::uint8_t> NpyFile::encode(const float* data,
                                          const std::vector<std::int64_t>& shape) {
    std::string dims;
    std::uint64_t numel = 1;
    for (auto d : shape) {
        dims += std::to_string(d) + ", ";
        numel *= std::uint64_t(d);
    }
    if (shape.size() > 1) dims.resize(dims.size() - 2);
    if (shape.size() == 1) dims.pop_back();  // "(n,)"
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    // magic (6) + version (2) + length (2) + header + '\n' is padded to a multiple of 64.
    const std::size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header.push_back('\n');
    std::vector<std::uint8_t> out;
    out.reserve(total + numel * 4);
    const std::uint8_t magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    out.insert(out.end(), magic, magic + 8);
    out.push_back(std::uint8_t(header.size() & 0xFF));
    out.push_back(std::uint8_t(header.size() >> 8));
    out.insert(out.end(), header.begin(), header.end());
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);
    out.insert(out.end(), bytes, bytes + numel * 4);  // x86/ARM Linux: already little-endian
    return out;
}

void NpyFile::write(const std::string& path, const float* data,
                    const std::vector<std::int64_t>& shape) {
    const auto bytes = encode(data, shape);
    AtomicFile::writeAll(path, bytes.data(), bytes.size());
}

NpyArray NpyFile::read(const std::string& path, std::uint64_t maxBytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open '" + path + "': " + std::strerror(errno));
    in.seekg(0, std::ios::end);
    const std::uint64_t size = std::uint64_t(std::max<std::streamoff>(in.tellg(), 0));
    in.seekg(0);
    std::uint64_t dataStart = 0;
    const std::string header = readHeader(in, size, path, dataStart);

    NpyArray array;
    const std::string descr = field(header, "descr", path);
    const bool fortran = field(header, "fortran_order", path).find("True") != std::string::npos;
    std::uint64_t numel = 1;
    array.shape = parseShape(field(header, "shape", path), maxBytes, path, numel);
    const ElementType type = parseType(descr, path);
    array.storedType = descr;
    const std::uint64_t dataBytes = numel * std::uint64_t(type.width);
    if (dataBytes > maxBytes) throw Error("'" + path + "': array too large");
    if (size - dataStart < dataBytes)
        throw Error("'" + path + "' is truncated: its header promises " +
                    std::to_string(dataBytes) + " bytes of data, the file has " +
                    std::to_string(size - dataStart));
    std::vector<std::uint8_t> bytes(dataBytes);
    in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(dataBytes));
    if (!in) throw Error("read error in '" + path + "'");

    const ByteReader raw(bytes);
    array.data.resize(numel);
    for (std::uint64_t i = 0; i < numel; ++i)
        array.data[i] = elementValue(raw, i * std::uint64_t(type.width), type);
    if (fortran && array.shape.size() > 1) array.data = toCOrder(array.data, array.shape);
    return array;
}

}  // namespace medvae
