// DICOM decoding: DCMTK-written fixtures with known pixel arrays in every supported transfer
// syntax, Debian's pydicom test files against pydicom's own decoding, compressed files against
// their uncompressed twins, and damaged files.

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "error.h"
#include "fixture_data.h"
#include "image_loader.h"
#include "npy_file.h"

using namespace medvae;

namespace {

QString dicomFixture(const QString& name) {
    return QStringLiteral(MEDVAE_DICOM_FIXTURES) + "/" + name;
}
QString pydicomFile(const QString& name) {
    return QStringLiteral(MEDVAE_PYDICOM_FILES) + "/" + name;
}

QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    return QJsonDocument::fromJson(f.readAll()).object();
}

// Largest |image - expected| over all samples; expected is [C, H, W].
double maxDifference(const Image& image, const NpyArray& expected, QString* why) {
    const std::int64_t c = expected.shape[0], h = expected.shape[1], w = expected.shape[2];
    if (image.channels != c || image.height != h || image.width != w) {
        *why = QString("shape %1x%2x%3, expected %4x%5x%6")
                   .arg(image.channels)
                   .arg(image.height)
                   .arg(image.width)
                   .arg(c)
                   .arg(h)
                   .arg(w);
        return INFINITY;
    }
    double worst = 0;
    for (std::size_t i = 0; i < expected.data.size(); ++i)
        worst = std::max(worst, std::abs(double(image.pixels[i]) - double(expected.data[i])));
    return worst;
}

QString loadError(const QString& path, const LoadOptions& options = {}) {
    try {
        ImageLoader::load(path.toStdString(), options);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
}

}  // namespace

