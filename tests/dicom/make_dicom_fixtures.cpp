// Writes DICOM test fixtures with DCMTK: known pixel arrays in every transfer syntax the loader
// supports, MONOCHROME1/2, RGB/YBR, signed/unsigned, 8/12/16 bits, rescale, VOI windows and
// multi-frame files, each with the pixel values the loader must produce (computed here from
// the arrays and the DICOM rules, not by decoding), plus damaged files. Usage: OUTDIR.

#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmimage/diregist.h>  // colour support for the JPEG encoder
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "npy_file.h"

namespace {

struct Spec {
    std::string name;
    int rows = 29, cols = 37, frames = 1, samples = 1;
    int bitsAllocated = 16, bitsStored = 12, highBit = 11;
    bool isSigned = false;
    std::string photometric = "MONOCHROME2";
    int planar = 0;
    double slope = 1, intercept = 0;
    bool writeRescale = false;
    std::vector<std::pair<double, double>> windows;  // center, width
    std::string voiFunction;
    std::string spacing, imagerSpacing;
    unsigned garbageHighBits = 0;  // set in the unused bits of uncompressed samples
    E_TransferSyntax xfer = EXS_LittleEndianExplicit;
    std::unique_ptr<DcmRepresentationParameter> param;
    double tolerance = 0;  // in output units; 0 = exact
    int frame = 0;         // the frame the expected output describes
    int windowIndex = -1;  // apply the file's window number N
};

// Stored sample values, deterministic and structured: gradients, a disc, a checker corner.
std::int64_t storedValue(const Spec& s, int x, int y, int c, int f) {
    const std::int64_t range = s.isSigned ? (1ll << (s.bitsStored - 1)) : (1ll << s.bitsStored);
    std::int64_t v = (std::int64_t(x) * 97 + std::int64_t(y) * 61 + c * 211 + f * 1237) % range;
    if ((x - 18) * (x - 18) + (y - 14) * (y - 14) < 40) v = range - 1 - v / 3;
    if (x < 4 && y < 4) v = ((x + y) % 2) ? range - 1 : 0;
    // Lossy codecs want smooth content: use a smooth field for those.
    if (s.tolerance > 0)
        v = std::int64_t((0.5 + 0.45 * std::sin(x * 0.21 + c) * std::cos(y * 0.17 + f)) *
                         (range - 1));
    if (s.isSigned) v -= range / 2;
    return v;
}

double windowed(double x, double center, double width) {
    const double c = center - 0.5, w = width - 1.0;
    if (x <= c - w / 2) return 0.0;
    if (x > c + w / 2) return 1.0;
    return (x - c) / w + 0.5;
}

// What the loader must return for spec s: planar float [C, H, W].
std::vector<float> expected(const Spec& s) {
    const std::size_t n = std::size_t(s.rows) * s.cols;
    const bool rgbOut = s.samples == 3;
    std::vector<float> out(n * (rgbOut ? 3 : 1));
    const double storedMin = s.isSigned ? -double(1ll << (s.bitsStored - 1)) : 0.0;
    const double storedMax =
        s.isSigned ? double((1ll << (s.bitsStored - 1)) - 1) : double((1ll << s.bitsStored) - 1);
    const double lo =
        std::min(storedMin * s.slope + s.intercept, storedMax * s.slope + s.intercept);
    const double hi =
        std::max(storedMin * s.slope + s.intercept, storedMax * s.slope + s.intercept);
    for (int y = 0; y < s.rows; ++y)
        for (int x = 0; x < s.cols; ++x) {
            const std::size_t p = std::size_t(y) * s.cols + x;
            if (rgbOut) {
                double v[3];
                for (int c = 0; c < 3; ++c)
                    v[c] = double(storedValue(s, x, y, c, s.frame));
                if (s.photometric == "YBR_FULL") {
                    const double half = double(1 << (s.bitsStored - 1));
                    const double Y = v[0], cb = v[1] - half, cr = v[2] - half;
                    const double top = 2 * half - 1;
                    v[0] = std::clamp(Y + 1.402 * cr, 0.0, top);
                    v[1] = std::clamp(Y - 0.344136 * cb - 0.714136 * cr, 0.0, top);
                    v[2] = std::clamp(Y + 1.772 * cb, 0.0, top);
                }
                for (int c = 0; c < 3; ++c)
                    out[std::size_t(c) * n + p] = float(v[c]);
                continue;
            }
            double v = double(storedValue(s, x, y, 0, s.frame)) * s.slope + s.intercept;
            if (s.windowIndex >= 0) {
                v = windowed(v, s.windows[std::size_t(s.windowIndex)].first,
                             s.windows[std::size_t(s.windowIndex)].second);
                if (s.photometric == "MONOCHROME1") v = 1.0 - v;
            } else if (s.photometric == "MONOCHROME1") {
                v = lo + hi - v;
            }
            out[p] = float(v);
        }
    return out;
}

bool write(Spec& s, const std::string& dir, std::string& manifest) {
    DcmFileFormat file;
    DcmDataset* ds = file.getDataset();
    char uid[100];
    ds->putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
    ds->putAndInsertString(DCM_SOPInstanceUID,
                           dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
    ds->putAndInsertString(DCM_StudyInstanceUID,
                           dcmGenerateUniqueIdentifier(uid, SITE_STUDY_UID_ROOT));
    ds->putAndInsertString(DCM_SeriesInstanceUID,
                           dcmGenerateUniqueIdentifier(uid, SITE_SERIES_UID_ROOT));
    ds->putAndInsertString(DCM_PatientName, "Doe^Jane");  // must never reach any output or message
    ds->putAndInsertString(DCM_PatientID, "SECRET-ID-4711");
    ds->putAndInsertString(DCM_Modality, s.samples == 3 ? "OT" : "CT");
    ds->putAndInsertString(DCM_StudyDescription, "Fixture study");
    ds->putAndInsertString(DCM_SeriesDescription, s.name.c_str());
    ds->putAndInsertUint16(DCM_Rows, Uint16(s.rows));
    ds->putAndInsertUint16(DCM_Columns, Uint16(s.cols));
    ds->putAndInsertUint16(DCM_SamplesPerPixel, Uint16(s.samples));
    ds->putAndInsertString(DCM_PhotometricInterpretation, s.photometric.c_str());
    ds->putAndInsertUint16(DCM_BitsAllocated, Uint16(s.bitsAllocated));
    ds->putAndInsertUint16(DCM_BitsStored, Uint16(s.bitsStored));
    ds->putAndInsertUint16(DCM_HighBit, Uint16(s.highBit));
    ds->putAndInsertUint16(DCM_PixelRepresentation, s.isSigned ? 1 : 0);
    if (s.samples == 3) ds->putAndInsertUint16(DCM_PlanarConfiguration, Uint16(s.planar));
    if (s.frames > 1) ds->putAndInsertString(DCM_NumberOfFrames, std::to_string(s.frames).c_str());
    if (s.writeRescale) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", s.slope);
        ds->putAndInsertString(DCM_RescaleSlope, buf);
        std::snprintf(buf, sizeof buf, "%g", s.intercept);
        ds->putAndInsertString(DCM_RescaleIntercept, buf);
        ds->putAndInsertString(DCM_RescaleType, "HU");
    }
    if (!s.windows.empty()) {
        std::string c, w, e;
        for (std::size_t i = 0; i < s.windows.size(); ++i) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s%g", i ? "\\" : "", s.windows[i].first);
            c += buf;
            std::snprintf(buf, sizeof buf, "%s%g", i ? "\\" : "", s.windows[i].second);
            w += buf;
            e += (i ? "\\WINDOW" : "WINDOW") + std::to_string(i);
        }
        ds->putAndInsertString(DCM_WindowCenter, c.c_str());
        ds->putAndInsertString(DCM_WindowWidth, w.c_str());
        ds->putAndInsertString(DCM_WindowCenterWidthExplanation, e.c_str());
    }
    if (!s.spacing.empty()) ds->putAndInsertString(DCM_PixelSpacing, s.spacing.c_str());
    if (!s.imagerSpacing.empty())
        ds->putAndInsertString(DCM_ImagerPixelSpacing, s.imagerSpacing.c_str());

