// Header probing and EXIF orientation, against what Pillow reports for files Pillow wrote at test
// time, plus hand-made hostile headers. OpenCV's own orientation handling is pinned down too, since
// callers must apply the orientation exactly once.

#include "image_header.h"

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using medvae::applyExifOrientation;
using medvae::ImageHeader;
using i64 = std::int64_t;

namespace {

// Debian's interpreter: it has Pillow 9.4 and numpy, unlike a python3 that may come first on PATH.
const char kPython[] = "/usr/bin/python3";

// Writes the fixtures and manifest.json into argv[1]. For each file the manifest holds what Pillow
// reports (format, size, orientation) and two raw arrays in OpenCV's channel order: ".stored"
// (the pixels as stored, row 0 first) and ".upright" (ImageOps.exif_transpose of those).
const char kFixtureScript[] = R"PY(
import json, os, struct, sys
import numpy as np
from PIL import Image, ImageOps

out = sys.argv[1]
manifest = []
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "TIFF": "TIFF", "BMP": "BMP", "WEBP": "WebP",
           "PPM": "PNM", "JPEG2000": "JPEG 2000"}

def pattern(w=37, h=23):
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([x * 255 // (w - 1), y * 255 // (h - 1), (x + y) * 4 % 256], -1)
    rgb = rgb.astype(np.uint8)
    rgb[0:4, 0:6] = (255, 0, 255)  # a non-square marker in the stored top-left corner
    return rgb

def exif_bytes(o, little=False):
    e = Image.Exif()
    if little:
        e.endian = "<"
    e[0x0112] = o
    return e.tobytes()

def opencv_order(a):
    if a.ndim == 3 and a.shape[2] in (3, 4):
        a = np.concatenate([a[..., 2::-1], a[..., 3:]], axis=2)
    return np.ascontiguousarray(a)

def record(name, stored=None, exact=True, decode=True):
    path = os.path.join(out, name)
    with Image.open(path) as im:
        entry = {"file": name, "format": FORMATS[im.format], "width": im.size[0],
                 "height": im.size[1], "orientation": int(im.getexif().get(0x0112, 1)),
                 "exact": exact, "decode": decode}
        if im.format == "TIFF":
            # Pillow 9.4 orients TIFFs while loading (and exif_transpose would then orient them
            # a second time), so the stored pixels are the array that was saved. load() comes
            # first: np.asarray would take the shape from before loading.
            im.load()
            loaded = np.asarray(im)
        else:
            loaded = np.asarray(ImageOps.exif_transpose(im))
            stored = np.asarray(im)
    src = Image.fromarray(stored)
    src.info["exif"] = exif_bytes(entry["orientation"])
    up = np.asarray(ImageOps.exif_transpose(src))
    if not np.array_equal(up, loaded):
        sys.exit("Pillow disagrees with itself on " + name)
    entry["rows"], entry["cols"] = up.shape[:2]
    entry["channels"] = 1 if up.ndim == 2 else up.shape[2]
    entry["dtype"] = up.dtype.str
    opencv_order(stored).tofile(path + ".stored")
    opencv_order(up).tofile(path + ".upright")
    manifest.append(entry)

rgb = pattern()
for o in range(1, 9):
    img = Image.fromarray(rgb)
    ex = exif_bytes(o, little=o % 2 == 1)  # both EXIF byte orders
    img.save(os.path.join(out, "o%d.jpg" % o), quality=95, subsampling=0, exif=ex)
    record("o%d.jpg" % o, exact=False)
    img.save(os.path.join(out, "o%d.png" % o), exif=ex)
    record("o%d.png" % o)
    img.save(os.path.join(out, "o%d.tif" % o), exif=ex)
    record("o%d.tif" % o, rgb)
    img.save(os.path.join(out, "o%d.webp" % o), lossless=True, exif=ex)
    record("o%d.webp" % o)
img.save(os.path.join(out, "progressive.jpg"), progressive=True, exif=exif_bytes(8, True))
record("progressive.jpg", exact=False)

g16 = (np.arange(23 * 37).reshape(23, 37) * 61 + 7).astype(np.uint16)
g16[0:4, 0:6] = 65535
Image.fromarray(g16).save(os.path.join(out, "gray16.png"), exif=exif_bytes(6))
record("gray16.png")
Image.fromarray(g16).save(os.path.join(out, "gray16.tif"), exif=exif_bytes(5))
record("gray16.tif", g16)
f32 = g16.astype(np.float32) / 3.5 - 1000.25
Image.fromarray(f32).save(os.path.join(out, "float32.tif"), exif=exif_bytes(7))
record("float32.tif", f32)
g8 = rgb[..., 0].copy()
Image.fromarray(g8).save(os.path.join(out, "gray8.tif"), exif=exif_bytes(8))
record("gray8.tif", g8)
alpha = (np.arange(23 * 37).reshape(23, 37) % 251).astype(np.uint8)
Image.fromarray(np.dstack([rgb, alpha])).save(os.path.join(out, "rgba.png"), exif=exif_bytes(3))
record("rgba.png")

Image.fromarray(rgb).save(os.path.join(out, "bottomup.bmp"))
record("bottomup.bmp")
# Pillow writes bottom-up BMPs only: a top-down one (negative height) is written by hand.
stride = (37 * 3 + 3) & ~3
pixels = b"".join(rgb[r, :, ::-1].tobytes().ljust(stride, b"\0") for r in range(23))
info = struct.pack("<IiiHHIIiiII", 40, 37, -23, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
with open(os.path.join(out, "topdown.bmp"), "wb") as f:
    f.write(b"BM" + struct.pack("<IHHI", 14 + 40 + len(pixels), 0, 0, 54) + info + pixels)
record("topdown.bmp")

Image.fromarray(g8).save(os.path.join(out, "gray.pgm"))
record("gray.pgm")
Image.fromarray(g16.astype(np.int32)).save(os.path.join(out, "gray16.pgm"))
record("gray16.pgm")
Image.fromarray(rgb).save(os.path.join(out, "rgb.ppm"))
record("rgb.ppm")
with open(os.path.join(out, "comments.ppm"), "wb") as f:
    f.write(b"P6\n# made by hand\n37 # width\n#height next\n 23\n255\n" + rgb.tobytes())
record("comments.ppm")

Image.fromarray(rgb).save(os.path.join(out, "lossy.webp"), quality=90)
record("lossy.webp", exact=False)
Image.fromarray(rgb).save(os.path.join(out, "lossless.webp"), lossless=True)
record("lossless.webp")
Image.fromarray(rgb).save(os.path.join(out, "image.jp2"))
record("image.jp2")
Image.fromarray(rgb).save(os.path.join(out, "image.j2k"))
record("image.j2k")

# DICOM: preamble, "DICM", then one explicit-VR element (Rows). Pillow cannot read it.
with open(os.path.join(out, "image.dcm"), "wb") as f:
    f.write(b"\0" * 128 + b"DICM" + struct.pack("<HH2sHH", 0x0028, 0x0010, b"US", 2, 23))
manifest.append({"file": "image.dcm", "format": "DICOM", "width": -1, "height": -1,
                 "orientation": 1, "exact": True, "decode": False})

with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
)PY";

using Bytes = std::vector<std::uint8_t>;

struct Fixture {
    QString file;
    QString format;
    std::int64_t width = -1;
    std::int64_t height = -1;
    int orientation = 1;
    bool exact = true;
    bool decode = false;
    int rows = 0;
    int cols = 0;
    int channels = 0;
    QString dtype;
};

Bytes readBytes(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    const QByteArray data = f.readAll();
    return Bytes(data.begin(), data.end());
}

ImageHeader probe(const Bytes& bytes) {
    return ImageHeader::probe(bytes);
}

// Byte builders for the hand-made headers.
void put8(Bytes& b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v));
}
void put16(Bytes& b, std::uint32_t v, bool be) {
    if (be) {
        put8(b, v >> 8);
        put8(b, v);
    } else {
        put8(b, v);
        put8(b, v >> 8);
    }
}
void put32(Bytes& b, std::uint32_t v, bool be) {
    if (be) {
        put16(b, v >> 16, true);
        put16(b, v & 0xFFFF, true);
    } else {
        put16(b, v & 0xFFFF, false);
        put16(b, v >> 16, false);
    }
}
void putStr(Bytes& b, const char* s, std::size_t n) {
    b.insert(b.end(), s, s + n);
}
void putStr(Bytes& b, const std::string& s) {
    putStr(b, s.data(), s.size());
}
void putBytes(Bytes& b, const Bytes& more) {
    b.insert(b.end(), more.begin(), more.end());
}

