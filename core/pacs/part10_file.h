#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

class DcmDataset;
class DcmFileFormat;

namespace medvae::pacs {

// DICOM Part 10 files in memory (128-byte preamble, "DICM", File Meta Information, data set):
// what ArchiveClient hands out and takes, whether the archive speaks DIMSE or DICOMweb.
class Part10File {
  public:
    // The dataset as Part 10 bytes in `transferSyntaxUid` (the one it was received in), with a
    // new meta header naming its SOP class and instance. Takes ownership of `dataset`.
    // Throws medvae::Error; `what` names the object in messages (UIDs only).
    static std::vector<std::uint8_t> encode(DcmDataset* dataset,
                                            const std::string& transferSyntaxUid,
                                            const std::string& what);
    // A whole file object (meta header and dataset) as Part 10 bytes, in the dataset's own
    // transfer syntax.
    static std::vector<std::uint8_t> encode(DcmFileFormat& file, const std::string& what);
    // A dataset's bytes as received (encoded in `transferSyntaxUid`, unparsed) behind a new
    // preamble and File Meta Information naming its SOP class and instance: the dataset's
    // bytes stay exactly as the sender encoded them.
    static std::vector<std::uint8_t> wrap(const std::vector<std::uint8_t>& dataset,
                                          const std::string& transferSyntaxUid,
                                          const std::string& sopClassUid,
                                          const std::string& sopInstanceUid);
    // Parses Part 10 bytes; throws medvae::Error naming `what` when they are not DICOM Part 10
    // or are truncated.
    static std::unique_ptr<DcmFileFormat> decode(const std::vector<std::uint8_t>& bytes,
                                                 const std::string& what);
};

}  // namespace medvae::pacs
