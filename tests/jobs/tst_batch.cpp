// Batch export end to end: medvae-cli batch as a real process on generated folders (images,
// DICOMs, a corrupt file, nested folders), outputs read back with numpy and compared with
// single-image `medvae-cli encode`; the manifest; resume after killing the process; sharding;
// unwritable output. Plus the input collection rules directly.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <mutex>

#include <ATen/ATen.h>

#include "batch_inputs.h"
#include "batch_pipeline.h"
#include "batch_test_support.h"
#include "error.h"
#include "local_backend.h"
#include "loopback_http_server.h"
#include "manifest_writer.h"
#include "nifti_file.h"
#include "zero_png.h"

using namespace medvae;

namespace {

using Run = test::CliRun;
using test::filesUnder;
using test::makeImages;
using test::python;
using test::readJsonl;

Run cli(const QStringList& args, int timeoutMs = 120000) {
    return test::runCli(args, timeoutMs);
}

void writeText(const QString& path, const QByteArray& text) {
    QVERIFY(test::writeText(path, text));
}

// A backend without a network: latents of zeros shaped like the real ones, and a refusal for
// images 24 pixels wide, to see a backend failure stay with its item.
class FakeBackend : public jobs::InferenceBackend {
  public:
    jobs::BackendDescription describe() const override {
        jobs::BackendDescription d;
        d.kind = "remote";
        d.model = "fake";
        d.location = "test";
        return d;
    }
    EncodeResult run(const Image& image, const EncodeOptions& options, const RunControl*) override {
        ++calls;
        if (image.width == 24) throw Error("the model refused this image");
        EncodeResult r;
        r.latent = at::full({4, image.height / 8, image.width / 8}, 0.5f);
        if (options.decode) r.decoded = at::zeros({3, image.height / 8 * 8, image.width / 8 * 8});
        return r;
    }
    std::atomic<int> calls{0};
};

// Records the batches it is given and runs them with `inner` (the real engine); an image whose
// source names "refuse" fails, which fails the whole batch it is in.
class RecordingBackend : public jobs::InferenceBackend {
  public:
    explicit RecordingBackend(std::shared_ptr<jobs::InferenceBackend> inner)
        : inner_(std::move(inner)) {}
    jobs::BackendDescription describe() const override { return inner_->describe(); }
    EncodeResult run(const Image& image, const EncodeOptions& options,
                     const RunControl* control) override {
        if (image.meta.source.find("refuse") != std::string::npos)
            throw Error("the model refused this image");
        std::lock_guard<std::mutex> lock(mutex);
        singles << image.width;
        return inner_->run(image, options, control);
    }
    std::vector<EncodeResult> runBatch(const std::vector<const Image*>& images,
                                       const EncodeOptions& options,
                                       const RunControl* control) override {
        std::vector<const Image*> clean;
        {
            std::lock_guard<std::mutex> lock(mutex);
            QStringList sizes;
            for (const Image* i : images) {
                sizes << QString("%1x%2").arg(i->width).arg(i->height);
                if (i->meta.source.find("refuse") != std::string::npos)
                    throw Error("the model refused an image of this batch");
            }
            batches << sizes;
        }
        return inner_->runBatch(images, options, control);
    }
    std::mutex mutex;
    QList<QStringList> batches;  // the sizes of each batch run as one
    QList<int> singles;          // widths of the images run alone
  private:
    std::shared_ptr<jobs::InferenceBackend> inner_;
};

const QString kPydicom = MEDVAE_PYDICOM_FILES;
const QString kSamples = MEDVAE_SOURCE_DIR "/resources/samples";

}  // namespace

class TestBatch : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void inputsAreCollectedInAStableOrder() {
        QTemporaryDir dir;
        const QString root = dir.path();
        for (const char* f :
             {"in/b.png", "in/a.png", "in/sub/c.v2.png", "in/sub/deeper/d.dcm", "in/.hidden.png",
              "in/.git/x.png", "in/e.png.part", "in/f.png.crdownload", "in/notes.md",
              "in/out/old_latent.npy", "other/a.png"})
            writeText(root + "/" + f, "x");
        writeText(root + "/list.txt",
                  "# inputs\nhttp://127.0.0.1:9/img/u1.png\n\nin/a.png\nother/a.png\n");