struct IfdEntry {
    std::uint32_t tag;
    std::uint32_t type;  // 3 SHORT, 4 LONG, 2 ASCII
    std::uint32_t count;
    std::uint32_t value;  // inline value (first slot) or an offset when it does not fit
};

// Appends one IFD (entry count, entries, next-IFD offset) at the end of `tiff`.
void putIfd(Bytes& tiff, bool be, const std::vector<IfdEntry>& entries, std::uint32_t next) {
    put16(tiff, static_cast<std::uint32_t>(entries.size()), be);
    for (const IfdEntry& e : entries) {
        put16(tiff, e.tag, be);
        put16(tiff, e.type, be);
        put32(tiff, e.count, be);
        const bool inlineShort = e.type == 3 && e.count <= 2;
        if (inlineShort) {
            put16(tiff, e.value, be);
            put16(tiff, 0, be);
        } else {
            put32(tiff, e.value, be);
        }
    }
    put32(tiff, next, be);
}

// A TIFF header whose IFD0 follows it at offset 8.
Bytes tiffWith(bool be, const std::vector<IfdEntry>& entries, std::uint32_t next = 0) {
    Bytes t;
    putStr(t, be ? "MM\0*" : "II*\0", 4);
    put32(t, 8, be);
    putIfd(t, be, entries, next);
    return t;
}

void putSegment(Bytes& jpeg, std::uint32_t marker, const Bytes& payload) {
    put8(jpeg, 0xFF);
    put8(jpeg, marker);
    put16(jpeg, static_cast<std::uint32_t>(payload.size() + 2), true);
    putBytes(jpeg, payload);
}

Bytes sofPayload(std::uint32_t width, std::uint32_t height) {
    Bytes p;
    put8(p, 8);
    put16(p, height, true);
    put16(p, width, true);
    put8(p, 1);  // one component: id, sampling, table
    put8(p, 1);
    put8(p, 0x11);
    put8(p, 0);
    return p;
}

// SOI, an EXIF APP1 holding `tiff`, SOF0 and EOI.
Bytes jpegWithExif(const Bytes& tiff, std::uint32_t width = 40, std::uint32_t height = 30) {
    Bytes j = {0xFF, 0xD8};
    Bytes app1;
    putStr(app1, "Exif\0\0", 6);
    putBytes(app1, tiff);
    putSegment(j, 0xE1, app1);
    putSegment(j, 0xC0, sofPayload(width, height));
    putBytes(j, {0xFF, 0xD9});
    return j;
}

void putPngChunk(Bytes& png, const char* type, const Bytes& data) {
    put32(png, static_cast<std::uint32_t>(data.size()), true);
    putStr(png, type, 4);
    putBytes(png, data);
    put32(png, 0, true);  // the CRC is not the probe's business
}

Bytes pngHeader(std::uint32_t width, std::uint32_t height) {
    Bytes png;
    putStr(png, "\x89PNG\r\n\x1a\n", 8);
    Bytes ihdr;
    put32(ihdr, width, true);
    put32(ihdr, height, true);
    putBytes(ihdr, {8, 2, 0, 0, 0});
    putPngChunk(png, "IHDR", ihdr);
    return png;
}

void putRiffChunk(Bytes& riff, const char* type, const Bytes& data) {
    putStr(riff, type, 4);
    put32(riff, static_cast<std::uint32_t>(data.size()), false);
    putBytes(riff, data);
    if (data.size() % 2) put8(riff, 0);
}

// The RIFF container around the chunks, with a consistent size field.
Bytes webpFrom(const Bytes& chunks) {
    Bytes w;
    putStr(w, "RIFF", 4);
    put32(w, static_cast<std::uint32_t>(chunks.size() + 4), false);
    putStr(w, "WEBP", 4);
    putBytes(w, chunks);
    return w;
}

Bytes vp8xPayload(std::uint32_t width, std::uint32_t height, std::uint8_t flags = 0) {
    Bytes p = {flags, 0, 0, 0};
    for (std::uint32_t v : {width - 1, height - 1}) {
        put8(p, v);
        put8(p, v >> 8);
        put8(p, v >> 16);
    }
    return p;
}

