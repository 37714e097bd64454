#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "error.h"

namespace medvae {

// Thrown when writing would leave the output folder: a name with a ".." or absolute component,
// or a symbolic link (or a folder swapped in while writing) on the way. The item fails; the
// batch goes on.
class OutsideOutputFolder : public Error {
  public:
    explicit OutsideOutputFolder(const std::string& message) : Error(message) {}
};

// The folder a batch writes its results into, and nothing outside it. Every name is checked
// lexically (OutputNaming::checkRelative); folders below the root are opened and created one by
// one without following symbolic links; right before each file's rename, its folder is reached
// again from the root the same way and must be the very folder (device and inode) it was written
// in. Files are written atomically (AtomicFile), replacing a link at the final name rather than
// writing through it. The root itself is taken as given (it may be a link the user chose).
// Thread-safe: const members only use descriptors.
class OutputFolder {
  public:
    // Size and SHA-256 (lower-case hex) of a file's contents.
    struct Digest {
        std::uint64_t size = 0;
        std::string sha256;
    };
    // What is stored under a name: nothing, something that is not a plain file (a folder, a
    // link), or a plain file whose size is known and whose hash was computed when asked for.
    struct Stored {
        enum class Kind { Missing, NotAFile, File } kind = Kind::Missing;
        Digest digest;  // sha256 empty unless computed
    };

    // Creates the folder when missing. Throws medvae::Error when it cannot be created or opened.
    explicit OutputFolder(std::string root);
    ~OutputFolder();
    OutputFolder(const OutputFolder&) = delete;
    OutputFolder& operator=(const OutputFolder&) = delete;

    const std::string& root() const { return root_; }

    // Writes `size` bytes at `relative` ('/'-separated), creating its folders; returns their
    // size and SHA-256 (of the bytes in memory: nothing is read back). Throws OutsideOutputFolder
    // for a name or a link that leads outside, medvae::Error for other failures (disk full, ...).
    Digest write(const std::string& relative, const void* data, std::size_t size) const;
    // Examines `relative` without following links; the file is read (to hash it) only when its
    // size equals `hashIfSize`. Throws OutsideOutputFolder as write() does, medvae::Error when a
    // file cannot be read.
    Stored examine(const std::string& relative, std::uint64_t hashIfSize) const;
    // Removes the temporary files a killed process left for `relative` (".<name>.partial-*").
    void removeStalePartials(const std::string& relative) const;

  private:
    // Opens the folder holding `relative` (creating missing ones when `create`); returns its
    // descriptor (-1 when a folder is missing and not created) and sets `name` to the last part.
    int openParent(const std::string& relative, bool create, std::string& name) const;

    std::string root_;
    int rootFd_ = -1;
};

}  // namespace medvae
