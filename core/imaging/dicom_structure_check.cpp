#include "dicom_structure_check.h"

// DCMTK's headers define their own configuration macros; they come first.
#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <cstdio>

#include "dicom_deflated_dataset.h"
#include "error.h"

namespace medvae {
namespace {

constexpr std::size_t kMaxDepth = 64, kMaxElements = 1u << 22;

std::string tagText(std::uint32_t group, std::uint32_t element) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "(%04X,%04X)", group & 0xFFFF, element & 0xFFFF);
    return buf;
}

// Value representations whose explicit-VR header has a 4-byte length (PS3.5 7.1.2).
bool hasLongLength(const std::string& vr) {
    return vr == "OB" || vr == "OW" || vr == "OF" || vr == "SQ" || vr == "UT" || vr == "UN" ||
           vr == "OD" || vr == "OL" || vr == "OV" || vr == "UC" || vr == "UR";
}

}  // namespace

std::size_t DicomStructureCheck::walk(const std::vector<std::uint8_t>& bytes,
                                      std::uint64_t inflateLimit, const std::string& source) {
    const ByteReader b(bytes);
    if (b.matches(128, "DICM")) {
        DicomStructureCheck check(bytes.data(), bytes.size(), true, true, false, inflateLimit,
                                  source);
        return check.run(132);
    }
    if (b.has(0, 8)) {
        const auto capital = [&b](std::uint64_t at) { return b.u8(at) >= 'A' && b.u8(at) <= 'Z'; };
        const bool explicitVr = capital(4) && capital(5);
        const bool bigEndian = b.u8(0) == 0 && b.u8(1) != 0;  // group 0x0008 written big-endian
        DicomStructureCheck check(bytes.data(), bytes.size(), false, explicitVr, bigEndian,
                                  inflateLimit, source);
        return check.run(0);
    }
    return bytes.size();
}

DicomStructureCheck::DicomStructureCheck(const std::uint8_t* data, std::size_t size, bool meta,
                                         bool explicitVr, bool bigEndian,
                                         std::uint64_t inflateLimit, const std::string& source)
    : in_(data, size,
          [this](std::uint64_t at, std::uint64_t) { fail(at, "truncated element header"); }),
      meta_(meta),
      explicitVr_(explicitVr),
      bigEndian_(bigEndian),
      inflateLimit_(inflateLimit),
      source_(source) {}

std::size_t DicomStructureCheck::run(std::size_t pos) {
    const std::size_t size = std::size_t(in_.size());
    while (pos < size) {
        while (!open_.empty() && open_.back().end != 0 && pos >= open_.back().end)
            open_.pop_back();
        if (!in_.has(pos, 8)) fail(pos, "truncated element header");
        if (++elements_ > kMaxElements) fail(pos, "too many elements");
        if (meta_ && in_.u16le(pos) != 0x0002 && enterDataset()) return pos + walkInflated(pos);
        const ByteOrder order = !meta_ && bigEndian_ ? ByteOrder::Big : ByteOrder::Little;
        const bool explicitHere = meta_ || (open_.empty() ? explicitVr_ : open_.back().explicitVr);
        pos = in_.u16(pos, order) == 0xFFFE ? itemOrDelimiter(pos, order, explicitHere)
                                            : element(pos, order, explicitHere);
    }
    return size;
}

bool DicomStructureCheck::enterDataset() {
    meta_ = false;
    while (!syntax_.empty() && (syntax_.back() == '\0' || syntax_.back() == ' '))
        syntax_.pop_back();
    if (syntax_ == "1.2.840.10008.1.2") explicitVr_ = false;
    if (syntax_ == "1.2.840.10008.1.2.2") bigEndian_ = true;
    return syntax_ == "1.2.840.10008.1.2.1.99";
}

// A deflated dataset is walked as the explicit VR little endian dataset it inflates to.
std::size_t DicomStructureCheck::walkInflated(std::size_t pos) {
    const std::size_t rest = std::size_t(in_.size()) - pos;
    const std::vector<std::uint8_t> inflated =
        DicomDeflatedDataset::inflate(in_.bytes(pos, rest), rest, inflateLimit_, source_);
    DicomStructureCheck check(inflated.data(), inflated.size(), false, true, false, 0, source_);
    return check.run(0);
}

