#include "atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "error.h"

namespace medvae {

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
    static std::atomic<unsigned> counter{0};
    const auto slash = path_.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : path_.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    tempPath_ = dir + "." + name + ".partial-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter++);
    fd_ = ::open(tempPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        const int err = errno;
        throw Error("cannot write '" + path_ + "': " + std::strerror(err));
    }
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) {
        ::close(fd_);
        ::unlink(tempPath_.c_str());
    }
}

void AtomicFile::fail(const std::string& what, int err) {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    ::unlink(tempPath_.c_str());
    throw Error("cannot write '" + path_ + "': " + what + ": " + std::strerror(err));
}

void AtomicFile::write(const void* data, std::size_t size) {
    if (fd_ < 0) throw Error("cannot write '" + path_ + "': already closed");
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd_, p, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write failed", errno);
        }
        p += n;
        size -= std::size_t(n);
    }
}

void AtomicFile::commit() {
    if (fd_ < 0) throw Error("cannot write '" + path_ + "': already closed");
    if (::fsync(fd_) != 0) fail("flush failed", errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tempPath_.c_str());
        throw Error("cannot write '" + path_ + "': " + std::strerror(err));
    }
    if (::rename(tempPath_.c_str(), path_.c_str()) != 0) {
        const int err = errno;
        ::unlink(tempPath_.c_str());
        throw Error("cannot write '" + path_ + "': " + std::strerror(err));
    }
}

void AtomicFile::writeAll(const std::string& path, const void* data, std::size_t size) {
    AtomicFile file(path);
    file.write(data, size);
    file.commit();
}

}  // namespace medvae
