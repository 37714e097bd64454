// DicomWriter: what it writes is read back by pydicom (an independent reader) with every
// attribute and pixel as given, and by the project's own loader; inconsistent frames and
// unwritable paths are refused with a clear error.

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cstdint>

#include "dicom_writer.h"
#include "error.h"
#include "image_loader.h"

using namespace medvae;

namespace {

// Values that use all 12 stored bits and differ from pixel to pixel.
std::uint16_t patternAt(int x, int y) {
    return std::uint16_t((x * 37 + y * 101 + x * y) % 4096);
}

DicomWriter::Frame patternFrame(int rows, int columns) {
    DicomWriter::Frame frame;
    frame.rows = rows;
    frame.columns = columns;
    frame.bitsStored = 12;
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < columns; ++x)
            frame.pixels.push_back(patternAt(x, y));
    return frame;
}

DicomWriter::Description description() {
    DicomWriter::Description d;
    d.sopClassUid = DicomWriter::kMrImageStorage;
    d.sopInstanceUid = "1.2.826.0.1.3680043.10.1203.99.1";
    d.studyInstanceUid = "1.2.826.0.1.3680043.10.1203.99";
    d.seriesInstanceUid = "1.2.826.0.1.3680043.10.1203.99.0";
    d.modality = "MR";
    d.studyDescription = "writer test";
    d.seriesDescription = "pattern";
    d.pixelSpacingMm = 217.0 / 256.0;
    d.windows = {{2048, 4096, "FULL"}, {1400.5, 1600, "BRAIN"}};
    return d;
}

QString writeError(const std::string& path, const DicomWriter::Frame& frame,
                   const DicomWriter::Description& d) {
    try {
        DicomWriter::write(path, frame, d);
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return QStringLiteral("<no error>");
}

}  // namespace

