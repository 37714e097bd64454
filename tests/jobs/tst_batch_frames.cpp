// Multi-frame inputs in a batch: every frame its own item (named <stem>/frame_0000, recorded
// with frame and frame_count), each frame's image equal to pydicom's pixel_array[k] through the
// modality LUT, each frame's latent equal byte for byte to `medvae-cli encode --frame k`;
// --resume redoes nothing, and redoes by frame what an older run recorded as one item;
// --frames first keeps the names of before; an archive instance's frames are retrieved once.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include <map>
#include <mutex>

#include "batch_inputs.h"
#include "batch_pipeline.h"
#include "batch_test_support.h"
#include "dicom_stack_header.h"
#include "error.h"
#include "image_loader.h"

using namespace medvae;

namespace {

using test::filesUnder;
using test::python;
using test::readJsonl;

const QString kPydicom = MEDVAE_PYDICOM_FILES;

// Writes <dst> as MR_small.dcm with `frames` frames: frame k is the image rolled by 7k columns
// (distinct frames, every value one the file's pixel format holds).
bool writeMultiFrame(const QString& dst, int frames) {
    const QString done = python(R"(
import sys, numpy as np, pydicom
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
ds = pydicom.dcmread(src)
base = ds.pixel_array
ds.PixelData = np.stack([np.roll(base, 7 * k, axis=1) for k in range(n)]).astype(base.dtype).tobytes()
ds.NumberOfFrames = n
ds.save_as(dst)
print('ok')
)",
                                {kPydicom + "/MR_small.dcm", dst, QString::number(frames)});
    return done == "ok";
}

QByteArray bytesOf(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::vector<std::uint8_t> vectorOf(const QByteArray& b) {
    return std::vector<std::uint8_t>(b.begin(), b.end());
}

// A backend without a network that keeps the image of every frame it is given.
class CapturingBackend : public jobs::InferenceBackend {
  public:
    jobs::BackendDescription describe() const override {
        jobs::BackendDescription d;
        d.kind = "remote";
        d.model = "capturing";
        d.location = "test";
        return d;
    }
    EncodeResult run(const Image& image, const EncodeOptions&, const RunControl*) override {
        std::lock_guard<std::mutex> lock(mutex);
        images[image.meta.frame] = image;
        EncodeResult r;
        r.latent = at::full({4, image.height / 8, image.width / 8}, 0.5f);
        return r;
    }
    std::mutex mutex;
    std::map<int, Image> images;  // by frame
};

}  // namespace

class TestBatchFrames : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void frameCountComesFromTheHeader() {
        QTemporaryDir dir;
        const QString mf = dir.filePath("mf.dcm");
        QVERIFY(writeMultiFrame(mf, 3));
        QCOMPARE(DicomStackHeader::frameCount(vectorOf(bytesOf(mf)), "mf"), 3);
        QCOMPARE(DicomStackHeader::frameCount(vectorOf(bytesOf(kPydicom + "/MR_small.dcm")), "mr"),
                 1);
        LoadOptions bound;
        bound.maxFrames = 2;
        try {
            DicomStackHeader::frameCount(vectorOf(bytesOf(mf)), "mf", bound);
            QFAIL("three frames over a bound of two were accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("3 frames, over the limit of 2"), e.what());
        }
    }

    void eachFrameIsAnItemOfItsOwn() {
        // In process, with an archive instance (retrieved by its fetch) of four frames: each
        // frame's image is pydicom's pixel_array[k] through the modality LUT, its files are
        // study/series/instance/frame_000k, and the instance is retrieved once.
        QTemporaryDir dir;
        const QString mf = dir.filePath("mf.dcm"), expected = dir.filePath("expected.f8");
        QVERIFY(writeMultiFrame(mf, 4));
        QCOMPARE(python("import sys, numpy as np, pydicom\n"
                        "from pydicom.pixel_data_handlers.util import apply_modality_lut\n"
                        "ds = pydicom.dcmread(sys.argv[1])\n"
                        "apply_modality_lut(ds.pixel_array, ds).astype('<f8').tofile(sys.argv[2])\n"
                        "print(ds.pixel_array.shape)",
                        {mf, expected}),
                 QString("(4, 64, 64)"));
        const QByteArray want = bytesOf(expected);
        const QByteArray dicom = bytesOf(mf);
        int fetches = 0;
        jobs::BatchItem item;
        item.source = "archive instance 1.2.3";
        item.relativeStem = "1.2/1.2.3/1.2.3.4";
        item.fetch = [&](const std::function<bool()>&) {
            ++fetches;
            return vectorOf(dicom);
        };
        auto backend = std::make_shared<CapturingBackend>();
        jobs::BatchSettings settings;
        settings.outputDir = dir.filePath("out").toStdString();
        jobs::BatchPipeline pipeline(backend, settings);
        const jobs::BatchSummary s = pipeline.run({item});
        QVERIFY2(s.ok(), s.fatalError.c_str());
        QCOMPARE(s.done, 4);
        QCOMPARE(s.total, 4);
        QCOMPARE(fetches, 1);
        QCOMPARE(int(backend->images.size()), 4);
        const auto* values = reinterpret_cast<const double*>(want.constData());
        for (int k = 0; k < 4; ++k) {
            const Image& image = backend->images.at(k);
            QCOMPARE(image.width * image.height, 64 * 64);
            QCOMPARE(image.meta.frames, 4);
            for (int i = 0; i < 64 * 64; ++i)
                QCOMPARE(double(image.pixels[std::size_t(i)]), values[k * 64 * 64 + i]);
        }
        QStringList files = filesUnder(dir.filePath("out"));
        QCOMPARE(files, QStringList({"1.2/1.2.3/1.2.3.4/frame_0000_latent.npy",
                                     "1.2/1.2.3/1.2.3.4/frame_0001_latent.npy",
                                     "1.2/1.2.3/1.2.3.4/frame_0002_latent.npy",
                                     "1.2/1.2.3/1.2.3.4/frame_0003_latent.npy", "manifest.csv",
                                     "manifest.jsonl"}));
    }

