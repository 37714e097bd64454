#include "part10_file.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>
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

}  // namespace

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
