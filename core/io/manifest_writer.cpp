#include "manifest_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "error.h"

namespace medvae {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    throw Error(what + " '" + path + "': " + std::strerror(err) +
                (err == ENOSPC ? " (the disk is full)" : ""));
}

// Opens for appending after cutting off a last line that lacks its newline (a record the
// process was killed in the middle of writing). Returns the descriptor and whether it was empty.
int openForAppend(const std::string& path, bool& empty) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fail("cannot open the manifest", path, errno);
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
    empty = keep == 0;
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

}  // namespace

std::string ManifestWriter::csvField(const std::string& value) {
    if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
    std::string q = "\"";
    for (char c : value) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

ManifestWriter::ManifestWriter(const std::string& basePath, const std::vector<std::string>& columns)
    : csvPath_(basePath + ".csv"), jsonlPath_(basePath + ".jsonl") {
    bool csvEmpty = false, jsonEmpty = false;
    csvFd_ = openForAppend(csvPath_, csvEmpty);
    try {
        jsonlFd_ = openForAppend(jsonlPath_, jsonEmpty);
        if (csvEmpty) {
            std::string header;
            for (std::size_t i = 0; i < columns.size(); ++i)
                header += (i ? "," : "") + csvField(columns[i]);
            writeFully(csvFd_, header + "\n", csvPath_);
        }
    } catch (...) {
        ::close(csvFd_);
        if (jsonlFd_ >= 0) ::close(jsonlFd_);
        throw;
    }
}

ManifestWriter::~ManifestWriter() {
    if (csvFd_ >= 0) ::close(csvFd_);
    if (jsonlFd_ >= 0) ::close(jsonlFd_);
}

void ManifestWriter::append(const std::vector<std::string>& fields, const std::string& jsonObject) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i)
        line += (i ? "," : "") + csvField(fields[i]);
    // JSON Lines last: it is what --resume reads, so an item counts as done only once both
    // records are on disk (a kill in between makes it redone, at worst leaving a spare CSV row).
    writeFully(csvFd_, line + "\n", csvPath_);
    writeFully(jsonlFd_, jsonObject + "\n", jsonlPath_);
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