    const std::size_t n = std::size_t(s.rows) * s.cols;
    const std::size_t count = n * std::size_t(s.samples) * std::size_t(s.frames);
    const unsigned mask = s.bitsStored >= 32 ? 0xFFFFFFFFu : ((1u << s.bitsStored) - 1);
    auto sampleAt = [&](std::size_t i) -> std::uint32_t {
        // Index i in file order: frame, then (planar ? sample, pixel : pixel, sample).
        const std::size_t f = i / (n * s.samples), r = i % (n * s.samples);
        std::size_t p, c;
        if (s.planar) {
            c = r / n;
            p = r % n;
        } else {
            p = r / s.samples;
            c = r % s.samples;
        }
        const std::int64_t v = storedValue(s, int(p % s.cols), int(p / s.cols), int(c), int(f));
        std::uint32_t raw = std::uint32_t(v) & mask;
        raw <<= (s.highBit + 1 - s.bitsStored);
        return raw | s.garbageHighBits;
    };
    if (s.bitsAllocated == 8) {
        std::vector<Uint8> data(count);
        for (std::size_t i = 0; i < count; ++i)
            data[i] = Uint8(sampleAt(i));
        ds->putAndInsertUint8Array(DCM_PixelData, data.data(), static_cast<unsigned long>(count));
    } else {
        std::vector<Uint16> data(count);
        for (std::size_t i = 0; i < count; ++i)
            data[i] = Uint16(sampleAt(i));
        ds->putAndInsertUint16Array(DCM_PixelData, data.data(), static_cast<unsigned long>(count));
    }
    if (s.xfer != EXS_LittleEndianExplicit && s.xfer != EXS_LittleEndianImplicit &&
        s.xfer != EXS_BigEndianExplicit) {
        const OFCondition c = ds->chooseRepresentation(s.xfer, s.param.get());
        if (c.bad() || !ds->canWriteXfer(s.xfer)) {
            std::fprintf(stderr, "%s: cannot encode: %s\n", s.name.c_str(), c.text());
            return false;
        }
    }
    OFString written;  // encoders may change it (RGB JPEG is stored as YBR_FULL_422)
    ds->findAndGetOFString(DCM_PhotometricInterpretation, written);
    const std::string path = dir + "/" + s.name + ".dcm";
    const OFCondition saved = file.saveFile(path.c_str(), s.xfer);
    if (saved.bad()) {
        std::fprintf(stderr, "%s: cannot save: %s\n", s.name.c_str(), saved.text());
        return false;
    }
    const std::vector<float> e = expected(s);
    medvae::NpyFile::write(dir + "/" + s.name + ".expected.npy", e.data(),
                           {s.samples == 3 ? 3 : 1, s.rows, s.cols});
    char line[512];
    std::snprintf(
        line, sizeof line,
        "%s{\"file\": \"%s.dcm\", \"expected\": \"%s.expected.npy\", \"frame\": %d, \"frames\": "
        "%d, "
        "\"window\": %d, \"tolerance\": %g, \"photometric\": \"%s\", \"bits_stored\": %d, "
        "\"spacing\": \"%s\", \"imager_spacing\": \"%s\", \"windows\": %zu}",
        manifest.empty() ? "" : ",\n", s.name.c_str(), s.name.c_str(), s.frame, s.frames,
        s.windowIndex, s.tolerance, written.c_str(), s.bitsStored, s.spacing.c_str(),
        s.imagerSpacing.c_str(), s.windows.size());
    manifest += line;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_dicom_fixtures OUTDIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
    DJEncoderRegistration::registerCodecs();
    DJLSEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();