// Items and delimiters have a 4-byte length whatever the VR encoding.
std::size_t DicomStructureCheck::itemOrDelimiter(std::size_t pos, ByteOrder order,
                                                 bool explicitVr) {
    const std::uint32_t element = in_.u16(pos + 2, order);
    const std::uint64_t length = in_.u32(pos + 4, order);
    if (element == 0xE00D || element == 0xE0DD) {  // delimiters close their container
        if (!open_.empty()) open_.pop_back();
        return pos + 8;
    }
    if (element != 0xE000) fail(pos, "unknown item tag " + tagText(0xFFFE, element));
    const bool fragments = !open_.empty() && open_.back().kind == Kind::Fragments;
    if (length == 0xFFFFFFFFull) {
        if (fragments) fail(pos, "a pixel data fragment of undefined length");
        open(pos, {0, Kind::Item, explicitVr});
        return pos + 8;
    }
    const std::uint64_t remaining = in_.size() - pos - 8;
    if (length > remaining)
        fail(pos, "an item declares " + std::to_string(length) + " bytes, only " +
                      std::to_string(remaining) + " remain");
    if (fragments) return pos + 8 + std::size_t(length);  // raw compressed bytes
    open(pos, {pos + 8 + std::size_t(length), Kind::Item, explicitVr});
    return pos + 8;
}

std::uint64_t DicomStructureCheck::valueLength(std::size_t pos, ByteOrder order, bool explicitVr,
                                               std::string& vr, std::size_t& header) {
    header = 8;
    if (!explicitVr) return in_.u32(pos + 4, order);
    vr = in_.text(pos + 4, 2);
    if (!hasLongLength(vr)) return in_.u16(pos + 6, order);
    if (!in_.has(pos, 12)) fail(pos, "truncated element header");
    header = 12;
    return in_.u32(pos + 8, order);
}

// Undefined length: encapsulated pixel data, a sequence, or (UN) a sequence whose items are
// implicit VR little endian; closed by a delimiter.
std::size_t DicomStructureCheck::openUndefined(std::size_t pos, std::uint32_t group,
                                               std::uint32_t element, const std::string& vr,
                                               bool explicitVr, std::size_t header) {
    const bool pixelData = group == 0x7FE0 && element == 0x0010;
    if (explicitVr && vr != "SQ" && vr != "UN" && !pixelData && vr != "OB" && vr != "OW")
        fail(pos, "undefined length on element " + tagText(group, element));
    open(pos, {0, pixelData ? Kind::Fragments : Kind::Sequence, vr == "UN" ? false : explicitVr});
    return pos + header;
}

std::size_t DicomStructureCheck::element(std::size_t pos, ByteOrder order, bool explicitVr) {
    const std::uint32_t group = in_.u16(pos, order), element = in_.u16(pos + 2, order);
    std::string vr;
    std::size_t header = 8;
    const std::uint64_t length = valueLength(pos, order, explicitVr, vr, header);
    const std::uint64_t remaining = in_.size() - pos - header;
    if (meta_ && group == 0x0002 && element == 0x0010 && length < 128 && length <= remaining)
        syntax_ = in_.text(pos + header, length);
    if (length == 0xFFFFFFFFull) return openUndefined(pos, group, element, vr, explicitVr, header);
    if (length > remaining)
        fail(pos, "element " + tagText(group, element) + " declares " + std::to_string(length) +
                      " bytes, only " + std::to_string(remaining) +
                      " remain; the file is truncated or damaged");
    if (vr == "SQ") {  // a defined-length sequence: walk into its items
        open(pos, {pos + header + std::size_t(length), Kind::Sequence, explicitVr});
        return pos + header;
    }
    return pos + header + std::size_t(length);
}

void DicomStructureCheck::open(std::size_t pos, const Container& container) {
    if (open_.size() >= kMaxDepth) fail(pos, "nested too deeply");
    open_.push_back(container);
}

void DicomStructureCheck::fail(std::uint64_t at, const std::string& what) const {
    throw Error("'" + source_ + "' is not a valid DICOM file (at byte " + std::to_string(at) +
                ": " + what + ")");
}

void DicomStructureCheck::checkLoaded(DcmItem& item, std::size_t dataSize,
                                      const std::string& source) {
    checkLoaded(item, dataSize, source, 0);
}

void DicomStructureCheck::checkLoaded(DcmItem& item, std::size_t dataSize,
                                      const std::string& source, int depth) {
    if (depth > 64) throw Error("'" + source + "': sequences nested too deeply");
    for (unsigned long i = 0; i < item.card(); ++i) {
        DcmElement* element = item.getElement(i);
        if (!element) continue;
        const Uint32 length = element->getLength();
        if (length != DCM_UndefinedLength && length > dataSize)
            throw Error("'" + source + "' is not a valid DICOM file (element " +
                        tagText(element->getGTag(), element->getETag()) + " declares " +
                        std::to_string(length) + " bytes in " + std::to_string(dataSize) +
                        " bytes of data)");
        if (auto* sequence = dynamic_cast<DcmSequenceOfItems*>(element))
            for (unsigned long j = 0; j < sequence->card(); ++j)
                if (DcmItem* nested = sequence->getItem(j))
                    checkLoaded(*nested, dataSize, source, depth + 1);
    }
}

}  // namespace medvae
