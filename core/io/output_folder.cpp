#include "output_folder.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "atomic_file.h"
#include "output_naming.h"
#include "sha256.h"

namespace medvae {
namespace {

// Closes a descriptor when leaving scope.
struct Descriptor {
    int fd = -1;
    explicit Descriptor(int f) : fd(f) {}
    ~Descriptor() {
        if (fd >= 0) ::close(fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
};

std::vector<std::string> splitPath(const std::string& relative) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= relative.size()) {
        std::size_t end = relative.find('/', start);
        if (end == std::string::npos) end = relative.size();
        parts.push_back(relative.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::string linkTarget(int folderFd, const std::string& name) {
    char buf[4096];
    const ssize_t n = ::readlinkat(folderFd, name.c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, std::size_t(n)) : std::string("?");
}

}  // namespace

OutputFolder::OutputFolder(std::string root) : root_(std::move(root)) {
    std::error_code ec;
    std::filesystem::create_directories(root_, ec);
    rootFd_ = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootFd_ < 0) {
        const int err = errno;
        throw Error("cannot create the output folder '" + root_ +
                    "': " + (ec ? ec.message() : std::string(std::strerror(err))));
    }
}

OutputFolder::~OutputFolder() {
    if (rootFd_ >= 0) ::close(rootFd_);
}

int OutputFolder::openParent(const std::string& relative, bool create, std::string& name) const {
    try {
        OutputNaming::checkRelative(relative);
    } catch (const Error& e) {
        throw OutsideOutputFolder(e.what());
    }
    const std::vector<std::string> parts = splitPath(relative);
    int fd = ::fcntl(rootFd_, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        const int err = errno;
        throw Error("cannot open the output folder '" + root_ + "': " + std::strerror(err));
    }
    std::string reached = root_;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        Descriptor current(fd);
        const char* part = parts[i].c_str();
        const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        int next = ::openat(current.fd, part, flags);
        if (next < 0 && errno == ENOENT && create) {
            if (::mkdirat(current.fd, part, 0755) != 0 && errno != EEXIST) {
                const int err = errno;
                throw Error("cannot create the folder '" + reached + "/" + parts[i] +
                            "': " + std::strerror(err));
            }
            next = ::openat(current.fd, part, flags);
        }
        reached += "/" + parts[i];
        if (next < 0) {
            const int err = errno;
            if (err == ENOENT && !create) return -1;
            struct stat st {};
            if (::fstatat(current.fd, part, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
                throw OutsideOutputFolder("refusing to write '" + root_ + "/" + relative + "': '" +
                                          reached + "' is a symbolic link (to '" +
                                          linkTarget(current.fd, part) +
                                          "'); results are only written inside the output "
                                          "folder, never through links");
            throw Error("cannot open the folder '" + reached + "': " + std::strerror(err));
        }
        fd = next;
    }
    name = parts.back();
    return fd;
}

OutputFolder::Digest OutputFolder::write(const std::string& relative, const void* data,
                                         std::size_t size) const {
    std::string name;
    Descriptor folder(openParent(relative, true, name));
    Digest digest;
    Sha256 hash;
    hash.update(data, size);
    digest.sha256 = hash.hexDigest();
    digest.size = size;
    const std::string display = root_ + "/" + relative;
    AtomicFile file(folder.fd, name, display);
    file.write(data, size);
    // The folder may have been moved or swapped for a link since it was opened: it must still be
    // the one reached from the root without links.
    file.commit([&](int writtenIn) {
        std::string again;
        Descriptor now(openParent(relative, false, again));
        struct stat a {
        }, b{};
        if (now.fd < 0 || ::fstat(now.fd, &a) != 0 || ::fstat(writtenIn, &b) != 0 ||
            a.st_dev != b.st_dev || a.st_ino != b.st_ino)
            throw OutsideOutputFolder("refusing to write '" + display +
                                      "': its folder was moved or replaced while it was written");
    });
    return digest;
}

OutputFolder::Stored OutputFolder::examine(const std::string& relative,
                                           std::uint64_t hashIfSize) const {
    Stored stored;
    std::string name;
    Descriptor folder(openParent(relative, false, name));
    if (folder.fd < 0) return stored;
    // Non-blocking so that a FIFO planted at the name cannot stall the open.
    Descriptor file(
        ::openat(folder.fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (file.fd < 0) {
        if (errno == ENOENT) return stored;
        stored.kind = Stored::Kind::NotAFile;  // a link (ELOOP), or unreadable
        return stored;
    }
    struct stat st {};
    if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        stored.kind = Stored::Kind::NotAFile;
        return stored;
    }
    stored.kind = Stored::Kind::File;
    stored.digest.size = std::uint64_t(st.st_size);
    if (stored.digest.size != hashIfSize) return stored;
    Sha256 hash;
    std::vector<char> buffer(1 << 20);
    while (true) {
        const ssize_t n = ::read(file.fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            throw Error("cannot read '" + root_ + "/" + relative + "': " + std::strerror(err));
        }
        if (n == 0) break;
        hash.update(buffer.data(), std::size_t(n));
    }
    stored.digest.sha256 = hash.hexDigest();
    return stored;
}

void OutputFolder::removeStalePartials(const std::string& relative) const {
    std::string name;
    const int parent = openParent(relative, false, name);
    if (parent < 0) return;
    // A folder of its own open file description: openParent's descriptor of the root is a dup
    // sharing one read position with every other, so a listing through it would start where
    // the previous one (maybe on another thread) stopped, and find nothing.
    const int fd = ::openat(parent, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(parent);
    if (fd < 0) return;
    DIR* dir = ::fdopendir(fd);  // takes the descriptor
    if (!dir) {
        ::close(fd);
        return;
    }
    const std::string prefix = AtomicFile::temporaryPrefix(name);
    std::vector<std::string> stale;
    while (const dirent* e = ::readdir(dir))
        if (std::strncmp(e->d_name, prefix.c_str(), prefix.size()) == 0) stale.push_back(e->d_name);
    for (const std::string& s : stale)
        ::unlinkat(::dirfd(dir), s.c_str(), 0);
    ::closedir(dir);
}

}  // namespace medvae