    std::vector<Spec> specs;
    auto add = [&](const std::string& name, const std::function<void(Spec&)>& setup) {
        Spec s;
        s.name = name;
        setup(s);
        specs.push_back(std::move(s));
    };
    // Uncompressed, three byte orders / VR encodings, 12-bit in 16 with junk in the high bits.
    for (auto [name, xfer] : {std::pair{"mono12_le_explicit", EXS_LittleEndianExplicit},
                              std::pair{"mono12_le_implicit", EXS_LittleEndianImplicit},
                              std::pair{"mono12_be_explicit", EXS_BigEndianExplicit}}) {
        add(name, [xfer = xfer](Spec& s) {
            s.xfer = xfer;
            s.slope = 2;
            s.intercept = -1024;
            s.writeRescale = true;
            s.garbageHighBits = 0xA000;  // overlay-style bits above High Bit: must be masked off
            s.spacing = "0.5\\0.25";
        });
    }
    add("mono16_signed", [](Spec& s) {
        s.bitsStored = 16;
        s.highBit = 15;
        s.isSigned = true;
        s.imagerSpacing = "0.143\\0.143";
    });
    add("mono12_signed_highbit_low", [](Spec& s) {  // signed 12-bit stored in bits 0..11
        s.isSigned = true;
    });
    add("mono12_shifted", [](Spec& s) {  // 12 bits stored in bits 4..15
        s.highBit = 15;
    });
    add("mono8_monochrome1", [](Spec& s) {
        s.bitsAllocated = 8;
        s.bitsStored = 8;
        s.highBit = 7;
        s.photometric = "MONOCHROME1";
    });
    add("mono16_windows", [](Spec& s) {
        s.bitsStored = 16;
        s.highBit = 15;
        s.slope = 1;
        s.intercept = -1000;
        s.writeRescale = true;
        s.windows = {{40, 400}, {-600, 1500}};
        s.windowIndex = 1;
    });
    add("mono12_monochrome1_window", [](Spec& s) {
        s.photometric = "MONOCHROME1";
        s.windows = {{2048, 1024}};
        s.windowIndex = 0;
    });
    add("multiframe", [](Spec& s) {
        s.frames = 3;
        s.frame = 2;
    });
    add("rgb8_interleaved", [](Spec& s) {
        s.samples = 3;
        s.bitsAllocated = s.bitsStored = 8;
        s.highBit = 7;
        s.photometric = "RGB";
    });
    add("rgb8_planar", [](Spec& s) {
        s.samples = 3;
        s.bitsAllocated = s.bitsStored = 8;
        s.highBit = 7;
        s.photometric = "RGB";
        s.planar = 1;
    });
    add("ybr_full", [](Spec& s) {
        s.samples = 3;
        s.bitsAllocated = s.bitsStored = 8;
        s.highBit = 7;
        s.photometric = "YBR_FULL";
    });
    // Compressed.
    add("jpeg_lossless_sv1", [](Spec& s) {
        s.xfer = EXS_JPEGProcess14SV1;
        s.param = std::make_unique<DJ_RPLossless>(1, 0);
        s.slope = 2;
        s.intercept = -1024;
        s.writeRescale = true;
    });
    add("jpeg_lossless_multiframe", [](Spec& s) {
        s.xfer = EXS_JPEGProcess14SV1;
        s.param = std::make_unique<DJ_RPLossless>(1, 0);
        s.frames = 3;
        s.frame = 1;
    });
    add("jpeg_baseline8", [](Spec& s) {
        s.xfer = EXS_JPEGProcess1;
        s.param = std::make_unique<DJ_RPLossy>(95);
        s.bitsAllocated = s.bitsStored = 8;
        s.highBit = 7;
        s.tolerance = 12;
    });
    add("jpeg_extended12", [](Spec& s) {
        s.xfer = EXS_JPEGProcess2_4;
        s.param = std::make_unique<DJ_RPLossy>(95);
        s.tolerance = 300;  // of 4096
    });
    add("jpeg_baseline_rgb", [](Spec& s) {
        s.xfer = EXS_JPEGProcess1;
        s.param = std::make_unique<DJ_RPLossy>(95);
        s.samples = 3;
        s.bitsAllocated = s.bitsStored = 8;
        s.highBit = 7;
        s.photometric = "RGB";
        s.tolerance = 16;
    });
    add("jpegls_lossless16", [](Spec& s) {
        s.xfer = EXS_JPEGLSLossless;
        s.param = std::make_unique<DJLSRepresentationParameter>(0, OFTrue);
        s.bitsStored = 16;
        s.highBit = 15;
    });
    add("jpegls_near2", [](Spec& s) {
        s.xfer = EXS_JPEGLSLossy;
        s.param = std::make_unique<DJLSRepresentationParameter>(2, OFFalse);
        s.tolerance = 2;
    });
    add("rle_signed16", [](Spec& s) {
        s.xfer = EXS_RLELossless;
        s.param = std::make_unique<DcmRLERepresentationParameter>();
        s.bitsStored = 16;
        s.highBit = 15;
        s.isSigned = true;
    });
    add("rle_rgb8", [](Spec& s) {
        s.xfer = EXS_RLELossless;
        s.param = std::make_unique<DcmRLERepresentationParameter>();
        s.samples = 3;
        s.bitsAllocated = s.bitsStored = 8;
        s.highBit = 7;
        s.photometric = "RGB";
    });

