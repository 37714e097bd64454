#pragma once

#include <cstddef>
#include <string>

namespace medvae {

// Writes a file so that it appears complete or not at all: data goes to a hidden temporary file
// in the same folder, which commit() flushes to disk and renames over the final name. If the
// object is destroyed before commit() (an error, a cancelled job), the temporary file is removed.
// Failures (disk full, permission denied) throw medvae::Error naming the file.
class AtomicFile {
  public:
    explicit AtomicFile(std::string path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(const void* data, std::size_t size);
    void commit();

    // Writes `size` bytes to `path` atomically.
    static void writeAll(const std::string& path, const void* data, std::size_t size);

  private:
    [[noreturn]] void fail(const std::string& what, int err);

    std::string path_;
    std::string tempPath_;
    int fd_ = -1;
};

}  // namespace medvae
