#include "atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "error.h"

namespace medvae {

std::string AtomicFile::temporaryPrefix(const std::string& name) {
    return "." + name + ".partial-";
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
    const auto slash = path_.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : path_.substr(0, slash + 1);
    name_ = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    const int folder = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) {
        const int err = errno;
        throw Error("cannot write '" + path_ + "': " + std::strerror(err));
    }
    try {
        open(folder);
    } catch (...) {
        ::close(folder);
        throw;
    }
    ::close(folder);
}

AtomicFile::AtomicFile(int folderFd, std::string name, std::string displayPath)
    : path_(std::move(displayPath)), name_(std::move(name)) {
    open(folderFd);
}

void AtomicFile::open(int folderFd) {
    static std::atomic<unsigned> counter{0};
    if (name_.empty() || name_.find('/') != std::string::npos)
        throw Error("cannot write '" + path_ + "': not a plain file name");
    folderFd_ = ::fcntl(folderFd, F_DUPFD_CLOEXEC, 0);
    if (folderFd_ < 0) {
        const int err = errno;
        throw Error("cannot write '" + path_ + "': " + std::strerror(err));
    }
    // Exclusive and without following links: a name planted at the temporary path (a link to
    // a file elsewhere) is never written through; a left-over from a reused pid is skipped.
    for (int attempt = 0; attempt < 16 && fd_ < 0; ++attempt) {
        tempName_ =
            temporaryPrefix(name_) + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        fd_ = ::openat(folderFd_, tempName_.c_str(),
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd_ < 0 && errno != EEXIST) break;
    }
    if (fd_ < 0) {
        const int err = errno;
        ::close(folderFd_);
        folderFd_ = -1;
        throw Error("cannot write '" + path_ + "': " + std::strerror(err));
    }
}

AtomicFile::~AtomicFile() {
    discard();
    if (folderFd_ >= 0) ::close(folderFd_);
}

void AtomicFile::discard() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    if (!tempName_.empty() && folderFd_ >= 0) ::unlinkat(folderFd_, tempName_.c_str(), 0);
    tempName_.clear();
}

void AtomicFile::fail(const std::string& what, int err) {
    discard();
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

void AtomicFile::commit(const std::function<void(int folderFd)>& beforeRename) {
    if (fd_ < 0) throw Error("cannot write '" + path_ + "': already closed");
    if (::fsync(fd_) != 0) fail("flush failed", errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close failed", errno);
    if (beforeRename) {
        try {
            beforeRename(folderFd_);
        } catch (...) {
            discard();
            throw;
        }
    }
    // renameat replaces a link at the final name instead of following it.
    if (::renameat(folderFd_, tempName_.c_str(), folderFd_, name_.c_str()) != 0)
        fail("rename failed", errno);
    tempName_.clear();
}

void AtomicFile::writeAll(const std::string& path, const void* data, std::size_t size) {
    AtomicFile file(path);
    file.write(data, size);
    file.commit();
}

}  // namespace medvae
