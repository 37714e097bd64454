#include "dicom_decoder.h"

// DCMTK's headers define their own configuration macros; they come first.
#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <cstring>
#include <mutex>

#include "byte_reader.h"
#include "dicom_attributes.h"
#include "dicom_file_copy.h"
#include "dicom_fragments.h"
#include "dicom_jpeg2000_codec.h"
#include "dicom_pixel_mapping.h"
#include "dicom_rle_codec.h"
#include "dicom_structure_check.h"
#include "error.h"

namespace medvae {
namespace {

// Decoders are registered once per process; DCMTK's own log output is silenced (its messages
// reach the user through our errors instead). RLE is decoded by DicomRleCodec: DCMTK 3.6.7's
// RLE decoder writes out of bounds on hostile data (found by fuzzing).
void registerCodecs() {
    static std::once_flag once;
    std::call_once(once, [] {
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
    });
}

// The attributes that say how the pixels are stored.
struct PixelFormat {
    Uint16 rows = 0, cols = 0, samples = 1, bitsAllocated = 0, bitsStored = 0, highBit = 0,
           representation = 0, planar = 0;
    Sint32 frames = 1;
    std::size_t pixels() const { return std::size_t(rows) * cols; }
};

// How a stored sample becomes a value: the Bits Stored field ending at High Bit, two's
// complement when Pixel Representation is 1 (bits above High Bit, e.g. overlays, are dropped).
struct StoredValues {
    int shift;  // High Bit + 1 - Bits Stored
    int bits;   // Bits Stored
    bool isSigned;
    double value(std::uint64_t raw) const {
        const std::uint64_t mask = bits >= 64 ? ~0ull : (1ull << bits) - 1;
        raw = (raw >> shift) & mask;
        if (isSigned && (raw >> (bits - 1)) & 1)
            return double(std::int64_t(raw) - std::int64_t(mask) - 1);
        return double(raw);
    }
};

// One frame's samples, interleaved, and the colour model they are in.
struct Frame {
    std::vector<double> values;
    std::string colorModel;
};

// What reading one frame needs.
struct FrameRequest {
    DcmDataset& ds;
    DcmPixelData& pixelData;
    E_TransferSyntax xfer;
    const PixelFormat& format;
    const StoredValues& stored;
    int frame;
    const std::string& photometric;
    const std::string& source;
};

// The dataset of the file `copy`, parsed by DCMTK, whose elements must fit in `dataSize` bytes.
void loadDataset(DcmFileFormat& file, const DicomFileCopy& copy, std::size_t dataSize,
                 const std::string& source) {
    const OFCondition read = file.loadFile(copy.path().c_str(), EXS_Unknown, EGL_noChange, 4096);
    if (read.bad())
        throw Error("'" + source + "' is not a readable DICOM file (" + read.text() + ")");
    // Values we read below are checked against the file's size before DCMTK loads them.
    DicomStructureCheck::checkLoaded(*file.getDataset(), dataSize, source);
}

PixelFormat readPixelFormat(DcmDataset& ds, const std::string& source,
                            const std::string& modality) {
    PixelFormat f;
    if (ds.findAndGetUint16(DCM_Rows, f.rows).bad() ||
        ds.findAndGetUint16(DCM_Columns, f.cols).bad() || f.rows == 0 || f.cols == 0) {
        if (!ds.tagExists(DCM_PixelData))
            throw Error("'" + source + "' is a DICOM file without an image (no pixel data; " +
                        (modality.empty() ? std::string("a report or other non-image object")
                                          : "modality " + modality) +
                        ")");
        throw Error("'" + source + "': DICOM image without valid Rows/Columns");
    }
    ds.findAndGetUint16(DCM_SamplesPerPixel, f.samples);
    ds.findAndGetUint16(DCM_BitsAllocated, f.bitsAllocated);
    if (ds.findAndGetUint16(DCM_BitsStored, f.bitsStored).bad()) f.bitsStored = f.bitsAllocated;
    if (ds.findAndGetUint16(DCM_HighBit, f.highBit).bad())
        f.highBit = Uint16(f.bitsStored ? f.bitsStored - 1 : 0);
    ds.findAndGetUint16(DCM_PixelRepresentation, f.representation);
    ds.findAndGetUint16(DCM_PlanarConfiguration, f.planar);
    if (ds.findAndGetSint32(DCM_NumberOfFrames, f.frames).bad() || f.frames < 1) f.frames = 1;
    return f;
}

// Refuses sample layouts that are not supported.
void checkSampleLayout(const PixelFormat& f, const std::string& source) {
    if (f.samples != 1 && f.samples != 3)
        throw Error("'" + source + "' has " + std::to_string(f.samples) +
                    " samples per pixel; 1 or 3 are supported");
    if (f.bitsAllocated != 1 && f.bitsAllocated != 8 && f.bitsAllocated != 16 &&
        f.bitsAllocated != 32)
        throw Error("'" + source + "' has " + std::to_string(f.bitsAllocated) +
                    " bits allocated per sample; 1, 8, 16 and 32 are supported");
    if (f.bitsStored == 0 || f.bitsStored > f.bitsAllocated || f.highBit >= f.bitsAllocated ||
        f.highBit + 1 < f.bitsStored)
        throw Error("'" + source + "': inconsistent Bits Stored / High Bit (" +
                    std::to_string(f.bitsStored) + "/" + std::to_string(f.highBit) + ")");
}

// Refuses what is not supported or over the caller's limits, before any pixel is decoded.
void checkPixelFormat(DcmDataset& ds, const PixelFormat& f, const std::string& source,
                      const LoadOptions& options) {
    if (ds.tagExists(DCM_FloatPixelData) || ds.tagExists(DCM_DoubleFloatPixelData))
        throw Error("'" + source + "' stores float pixel data, which is not supported");
    if (!ds.tagExists(DCM_PixelData))
        throw Error("'" + source + "' is a DICOM file without pixel data");
    checkSampleLayout(f, source);
    if (std::uint64_t(f.rows) * f.cols > options.maxPixels)
        throw Error("'" + source + "' is " + std::to_string(f.cols) + "x" + std::to_string(f.rows) +
                    " pixels, over the limit of " + std::to_string(options.maxPixels) + " pixels");
    if (options.admit) options.admit(source, f.cols, f.rows);
    if (f.frames > options.maxFrames)
        throw Error("'" + source + "' declares " + std::to_string(f.frames) +
                    " frames, over the limit of " + std::to_string(options.maxFrames));
    if (options.frame < 0 || options.frame >= f.frames)
        throw Error("'" + source + "' has " + std::to_string(f.frames) +
                    (f.frames == 1 ? " frame" : " frames") + "; frame " +
                    std::to_string(options.frame) + " does not exist");
}

// Bit-packed samples (segmentations, masks): frames need not start on a byte boundary.
std::vector<double> bitPackedFrame(const FrameRequest& in) {
    if (DcmXfer(in.xfer).isEncapsulated() || in.format.samples != 1)
        throw Error("'" + in.source + "': compressed or colour 1-bit images are not supported");
    const Uint8* bits = nullptr;
    unsigned long length = 0;
    if (in.ds.findAndGetUint8Array(DCM_PixelData, bits, &length).bad() || !bits)
        throw Error("'" + in.source + "': cannot read its 1-bit pixel data");
    const ByteReader packed(bits, length);
    const std::size_t pixels = in.format.pixels();
    const std::uint64_t first = std::uint64_t(in.frame) * pixels;
    if (!packed.has(0, (first + pixels + 7) / 8))
        throw Error("'" + in.source + "' is truncated: its pixel data holds " +
                    std::to_string(length) + " bytes");
    std::vector<double> values(pixels);
    for (std::size_t p = 0; p < pixels; ++p) {
        const std::uint64_t bit = first + p;
        values[p] = (packed.u8(bit / 8) >> (bit % 8)) & 1;
    }
    return values;
}

// The compressed bytes of the requested frame, for the codecs that are not DCMTK's.
std::vector<std::uint8_t> encapsulatedFrame(const FrameRequest& in, const char* codec) {
    DcmPixelSequence* sequence = nullptr;
    if (in.pixelData.getEncapsulatedRepresentation(in.xfer, nullptr, sequence).bad() || !sequence)
        throw Error("'" + in.source + "': " + codec +
                    " transfer syntax but no compressed pixel data");
    return DicomFragments::frame(*sequence, std::uint32_t(in.frame),
                                 std::uint32_t(in.format.frames), in.source);
}

// DCMTK 3.6.7 walks a JPEG frame's markers to find its bit depth before decoding it, and some
// damaged marker sequences make that walk run for ever (found by fuzzing). The same walk, done
// strictly first: the frame must reach its frame header (SOFn) through well-formed segments.
void checkJpegHeaders(const std::vector<std::uint8_t>& d, const std::string& source) {
    auto fail = [&](const std::string& why) {
        throw Error("'" + source + "': cannot decode its JPEG pixel data (" + why + ")");
    };
    std::size_t at = 0;
    while (at + 4 <= d.size()) {
        if (d[at] != 0xFF) fail("no marker at byte " + std::to_string(at));
        const std::uint8_t m = d[at + 1];
        if (m == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {  // SOI, TEM, RSTn
            at += 2;
            continue;
        }
        if (m == 0xD9 || m == 0xDA) fail("no frame header before its scan");
        if (m < 0xC0) fail("a reserved marker at byte " + std::to_string(at));
        const std::size_t length = (std::size_t(d[at + 2]) << 8) | d[at + 3];
        if (length < 2 || length > 0xFFFD || at + 2 + length > d.size())
            fail("a segment of " + std::to_string(length) + " bytes at byte " + std::to_string(at));
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (length < 8) fail("a frame header of " + std::to_string(length) + " bytes");
            return;  // a frame header
        }
        at += 2 + length;
    }
    fail("no frame header");
}

bool isDcmjpegSyntax(E_TransferSyntax xfer) {
    return xfer >= EXS_JPEGProcess1 && xfer <= EXS_JPEGProcess14SV1;
}

Frame rleFrame(const FrameRequest& in) {
    const PixelFormat& f = in.format;
    Frame frame{DicomRleCodec::decode(encapsulatedFrame(in, "RLE"), f.rows, f.cols, f.samples,
                                      f.bitsAllocated, in.source),
                in.photometric};
    for (double& v : frame.values)
        v = in.stored.value(std::uint64_t(v));  // masking and sign as uncompressed
    return frame;
}

Frame jpeg2000Frame(const FrameRequest& in) {
    const PixelFormat& f = in.format;
    Frame frame{DicomJpeg2000Codec::decode(encapsulatedFrame(in, "JPEG 2000"), f.rows, f.cols,
                                           f.samples, in.source),
                in.photometric};
    // The dataset's Pixel Representation decides signedness, whatever the codestream says.
    if (f.representation == 1) {
        const double range = double(1ull << f.bitsStored), half = range / 2;
        for (double& v : frame.values)
            if (v >= half) v -= range;
    }
    // The codestream's own colour transform has been undone: YBR_ICT/RCT are RGB now.
    if (f.samples == 3) frame.colorModel = "RGB";
    return frame;
}

// Uncompressed 4:2:2 (YBR_FULL_422 stored natively), which DCMTK sizes as if it were full
// resolution: two samples per pixel on average.
bool isNative422(const FrameRequest& in) {
    return in.photometric == "YBR_FULL_422" && !DcmXfer(in.xfer).isEncapsulated();
}

// The size of one frame as stored (uncompressed), checked against what the element holds.
Uint32 nativeFrameBytes(const FrameRequest& in) {
    const PixelFormat& f = in.format;
    const bool native422 = isNative422(in);
    Uint32 frameBytes = 0;
    if (in.pixelData.getUncompressedFrameSize(&in.ds, frameBytes).bad() || frameBytes == 0)
        throw Error("'" + in.source + "': cannot determine the size of a frame");
    if (native422) frameBytes = Uint32(f.pixels() * 2 * (f.bitsAllocated / 8));
    const std::uint64_t expected = std::uint64_t(f.pixels()) * f.samples * (f.bitsAllocated / 8);
    if (frameBytes < expected && !native422)
        throw Error("'" + in.source + "': frame size " + std::to_string(frameBytes) +
                    " is smaller than " + std::to_string(f.rows) + "x" + std::to_string(f.cols) +
                    " pixels need");
    if (!DcmXfer(in.xfer).isEncapsulated()) {
        // Uncompressed: the element must really hold all frames up to the one asked for.
        const std::uint64_t needed = std::uint64_t(frameBytes) * std::uint64_t(in.frame + 1);
        if (in.pixelData.getLength() < needed)
            throw Error("'" + in.source + "' is truncated: its pixel data holds " +
                        std::to_string(in.pixelData.getLength()) + " bytes, " +
                        std::to_string(needed) + " are needed");
    }
    return frameBytes;
}

// One frame as DCMTK gives it (decompressed, host byte order), and the colour model DCMTK's
// decompression turned it into, if any.
std::vector<Uint8> nativeFrameBuffer(const FrameRequest& in, Uint32 frameBytes,
                                     OFString& decompressed) {
    std::vector<Uint8> buffer(frameBytes + (frameBytes & 1));
    if (isNative422(in)) {
        // DCMTK sizes frames as if 4:2:2 were full resolution: copy the frame ourselves.
        const void* data = nullptr;
        if (in.format.bitsAllocated == 8) {
            const Uint8* p8 = nullptr;
            if (in.ds.findAndGetUint8Array(DCM_PixelData, p8).good()) data = p8;
        } else {
            const Uint16* p16 = nullptr;
            if (in.ds.findAndGetUint16Array(DCM_PixelData, p16).good()) data = p16;
        }
        if (!data) throw Error("'" + in.source + "': cannot read its pixel data");
        std::memcpy(
            buffer.data(),
            static_cast<const Uint8*>(data) + std::size_t(frameBytes) * std::size_t(in.frame),
            frameBytes);
    } else {
        Uint32 startFragment = 0;
        const OFCondition ok = in.pixelData.getUncompressedFrame(
            &in.ds, Uint32(in.frame), startFragment, buffer.data(), Uint32(buffer.size()),
            decompressed, nullptr);
        if (ok.bad())
            throw Error("'" + in.source + "': cannot decode its pixel data (" +
                        DcmXfer(in.xfer).getXferName() + "): " + ok.text());
    }
    const DcmXfer xfer(in.xfer);
    // Big-endian 32-bit samples arrive as two host-order 16-bit words, high word first.
    if (in.format.bitsAllocated == 32 && !xfer.isEncapsulated() && xfer.isBigEndian())
        for (std::size_t i = 0; i + 4 <= buffer.size(); i += 4) {
            std::swap(buffer[i], buffer[i + 2]);
            std::swap(buffer[i + 1], buffer[i + 3]);
        }
    return buffer;
}

// Samples that DCMTK reads itself: uncompressed, JPEG and JPEG-LS.
Frame nativeFrame(const FrameRequest& in) {
    const PixelFormat& f = in.format;
    const Uint32 frameBytes = nativeFrameBytes(in);
    if (isDcmjpegSyntax(in.xfer)) checkJpegHeaders(encapsulatedFrame(in, "JPEG"), in.source);
    OFString decompressed;
    const std::vector<Uint8> buffer = nativeFrameBuffer(in, frameBytes, decompressed);
    Frame frame{std::vector<double>(f.pixels() * f.samples),
                decompressed.empty() ? in.photometric : decompressed.c_str()};
    auto sample = [&](std::size_t i) -> double {
        std::uint64_t raw;
        if (f.bitsAllocated == 8) {
            raw = buffer[i];
        } else if (f.bitsAllocated == 16) {
            Uint16 v;
            std::memcpy(&v, buffer.data() + 2 * i, 2);  // DCMTK gives host byte order
            raw = v;
        } else {
            Uint32 v;
            std::memcpy(&v, buffer.data() + 4 * i, 4);
            raw = v;
        }
        return in.stored.value(raw);
    };
    const std::size_t pixels = f.pixels();
    if (isNative422(in) && decompressed.empty() && f.samples == 3) {
        // Uncompressed 4:2:2: Y1 Y2 Cb Cr for each pair of pixels along a row.
        if (f.cols % 2)
            throw Error("'" + in.source + "': YBR_FULL_422 with an odd number of columns");
        if (frameBytes < pixels * 2 * (f.bitsAllocated / 8))
            throw Error("'" + in.source + "': truncated 4:2:2 frame");
        for (std::size_t p = 0; p < pixels; p += 2) {
            const std::size_t base = p * 2;
            const double y1 = sample(base), y2 = sample(base + 1), cb = sample(base + 2),
                         cr = sample(base + 3);
            frame.values[p * 3] = y1;
            frame.values[p * 3 + 1] = cb;
            frame.values[p * 3 + 2] = cr;
            frame.values[(p + 1) * 3] = y2;
            frame.values[(p + 1) * 3 + 1] = cb;
            frame.values[(p + 1) * 3 + 2] = cr;
        }
        frame.colorModel = "YBR_FULL";
        return frame;
    }
    for (std::size_t p = 0; p < pixels; ++p)
        for (int c = 0; c < f.samples; ++c)
            frame.values[p * f.samples + std::size_t(c)] =
                f.planar && f.samples > 1 ? sample(std::size_t(c) * pixels + p)
                                          : sample(p * f.samples + std::size_t(c));
    return frame;
}

// The requested frame's samples, by whichever codec its transfer syntax needs.
Frame readFrame(DcmDataset& ds, const PixelFormat& f, const LoadOptions& options,
                const ImageMetadata& meta) {
    DcmElement* element = nullptr;
    ds.findAndGetElement(DCM_PixelData, element);
    auto* pixelData = dynamic_cast<DcmPixelData*>(element);
    if (!pixelData) throw Error("'" + meta.source + "': damaged pixel data element");
    const E_TransferSyntax xfer = ds.getOriginalXfer();
    const StoredValues stored{f.highBit + 1 - f.bitsStored, f.bitsStored, f.representation == 1};
    const FrameRequest in{ds,         *pixelData, xfer, f, stored, options.frame, meta.photometric,
                          meta.source};
    if (f.bitsAllocated == 1) return {bitPackedFrame(in), meta.photometric};
    if (xfer == EXS_RLELossless) return rleFrame(in);
    if (xfer == EXS_JPEG2000LosslessOnly || xfer == EXS_JPEG2000 ||
        xfer == EXS_JPEG2000MulticomponentLosslessOnly || xfer == EXS_JPEG2000Multicomponent)
        return jpeg2000Frame(in);
    return nativeFrame(in);
}

void readSpacing(DcmDataset& ds, ImageMetadata& meta) {
    double spacing = 0;
    if (DicomAttributes::number(ds, DCM_PixelSpacing, spacing, 0)) {
        meta.pixelSpacing[0] = spacing;
        DicomAttributes::number(ds, DCM_PixelSpacing, meta.pixelSpacing[1], 1);
        meta.spacingKind = "calibrated (Pixel Spacing)";
    } else if (DicomAttributes::number(ds, DCM_ImagerPixelSpacing, spacing, 0)) {
        meta.pixelSpacing[0] = spacing;
        DicomAttributes::number(ds, DCM_ImagerPixelSpacing, meta.pixelSpacing[1], 1);
        meta.spacingKind = "at the detector (Imager Pixel Spacing)";
    }
}

}  // namespace

bool DicomDecoder::looksLikeDicom(const std::vector<std::uint8_t>& bytes) {
    const ByteReader b(bytes);
    if (b.matches(128, "DICM")) return true;
    if (!b.has(0, 8)) return false;
    const unsigned groupLe = b.u16le(0), groupBe = b.u16be(0);
    const bool group =
        groupLe == 0x0002 || groupLe == 0x0008 || groupBe == 0x0002 || groupBe == 0x0008;
    if (!group) return false;
    // Explicit VR: two capital letters; implicit: a plausible 32-bit length.
    const bool vr = b.u8(4) >= 'A' && b.u8(4) <= 'Z' && b.u8(5) >= 'A' && b.u8(5) <= 'Z';
    return vr || b.u32le(4) < 1024;
}

Image DicomDecoder::decode(const std::vector<std::uint8_t>& bytes, const std::string& source,
                           const LoadOptions& options) {
    registerCodecs();
    const std::size_t dataSize = DicomStructureCheck::walk(bytes, options.maxFileBytes, source);
    // DCMTK parses from a file so that values over 4 KB are loaded lazily, when (and if) they
    // are accessed: from a memory buffer it would allocate every declared length at once, and a
    // small hostile file may declare gigabytes that our own walk above did not see the same way.
    // The copy outlives the dataset, which reads from it until it is destroyed.
    const DicomFileCopy copy(bytes, source);
    DcmFileFormat file;
    loadDataset(file, copy, dataSize, source);
    DcmDataset& ds = *file.getDataset();

    Image image;
    ImageMetadata& meta = image.meta;
    meta.source = source;
    meta.format = "DICOM";
    meta.transferSyntax = DcmXfer(ds.getOriginalXfer()).getXferName();
    meta.modality = DicomAttributes::text(ds, DCM_Modality);
    meta.studyDescription = DicomAttributes::text(ds, DCM_StudyDescription);
    meta.seriesDescription = DicomAttributes::text(ds, DCM_SeriesDescription);

    const PixelFormat format = readPixelFormat(ds, source, meta.modality);
    meta.photometric = DicomAttributes::text(ds, DCM_PhotometricInterpretation);
    checkPixelFormat(ds, format, source, options);
    meta.frames = format.frames;
    meta.frame = options.frame;
    meta.bitsAllocated = format.bitsAllocated;
    meta.bitsPerSample = format.bitsStored;
    meta.signedPixels = format.representation == 1;

    const Frame frame = readFrame(ds, format, options, meta);
    image.width = format.cols;
    image.height = format.rows;
    readSpacing(ds, meta);
    DicomPixelMapping::apply(ds, frame.values, format.samples, frame.colorModel, options, image);
    return image;
}

}  // namespace medvae