        jobs::BatchInputOptions o;
        o.exclude = {"*.md"};
        o.skipDir = (root + "/in/out").toStdString();
        const std::string r = root.toStdString();
        const auto items = jobs::BatchInputs::collect({r + "/in", r + "/list.txt"}, o);
        QStringList got;
        for (const auto& i : items)
            got << QString::fromStdString(i.relativeStem + "|" +
                                          (i.duplicateOf.empty() ? "" : "dup") + "|" +
                                          (i.error.empty() ? "" : "err"));
        QCOMPARE(got, QStringList({"a||", "b||", "sub/c.v2||", "sub/deeper/d||", "u1||", "a|dup|",
                                   "a||err"}));
        for (int k = 0; k < int(items.size()); ++k)
            QCOMPARE(items[std::size_t(k)].index, k);

        o.include = {"*.dcm", "sub/*.png"};
        const auto only = jobs::BatchInputs::collect({r + "/in"}, o);
        QCOMPARE(only.size(), std::size_t(2));
        QCOMPARE(only[0].relativeStem, std::string("sub/c.v2"));
        QCOMPARE(only[1].relativeStem, std::string("sub/deeper/d"));

        QVERIFY_THROWS_EXCEPTION(Error, jobs::BatchInputs::collect({r + "/missing"}, {}));
        // Shards partition the items.
        QSet<int> seen;
        for (int s = 0; s < 3; ++s)
            for (const auto& i : jobs::BatchInputs::shard(items, s, 3)) {
                QCOMPARE(i.index % 3, s);
                QVERIFY(!seen.contains(i.index));
                seen.insert(i.index);
            }
        QCOMPARE(seen.size(), int(items.size()));
        QVERIFY_THROWS_EXCEPTION(Error, jobs::BatchInputs::shard(items, 3, 3));
    }

    void manifestRepairsARecordCutShort() {
        QTemporaryDir dir;
        const QString base = dir.path() + "/manifest";
        // Rows derived from records {"x": ..., "y": ...}.
        const auto rowOf = [](const std::string& line) -> std::optional<std::vector<std::string>> {
            const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
            if (o.isEmpty()) return std::nullopt;
            return std::vector<std::string>{o["x"].toString().toStdString(),
                                            o["y"].toString().toStdString()};
        };
        writeText(base + ".jsonl", "{\"x\":\"1\",\"y\":\"2\"}\n{\"b\":");
        writeText(base + ".csv", "x,y\n1,2\n3,");
        {
            ManifestWriter w(base.toStdString(), {{"x"}, {"y"}}, rowOf);
            w.append("{\"x\":\"5\",\"y\":\"with \\\"quote\\\", comma\"}");
        }
        QFile j(base + ".jsonl"), c(base + ".csv");
        QVERIFY(j.open(QIODevice::ReadOnly) && c.open(QIODevice::ReadOnly));
        QCOMPARE(j.readAll(), QByteArray("{\"x\":\"1\",\"y\":\"2\"}\n"
                                         "{\"x\":\"5\",\"y\":\"with \\\"quote\\\", comma\"}\n"));
        QCOMPARE(c.readAll(), QByteArray("x,y\n1,2\n5,\"with \"\"quote\"\", comma\"\n"));
        // A new manifest gets its header; Python's csv module reads the quoting back.
        {
            ManifestWriter w((dir.path() + "/fresh").toStdString(), {{"input"}, {"error"}},
                             [](const std::string&) {
                                 return std::optional<std::vector<std::string>>(
                                     std::vector<std::string>{"a,b.png", "line1\nline2"});
                             });
            w.append("{}");
        }
        QCOMPARE(python("import csv, sys; print(list(csv.DictReader(open(sys.argv[1]))))",
                        {dir.path() + "/fresh.csv"}),
                 QString("[{'input': 'a,b.png', 'error': 'line1\\nline2'}]"));
        QVERIFY_THROWS_EXCEPTION(Error, ManifestWriter("/proc/nonexistent/dir/m", {{"x"}}, rowOf));
    }

    void endToEnd() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in + "/nested/deeper"));
        QVERIFY(makeImages(in, {"g8.png:gray8:72:60", "rgb.v2.png:rgb:64:64"}));
        QVERIFY(makeImages(in + "/nested", {"g16.png:gray16:48:56"}));
        QVERIFY(QFile::copy(kPydicom + "/MR_small.dcm", in + "/nested/deeper/mr"));  // no extension
        QVERIFY(QFile::copy(kPydicom + "/CT_small.dcm", in + "/nested/ct.dcm"));
        writeText(in + "/nested/corrupt.png", QByteArray("\x89PNG\r\n\x1a\n broken", 17));
        writeText(in + "/.DS_Store", "junk");
        writeText(in + "/partial.png.part", "junk");

        const Run r = cli({"batch", "-i", in, "-o", out, "--decode", "--formats",
                           "npy,z,png,error,nii", "--workers", "2", "--progress", "lines"});
        QCOMPARE(r.code, 1);  // one item failed
        QVERIFY2(r.out.contains("5 done, 0 skipped"), qPrintable(r.out));
        QVERIFY2(r.out.contains("1 failed"), qPrintable(r.out));
        QVERIFY2(r.err.contains("corrupt.png"), qPrintable(r.err));

        const QStringList stems = {"g8", "rgb.v2", "nested/g16", "nested/deeper/mr", "nested/ct"};
        QStringList expected = {"manifest.csv", "manifest.jsonl"};
        for (const QString& s : stems)
            for (const char* suffix :
                 {"_latent.npy", "_z.npy", "_decoded.png", "_error.png", "_latent.nii.gz"})
                expected << s + suffix;
        expected.sort();
        QCOMPARE(filesUnder(out), expected);  // no temporary files, nothing for skipped names

        // Every latent and z equals single-image `encode` of the same file.
        const QString single = dir.path() + "/single";
        QStringList sources = {in + "/g8.png", in + "/rgb.v2.png", in + "/nested/g16.png",
                               in + "/nested/deeper/mr", in + "/nested/ct.dcm"};
        const Run e = cli(QStringList{"encode", "-o", single} + sources);
        QCOMPARE(e.code, 0);
        const QString compare = R"(
