#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// A private copy of a DICOM file's bytes on disk ($TMPDIR or /tmp, created with mkstemp),
// removed when the copy goes out of scope. DCMTK loads values over a size threshold lazily
// only when it parses from a file: from memory it would allocate every declared length at once.
class DicomFileCopy {
  public:
    // Throws medvae::Error naming `source` when the copy cannot be written.
    DicomFileCopy(const std::vector<std::uint8_t>& bytes, const std::string& source);
    ~DicomFileCopy();
    DicomFileCopy(const DicomFileCopy&) = delete;
    DicomFileCopy& operator=(const DicomFileCopy&) = delete;

    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

}  // namespace medvae
