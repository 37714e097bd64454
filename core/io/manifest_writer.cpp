#include "manifest_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "atomic_file.h"
#include "error.h"

namespace medvae {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    throw Error(what + " '" + path + "': " + std::strerror(err) +
                (err == ENOSPC ? " (the disk is full)" : ""));
}

// Opens for appending after cutting off a last line that lacks its newline (a record the
// process was killed in the middle of writing). Returns the descriptor.
int openForAppend(const std::string& path) {
    // Never through a link: a manifest name planted as a link would lead the appends elsewhere.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int e = errno;
        if (e == ELOOP)
            throw Error("cannot open the manifest '" + path +
                        "': it is a symbolic link; remove it (manifests are only written in "
                        "the output folder itself)");
        fail("cannot open the manifest", path, e);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        fail("cannot read the manifest", path, e);
    }
    off_t end = st.st_size;
    // Walk back to the last newline in blocks.
    off_t keep = end;
    if (end > 0) {
        char c = 0;
        if (::pread(fd, &c, 1, end - 1) == 1 && c != '\n') {
            keep = 0;
            char buf[4096];
            off_t pos = end;
            while (pos > 0) {
                const off_t start = pos > off_t(sizeof buf) ? pos - off_t(sizeof buf) : 0;
                const ssize_t n = ::pread(fd, buf, std::size_t(pos - start), start);
                if (n <= 0) break;
                bool found = false;
                for (ssize_t i = n - 1; i >= 0; --i)
                    if (buf[i] == '\n') {
                        keep = start + i + 1;
                        found = true;
                        break;
                    }
                if (found) break;
                pos = start;
            }
            if (::ftruncate(fd, keep) != 0) {
                const int e = errno;
                ::close(fd);
                fail("cannot repair the manifest", path, e);
            }
        }
    }
    if (::lseek(fd, 0, SEEK_END) < 0) {
        const int e = errno;
        ::close(fd);
        fail("cannot open the manifest", path, e);
    }
    return fd;
}

void writeFully(int fd, const std::string& text, const std::string& path) {
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write the manifest", path, errno);
        }
        p += n;
        left -= std::size_t(n);
    }
    if (::fsync(fd) != 0) fail("cannot write the manifest", path, errno);
}

// Moves `i` past a run of decimal digits; false when there is none.
bool skipDigits(const std::string& v, std::size_t& i) {
    const std::size_t from = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9')
        ++i;
    return i > from;
}

// Moves `i` past one of `chars` when v[i] is one.
bool skipOneOf(const std::string& v, std::size_t& i, const std::string& chars) {
    if (i >= v.size() || chars.find(v[i]) == std::string::npos) return false;
    ++i;
    return true;
}

// A decimal number as the manifest writes them: optional minus, digits, optional fraction and
// exponent. Nothing else counts as a number, however a spreadsheet might read it.
bool isPlainNumber(const std::string& v) {
    std::size_t i = 0;
    skipOneOf(v, i, "-");
    if (!skipDigits(v, i)) return false;
    if (skipOneOf(v, i, ".") && !skipDigits(v, i)) return false;
    if (skipOneOf(v, i, "eE")) {
        skipOneOf(v, i, "-+");
        if (!skipDigits(v, i)) return false;
    }
    return i == v.size();
}

}  // namespace

std::string ManifestWriter::csvField(const std::string& value, bool numeric) {
    std::string v = value;
    if (!(numeric && isPlainNumber(v)) && !v.empty() &&
        std::string("=+-@\t\r").find(v[0]) != std::string::npos)
        v.insert(v.begin(), '\'');  // shown as text, never evaluated as a formula
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

std::string ManifestWriter::csvRow(const std::vector<std::string>& cells) const {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i)
        line += (i ? "," : "") + csvField(cells[i], i < columns_.size() && columns_[i].numeric);
    return line + "\n";
}

std::string ManifestWriter::header() const {
    std::string line;
    for (std::size_t i = 0; i < columns_.size(); ++i)
        line += (i ? "," : "") + csvField(columns_[i].name);
    return line + "\n";
}

ManifestWriter::ManifestWriter(const std::string& basePath, std::vector<Column> columns,
                               RowOf rowOf)
    : csvPath_(basePath + ".csv"),
      jsonlPath_(basePath + ".jsonl"),
      columns_(std::move(columns)),
      rowOf_(std::move(rowOf)) {
    jsonlFd_ = openForAppend(jsonlPath_);
    try {
        syncCsv();
        csvFd_ = openForAppend(csvPath_);
    } catch (...) {
        ::close(jsonlFd_);
        throw;
    }
}

ManifestWriter::~ManifestWriter() {
    if (csvFd_ >= 0) ::close(csvFd_);
    if (jsonlFd_ >= 0) ::close(jsonlFd_);
}

void ManifestWriter::syncCsv() {
    // Compare first (the usual case: nothing to do, nothing written), streaming both files.
    bool same = true;
    {
        std::ifstream jsonl(jsonlPath_, std::ios::binary);
        std::ifstream csv(csvPath_, std::ios::binary);
        same = bool(csv);
        std::string buffer;
        const auto expect = [&](const std::string& chunk) {
            if (!same) return;
            buffer.resize(chunk.size());
            csv.read(buffer.data(), std::streamsize(chunk.size()));
            same = std::size_t(csv.gcount()) == chunk.size() && buffer == chunk;
        };
        expect(header());
        std::string line;
        while (same && std::getline(jsonl, line))
            if (const auto row = rowOf_(line)) expect(csvRow(*row));
        if (same) same = csv.peek() == std::char_traits<char>::eof();
    }
    if (same) return;
    AtomicFile file(csvPath_);  // replaces the old file (or a link there) when complete
    std::string chunk = header();
    std::ifstream jsonl(jsonlPath_, std::ios::binary);
    std::string line;
    while (std::getline(jsonl, line)) {
        if (const auto row = rowOf_(line)) chunk += csvRow(*row);
        if (chunk.size() >= (1u << 20)) {
            file.write(chunk.data(), chunk.size());
            chunk.clear();
        }
    }
    file.write(chunk.data(), chunk.size());
    file.commit();
    csvRewritten_ = true;
}

void ManifestWriter::append(const std::string& jsonObject) {
    // The record of truth first; a kill before the CSV row is flushed leaves a row missing,
    // which the next opening derives again.
    writeFully(jsonlFd_, jsonObject + "\n", jsonlPath_);
    if (const auto row = rowOf_(jsonObject)) writeFully(csvFd_, csvRow(*row), csvPath_);
}

std::vector<std::string> ManifestWriter::readLines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path, std::ios::binary);
    if (!in) return lines;
    std::string content((std::istreambuf_iterator<char>(in)), {});
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = content.find('\n', start);
        if (nl == std::string::npos) break;  // an unfinished last line does not count
        if (nl > start) lines.push_back(content.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

}  // namespace medvae