    void batchLatentsEqualEncodeOfEachFrame() {
        QTemporaryDir dir;
        const QString in = dir.filePath("in"), out = dir.filePath("out");
        QVERIFY(QDir().mkpath(in));
        QVERIFY(writeMultiFrame(in + "/mf.dcm", 3));
        QVERIFY(QFile::copy(kPydicom + "/MR_small.dcm", in + "/single.dcm"));
        QVERIFY(test::makeImages(in, {"g8.png:gray8:64:48"}));

        const test::CliRun r = test::runCli({"batch", "-i", in, "-o", out, "--progress", "lines"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(
                     "batch: 5 done, 0 skipped (already complete), 0 failed, 0 duplicates, of 5"),
                 qPrintable(r.out));
        QCOMPARE(filesUnder(out),
                 QStringList({"g8_latent.npy", "manifest.csv", "manifest.jsonl",
                              "mf/frame_0000_latent.npy", "mf/frame_0001_latent.npy",
                              "mf/frame_0002_latent.npy", "single_latent.npy"}));
        // Byte for byte what `encode --frame k` writes for the same file.
        QByteArrayList frames;
        for (int k = 0; k < 3; ++k) {
            const QString single = dir.filePath("encode%1").arg(k);
            const test::CliRun e = test::runCli(
                {"encode", "--frame", QString::number(k), "-o", single, in + "/mf.dcm"});
            QVERIFY2(e.code == 0, qPrintable(e.err));
            const QByteArray a = bytesOf(out + QString("/mf/frame_000%1_latent.npy").arg(k));
            QVERIFY(!a.isEmpty());
            QCOMPARE(a, bytesOf(single + "/mf_latent.npy"));
            frames << a;
        }
        QVERIFY(frames[0] != frames[1] && frames[1] != frames[2]);  // distinct frames

        // The manifest: frame and frame_count for frames, frame_count 1 for a single-frame DICOM,
        // neither for a PNG; the CSV has the same cells.
        std::map<QString, QJsonObject> byStem;
        for (const QJsonObject& o : readJsonl(out + "/manifest.jsonl"))
            byStem[o["output_stem"].toString()] = o;
        QCOMPARE(int(byStem.size()), 5);
        for (int k = 0; k < 3; ++k) {
            const QJsonObject o = byStem[QString("mf/frame_000%1").arg(k)];
            QCOMPARE(o["status"].toString(), QString("ok"));
            QCOMPARE(o["input"].toString(), in + "/mf.dcm");
            QCOMPARE(o["frame"].toInt(-1), k);
            QCOMPARE(o["frame_count"].toInt(), 3);
        }
        QCOMPARE(byStem["single"]["frame_count"].toInt(), 1);
        QVERIFY(!byStem["single"].contains("frame"));
        QVERIFY(!byStem["g8"].contains("frame") && !byStem["g8"].contains("frame_count"));
        QCOMPARE(python("import csv, sys\n"
                        "rows = sorted(csv.DictReader(open(sys.argv[1])), key=lambda r: "
                        "r['output_stem'])\n"
                        "print(';'.join(r['output_stem'] + ':' + r['frame'] + '/' + "
                        "r['frame_count'] for r in rows))",
                        {out + "/manifest.csv"}),
                 QString("g8:/;mf/frame_0000:0/3;mf/frame_0001:1/3;mf/frame_0002:2/3;single:/1"));

        // --resume redoes nothing: no item run, no file rewritten, no record added.
        const QDateTime before = QFileInfo(out + "/mf/frame_0001_latent.npy").lastModified();
        const QByteArray manifest = bytesOf(out + "/manifest.jsonl");
        const test::CliRun again =
            test::runCli({"batch", "-i", in, "-o", out, "--resume", "--progress", "lines"});
        QVERIFY2(again.code == 0, qPrintable(again.out + again.err));
        QVERIFY2(again.out.contains("batch: 0 done, 5 skipped"), qPrintable(again.out));
        QVERIFY2(again.out.contains("skipped " + in + "/mf.dcm frame 2/3"), qPrintable(again.out));
        QCOMPARE(bytesOf(out + "/manifest.jsonl"), manifest);
        QCOMPARE(QFileInfo(out + "/mf/frame_0001_latent.npy").lastModified(), before);
    }

    void framesFirstKeepsTheNamesOfBefore() {
        // --frames first: frame 0, named as the input. A later run of every frame with --resume
        // does the frames, also when the record was written before frames were counted (no
        // frame_count), and skips the single-frame DICOM whose header says one frame.
        QTemporaryDir dir;
        const QString in = dir.filePath("in"), out = dir.filePath("out");
        QVERIFY(QDir().mkpath(in));
        QVERIFY(writeMultiFrame(in + "/mf.dcm", 2));
        QVERIFY(QFile::copy(kPydicom + "/MR_small.dcm", in + "/single.dcm"));
        const test::CliRun first = test::runCli(
            {"batch", "-i", in, "-o", out, "--frames", "first", "--progress", "lines"});
        QVERIFY2(first.code == 0, qPrintable(first.out + first.err));
        QCOMPARE(filesUnder(out), QStringList({"manifest.csv", "manifest.jsonl", "mf_latent.npy",
                                               "single_latent.npy"}));
        QCOMPARE(python("import json, sys\n"
                        "lines = [json.loads(l) for l in open(sys.argv[1])]\n"
                        "print(sorted((l['output_stem'], l['frame_count']) for l in lines))\n"
                        "open(sys.argv[1], 'w').write(''.join(json.dumps({k: v for k, v in "
                        "l.items() if k != 'frame_count'}) + '\\n' for l in lines))",
                        {out + "/manifest.jsonl"}),
                 QString("[('mf', 2), ('single', 1)]"));
        const test::CliRun all =
            test::runCli({"batch", "-i", in, "-o", out, "--resume", "--progress", "lines"});
        QVERIFY2(all.code == 0, qPrintable(all.out + all.err));
        QVERIFY2(all.out.contains("batch: 2 done, 1 skipped"), qPrintable(all.out));
        QCOMPARE(bytesOf(out + "/mf/frame_0000_latent.npy"), bytesOf(out + "/mf_latent.npy"));
        QCOMPARE(test::runCli({"batch", "-i", in, "-o", out, "--frames", "odd"}).code, 2);
    }

    void aFrameNeverOverwritesAnotherInput() {
        // a.dcm's frame 0 is named a/frame_0000, as is the input a/frame_0000.png beside it, in
        // another shard: the frame fails with the reason before anything of it is written, and
        // the PNG's results stay its own (on disk as its record says).
        QTemporaryDir dir;
        const QString in = dir.filePath("in"), out = dir.filePath("out");
        QVERIFY(QDir().mkpath(in + "/a"));
        QVERIFY(writeMultiFrame(in + "/a.dcm", 2));
        QVERIFY(test::makeImages(in + "/a", {"frame_0000.png:gray8:32:32"}));
        for (const QString shard : {"0/2", "1/2"}) {
            const test::CliRun r = test::runCli(
                {"batch", "-i", in, "-o", out, "--shard", shard, "--progress", "lines"});
            QCOMPARE(r.code, shard == "0/2" ? 1 : 0);
        }
        std::map<QString, QJsonObject> byStem;
        QList<QJsonObject> records;
        for (const char* m : {"/manifest-shard-0-of-2.jsonl", "/manifest-shard-1-of-2.jsonl"})
            records += readJsonl(out + QString(m));
        QCOMPARE(records.size(), 3);
        const QString png = in + "/a/frame_0000.png";
        for (const QJsonObject& o : records) {
            if (o["input"].toString() == png) {
                QCOMPARE(o["status"].toString(), QString("ok"));
                QCOMPARE(o["output_stem"].toString(), QString("a/frame_0000"));
                QCOMPARE(python("import hashlib, sys\n"
                                "print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())",
                                {out + "/a/frame_0000_latent.npy"}),
                         o["output_sha256"].toArray()[0].toString());
                // The 32x32 PNG's latent, half the size of a 64x64 frame's.
                QCOMPARE(
                    python("import numpy, sys\n"
                           "a, b = (numpy.load(f).shape for f in sys.argv[1:])\n"
                           "print(a[0] == b[0] and 2 * a[1] == b[1] and 2 * a[2] == b[2])",
                           {out + "/a/frame_0000_latent.npy", out + "/a/frame_0001_latent.npy"}),
                    QString("True"));
                continue;
            }
            QCOMPARE(o["input"].toString(), in + "/a.dcm");
            const int frame = o["frame"].toInt(-1);
            QCOMPARE(o["status"].toString(), QString(frame == 0 ? "failed" : "ok"));
            if (frame == 0)
                QCOMPARE(o["error"].toString(),
                         "its results would overwrite those of '" + png +
                             "' (same output name 'a/frame_0000'); put the inputs in different "
                             "folders");
            else
                QCOMPARE(frame, 1);
        }
        QVERIFY(QFile::exists(out + "/a/frame_0001_latent.npy"));
    }
};

QTEST_GUILESS_MAIN(TestBatchFrames)
#include "tst_batch_frames.moc"