// Largest absolute difference over all samples, or -1 when the shapes differ.
double maxAbsDiff(const cv::Mat& a, const cv::Mat& b) {
    if (a.rows != b.rows || a.cols != b.cols || a.channels() != b.channels()) return -1;
    cv::Mat da;
    cv::Mat db;
    a.convertTo(da, CV_64F);
    b.convertTo(db, CV_64F);
    return cv::norm(da.reshape(1), db.reshape(1), cv::NORM_INF);
}

QString shape(const cv::Mat& m) {
    return QString("%1x%2x%3").arg(m.rows).arg(m.cols).arg(m.channels());
}

bool sane(const ImageHeader& h) {
    static const std::vector<std::string> formats = {"",     "PNG", "JPEG",      "TIFF", "BMP",
                                                     "WebP", "PNM", "JPEG 2000", "DICOM"};
    bool known = false;
    for (const auto& f : formats) {
        known = known || h.format == f;
    }
    return known && (h.width == -1 || h.width > 0) && (h.height == -1 || h.height > 0) &&
           h.exifOrientation >= 1 && h.exifOrientation <= 8;
}

// The source pixel of output (r, c) for a W x H input, straight from the EXIF definitions.
void sourceOf(int orientation, int r, int c, int w, int h, int& sr, int& sc) {
    switch (orientation) {
        case 2:
            sr = r;
            sc = w - 1 - c;
            break;
        case 3:
            sr = h - 1 - r;
            sc = w - 1 - c;
            break;
        case 4:
            sr = h - 1 - r;
            sc = c;
            break;
        case 5:
            sr = c;
            sc = r;
            break;
        case 6:
            sr = h - 1 - c;
            sc = r;
            break;
        case 7:
            sr = h - 1 - c;
            sc = w - 1 - r;
            break;
        case 8:
            sr = c;
            sc = w - 1 - r;
            break;
        default:
            sr = r;
            sc = c;
            break;
    }
}

}  // namespace