import sys, numpy as np, gzip, struct
out, single = sys.argv[1], sys.argv[2]
pairs = [p.split('=') for p in sys.argv[3:]]
worst = 0.0
for stem, name in pairs:
    for kind in ('latent', 'z'):
        a = np.load(f'{out}/{stem}_{kind}.npy'); b = np.load(f'{single}/{name}_{kind}.npy')
        assert a.dtype == np.float32 and a.shape == b.shape, (stem, a.shape, b.shape)
        worst = max(worst, float(np.abs(a.astype(np.float64) - b).max()))
    # The NIfTI latent, parsed here from the format's definition: 348-byte header, dims at 40,
    # datatype 16 (float32) at 70, vox_offset at 108, Fortran-order data, identity sform.
    raw = gzip.open(f'{out}/{stem}_latent.nii.gz', 'rb').read()
    assert struct.unpack('<i', raw[:4])[0] == 348 and raw[344:348] == b'n+1\0'
    dim = struct.unpack('<8h', raw[40:56]); assert struct.unpack('<h', raw[70:72])[0] == 16
    srow = np.array(struct.unpack('<12f', raw[280:328])).reshape(3, 4)
    assert np.array_equal(srow, np.eye(4)[:3]), srow
    off = int(struct.unpack('<f', raw[108:112])[0])
    arr = np.frombuffer(raw[off:], dtype='<f4').reshape(dim[1:1 + dim[0]], order='F')
    b = np.load(f'{single}/{name}_latent.npy').squeeze()
    assert arr.shape == b.shape, (arr.shape, b.shape)
    worst = max(worst, float(np.abs(arr - b).max()))
