#include "output_naming.h"

#include <filesystem>

#include "error.h"
#include "sha256.h"

namespace medvae {
namespace {

// The length of a UTF-8 sequence led by `c` (0 when `c` cannot lead one) and the allowed range
// of its second byte (no overlong forms, no surrogates, at most U+10FFFF).
std::size_t utf8Lead(unsigned char c, unsigned& lo, unsigned& hi) {
    lo = 0x80;
    hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) return 2;
    if (c >= 0xE0 && c <= 0xEF) {
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
        return 4;
    }
    return 0;
}

// Length of the UTF-8 sequence starting at s[i] when it is valid, else 0.
std::size_t utf8SequenceAt(const std::string& s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    if (byte(i) < 0x80) return 1;
    unsigned lo = 0, hi = 0;
    const std::size_t n = utf8Lead(byte(i), lo, hi);
    if (n == 0 || i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

void appendEscaped(std::string& out, unsigned char c) {
    static const char* hex = "0123456789ABCDEF";
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 15];
}

// Cuts an over-long name at a character boundary and appends a digest of the whole name.
std::string shortened(const std::string& name) {
    Sha256 hash;
    hash.update(name.data(), name.size());
    const std::string tag = "~" + hash.hexDigest().substr(0, 16);
    std::size_t cut = OutputNaming::kMaxComponentBytes - tag.size();
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80)
        --cut;  // not inside a multi-byte character
    return name.substr(0, cut) + tag;
}

}  // namespace

bool OutputNaming::isValidUtf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8SequenceAt(text, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string OutputNaming::safeComponent(const std::string& raw) {
    if (raw == ".") return "%2E";
    if (raw == "..") return "%2E%2E";
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size();) {
        const std::size_t n = utf8SequenceAt(raw, i);
        const auto c = static_cast<unsigned char>(raw[i]);
        if (n == 0 || c < 0x20 || c == 0x7F || c == '/' || c == '\\') {
            appendEscaped(out, c);
            ++i;
            continue;
        }
        out.append(raw, i, n);
        i += n;
    }
    return out.size() > kMaxComponentBytes ? shortened(out) : out;
}

std::string OutputNaming::stem(const std::string& inputPath) {
    // Only '/' separates (POSIX); the name's other bytes are escaped by safeComponent.
    const std::size_t slash = inputPath.find_last_of('/');
    const std::string name = slash == std::string::npos ? inputPath : inputPath.substr(slash + 1);
    std::string s = std::filesystem::path(name).stem().string();
    return s.empty() ? std::string("image") : safeComponent(s);
}

std::string OutputNaming::relativeStem(const std::string& relativeDir,
                                       const std::string& fileName) {
    std::string out;
    std::size_t start = 0;
    while (start < relativeDir.size()) {
        std::size_t end = relativeDir.find('/', start);
        if (end == std::string::npos) end = relativeDir.size();
        if (end > start) out += safeComponent(relativeDir.substr(start, end - start)) + "/";
        start = end + 1;
    }
    return out + stem(fileName);
}

void OutputNaming::checkRelative(const std::string& relative) {
    const auto refuse = [&](const std::string& why) {
        throw Error("refusing to write '" + relative + "': " + why +
                    "; results are only written inside the output folder");
    };
    if (relative.empty()) refuse("the name is empty");
    if (relative[0] == '/') refuse("the name is an absolute path");
    if (relative.find('\0') != std::string::npos) refuse("the name holds a NUL byte");
    if (relative.find('\\') != std::string::npos) refuse("the name holds a backslash");
    std::size_t start = 0;
    while (start <= relative.size()) {
        std::size_t end = relative.find('/', start);
        if (end == std::string::npos) end = relative.size();
        const std::string part = relative.substr(start, end - start);
        if (part.empty() || part == "." || part == "..")
            refuse("it has an empty, '.' or '..' component");
        start = end + 1;
    }
}

}  // namespace medvae
