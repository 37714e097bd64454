#include "part10_file.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "error.h"

namespace medvae::pacs {
namespace {

std::vector<std::uint8_t> writeFile(DcmFileFormat& file, E_TransferSyntax xfer,
                                    const std::string& what) {
    std::vector<std::uint8_t> bytes;
    std::vector<char> buffer(64 * 1024);
    DcmOutputBufferStream stream(buffer.data(), buffer.size());
    const auto drain = [&] {
        void* data = nullptr;
        offile_off_t length = 0;
        stream.flushBuffer(data, length);
        const auto* begin = static_cast<const std::uint8_t*>(data);
        bytes.insert(bytes.end(), begin, begin + length);
    };
    file.transferInit();
    OFCondition c;
    do {
        c = file.write(stream, xfer, EET_ExplicitLength, nullptr, EGL_recalcGL, EPD_noChange, 0, 0,
                       0, EWM_createNewMeta);
        drain();
    } while (c == EC_StreamNotifyClient);
    file.transferEnd();
    if (c.bad()) throw Error("cannot encode " + what + " as a DICOM file: " + c.text());
    stream.flush();
    drain();
    return bytes;
}

// One File Meta Information element, explicit VR little endian (PS3.10 7.1).
void metaElement(std::vector<std::uint8_t>& out, std::uint16_t element, const char vr[2],
                 std::string value) {
    if (value.size() % 2) value += vr[0] == 'U' ? '\0' : ' ';
    const auto put16 = [&](std::uint32_t v) {
        out.push_back(std::uint8_t(v));
        out.push_back(std::uint8_t(v >> 8));
    };
    put16(0x0002);
    put16(element);
    out.push_back(std::uint8_t(vr[0]));
    out.push_back(std::uint8_t(vr[1]));
    if (vr[0] == 'O') {  // OB: two reserved bytes and a 32-bit length
        put16(0);
        put16(std::uint32_t(value.size()));
        put16(std::uint32_t(value.size()) >> 16);
    } else {
        put16(std::uint32_t(value.size()));
    }
    out.insert(out.end(), value.begin(), value.end());
}

}  // namespace

std::vector<std::uint8_t> Part10File::wrap(const std::vector<std::uint8_t>& dataset,
                                           const std::string& transferSyntaxUid,
                                           const std::string& sopClassUid,
                                           const std::string& sopInstanceUid) {
    std::vector<std::uint8_t> group;
    metaElement(group, 0x0001, "OB", std::string("\0\1", 2));
    metaElement(group, 0x0002, "UI", sopClassUid);
    metaElement(group, 0x0003, "UI", sopInstanceUid);
    metaElement(group, 0x0010, "UI", transferSyntaxUid);
    metaElement(group, 0x0012, "UI", OFFIS_IMPLEMENTATION_CLASS_UID);
    metaElement(group, 0x0013, "SH", OFFIS_DTK_IMPLEMENTATION_VERSION_NAME);
    std::vector<std::uint8_t> bytes(128, 0);
    bytes.insert(bytes.end(), {'D', 'I', 'C', 'M'});
    const std::uint32_t length = std::uint32_t(group.size());
    bytes.insert(bytes.end(), {0x02, 0x00, 0x00, 0x00, 'U', 'L', 0x04, 0x00, std::uint8_t(length),
                               std::uint8_t(length >> 8), std::uint8_t(length >> 16),
                               std::uint8_t(length >> 24)});
    bytes.reserve(bytes.size() + group.size() + dataset.size());
    bytes.insert(bytes.end(), group.begin(), group.end());
    bytes.insert(bytes.end(), dataset.begin(), dataset.end());
    return bytes;
}

std::vector<std::uint8_t> Part10File::encode(DcmDataset* dataset,
                                             const std::string& transferSyntaxUid,
                                             const std::string& what) {
    const DcmXfer xfer(transferSyntaxUid.c_str());
    if (xfer.getXfer() == EXS_Unknown)
        throw Error("cannot store " + what + ": unknown transfer syntax " + transferSyntaxUid);
    // The received dataset was decoded in this transfer syntax; writing it back in the same one
    // keeps its pixel data (compressed or not) as the archive sent it.
    DcmFileFormat file(dataset, OFFalse);
    return writeFile(file, xfer.getXfer(), what);
}

std::vector<std::uint8_t> Part10File::encode(DcmFileFormat& file, const std::string& what) {
    DcmDataset* dataset = file.getDataset();
    dataset->updateOriginalXfer();
    E_TransferSyntax xfer = dataset->getOriginalXfer();
    if (xfer == EXS_Unknown) xfer = EXS_LittleEndianExplicit;
    return writeFile(file, xfer, what);
}

std::unique_ptr<DcmFileFormat> Part10File::decode(const std::vector<std::uint8_t>& bytes,
                                                  const std::string& what) {
    if (bytes.size() < 132 || bytes[128] != 'D' || bytes[129] != 'I' || bytes[130] != 'C' ||
        bytes[131] != 'M')
        throw Error(what + " is not a DICOM file (no 'DICM' after the 128-byte preamble)");
    auto file = std::make_unique<DcmFileFormat>();
    DcmInputBufferStream stream;
    stream.setBuffer(bytes.data(), offile_off_t(bytes.size()));
    stream.setEos();
    file->transferInit();
    const OFCondition c = file->read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
    file->transferEnd();
    stream.releaseBuffer();
    if (c.bad()) throw Error(what + " is not a readable DICOM file: " + c.text());
    return file;
}

}  // namespace medvae::pacs
