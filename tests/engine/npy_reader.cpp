#include "npy_reader.h"

#include <ATen/ATen.h>

#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace medvae::test {
namespace {

[[noreturn]] void bad(const std::string& path, const std::string& why) {
    throw std::runtime_error(path + ": " + why);
}

// The value of 'key': ... in the header dictionary, up to the next comma at depth 0.
std::string headerField(const std::string& header, const std::string& key) {
    const std::size_t at = header.find("'" + key + "'");
    if (at == std::string::npos) return {};
    std::size_t start = header.find(':', at);
    if (start == std::string::npos) return {};
    ++start;
    int depth = 0;
    std::size_t end = start;
    for (; end < header.size(); ++end) {
        const char c = header[end];
        if (c == '(') ++depth;
        if (c == ')') --depth;
        if ((c == ',' && depth == 0) || c == '}') break;
    }
    std::string v = header.substr(start, end - start);
    v.erase(0, v.find_first_not_of(" "));
    v.erase(v.find_last_not_of(" ") + 1);
    return v;
}

}  // namespace

at::Tensor readNpy(const std::string& path, std::uint64_t maxBytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) bad(path, "cannot open");
    char magic[8];
    if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) bad(path, "not a .npy file");
    std::uint32_t headerLength = 0;
    if (magic[6] == 1) {
        unsigned char b[2];
        if (!in.read(reinterpret_cast<char*>(b), 2)) bad(path, "truncated header");
        headerLength = b[0] | (b[1] << 8);
    } else {
        unsigned char b[4];
        if (!in.read(reinterpret_cast<char*>(b), 4)) bad(path, "truncated header");
        headerLength = b[0] | (b[1] << 8) | (b[2] << 16) | (std::uint32_t(b[3]) << 24);
    }
    if (headerLength > 65536) bad(path, "header too long");
    std::string header(headerLength, '\0');
    if (!in.read(header.data(), headerLength)) bad(path, "truncated header");
    const std::string descr = headerField(header, "descr");
    if (headerField(header, "fortran_order") != "False") bad(path, "not in C order");
    const std::string shapeText = headerField(header, "shape");
    std::vector<std::int64_t> shape;
    std::int64_t count = 1;
    for (std::size_t i = 0; i < shapeText.size();) {
        if (shapeText[i] >= '0' && shapeText[i] <= '9') {
            std::size_t used = 0;
            const long long n = std::stoll(shapeText.substr(i), &used);
            shape.push_back(n);
            count *= n;
            i += used;
        } else {
            ++i;
        }
    }
    const std::size_t element = descr == "'<f4'" ? 4 : descr == "'<f8'" ? 8 : 0;
    if (!element) bad(path, "dtype " + descr + " is neither <f4 nor <f8");
    if (count < 0 || std::uint64_t(count) * element > maxBytes) bad(path, "too large");
    at::Tensor t = at::empty(shape, element == 4 ? at::kFloat : at::kDouble);
    if (!in.read(static_cast<char*>(t.data_ptr()), std::streamsize(count * std::int64_t(element))))
        bad(path, "truncated data");
    return t.to(at::kFloat);
}

}  // namespace medvae::test