class TestDicomWriter : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void pydicomReadsWhatWasWritten() {
        QTemporaryDir dir;
        const QString path = dir.filePath("pattern.dcm");
        DicomWriter::write(path.toStdString(), patternFrame(23, 37), description());
        // pydicom reads the file and recomputes the pattern itself.
        QProcess py;
        py.start(MEDVAE_PYTHON, {"-c", R"(
import json, sys, numpy as np, pydicom
ds = pydicom.dcmread(sys.argv[1])
y, x = np.mgrid[0:23, 0:37]
expected = (x * 37 + y * 101 + x * y) % 4096
print(json.dumps({
    'transfer': str(ds.file_meta.TransferSyntaxUID),
    'sopClass': str(ds.SOPClassUID), 'sop': str(ds.SOPInstanceUID),
    'mediaSop': str(ds.file_meta.MediaStorageSOPInstanceUID),
    'study': str(ds.StudyInstanceUID), 'series': str(ds.SeriesInstanceUID),
    'modality': ds.Modality, 'studyDescription': ds.StudyDescription,
    'seriesDescription': ds.SeriesDescription,
    'patientName': str(ds.PatientName), 'patientId': ds.PatientID,
    'rows': ds.Rows, 'columns': ds.Columns, 'bitsAllocated': ds.BitsAllocated,
    'bitsStored': ds.BitsStored, 'highBit': ds.HighBit, 'signed': ds.PixelRepresentation,
    'photometric': ds.PhotometricInterpretation, 'samples': ds.SamplesPerPixel,
    'spacing': [float(v) for v in ds.PixelSpacing],
    'centers': [float(v) for v in ds.WindowCenter], 'widths': [float(v) for v in ds.WindowWidth],
    'explanations': list(ds.WindowCenterWidthExplanation),
    'pixelsEqual': bool(np.array_equal(ds.pixel_array, expected)),
}))
)",
                                 path});
        QVERIFY(py.waitForFinished(60000));
        const QByteArray out = py.readAllStandardOutput();
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const QJsonObject o = QJsonDocument::fromJson(out).object();
        QCOMPARE(o["transfer"].toString(), QString("1.2.840.10008.1.2.1"));  // explicit VR LE
        QCOMPARE(o["sopClass"].toString(), QString("1.2.840.10008.5.1.4.1.1.4"));
        QCOMPARE(o["sop"].toString(), QString("1.2.826.0.1.3680043.10.1203.99.1"));
        QCOMPARE(o["mediaSop"].toString(), o["sop"].toString());
        QCOMPARE(o["study"].toString(), QString("1.2.826.0.1.3680043.10.1203.99"));
        QCOMPARE(o["series"].toString(), QString("1.2.826.0.1.3680043.10.1203.99.0"));
        QCOMPARE(o["modality"].toString(), QString("MR"));
        QCOMPARE(o["studyDescription"].toString(), QString("writer test"));
        QCOMPARE(o["seriesDescription"].toString(), QString("pattern"));
        QCOMPARE(o["patientName"].toString(), QString());
        QCOMPARE(o["patientId"].toString(), QString());
        QCOMPARE(o["rows"].toInt(), 23);
        QCOMPARE(o["columns"].toInt(), 37);
        QCOMPARE(o["bitsAllocated"].toInt(), 16);
        QCOMPARE(o["bitsStored"].toInt(), 12);
        QCOMPARE(o["highBit"].toInt(), 11);
        QCOMPARE(o["signed"].toInt(), 0);
        QCOMPARE(o["photometric"].toString(), QString("MONOCHROME2"));
        QCOMPARE(o["samples"].toInt(), 1);
        QCOMPARE(o["spacing"].toVariant().toList(), QVariantList({0.84765625, 0.84765625}));
        QCOMPARE(o["centers"].toVariant().toList(), QVariantList({2048.0, 1400.5}));
        QCOMPARE(o["widths"].toVariant().toList(), QVariantList({4096.0, 1600.0}));
        QCOMPARE(o["explanations"].toVariant().toStringList(), QStringList({"FULL", "BRAIN"}));
        QVERIFY(o["pixelsEqual"].toBool());
    }

    void projectLoaderReadsItBack() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("pattern.dcm").toStdString();
        DicomWriter::Description d = description();
        d.windows.clear();  // stored values, not windowed ones
        DicomWriter::write(path, patternFrame(16, 24), d);
        const Image image = ImageLoader::load(path, {});
        QCOMPARE(image.width, 24);
        QCOMPARE(image.height, 16);
        QCOMPARE(image.channels, 1);
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 24; ++x)
                QCOMPARE(image.pixels[std::size_t(y * 24 + x)], float(patternAt(x, y)));
    }

    void inconsistentFramesAreRefused() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.dcm").toStdString();
        DicomWriter::Frame frame = patternFrame(4, 4);
        frame.pixels.pop_back();
        QVERIFY2(
            writeError(path, frame, description()).contains("15 pixels, not rows x columns = 16"),
            qPrintable(writeError(path, frame, description())));
        frame = patternFrame(4, 4);
        frame.pixels[5] = 4096;  // 13 bits
        QVERIFY(writeError(path, frame, description()).contains("does not fit in 12 bits stored"));
        frame = patternFrame(4, 4);
        DicomWriter::Description d = description();
        d.sopInstanceUid.clear();
        QVERIFY(writeError(path, frame, d).contains("UIDs are required"));
        d = description();
        d.windows = {{100, 0, "ZERO"}};
        QVERIFY(writeError(path, frame, d).contains("positive width"));
        QVERIFY(!QFile::exists(QString::fromStdString(path)));  // nothing half-written
        const std::string nowhere = dir.filePath("missing/folder/x.dcm").toStdString();
        const QString error = writeError(nowhere, patternFrame(4, 4), description());
        QVERIFY2(error.startsWith(QString::fromStdString("cannot write '" + nowhere + "': ")),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestDicomWriter)
#include "tst_dicom_writer.moc"
