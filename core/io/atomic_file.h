#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace medvae {

// Writes a file so that it appears complete or not at all: data goes to a hidden temporary file
// in the same folder, which commit() flushes to disk and renames over the final name. If the
// object is destroyed before commit() (an error, a cancelled job), the temporary file is removed.
// The temporary is created exclusively and never through a symbolic link, and the rename
// replaces whatever is at the final name (a symbolic link there is replaced, not written
// through). Failures (disk full, permission denied) throw medvae::Error naming the file.
class AtomicFile {
  public:
    // In the folder of `path` (reached as given).
    explicit AtomicFile(std::string path);
    // In the folder open as `folderFd` (duplicated: the caller keeps its own), under `name`, a
    // plain file name; `displayPath` names the file in messages.
    AtomicFile(int folderFd, std::string name, std::string displayPath);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(const void* data, std::size_t size);
    // Flushes, then renames over the final name. `beforeRename` runs right before the rename and
    // may throw to refuse it (the temporary is then removed and the exception passed on).
    void commit(const std::function<void(int folderFd)>& beforeRename = {});

    // Writes `size` bytes to `path` atomically.
    static void writeAll(const std::string& path, const void* data, std::size_t size);
    // The prefix of the temporary names of `name` (".<name>.partial-"), for removing those a
    // killed process left.
    static std::string temporaryPrefix(const std::string& name);

  private:
    void open(int folderFd);
    void discard();
    [[noreturn]] void fail(const std::string& what, int err);

    std::string path_;  // for messages
    std::string name_;
    std::string tempName_;
    int folderFd_ = -1;
    int fd_ = -1;
};

}  // namespace medvae
