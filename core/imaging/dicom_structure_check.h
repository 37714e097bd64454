#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "byte_reader.h"

class DcmItem;

namespace medvae {

// Element lengths of a DICOM file checked against the data, before and after DCMTK parses it.
// DCMTK allocates each element's declared length before reading it, so a tiny file declaring a
// 4 GB element would exhaust memory. walk() goes through the element structure first (meta
// header, dataset, nested sequences and items, iteratively, within depth and count limits) and
// refuses any length that runs past the end of the data; deflated datasets are inflated (within
// a limit) and walked too. Failures throw medvae::Error naming the source and the byte.
class DicomStructureCheck {
  public:
    // Walks a whole file (with or without the "DICM" preamble). Returns the size of the data
    // walked: the file's, or the meta header's plus the inflated dataset's.
    static std::size_t walk(const std::vector<std::uint8_t>& bytes, std::uint64_t inflateLimit,
                            const std::string& source);
    // After DCMTK has parsed the file: every element, in sequences too, must fit in `dataSize`
    // bytes before its value is loaded.
    static void checkLoaded(DcmItem& item, std::size_t dataSize, const std::string& source);

  private:
    // Open containers: sequences (their items hold elements), items, and encapsulated pixel data
    // (its items are raw fragments). `end` is 0 for undefined lengths, closed by a delimiter.
    enum class Kind { Sequence, Item, Fragments };
    struct Container {
        std::size_t end;
        Kind kind;
        bool explicitVr;
    };

    DicomStructureCheck(const std::uint8_t* data, std::size_t size, bool meta, bool explicitVr,
                        bool bigEndian, std::uint64_t inflateLimit, const std::string& source);
    DicomStructureCheck(const DicomStructureCheck&) = delete;  // its reader reports via `this`
    DicomStructureCheck& operator=(const DicomStructureCheck&) = delete;

    std::size_t run(std::size_t pos);
    // At the first element after the meta header: the dataset's encoding, from the transfer
    // syntax. True when the dataset is deflated.
    bool enterDataset();
    std::size_t walkInflated(std::size_t pos);
    std::size_t itemOrDelimiter(std::size_t pos, ByteOrder order, bool explicitVr);
    std::size_t element(std::size_t pos, ByteOrder order, bool explicitVr);
    // The value length of the element at `pos` and its header size (8 or 12 bytes); `vr` is set
    // to its VR when explicit.
    std::uint64_t valueLength(std::size_t pos, ByteOrder order, bool explicitVr, std::string& vr,
                              std::size_t& header);
    std::size_t openUndefined(std::size_t pos, std::uint32_t group, std::uint32_t element,
                              const std::string& vr, bool explicitVr, std::size_t header);
    void open(std::size_t pos, const Container& container);
    [[noreturn]] void fail(std::uint64_t at, const std::string& what) const;
    static void checkLoaded(DcmItem& item, std::size_t dataSize, const std::string& source,
                            int depth);

    ByteReader in_;
    bool meta_;
    bool explicitVr_;
    bool bigEndian_;
    std::uint64_t inflateLimit_;
    const std::string& source_;
    std::vector<Container> open_;
    std::size_t elements_ = 0;
    std::string syntax_;  // the meta header's Transfer Syntax UID
};

}  // namespace medvae