print(worst)
)";
        const QString worst =
            python(compare, {out, single, "g8=g8", "rgb.v2=rgb.v2", "nested/g16=g16",
                             "nested/deeper/mr=mr", "nested/ct=ct"});
        QVERIFY2(worst != "<python failed>", "numpy comparison failed");
        QVERIFY2(worst.toDouble() <= 1e-6, qPrintable("latents differ by " + worst));

        // NiftiFile reads the same values back.
        const NiftiVolume v = NiftiFile::read((out + "/g8_latent.nii.gz").toStdString());
        QCOMPARE(v.dims[0], std::int64_t(4));  // [C, h, w]: C = 4, 60/8 = 7, 72/8 = 9
        QCOMPARE(v.dims[1], std::int64_t(7));
        QCOMPARE(v.dims[2], std::int64_t(9));
        const QString firstValues = python(
            "import numpy as np, sys; a = np.load(sys.argv[1]); print(repr(float(a[1, 2, 3])))",
            {out + "/g8_latent.npy"});
        QCOMPARE(double(v.at(1, 2, 3)), firstValues.toDouble());

        // The manifest: one record per item, complete.
        const QString sha = python(
            "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "
            "'rb').read()).hexdigest())",
            {MEDVAE_SOURCE_DIR "/resources/models/medvae-demo-8x4.ckpt"});
        const auto records = readJsonl(out + "/manifest.jsonl");
        QCOMPARE(records.size(), 6);
        QSet<QString> seenStems;
        for (const QJsonObject& o : records) {
            const QString stem = o["output_stem"].toString();
            seenStems.insert(stem);
            QCOMPARE(o["model"].toObject()["sha256"].toString(), sha);
            QCOMPARE(o["model"].toObject()["demo_model"].toBool(), true);
            QVERIFY(!o["app_version"].toString().isEmpty());
            QVERIFY(o["settings"].toString().contains("formats=npy,z,png,error,nii"));
            QVERIFY(o["timings"].toObject().contains("infer_s"));
            if (stem == "nested/corrupt") {
                QCOMPARE(o["status"].toString(), QString("failed"));
                QVERIFY(o["error"].toString().contains("corrupt.png"));
                QVERIFY(o["outputs"].toArray().isEmpty());
                continue;
            }
            QCOMPARE(o["status"].toString(), QString("ok"));
            QCOMPARE(o["outputs"].toArray().size(), 5);
            const QJsonObject m = o["metrics"].toObject();
            QVERIFY(m["psnr_db"].toDouble() > 5 && m["ssim"].toDouble() > 0 &&
                    m["mae"].toDouble() > 0);
            QCOMPARE(o["latent_shape"].toArray().size(), 3);
        }
        QCOMPARE(seenStems.size(), 6);
        QVERIFY(seenStems.contains("nested/deeper/mr"));
        // The CSV holds the same records (read by Python's csv module).
        const QString csv = python(
            "import csv, sys; rows = list(csv.DictReader(open(sys.argv[1])));"
            "print(len(rows), sorted(r['status'] for r in rows).count('ok'),"
            " all(len(r['model_sha256']) == 64 for r in rows))",
            {out + "/manifest.csv"});
        QCOMPARE(csv, QString("6 5 True"));
        // The PNGs are what numpy/PIL read: decoded as big as the reconstruction, error as RGB.
        const QString png = python(
            "from PIL import Image; import sys; d = Image.open(sys.argv[1]); e = "
            "Image.open(sys.argv[2]); print(d.size, e.size, e.mode)",
            {out + "/g8_decoded.png", out + "/g8_error.png"});
        QCOMPARE(png, QString("(72, 56) (72, 56) RGB"));
    }

    void resumeAfterKill() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in));
        QStringList specs;
        for (int i = 0; i < 14; ++i)
            specs << QString("img%1.png:gray8:160:160").arg(i, 2, 10, QChar('0'));
        QVERIFY(makeImages(in, specs));
        const QStringList args = {"batch",     "-i",        in,          "-o", out,
                                  "--formats", "npy,z,nii", "--workers", "2",  "--progress",
                                  "lines",     "--threads", "1"};

        QProcess p;
        p.start(MEDVAE_CLI, args);
        QVERIFY(p.waitForStarted(10000));
        // Bounded wait until the manifest reports two items, then kill the process hard.
        int reported = 0;
        for (int polls = 0; polls < 1200 && reported < 2; ++polls) {
            if (p.waitForFinished(50)) break;
            reported = readJsonl(out + "/manifest.jsonl").size();
        }
        QVERIFY2(reported >= 2, "the batch reported nothing in time");
        QCOMPARE(p.state(), QProcess::Running);  // killed mid-run, not after it ended
        p.kill();
        QVERIFY(p.waitForFinished(10000));

        // What the manifest reports done is complete on disk.
        const auto before = readJsonl(out + "/manifest.jsonl");
        QSet<QString> doneBefore;
        for (const auto& o : before) {
            QCOMPARE(o["status"].toString(), QString("ok"));
            doneBefore.insert(o["output_stem"].toString());
            for (const auto& f : o["outputs"].toArray())
                QVERIFY2(QFileInfo::exists(out + "/" + f.toString()), qPrintable(f.toString()));
        }
        QVERIFY(doneBefore.size() < 14);

        const Run r = cli(args + QStringList{"--resume"});
        QCOMPARE(r.code, 0);
        const QString expect =
            QString("%1 done, %2 skipped").arg(14 - doneBefore.size()).arg(doneBefore.size());
        QVERIFY2(r.out.contains(expect), qPrintable(r.out + "\nexpected " + expect));

        // Every item exactly once "ok" in the manifest, no temporary files, all files readable.
        const auto after = readJsonl(out + "/manifest.jsonl");
        QCOMPARE(after.size(), 14);
        QSet<QString> stems;
        for (const auto& o : after) {
            QCOMPARE(o["status"].toString(), QString("ok"));
            stems.insert(o["output_stem"].toString());
        }
        QCOMPARE(stems.size(), 14);
        for (const QString& f : filesUnder(out))
            QVERIFY2(!f.contains(".partial-") && !QFileInfo(f).fileName().startsWith('.'),
                     qPrintable(f));
        const QString check = python(R"(
import sys, glob, numpy as np, gzip
files = sorted(glob.glob(sys.argv[1] + '/*.npy'))
for f in files: assert np.load(f).shape == (4, 20, 20), f
for f in glob.glob(sys.argv[1] + '/*.nii.gz'): gzip.open(f).read()
print(len(files))
)",
                                     {out});
        QCOMPARE(check, QString("28"));

        // A second resume has nothing to do.
        const Run again = cli(args + QStringList{"--resume"});
        QCOMPARE(again.code, 0);
        QVERIFY2(again.out.contains("0 done, 14 skipped"), qPrintable(again.out));
        // Other settings are not "complete": the z file is missing from the formats asked now.
        const Run other = cli({"batch", "-i", in, "-o", out, "--formats", "npy", "--resume",
                               "--progress", "lines", "--include", "img0*.png"});
        QCOMPARE(other.code, 0);
        QVERIFY2(other.out.contains("10 done, 0 skipped"), qPrintable(other.out));
    }

    void shardsCoverEveryItemOnce() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in + "/a"));
        QStringList specs;
        for (int i = 0; i < 7; ++i)
            specs << QString("s%1.png:gray8:24:24").arg(i);
        QVERIFY(makeImages(in, specs));
        QVERIFY(makeImages(in + "/a", {"t.png:rgb:16:16", "u.png:gray8:16:24"}));
        writeText(in + "/a/bad.png", "not an image");
        QMap<QString, int> count;
        for (int s = 0; s < 3; ++s) {
            const Run r = cli({"batch", "-i", in, "-o", out, "--shard", QString("%1/3").arg(s),
                               "--progress", "lines"});
            QVERIFY2(r.code == 0 || r.code == 1, qPrintable(r.err));
            for (const auto& o : readJsonl(out + QString("/manifest-shard-%1-of-3.jsonl").arg(s))) {
                QCOMPARE(o["index"].toInt() % 3, s);
                ++count[o["output_stem"].toString()];
            }
        }
        QCOMPARE(count.size(), 10);
        for (auto it = count.begin(); it != count.end(); ++it)
            QCOMPARE(it.value(), 1);
        QVERIFY(!QFileInfo::exists(out + "/manifest.jsonl"));
        const Run bad = cli({"batch", "-i", in, "-o", out, "--shard", "3/3"});
        QCOMPARE(bad.code, 2);
    }

    // --batch N: images of one size run together through the real engine, within the memory
    // budget; every item is written once, with the numbers a run one by one gives.
    void batchesMatchOneByOne() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in));
        QStringList specs;
        for (int i = 0; i < 5; ++i)
            specs << QString("w%1.png:gray8:64:48").arg(i);
        specs << "s0.png:gray8:32:32"
              << "s1.png:rgb:32:32"
              << "t0.png:gray16:64:48";
        QVERIFY(makeImages(in, specs));
        const auto items = jobs::BatchInputs::collect({in.toStdString()});
        auto engine =
            jobs::LocalBackend::open(MEDVAE_SOURCE_DIR "/resources/models/medvae-demo-8x4.ckpt");
        QMap<QString, QString> stats;
        for (int batchSize : {1, 4}) {
            jobs::BatchSettings settings;
            settings.outputDir = (dir.path() + QString("/out%1").arg(batchSize)).toStdString();
            settings.zNpy = true;
            settings.decode = true;
            settings.batchSize = batchSize;
            settings.decodeThreads = 1;  // items reach inference in order: the batches below
            settings.appVersion = "test";
            auto backend = std::make_shared<RecordingBackend>(engine);
            jobs::BatchPipeline pipeline(backend, settings);
            const jobs::BatchSummary s = pipeline.run(items);
            QCOMPARE(s.done, 8);
            QVERIFY(s.ok());
            if (batchSize == 1) {
                QVERIFY(backend->batches.isEmpty());
                QCOMPARE(backend->singles.size(), 8);
                continue;
            }
            // In order (s0, s1, t0, w0..w4): the 32x32 gray and RGB images alone (batches group
            // the images' own channel counts), then 64x48 as a batch of four and one of two.
            int batched = 0;
            for (const QStringList& b : backend->batches) {
                QVERIFY2(b.size() <= 4, qPrintable(b.join(',')));
                QCOMPARE(QSet<QString>(b.begin(), b.end()).size(), 1);
                batched += b.size();
            }
            QCOMPARE(backend->batches.size(), 2);
            QCOMPARE(backend->batches[0], QStringList(4, "64x48"));
            QCOMPARE(backend->batches[1], QStringList(2, "64x48"));
            QCOMPARE(batched + backend->singles.size(), 8);
        }
        // The numbers one by one gives, to float32 rounding (numpy reads both): a batch runs other
        // convolution kernels than a single image, as the engine's parity tests allow (1e-4 of
        // the largest value, as against the PyTorch reference).
        const QString check = python(R"(
import numpy as np, sys, pathlib
a, b = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
files = sorted(p.relative_to(a) for p in a.rglob('*.npy'))
assert len(files) == 16, files
worst = 0.0
for f in files:
    x, y = np.load(a / f), np.load(b / f)
    assert x.shape == y.shape, (f, x.shape, y.shape)
    worst = max(worst, float(np.abs(x.astype(np.float64) - y).max() / max(np.abs(y).max(), 1e-30)))
print('ok %d %.3g' % (len(files), worst) if worst <= 1e-4 else 'differ %.3g' % worst)
)",
                                     {dir.path() + "/out1", dir.path() + "/out4"});
        QVERIFY2(check.startsWith("ok 16"), qPrintable(check));
    }

    // A batch that fails is run again image by image: only the image at fault fails.
    void aFailedBatchFallsBackToEachImage() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"a.png:gray8:32:32", "b.png:gray8:32:32", "refuse.png:gray8:32:32",
                                "d.png:gray8:32:32"}));
        jobs::BatchSettings settings;
        settings.outputDir = (dir.path() + "/out").toStdString();
        settings.batchSize = 4;
        settings.decodeThreads = 1;
        settings.appVersion = "test";
        auto backend = std::make_shared<RecordingBackend>(
            jobs::LocalBackend::open(MEDVAE_SOURCE_DIR "/resources/models/medvae-demo-8x4.ckpt"));
        jobs::BatchPipeline pipeline(backend, settings);
        const jobs::BatchSummary s = pipeline.run(jobs::BatchInputs::collect({in.toStdString()}));
        QCOMPARE(s.done, 3);
        QCOMPARE(s.failed, 1);
        QCOMPARE(backend->batches.size(), 0);  // the one batch of four threw before running
        QCOMPARE(backend->singles.size(), 3);
        for (const auto& o : readJsonl(dir.path() + "/out/manifest.jsonl"))
            QCOMPARE(o["error"].toString(), o["output_stem"].toString() == "refuse"
                                                ? QString("the model refused this image")
                                                : QString());
    }

    void urlListFile() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"remote.png:gray8:40:32", "local.png:rgb:24:24"}));
        QFile png(in + "/remote.png");
        QVERIFY(png.open(QIODevice::ReadOnly));
        test::LoopbackHttpServer server;
        test::LoopbackHttpServer::Response ok;
        ok.body = png.readAll();
        ok.headers = {{"Content-Type", "image/png"}};
        server.setRoute("/images/remote.png", ok);
        test::LoopbackHttpServer::Response missing;
        missing.status = 404;
        missing.reason = "Not Found";
        server.setRoute("/images/gone.png", missing);
        writeText(dir.path() + "/inputs.urls",
                  ("# one per line\n" + server.url("/images/remote.png") + "\n\n" +
                   server.url("/images/gone.png") + "\nin/local.png\n")
                      .toUtf8());
        const Run r = cli({"batch", "-i", dir.path() + "/inputs.urls", "-o", out, "--formats",
                           "npy", "--progress", "lines"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.out.contains("2 done") && r.out.contains("1 failed"), qPrintable(r.out));
        QCOMPARE(server.requestCount("/images/remote.png"), 1);
        const auto records = readJsonl(out + "/manifest.jsonl");
        QCOMPARE(records.size(), 3);
        for (const auto& o : records)
            if (o["output_stem"].toString() == "gone") {
                QCOMPARE(o["status"].toString(), QString("failed"));
                QVERIFY2(o["error"].toString().contains("404"), qPrintable(o["error"].toString()));
            }
        // The downloaded image encodes exactly as the same file read from disk.
        const Run e = cli({"encode", "-o", dir.path() + "/single", in + "/remote.png"});
        QCOMPARE(e.code, 0);
        const QString same = python(
            "import numpy as np, sys; print(np.array_equal(np.load(sys.argv[1]), "
            "np.load(sys.argv[2])))",
            {out + "/remote_latent.npy", dir.path() + "/single/remote_latent.npy"});
        QCOMPARE(same, QString("True"));
        QVERIFY(QFileInfo::exists(out + "/local_latent.npy"));
    }

    void backendFailuresStayWithTheirItem() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"a.png:gray8:32:16", "b.png:gray8:24:24", "c.png:rgb:40:16"}));
        jobs::BatchSettings settings;
        settings.outputDir = (dir.path() + "/out").toStdString();
        settings.decode = true;
        settings.appVersion = "test";
        auto backend = std::make_shared<FakeBackend>();
        jobs::BatchPipeline pipeline(backend, settings);
        QStringList seen;
        pipeline.onItem = [&](const jobs::BatchItemResult& r) {
            seen << QString::fromStdString(r.item.relativeStem) + ":" +
                        jobs::batchStatusName(r.status);
        };
        const auto items = jobs::BatchInputs::collect({in.toStdString()});
        const jobs::BatchSummary s = pipeline.run(items);
        QCOMPARE(s.total, 3);
        QCOMPARE(s.done, 2);
        QCOMPARE(s.failed, 1);
        QVERIFY(!s.ok() && s.fatalError.empty() && !s.cancelled);
        seen.sort();
        QCOMPARE(seen, QStringList({"a:ok", "b:failed", "c:ok"}));
        const auto records = readJsonl(dir.path() + "/out/manifest.jsonl");
        QCOMPARE(records.size(), 3);
        for (const auto& o : records) {
            QCOMPARE(o["model"].toObject()["key"].toString(), QString("remote:fake@test"));
            if (o["output_stem"].toString() == "b")
                QCOMPARE(o["error"].toString(), QString("the model refused this image"));
            else  // the zero reconstruction against the image: metrics of a real comparison
                QVERIFY(o["metrics"].toObject()["mae"].toDouble() > 0);
        }
    }

    void imagesOverTheMemoryBudgetFailAlone() {
        // A 10000² decompression bomb in a folder of good images: that item fails before
        // decoding with the estimate and the budget in the manifest; the others are done.
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"a.png:gray8:32:16", "c.png:rgb:40:16"}));
        QFile bomb(in + "/b.png");
        QVERIFY(bomb.open(QIODevice::WriteOnly) && bomb.write(test::zeroPng(10000)) > 0);
        bomb.close();
        const Run r = cli({"batch", "-i", in, "-o", dir.path() + "/out", "--decode",
                           "--max-memory-gb", "4", "--progress", "lines"});
        QVERIFY2(r.code == 1, qPrintable(r.out + r.err));
        const auto records = readJsonl(dir.path() + "/out/manifest.jsonl");
        QCOMPARE(records.size(), 3);
        for (const auto& o : records) {
            const QString stem = o["output_stem"].toString();
            QCOMPARE(o["status"].toString(), QString(stem == "b" ? "failed" : "ok"));
            if (stem == "b")
                QVERIFY2(o["error"].toString().contains("10000x10000") &&
                             o["error"].toString().contains("memory budget of 4.0 GB"),
                         qPrintable(o["error"].toString()));
        }
    }

    void cancelFromACallbackStopsCleanly() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in));
        QStringList specs;
        for (int i = 0; i < 12; ++i)
            specs << QString("i%1.png:gray8:32:32").arg(i, 2, 10, QChar('0'));
        QVERIFY(makeImages(in, specs));
        jobs::BatchSettings settings;
        settings.outputDir = (dir.path() + "/out").toStdString();
        settings.queueDepth = 1;
        settings.decodeThreads = settings.writeThreads = 1;
        jobs::BatchPipeline pipeline(std::make_shared<FakeBackend>(), settings);
        int reported = 0;
        pipeline.onItem = [&](const jobs::BatchItemResult&) {
            if (++reported == 2) pipeline.cancel();
        };
        const jobs::BatchSummary s = pipeline.run(jobs::BatchInputs::collect({in.toStdString()}));
        QVERIFY(s.cancelled);
        QVERIFY(s.done >= 2 && s.done < 12);  // bounded queues: little beyond the cancel point
        QCOMPARE(s.done, reported);
        QCOMPARE(readJsonl(dir.path() + "/out/manifest.jsonl").size(), reported);
        QCOMPARE(filesUnder(dir.path() + "/out").size(), reported + 2);  // latents + manifests
    }

    void unwritableOutputStopsWithAClearError() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"a.png:gray8:16:16"}));
        writeText(dir.path() + "/file", "a file, not a folder");
        const Run r = cli({"batch", "-i", in, "-o", dir.path() + "/file/out"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("cannot create the output folder") && r.err.contains("file/out"),
                 qPrintable(r.err));
        const Run missing = cli({"batch", "-i", dir.path() + "/nope", "-o", dir.path() + "/o2"});
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.err.contains("does not exist"), qPrintable(missing.err));
        QVERIFY(!QFileInfo::exists(dir.path() + "/o2"));
    }

    void upstreamSpelling() {
        // -model_name looks in the Hugging Face cache; a cache without it gives the download hint.
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"x.y.png:gray8:32:32"}));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HF_HUB_CACHE", dir.path() + "/hub");
        p.setProcessEnvironment(env);
        p.start(MEDVAE_CLI, {"batch", "-i", in, "-o", dir.path() + "/o", "-model_name",
                             "medvae_8_4_2d", "-modality", "xray"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains("vae_8x_4c_2D.ckpt") && err.contains("huggingface.co"),
                 qPrintable(err));

        // With the file in the cache (the demo model standing in), the upstream layout comes out:
        // <stem>.nii.gz, stem cut at the last dot.
        const QString snap =
            dir.path() + "/hub/models--stanfordmimi--MedVAE/snapshots/abc123/model_weights";
        QVERIFY(QDir().mkpath(snap));
        QVERIFY(QFile::link(MEDVAE_SOURCE_DIR "/resources/models/medvae-demo-8x4.ckpt",
                            snap + "/vae_8x_4c_2D.ckpt"));
        p.start(MEDVAE_CLI, {"batch", "-i", in, "-o", dir.path() + "/o", "-model_name",
                             "medvae_8_4_2d", "-modality", "xray"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(filesUnder(dir.path() + "/o"),
                 QStringList({"manifest.csv", "manifest.jsonl", "x.y.nii.gz"}));
    }
};

QTEST_GUILESS_MAIN(TestBatch)
#include "tst_batch.moc"
