#include "dicom_fragments.h"

// DCMTK's headers define their own configuration macros; they come first.
#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

#include <limits>
#include <utility>

#include "byte_reader.h"
#include "error.h"

namespace medvae {
namespace {

// Item i of the sequence (item 0 is the offset table) as its bytes.
ByteReader fragment(DcmPixelSequence& sequence, unsigned long i, const std::string& source) {
    DcmPixelItem* item = nullptr;
    if (sequence.getItem(item, i).bad() || !item)
        throw Error("'" + source + "': damaged compressed pixel data");
    Uint8* data = nullptr;
    if (item->getUint8Array(data).bad() && item->getLength() > 0)
        throw Error("'" + source + "': damaged compressed pixel data");
    return ByteReader(data, item->getLength());
}

// Items [first, last) that hold `frame`, found through the Basic Offset Table: the byte offsets
// of each frame's first fragment, counted from the first fragment's item header.
std::pair<unsigned long, unsigned long> itemsOfFrame(DcmPixelSequence& sequence,
                                                     std::uint32_t frame, std::uint32_t frames,
                                                     const std::string& source) {
    const ByteReader table = fragment(sequence, 0, source);
    if (!table.has(0, 4ull * frames))
        throw Error("'" + source +
                    "': several fragments per frame and no offset table; cannot find frame " +
                    std::to_string(frame));
    const std::uint32_t start = table.u32le(4ull * frame);
    const std::uint32_t end = frame + 1 < frames ? table.u32le(4ull * (frame + 1))
                                                 : std::numeric_limits<std::uint32_t>::max();
    const unsigned long items = sequence.card();
    std::uint64_t position = 0;
    unsigned long first = 0, last = 0;
    for (unsigned long i = 1; i < items; ++i) {
        if (position == start) first = i;
        if (position == end) {
            last = i;
            break;
        }
        position += 8 + fragment(sequence, i, source).size();  // item header + data
    }
    if (first == 0) throw Error("'" + source + "': the offset table does not match the fragments");
    return {first, last == 0 ? items : last};
}

}  // namespace

std::vector<std::uint8_t> DicomFragments::frame(DcmPixelSequence& sequence, std::uint32_t frame,
                                                std::uint32_t frames, const std::string& source) {
    const unsigned long items = sequence.card();
    if (items < 2) throw Error("'" + source + "': the compressed pixel data holds no fragments");
    std::pair<unsigned long, unsigned long> range{1, items};  // [first, last) after the table
    if (frames > 1)
        range = items - 1 == frames ? std::pair<unsigned long, unsigned long>{1 + frame, 2 + frame}
                                    : itemsOfFrame(sequence, frame, frames, source);
    std::vector<std::uint8_t> out;
    for (unsigned long i = range.first; i < range.second; ++i) {
        const ByteReader bytes = fragment(sequence, i, source);
        if (bytes.size()) out.insert(out.end(), bytes.data(), bytes.data() + bytes.size());
    }
    return out;
}

}  // namespace medvae