class TestDicom : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void knownArrays_data() {
        QTest::addColumn<QJsonObject>("spec");
        for (const auto& v : readJson(dicomFixture("manifest.json"))["cases"].toArray())
            QTest::newRow(qPrintable(v.toObject()["file"].toString())) << v.toObject();
    }
    void knownArrays() {
        QFETCH(QJsonObject, spec);
        LoadOptions options;
        options.frame = spec["frame"].toInt();
        if (spec["window"].toInt() >= 0) {
            options.window = LoadOptions::Window::FromFile;
            options.windowIndex = spec["window"].toInt();
        }
        const Image image =
            ImageLoader::load(dicomFixture(spec["file"].toString()).toStdString(), options);
        const NpyArray expected =
            NpyFile::read(dicomFixture(spec["expected"].toString()).toStdString());
        QString why;
        const double diff = maxDifference(image, expected, &why);
        // Exact for lossless data (float rounding of rescaled values aside), bounded for lossy.
        const double tolerance = std::max(spec["tolerance"].toDouble(), 1e-3);
        QVERIFY2(
            diff <= tolerance,
            qPrintable(why.isEmpty() ? QString("max difference %1 > %2").arg(diff).arg(tolerance)
                                     : why));

        const ImageMetadata& m = image.meta;
        QCOMPARE(QString::fromStdString(m.format), QString("DICOM"));
        QCOMPARE(QString::fromStdString(m.photometric), spec["photometric"].toString());
        QCOMPARE(m.bitsPerSample, spec["bits_stored"].toInt());
        QCOMPARE(m.frames, spec["frames"].toInt());
        QCOMPARE(m.frame, spec["frame"].toInt());
        QCOMPARE(int(m.windows.size()), spec["windows"].toInt());
        QCOMPARE(m.inverted, spec["photometric"].toString() == "MONOCHROME1");
        QCOMPARE(QString::fromStdString(m.studyDescription), QString("Fixture study"));
        if (!spec["spacing"].toString().isEmpty()) {
            QCOMPARE(m.pixelSpacing[0], 0.5);
            QCOMPARE(m.pixelSpacing[1], 0.25);
            QVERIFY(QString::fromStdString(m.spacingKind).contains("calibrated"));
        } else if (!spec["imager_spacing"].toString().isEmpty()) {
            QCOMPARE(m.pixelSpacing[0], 0.143);
            QVERIFY(QString::fromStdString(m.spacingKind).contains("detector"));
        } else {
            QCOMPARE(m.pixelSpacing[0], 0.0);
        }
    }

    void everyFrameOfAMultiFrameFile() {
        // The JPEG lossless multi-frame fixture describes frame 1; frame 0 and 2 differ from it,
        // frame 3 does not exist.
        const NpyArray one =
            NpyFile::read(dicomFixture("jpeg_lossless_multiframe.expected.npy").toStdString());
        QString why;
        LoadOptions o;
        for (int f : {0, 2}) {
            o.frame = f;
            const Image image =
                ImageLoader::load(dicomFixture("jpeg_lossless_multiframe.dcm").toStdString(), o);
            QVERIFY(maxDifference(image, one, &why) > 100);  // a different frame
        }
        o.frame = 1;
        QCOMPARE(maxDifference(ImageLoader::load(
                                   dicomFixture("jpeg_lossless_multiframe.dcm").toStdString(), o),
                               one, &why),
                 0.0);
        o.frame = 3;
        QVERIFY(loadError(dicomFixture("jpeg_lossless_multiframe.dcm"), o)
                    .contains("frame 3 does not exist"));
    }

    void windowsAndOptions() {
        LoadOptions o;
        o.window = LoadOptions::Window::Custom;
        o.windowCenter = 40;
        o.windowWidth = 400;
        const Image image = ImageLoader::load(dicomFixture("mono16_windows.dcm").toStdString(), o);
        QVERIFY(image.meta.windowed);
        QCOMPARE(image.meta.appliedWindow.width, 400.0);
        const auto [lo, hi] = std::minmax_element(image.pixels.begin(), image.pixels.end());
        QVERIFY(*lo >= 0.0f && *hi <= 1.0f);
        QCOMPARE(QString::fromStdString(image.meta.windows[1].name), QString("WINDOW1"));
        o.windowWidth = 0;
        QVERIFY(loadError(dicomFixture("mono16_windows.dcm"), o).contains("positive width"));
        o.window = LoadOptions::Window::FromFile;
        o.windowIndex = 2;
        QVERIFY(
            loadError(dicomFixture("mono16_windows.dcm"), o).contains("window 2 does not exist"));
    }

    void noPatientIdentifiersLeak() {
        // The fixtures carry a patient name and ID: neither may appear in metadata or messages.
        const Image image = ImageLoader::load(dicomFixture("mono12_le_explicit.dcm").toStdString());
        const ImageMetadata& m = image.meta;
        for (const std::string& s : {m.modality, m.studyDescription, m.seriesDescription,
                                     m.photometric, m.source, m.transferSyntax})
            QVERIFY(s.find("Doe") == std::string::npos && s.find("SECRET") == std::string::npos);
        for (const char* bad :
             {"bad_truncated.dcm", "bad_huge.dcm", "bad_frames.dcm", "bad_no_pixels.dcm"}) {
            const QString e = loadError(dicomFixture(bad));
            QVERIFY(!e.contains("Doe") && !e.contains("SECRET"));
        }
    }

    void damagedFiles() {
        const QString truncated = loadError(dicomFixture("bad_truncated.dcm"));
        QVERIFY2(truncated.contains("truncated"), qPrintable(truncated));
        QVERIFY(truncated.contains("bad_truncated.dcm"));
        QVERIFY(
            loadError(dicomFixture("bad_huge.dcm")).contains("over the limit of 100000000 pixels"));
        QVERIFY(
            loadError(dicomFixture("bad_frames.dcm")).contains("2000000 frames, over the limit"));
        QVERIFY(loadError(dicomFixture("bad_no_pixels.dcm")).contains("without pixel data"));
        QVERIFY(loadError(pydicomFile("MR_truncated.dcm")).contains("truncated"));
        // A 1.5 KB file declaring a 4 GB element is refused before anything is allocated.
        QByteArray bomb(132, '\0');
        bomb.replace(128, 4, "DICM");
        bomb += QByteArray::fromHex("020001004f420000") + QByteArray::fromHex("0200ffff") +
                QByteArray(1400, 'x');
        try {
            ImageLoader::decode(std::vector<std::uint8_t>(bomb.begin(), bomb.end()), "bomb.dcm",
                                {});
            QFAIL("the DICOM bomb was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("declares 4294901762 bytes"), e.what());
        }
        QVERIFY(loadError(pydicomFile("rtplan.dcm")).contains("without an image"));
        // Regression: RLE data that made DCMTK 3.6.7's RLE decoder write out of bounds (found by
        // fuzzing); the project's own RLE decoder refuses it.
        const QString rle = loadError(QStringLiteral(MEDVAE_SOURCE_DIR) +
                                      "/tests/dicom/regressions/dcmtk_rle_out_of_bounds.dcm");
        QVERIFY2(rle.contains("cannot decode its RLE pixel data"), qPrintable(rle));
        // Regression: JPEG Lossless data whose marker walk ran for ever in DCMTK 3.6.7's bit-depth
        // scan (found by fuzzing); the same walk done strictly first refuses it at once.
        QElapsedTimer clock;
        clock.start();
        const QString jpeg = loadError(QStringLiteral(MEDVAE_SOURCE_DIR) +
                                       "/tests/dicom/regressions/dcmtk_jpeg_marker_loop.dcm");
        QVERIFY2(jpeg.contains("cannot decode its JPEG pixel data"), qPrintable(jpeg));
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        // Every cut of a real file: an error or a correct image, never a crash.
        QFile f(dicomFixture("jpeg_lossless_sv1.dcm"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        for (int len = 0; len < bytes.size(); len += 37) {
            try {
                ImageLoader::decode(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + len),
                                    "cut", {});
            } catch (const Error&) {
            }
        }
    }

    void pydicomAgrees() {
        // pydicom decodes every file it can (uncompressed, RLE) and applies the modality LUT and
        // our MONOCHROME1 convention; compressed files are compared with their uncompressed twins.
        QTemporaryDir dir;
        QProcess py;
        py.start(MEDVAE_PYTHON, {"-c", R"(
import json, os, sys, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, convert_color_space
src, out = sys.argv[1], sys.argv[2]
cases = []
for name in sorted(os.listdir(src)):
    if not name.endswith('.dcm'):
        continue
    try:
        ds = pydicom.dcmread(os.path.join(src, name))
        if 'PixelData' not in ds:
            continue
        arr = ds.pixel_array
    except Exception as e:
        cases.append({'file': name, 'skip': 'pydicom: ' + str(e).split('\n')[0][:80]})
        continue
    frames = int(ds.get('NumberOfFrames', 1) or 1)
    if frames > 1:
        arr = arr[0]
    spp, pi = int(ds.SamplesPerPixel), str(ds.PhotometricInterpretation)
    tol = 1e-3
    if spp == 1 and pi in ('MONOCHROME1', 'MONOCHROME2'):
        bits, signed = int(ds.BitsStored), int(ds.PixelRepresentation) == 1
        if not signed and int(ds.BitsAllocated) > bits:
            arr = arr & ((1 << bits) - 1)   # unused high bits are not part of the value
        v = apply_modality_lut(arr, ds).astype(np.float64)
        if pi == 'MONOCHROME1':
            ends = np.array([-(1 << (bits - 1)), (1 << (bits - 1)) - 1] if signed else [0, (1 << bits) - 1])
            m = apply_modality_lut(ends, ds).astype(np.float64)
            v = m.min() + m.max() - v
        exp = v[None]
    elif spp == 3:
        a = arr
        if pi.startswith('YBR_FULL'):
            a = convert_color_space(a, pi, 'RGB')
            tol = 1.0   # pydicom rounds its conversion to integers
        exp = np.moveaxis(a.astype(np.float64), -1, 0)
    else:
        cases.append({'file': name, 'skip': 'photometric ' + pi})
        continue
    np.save(os.path.join(out, name + '.npy'), exp.astype(np.float32))
    cases.append({'file': name, 'expected': name + '.npy', 'tolerance': tol})
json.dump(cases, open(os.path.join(out, 'cases.json'), 'w'))
print(len(cases))
)",
                                 MEDVAE_PYDICOM_FILES, dir.path()});
        QVERIFY(py.waitForFinished(120000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        QFile f(dir.filePath("cases.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        int compared = 0;
        QStringList report;
        for (const auto& v : QJsonDocument::fromJson(f.readAll()).array()) {
            const QJsonObject c = v.toObject();
            const QString file = c["file"].toString();
            if (c.contains("skip")) continue;
            if (file == "SC_rgb_jpeg.dcm") {
                // Non-conformant (its dataset is implicit VR under an explicit VR transfer syntax,
                // which pydicom guesses around): refused, with the place where it goes wrong.
                const QString e = loadError(pydicomFile(file));
                QVERIFY2(e.contains("not a valid DICOM file (at byte"), qPrintable(e));
                continue;
            }
            Image image;
            try {
                image = ImageLoader::load(pydicomFile(file).toStdString());
            } catch (const Error& e) {
                report << file + ": " + e.what();
                continue;
            }
            QString why;
            const double diff = maxDifference(
                image, NpyFile::read(dir.filePath(c["expected"].toString()).toStdString()), &why);
            if (!(diff <= c["tolerance"].toDouble()))
                report << file + QString(": differs by %1 %2").arg(diff).arg(why);
            ++compared;
        }
        QVERIFY2(report.isEmpty(), qPrintable(report.join("\n")));
        QVERIFY2(compared >= 25, qPrintable(QString("only %1 files compared").arg(compared)));

        // Compressed files that pydicom cannot decode here, against their lossless twins.
        // Lossy JPEG of these colour bars rings at the sharp edges: bound the mean and the peak.
        struct Twin {
            const char* compressed;
            const char* reference;
            double maxError, meanError;
        };
        for (const Twin& t : {Twin{"MR_small_jpeg_ls_lossless.dcm", "MR_small.dcm", 1e-3, 1e-3},
                              Twin{"MR_small_jp2klossless.dcm", "MR_small.dcm", 1e-3, 1e-3},
                              Twin{"MR_small_RLE.dcm", "MR_small.dcm", 1e-3, 1e-3},
                              Twin{"SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_rle.dcm", 100, 4},
                              Twin{"SC_rgb_dcmtk_+eb+cy+np.dcm", "SC_rgb_rle.dcm", 100, 4},
                              Twin{"SC_rgb_small_odd_jpeg.dcm", "SC_rgb_small_odd.dcm", 100, 4}}) {
            const Image a = ImageLoader::load(pydicomFile(t.compressed).toStdString());
            const Image b = ImageLoader::load(pydicomFile(t.reference).toStdString());
            QCOMPARE(a.pixels.size(), b.pixels.size());
            double worst = 0, mean = 0;
            for (std::size_t i = 0; i < a.pixels.size(); ++i) {
                const double d = std::abs(double(a.pixels[i]) - double(b.pixels[i]));
                worst = std::max(worst, d);
                mean += d;
            }
            mean /= double(a.pixels.size());
            QVERIFY2(
                worst <= t.maxError && mean <= t.meanError,
                qPrintable(QString("%1: max %2, mean %3").arg(t.compressed).arg(worst).arg(mean)));
        }
        // JPEG and JPEG 2000 files without a twin: they decode to the declared size with content.
        for (const char* file :
             {"JPEG-lossy.dcm", "JPGExtended.dcm", "JPEG2000.dcm", "693_J2KI.dcm",
              "J2K_pixelrep_mismatch.dcm", "SC_jpeg_no_color_transform.dcm"}) {
            const Image image = ImageLoader::load(pydicomFile(file).toStdString());
            const auto [lo, hi] = std::minmax_element(image.pixels.begin(), image.pixels.end());
            QVERIFY2(image.width > 0 && *hi > *lo, file);
        }
    }
};

QTEST_GUILESS_MAIN(TestDicom)
#include "tst_dicom.moc"