class TestImageHeader : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    std::vector<Fixture> fixtures_;

    QString path(const QString& file) const { return dir_.filePath(file); }

    const Fixture& fixture(const QString& file) const {
        for (const Fixture& f : fixtures_) {
            if (f.file == file) return f;
        }
        qFatal("no fixture %s", qPrintable(file));
    }

    cv::Mat rawArray(const Fixture& f, const char* suffix) const {
        int depth = -1;
        if (f.dtype == "|u1") depth = CV_8U;
        if (f.dtype == "<u2") depth = CV_16U;
        if (f.dtype == "<i4") depth = CV_32S;
        if (f.dtype == "<f4") depth = CV_32F;
        if (depth < 0) qFatal("unexpected dtype %s", qPrintable(f.dtype));
        cv::Mat m(f.rows, f.cols, CV_MAKETYPE(depth, f.channels));
        const Bytes data = readBytes(path(f.file + suffix));
        if (data.size() != m.total() * m.elemSize()) qFatal("bad size of %s", qPrintable(f.file));
        std::memcpy(m.data, data.data(), data.size());
        return m;
    }

    // The stored array laid out like the upright one before orientation (shape swapped for 5..8).
    cv::Mat storedArray(const Fixture& f) const {
        Fixture s = f;
        if (f.orientation >= 5 && f.orientation <= 8) std::swap(s.rows, s.cols);
        return rawArray(s, ".stored");
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QFile script(path("make_fixtures.py"));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(kFixtureScript);
        script.close();
        QProcess py;
        py.setProcessChannelMode(QProcess::MergedChannels);
        py.start(kPython, {"-I", "-B", script.fileName(), dir_.path()});
        QVERIFY2(py.waitForFinished(180000), "fixture generation did not finish");
        QVERIFY2(py.exitStatus() == QProcess::NormalExit && py.exitCode() == 0,
                 py.readAll().constData());

        QFile manifest(path("manifest.json"));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        for (const auto& v : QJsonDocument::fromJson(manifest.readAll()).array()) {
            const QJsonObject o = v.toObject();
            Fixture f;
            f.file = o["file"].toString();
            f.format = o["format"].toString();
            f.width = o["width"].toInteger();
            f.height = o["height"].toInteger();
            f.orientation = o["orientation"].toInt();
            f.exact = o["exact"].toBool();
            f.decode = o["decode"].toBool();
            f.rows = o["rows"].toInt();
            f.cols = o["cols"].toInt();
            f.channels = o["channels"].toInt();
            f.dtype = o["dtype"].toString();
            fixtures_.push_back(f);
        }
        QCOMPARE(fixtures_.size(), std::size_t(49));
    }

    void probeMatchesPillow_data() {
        QTest::addColumn<QString>("file");
        for (const Fixture& f : fixtures_) {
            QTest::newRow(qPrintable(f.file)) << f.file;
        }
    }
    void probeMatchesPillow() {
        QFETCH(QString, file);
        const Fixture& f = fixture(file);
        const ImageHeader h = probe(readBytes(path(file)));
        QCOMPARE(QString::fromStdString(h.format), f.format);
        QCOMPARE(h.width, f.width);
        QCOMPARE(h.height, f.height);
        QCOMPARE(h.exifOrientation, f.orientation);
    }

    // The fixtures exercise each WebP chunk form and JPEG SOF variant they are meant to.
    void fixturesCoverTheChunkForms() {
        const auto at = [this](const char* file, std::size_t offset, const char* text) {
            const Bytes b = readBytes(path(file));
            const std::size_t n = std::strlen(text);
            return b.size() >= offset + n && std::memcmp(b.data() + offset, text, n) == 0;
        };
        QVERIFY(at("lossy.webp", 12, "VP8 "));
        QVERIFY(at("lossless.webp", 12, "VP8L"));
        QVERIFY(at("o6.webp", 12, "VP8X"));
        QVERIFY(at("o6.png", 37, "eXIf"));
        QVERIFY(at("o1.jpg", 30, "II*"));  // little-endian EXIF after JFIF and "Exif\0\0"
        QVERIFY(at("o2.jpg", 30, "MM\0*"));
        const Bytes progressive = readBytes(path("progressive.jpg"));
        const Bytes sof2 = {0xFF, 0xC2};
        QVERIFY(std::search(progressive.begin(), progressive.end(), sof2.begin(), sof2.end()) !=
                progressive.end());
    }

    // What OpenCV 4.6 itself does with the orientation, which decides how callers may use probe's:
    // IMREAD_UNCHANGED | IMREAD_IGNORE_ORIENTATION is just IMREAD_UNCHANGED (-1), with which
    // imread never orients; with other flags it orients JPEG and PNG (eXIf) but never WebP; and
    // its TIFF decoder orients whatever the flags, so a TIFF must not be oriented again.
    void opencvOwnOrientationHandling() {
        QCOMPARE(int(cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION),
                 int(cv::IMREAD_UNCHANGED));
        struct Case {
            const char* file;
            int flags;
            int rows;  // 23 as stored, 37 once oriented (orientation 6)
        };
        const int color = cv::IMREAD_COLOR;
        const int ignore = cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION;
        const int any = cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR;
        const Case cases[] = {
            {"o6.jpg", cv::IMREAD_UNCHANGED, 23},
            {"o6.jpg", color, 37},
            {"o6.jpg", ignore, 23},
            {"o6.png", cv::IMREAD_UNCHANGED, 23},
            {"o6.png", color, 37},
            {"o6.png", ignore, 23},
            {"o6.png", any, 37},
            {"o6.webp", cv::IMREAD_UNCHANGED, 23},
            {"o6.webp", color, 23},
            {"o6.tif", cv::IMREAD_UNCHANGED, 37},
            {"o6.tif", color, 37},
            {"o6.tif", ignore, 37},
        };
        for (const Case& c : cases) {
            const cv::Mat m = cv::imread(path(c.file).toStdString(), c.flags);
            QVERIFY2(m.rows == c.rows, qPrintable(QString("%1 flags %2: %3 rows, expected %4")
                                                      .arg(c.file)
                                                      .arg(c.flags)
                                                      .arg(m.rows)
                                                      .arg(c.rows)));
        }
    }

    void orientationMatchesPillow_data() {
        QTest::addColumn<QString>("file");
        for (const Fixture& f : fixtures_) {
            if (f.decode) QTest::newRow(qPrintable(f.file)) << f.file;
        }
    }
    void orientationMatchesPillow() {
        QFETCH(QString, file);
        const Fixture& f = fixture(file);
        const ImageHeader h = probe(readBytes(path(file)));
        const cv::Mat upright = rawArray(f, ".upright");
        const cv::Mat stored = storedArray(f);
        // Pillow and OpenCV share Debian's libjpeg-turbo and libwebp and today decode lossy files
        // identically; a little slack keeps the check about geometry, not decoder versions.
        const double tolerance = f.exact ? 0.0 : 3.0;
        const cv::Mat decoded = cv::imread(path(file).toStdString(),
                                           cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
        QVERIFY(!decoded.empty());

        // Our orientation of the stored pixels is Pillow's exif_transpose, for any format.
        const cv::Mat oriented = applyExifOrientation(stored, h.exifOrientation);
        QCOMPARE(maxAbsDiff(oriented, upright), 0.0);

        if (f.format == "TIFF") {
            // OpenCV's TIFF decoder has already oriented the image.
            const double d = maxAbsDiff(decoded, upright);
            QVERIFY2(d == 0.0, qPrintable(shape(decoded) + " vs " + shape(upright)));
            return;
        }
        const double asStored = maxAbsDiff(decoded, stored);
        QVERIFY2(asStored >= 0 && asStored <= tolerance,
                 qPrintable(QString("decoded %1 vs stored %2: %3")
                                .arg(shape(decoded), shape(stored))
                                .arg(asStored)));
        const double d = maxAbsDiff(applyExifOrientation(decoded, h.exifOrientation), upright);
        QVERIFY2(d >= 0 && d <= tolerance, qPrintable(QString("max difference %1").arg(d)));
        // The marker keeps its colour wherever orientation puts it: an independent check of where.
        if (f.channels == 3 && f.dtype == "|u1") {
            int r = 0;
            int c = 0;
            const int w = stored.cols;
            const int hgt = stored.rows;
            // The upright pixel showing stored (0, 0): invert sourceOf by search.
            for (int y = 0; y < upright.rows; ++y) {
                for (int x = 0; x < upright.cols; ++x) {
                    int sr = 0;
                    int sc = 0;
                    sourceOf(h.exifOrientation, y, x, w, hgt, sr, sc);
                    if (sr == 0 && sc == 0) r = y, c = x;
                }
            }
            const cv::Mat up = applyExifOrientation(decoded, h.exifOrientation);
            const cv::Vec3b px = up.at<cv::Vec3b>(r, c);
            QVERIFY2(px[0] > 200 && px[1] < 60 && px[2] > 200, "the marker is not where expected");
        }
    }

    void applyExifOrientationAnyType_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("orientation");
        const int types[] = {CV_8UC1,    CV_8UC3,    CV_8UC4,   CV_16UC1, CV_16SC3,
                             CV_32SC2,   CV_32FC1,   CV_64FC3,  CV_64FC4, CV_8UC(5),
                             CV_16UC(7), CV_32FC(5), CV_64FC(9)};
        for (int type : types) {
            for (int o = 0; o <= 9; ++o) {
                QTest::addRow("%s o%d", cv::typeToString(type).c_str(), o) << type << o;
            }
        }
    }
    void applyExifOrientationAnyType() {
        QFETCH(int, type);
        QFETCH(int, orientation);
        const int w = 7;
        const int h = 4;
        cv::Mat in(h, w, type);
        std::mt19937 rng(static_cast<unsigned>(type * 31 + orientation));
        for (std::size_t i = 0; i < in.total() * in.elemSize(); ++i) {
            in.data[i] = static_cast<std::uint8_t>(rng());
        }
        const cv::Mat before = in.clone();
        const cv::Mat out = applyExifOrientation(in, orientation);
        QCOMPARE(out.type(), type);
        const bool swapped = orientation >= 5 && orientation <= 8;
        QCOMPARE(out.rows, swapped ? w : h);
        QCOMPARE(out.cols, swapped ? h : w);
        QVERIFY(out.data != in.data);
        const std::size_t esz = in.elemSize();
        for (int r = 0; r < out.rows; ++r) {
            for (int c = 0; c < out.cols; ++c) {
                int sr = 0;
                int sc = 0;
                sourceOf(orientation, r, c, w, h, sr, sc);
                QVERIFY(std::memcmp(out.ptr(r, c), in.ptr(sr, sc), esz) == 0);
            }
        }
        QVERIFY(std::memcmp(in.data, before.data, in.total() * esz) == 0);  // input untouched
    }

    void applyExifOrientationEdgeCases() {
        QVERIFY(applyExifOrientation(cv::Mat(), 6).empty());
        // A view into a larger matrix (not continuous) is oriented by its own pixels only.
        cv::Mat big(10, 12, CV_16UC1);
        for (int r = 0; r < big.rows; ++r) {
            for (int c = 0; c < big.cols; ++c)
                big.at<std::uint16_t>(r, c) = r * 100 + c;
        }
        const cv::Mat view = big(cv::Rect(2, 3, 5, 4));
        QVERIFY(!view.isContinuous());
        const cv::Mat out = applyExifOrientation(view, 6);
        QCOMPARE(out.rows, 5);
        QCOMPARE(out.cols, 4);
        QCOMPARE(int(out.at<std::uint16_t>(0, 0)), 6 * 100 + 2);  // bottom-left of the view
        QCOMPARE(int(out.at<std::uint16_t>(4, 3)), 3 * 100 + 6);  // its top-right
        // Orientation 1 still returns a copy, not a view that would alias the input.
        cv::Mat single(1, 1, CV_8UC3, cv::Scalar(1, 2, 3));
        cv::Mat copy = applyExifOrientation(single, 1);
        copy.at<cv::Vec3b>(0, 0)[0] = 9;
        QCOMPARE(int(single.at<cv::Vec3b>(0, 0)[0]), 1);
        const cv::Mat row(1, 5, CV_32FC1, cv::Scalar(2.5));
        QCOMPARE(applyExifOrientation(row, 8).rows, 5);
    }

    // Every prefix of every fixture: the values read are right or unknown, never wrong.
    void truncatedFilesGiveRightOrUnknownValues() {
        for (const Fixture& f : fixtures_) {
            const Bytes full = readBytes(path(f.file));
            for (std::size_t n = 0; n <= full.size(); ++n) {
                const Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
                const ImageHeader h = probe(cut);
                const QString where = QString("%1 cut at %2").arg(f.file).arg(n);
                QVERIFY2(h.format.empty() || QString::fromStdString(h.format) == f.format,
                         qPrintable(where));
                QVERIFY2(h.width == -1 || h.width == f.width, qPrintable(where));
                QVERIFY2(h.height == -1 || h.height == f.height, qPrintable(where));
                QVERIFY2(h.exifOrientation == 1 || h.exifOrientation == f.orientation,
                         qPrintable(where));
            }
        }
    }

    // Random damage to the headers of every fixture: no crash, only well-formed answers.
    void damagedHeadersStaySane() {
        std::mt19937 rng(20240611);
        for (const Fixture& f : fixtures_) {
            const Bytes full = readBytes(path(f.file));
            const std::size_t span = std::min<std::size_t>(full.size(), 600);
            for (int trial = 0; trial < 400; ++trial) {
                Bytes b = full;
                const int edits = 1 + static_cast<int>(rng() % 6);
                for (int e = 0; e < edits; ++e) {
                    const std::size_t at = rng() % span;
                    const std::uint32_t kind = rng() % 4;
                    b[at] = kind == 0 ? 0xFF : kind == 1 ? 0x00 : static_cast<std::uint8_t>(rng());
                }
                if (rng() % 4 == 0) b.resize(rng() % (b.size() + 1));
                QVERIFY2(sane(probe(b)), qPrintable(f.file));
            }
        }
    }

    // Each magic followed by random bytes reaches deep into the parsers.
    void randomBytesAfterEachMagic() {
        const std::vector<Bytes> magics = {
            {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
            {0xFF, 0xD8, 0xFF},
            {'I', 'I', '*', 0},
            {'M', 'M', 0, '*'},
            {'B', 'M'},
            {'R', 'I', 'F', 'F', 0xFF, 0xFF, 0xFF, 0xFF, 'W', 'E', 'B', 'P'},
            {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', '\r', '\n', 0x87, '\n'},
            {0xFF, 0x4F, 0xFF, 0x51},
            {'P', '6', '\n'},
            {'P', '7', '\n'},
        };
        std::mt19937 rng(7);
        for (const Bytes& magic : magics) {
            for (int trial = 0; trial < 3000; ++trial) {
                Bytes b = magic;
                const std::size_t n = rng() % 300;
                for (std::size_t i = 0; i < n; ++i) {
                    // Mostly small values, so that lengths and offsets often land inside.
                    const std::uint32_t r = rng();
                    b.push_back(static_cast<std::uint8_t>(r % 3 == 0 ? r >> 8 : (r >> 8) % 16));
                }
                QVERIFY(sane(probe(b)));
            }
        }
    }

    void jpegExifOffsetsOutsideTheSegment() {
        // The IFD0 offset points past the APP1 segment, right at an IFD inside the next
        // segment (APP2) that says orientation 6: data outside the segment must not be used.
        for (bool be : {true, false}) {
            Bytes tiff;
            putStr(tiff, be ? "MM\0*" : "II*\0", 4);
            put32(tiff, 12, be);  // 8 header bytes, then the APP2 marker and length
            Bytes app2;
            putIfd(app2, be, {{274, 3, 1, 6}}, 0);
            Bytes j = {0xFF, 0xD8};
            Bytes app1;
            putStr(app1, "Exif\0\0", 6);
            putBytes(app1, tiff);
            putSegment(j, 0xE1, app1);
            putSegment(j, 0xE2, app2);
            putSegment(j, 0xC0, sofPayload(40, 30));
            const ImageHeader h = probe(j);
            QCOMPARE(h.format, std::string("JPEG"));
            QCOMPARE(h.width, i64(40));
            QCOMPARE(h.height, i64(30));
            QCOMPARE(h.exifOrientation, 1);
        }
        // Offsets chosen to wrap 32-bit arithmetic.
        for (std::uint32_t offset : {0xFFFFFFFFu, 0xFFFFFFF8u, 0x80000000u, 7u}) {
            Bytes tiff;
            putStr(tiff, "MM\0*", 4);
            put32(tiff, offset, true);
            const ImageHeader h = probe(jpegWithExif(tiff));
            QCOMPARE(h.width, i64(40));
            QCOMPARE(h.exifOrientation, 1);
        }
        // An orientation whose values sit at an offset (count 3) beyond the segment.
        const ImageHeader h = probe(jpegWithExif(tiffWith(true, {{274, 3, 3, 0xFFFFFFF0u}})));
        QCOMPARE(h.exifOrientation, 1);
        QCOMPARE(h.height, i64(30));
        // The same count with the values inside the segment is read.
        Bytes inside = tiffWith(true, {{274, 3, 3, 26}});
        put16(inside, 8, true);
        QCOMPARE(probe(jpegWithExif(inside)).exifOrientation, 8);
    }

    void ifdEntryCountOf65535() {
        // A real IFD of 65535 entries: the ones that matter come first, as tags are sorted.
        for (bool be : {true, false}) {
            std::vector<IfdEntry> entries = {{256, 4, 1, 40}, {257, 3, 1, 30}, {274, 3, 1, 6}};
            entries.resize(65535, IfdEntry{0xFFFF, 3, 1, 0});
            const ImageHeader h = probe(tiffWith(be, entries));
            QCOMPARE(h.format, std::string("TIFF"));
            QCOMPARE(h.width, i64(40));
            QCOMPARE(h.height, i64(30));
            QCOMPARE(h.exifOrientation, 6);
        }
        // A count of 65535 over three entries and the end of the data (TIFF and EXIF).
        Bytes tiff = tiffWith(true, {{256, 4, 1, 40}, {257, 3, 1, 30}, {274, 3, 1, 6}});
        tiff[8] = 0xFF;
        tiff[9] = 0xFF;
        tiff.resize(tiff.size() - 4);  // no next-IFD offset either
        ImageHeader h = probe(tiff);
        QVERIFY(h.width == 40 || h.width == -1);
        QVERIFY(h.height == 30 || h.height == -1);
        QVERIFY(h.exifOrientation == 6 || h.exifOrientation == 1);
        h = probe(jpegWithExif(tiff));
        QCOMPARE(h.width, i64(40));
        QVERIFY(h.exifOrientation == 6 || h.exifOrientation == 1);
        // A count of 65535 and nothing after it.
        Bytes bare;
        putStr(bare, "II*\0", 4);
        put32(bare, 8, false);
        put16(bare, 0xFFFF, false);
        h = probe(bare);
        QCOMPARE(h.format, std::string("TIFF"));
        QCOMPARE(h.width, i64(-1));
        QCOMPARE(h.exifOrientation, 1);
    }

    void tiffIfdChainLoops() {
        // IFD0 links to itself.
        ImageHeader h =
            probe(tiffWith(false, {{256, 3, 1, 40}, {257, 3, 1, 30}, {274, 3, 1, 3}}, 8));
        QCOMPARE(h.width, i64(40));
        QCOMPARE(h.height, i64(30));
        QCOMPARE(h.exifOrientation, 3);
        // IFD0 (no size) -> IFD1 (a size) -> IFD0: the first page declares no size, so none is
        // reported, and the loop ends.
        Bytes t = tiffWith(true, {{274, 3, 1, 5}}, 26);
        QCOMPARE(t.size(), std::size_t(26));
        putIfd(t, true, {{256, 4, 1, 50}, {257, 4, 1, 60}}, 8);
        h = probe(t);
        QCOMPARE(h.format, std::string("TIFF"));
        QCOMPARE(h.width, i64(-1));
        QCOMPARE(h.height, i64(-1));
        QCOMPARE(h.exifOrientation, 5);
        // An EXIF IFD0 that links to itself.
        h = probe(jpegWithExif(tiffWith(false, {{274, 3, 1, 7}}, 8)));
        QCOMPARE(h.exifOrientation, 7);
    }

    void declaredSizesAreReportedAsDeclared_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("format");
        QTest::addColumn<qint64>("width");
        QTest::addColumn<qint64>("height");
        const auto row = [](const char* name, const Bytes& b, const char* format, qint64 w,
                            qint64 h) {
            QTest::newRow(name) << QByteArray(reinterpret_cast<const char*>(b.data()),
                                              static_cast<int>(b.size()))
                                << QString(format) << w << h;
        };
        Bytes png = pngHeader(100000, 100000);
        putPngChunk(png, "IEND", {});
        row("PNG 100000", png, "PNG", 100000, 100000);
        row("PNG 2^31 x 2^32-1", pngHeader(0x80000000u, 0xFFFFFFFFu), "PNG", 2147483648LL,
            4294967295LL);
        row("PNG zero width", pngHeader(0, 5), "PNG", -1, 5);

        Bytes jpeg = {0xFF, 0xD8};
        putSegment(jpeg, 0xC0, sofPayload(65535, 65535));
        row("JPEG 65535", jpeg, "JPEG", 65535, 65535);
        jpeg = {0xFF, 0xD8};
        putSegment(jpeg, 0xCF, sofPayload(100, 0));  // SOF15; height 0: set later by DNL
        row("JPEG DNL height", jpeg, "JPEG", 100, -1);

        row("TIFF LONG 100000", tiffWith(true, {{256, 4, 1, 100000}, {257, 4, 1, 100000}}), "TIFF",
            100000, 100000);
        row("TIFF LONG 2^32-1", tiffWith(false, {{256, 4, 1, 0xFFFFFFFFu}, {257, 3, 1, 65535}}),
            "TIFF", 4294967295LL, 65535);
        row("TIFF width as ASCII", tiffWith(false, {{256, 2, 1, 0x41}, {257, 3, 1, 9}}), "TIFF", -1,
            9);

        const auto bmp = [](std::uint32_t headerSize, std::int32_t w, std::int32_t h) {
            Bytes b = {'B', 'M'};
            put32(b, 0, false);
            put32(b, 0, false);
            put32(b, 54, false);
            put32(b, headerSize, false);
            if (headerSize == 12) {
                put16(b, static_cast<std::uint32_t>(w), false);
                put16(b, static_cast<std::uint32_t>(h), false);
            } else {
                put32(b, static_cast<std::uint32_t>(w), false);
                put32(b, static_cast<std::uint32_t>(h), false);
            }
            b.resize(14 + headerSize, 0);
            return b;
        };
        row("BMP 100000 top-down", bmp(40, 100000, -100000), "BMP", 100000, 100000);
        row("BMP INT32_MIN height", bmp(124, 3, INT32_MIN), "BMP", 3, 2147483648LL);
        row("BMP negative width", bmp(108, -3, 4), "BMP", -1, 4);
        row("BMP core header", bmp(12, 65535, 300), "BMP", 65535, 300);

        Bytes chunks;
        putRiffChunk(chunks, "VP8X", vp8xPayload(100000, 100000));
        row("WebP VP8X 100000", webpFrom(chunks), "WebP", 100000, 100000);
        chunks.clear();
        putRiffChunk(chunks, "VP8X", vp8xPayload(1u << 24, 1u << 24));
        row("WebP VP8X 2^24", webpFrom(chunks), "WebP", 16777216, 16777216);
        chunks.clear();
        putRiffChunk(chunks, "VP8L", {0x2F, 0xFF, 0xFF, 0xFF, 0x0F, 0});
        row("WebP VP8L 16384", webpFrom(chunks), "WebP", 16384, 16384);
        chunks.clear();
        putRiffChunk(chunks, "VP8 ", {0, 0, 0, 0x9D, 0x01, 0x2A, 0xFF, 0xFF, 0xFF, 0xFF});
        row("WebP VP8 16383 (scale bits set)", webpFrom(chunks), "WebP", 16383, 16383);
        chunks.clear();
        putRiffChunk(chunks, "VP8 ", {0, 0, 0, 0x9D, 0x01, 0x2B, 0x10, 0, 0x10, 0});
        row("WebP VP8 bad start code", webpFrom(chunks), "WebP", -1, -1);

        Bytes pnm;
        putStr(pnm, std::string("P5 100000\n#c\n100000 255\n"));
        row("PGM 100000", pnm, "PNM", 100000, 100000);
        pnm.clear();
        putStr(pnm, std::string("P6\n99999999999999999999 5 255\n"));
        row("PPM absurd width", pnm, "PNM", -1, -1);
        pnm.clear();
        putStr(pnm, std::string("P7\nWIDTH 100000\nHEIGHT 100000\nDEPTH 1\nMAXVAL 255\nENDHDR\n"));
        row("PAM 100000", pnm, "PNM", 100000, 100000);

        Bytes j2k = {0xFF, 0x4F, 0xFF, 0x51};
        put16(j2k, 41, true);
        put16(j2k, 0, true);
        for (std::uint32_t v : {100000u + 7, 100000u + 9, 7u, 9u, 100000u, 100000u, 0u, 0u}) {
            put32(j2k, v, true);
        }
        row("J2K SIZ 100000 with offsets", j2k, "JPEG 2000", 100000, 100000);

        Bytes jp2;
        putStr(jp2, "\0\0\0\x0cjP  \r\n\x87\n", 12);
        Bytes ihdr;
        put32(ihdr, 22, true);
        putStr(ihdr, "ihdr", 4);
        put32(ihdr, 100000, true);  // height first
        put32(ihdr, 200000, true);
        putBytes(ihdr, {0, 3, 7, 7, 0, 0});
        put32(jp2, static_cast<std::uint32_t>(ihdr.size() + 8), true);
        putStr(jp2, "jp2h", 4);
        putBytes(jp2, ihdr);
        row("JP2 ihdr 200000x100000", jp2, "JPEG 2000", 200000, 100000);
        jp2.resize(12);
        put32(jp2, 1, true);  // an XLBox-sized jp2c that runs to its stated end
        putStr(jp2, "jp2c", 4);
        put32(jp2, 0, true);
        put32(jp2, 16 + j2k.size(), true);
        putBytes(jp2, j2k);
        row("JP2 jp2c only (XLBox)", jp2, "JPEG 2000", 100000, 100000);

        Bytes big;
        putStr(big, "II+\0", 4);
        put16(big, 8, false);
        put16(big, 0, false);
        put32(big, 16, false);
        put32(big, 0, false);
        row("BigTIFF", big, "TIFF", -1, -1);
        Bytes dicom = {'I', 'I', '*', 0};  // a TIFF/DICOM dual file's preamble
        dicom.resize(128, 0);
        putStr(dicom, "DICM", 4);
        row("DICOM with a TIFF preamble", dicom, "DICOM", -1, -1);
        row("empty", {}, "", -1, -1);
        row("text", Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'}, "", -1, -1);
        row("P without digit", Bytes{'P', 'X', '\n', '1', ' ', '1', '\n'}, "", -1, -1);
    }
    void declaredSizesAreReportedAsDeclared() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, format);
        QFETCH(qint64, width);
        QFETCH(qint64, height);
        const ImageHeader h = probe(Bytes(bytes.begin(), bytes.end()));
        QCOMPARE(QString::fromStdString(h.format), format);
        QCOMPARE(qint64(h.width), width);
        QCOMPARE(qint64(h.height), height);
        QCOMPARE(h.exifOrientation, 1);
    }

    void jpegMarkerWalk() {
        // DHT, DAC and JPG segments shaped like a SOF are skipped, as are fill bytes and RSTs.
        Bytes j = {0xFF, 0xD8, 0xFF};  // one fill byte before the first marker
        putSegment(j, 0xC4, sofPayload(999, 999));
        putSegment(j, 0xCC, sofPayload(998, 998));
        putSegment(j, 0xC8, sofPayload(997, 997));
        putBytes(j, {0xFF, 0xFF, 0xFF, 0xD0});
        Bytes xmp;
        putStr(xmp, std::string("http://ns.adobe.com/xap/1.0/"));
        put8(xmp, 0);
        putStr(xmp, "MM\0*", 4);  // TIFF-looking bytes in a non-EXIF APP1 are ignored
        putSegment(j, 0xE1, xmp);
        Bytes exif;
        putStr(exif, "Exif\0\0", 6);
        putBytes(exif, tiffWith(false, {{274, 3, 1, 6}}));
        putSegment(j, 0xE1, exif);
        Bytes exif2;  // only the first EXIF block counts
        putStr(exif2, "Exif\0\0", 6);
        putBytes(exif2, tiffWith(false, {{274, 3, 1, 3}}));
        putSegment(j, 0xE1, exif2);
        putSegment(j, 0xC2, sofPayload(41, 29));
        ImageHeader h = probe(j);
        QCOMPARE(h.width, i64(41));
        QCOMPARE(h.height, i64(29));
        QCOMPARE(h.exifOrientation, 6);

        // SOS before any SOF: no size.
        j = {0xFF, 0xD8};
        putSegment(j, 0xDA, {1, 2, 3});
        putSegment(j, 0xC0, sofPayload(5, 5));
        h = probe(j);
        QCOMPARE(h.format, std::string("JPEG"));
        QCOMPARE(h.width, i64(-1));

        // A walk over very many empty COM segments ends (capped or at the SOF) without harm.
        j = {0xFF, 0xD8};
        for (int i = 0; i < 200000; ++i)
            putSegment(j, 0xFE, {});
        putSegment(j, 0xC0, sofPayload(5, 6));
        h = probe(j);
        QCOMPARE(h.format, std::string("JPEG"));
        QVERIFY(h.width == -1 || h.width == 5);

        // A segment length below 2 or past the end stops the walk.
        j = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01};
        putSegment(j, 0xC0, sofPayload(5, 5));
        QCOMPARE(probe(j).width, i64(-1));
        j = {0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 0x00};
        QCOMPARE(probe(j).width, i64(-1));
    }

    void exifOrientationValues() {
        // Out-of-range, zero-count and wrongly typed orientations read as 1; LONG is tolerated.
        const std::vector<std::pair<IfdEntry, int>> cases = {
            {{274, 3, 1, 0}, 1}, {{274, 3, 1, 9}, 1},       {{274, 3, 1, 65535}, 1},
            {{274, 3, 0, 6}, 1}, {{274, 2, 1, 0x36}, 1},    {{274, 4, 1, 8}, 8},
            {{274, 3, 2, 2}, 2}, {{274, 4, 1, 0x60000}, 1},
        };
        for (const auto& c : cases) {
            for (bool be : {true, false}) {
                QCOMPARE(probe(jpegWithExif(tiffWith(be, {c.first}))).exifOrientation, c.second);
                QCOMPARE(probe(tiffWith(be, {c.first})).exifOrientation, c.second);
            }
        }
        // Only IFD0 holds the image's orientation; IFD1 (the thumbnail) is not consulted.
        Bytes t = tiffWith(true, {{256, 3, 1, 4}}, 26);
        putIfd(t, true, {{274, 3, 1, 6}}, 0);
        QCOMPARE(probe(jpegWithExif(t)).exifOrientation, 1);
        // A bad byte-order mark or magic number.
        Bytes bad = tiffWith(true, {{274, 3, 1, 6}});
        bad[0] = 'X';
        QCOMPARE(probe(jpegWithExif(bad)).exifOrientation, 1);
        bad = tiffWith(true, {{274, 3, 1, 6}});
        bad[3] = 41;
        QCOMPARE(probe(jpegWithExif(bad)).exifOrientation, 1);
    }

    void pngAndWebpExifForms() {
        // eXIf with and without the "Exif\0\0" prefix some writers keep, in both byte orders.
        for (bool prefixed : {false, true}) {
            for (bool be : {true, false}) {
                Bytes exif;
                if (prefixed) putStr(exif, "Exif\0\0", 6);
                putBytes(exif, tiffWith(be, {{274, 3, 1, 5}}));

                Bytes png = pngHeader(9, 8);
                putPngChunk(png, "IDAT", {1, 2, 3});
                putPngChunk(png, "eXIf", exif);  // after IDAT is tolerated
                putPngChunk(png, "IEND", {});
                ImageHeader h = probe(png);
                QCOMPARE(h.width, i64(9));
                QCOMPARE(h.height, i64(8));
                QCOMPARE(h.exifOrientation, 5);

                Bytes chunks;
                putRiffChunk(chunks, "VP8X", vp8xPayload(9, 8, 0x08));
                putRiffChunk(chunks, "ICCP", {1, 2, 3});  // odd size: padded
                putRiffChunk(chunks, "VP8L", {0x2F, 0, 0, 0, 0});
                putRiffChunk(chunks, "EXIF", exif);
                h = probe(webpFrom(chunks));
                QCOMPARE(h.format, std::string("WebP"));
                QCOMPARE(h.width, i64(9));
                QCOMPARE(h.height, i64(8));
                QCOMPARE(h.exifOrientation, 5);
            }
        }
        // eXIf past IEND is not part of the image.
        Bytes png = pngHeader(9, 8);
        putPngChunk(png, "IEND", {});
        putPngChunk(png, "eXIf", tiffWith(true, {{274, 3, 1, 5}}));
        QCOMPARE(probe(png).exifOrientation, 1);
        // Chunk lengths of 2^32-1 end the walks without wrapping around.
        png = pngHeader(9, 8);
        put32(png, 0xFFFFFFFFu, true);
        putStr(png, "tEXt", 4);
        putPngChunk(png, "eXIf", tiffWith(true, {{274, 3, 1, 5}}));
        QCOMPARE(probe(png).exifOrientation, 1);
        Bytes chunks;
        putRiffChunk(chunks, "VP8L", {0x2F, 8, 0, 0, 0});
        putStr(chunks, "JUNK", 4);
        put32(chunks, 0xFFFFFFFFu, false);
        putRiffChunk(chunks, "EXIF", tiffWith(true, {{274, 3, 1, 5}}));
        ImageHeader h = probe(webpFrom(chunks));
        QCOMPARE(h.width, i64(9));
        QCOMPARE(h.height, i64(1));
        QCOMPARE(h.exifOrientation, 1);
        // A long animation's trailing EXIF is found; a flood of tiny chunks ends the walk.
        for (int frames : {5000, 200000}) {
            chunks.clear();
            putRiffChunk(chunks, "VP8X", vp8xPayload(9, 8, 0x0A));
            putRiffChunk(chunks, "ANIM", {0, 0, 0, 0, 0, 0});
            for (int i = 0; i < frames; ++i) {
                putRiffChunk(chunks, "ANMF", {});
            }
            putRiffChunk(chunks, "EXIF", tiffWith(true, {{274, 3, 1, 5}}));
            h = probe(webpFrom(chunks));
            QCOMPARE(h.width, i64(9));
            if (frames == 5000) QCOMPARE(h.exifOrientation, 5);
            QVERIFY(h.exifOrientation == 1 || h.exifOrientation == 5);
        }
        // Likewise an eXIf after the many IDAT chunks of a large PNG, and a flood of them.
        for (int idats : {20000, 2000000}) {
            png = pngHeader(9, 8);
            for (int i = 0; i < idats; ++i) {
                putPngChunk(png, "IDAT", {});
            }
            putPngChunk(png, "eXIf", tiffWith(false, {{274, 3, 1, 7}}));
            h = probe(png);
            QCOMPARE(h.height, i64(8));
            if (idats == 20000) QCOMPARE(h.exifOrientation, 7);
            QVERIFY(h.exifOrientation == 1 || h.exifOrientation == 7);
        }
    }
};

QTEST_GUILESS_MAIN(TestImageHeader)
#include "tst_image_header.moc"