    std::string manifest;
    int failures = 0;
    for (Spec& s : specs)
        if (!write(s, dir, manifest)) ++failures;

    // Damaged copies of the first file: cut short, and with absurd dimensions.
    std::ifstream in(dir + "/mono12_le_explicit.dcm", std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(dir + "/bad_truncated.dcm", std::ios::binary)
        .write(bytes.data(), std::streamsize(bytes.size() - 700));
    {
        DcmFileFormat f;
        f.loadFile((dir + "/mono12_le_explicit.dcm").c_str());
        f.getDataset()->putAndInsertUint16(DCM_Rows, 60000);
        f.getDataset()->putAndInsertUint16(DCM_Columns, 60000);
        f.saveFile((dir + "/bad_huge.dcm").c_str(), EXS_LittleEndianExplicit);
        DcmFileFormat g;
        g.loadFile((dir + "/mono12_le_explicit.dcm").c_str());
        g.getDataset()->putAndInsertString(DCM_NumberOfFrames, "2000000");
        g.saveFile((dir + "/bad_frames.dcm").c_str(), EXS_LittleEndianExplicit);
        DcmFileFormat h;
        h.loadFile((dir + "/mono12_le_explicit.dcm").c_str());
        h.getDataset()->findAndDeleteElement(DCM_PixelData);
        h.saveFile((dir + "/bad_no_pixels.dcm").c_str(), EXS_LittleEndianExplicit);
    }
    std::ofstream(dir + "/manifest.json") << "{\"cases\": [\n" << manifest << "\n]}\n";
    std::printf("wrote %zu DICOM fixtures to %s (%d failed)\n", specs.size(), dir.c_str(),
                failures);
    return failures ? 1 : 0;
}
