// `medvae-cli batch --compare-model`: every item run by two models (A and B), B's files beside
// A's, both in the manifest. Checked against two single runs (one per model) of the same inputs,
// read back with numpy and Python's csv module; models of other factors and latent channels;
// a refused pair; --resume with a model B.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

#include "batch_test_support.h"

using namespace medvae;

namespace {

using test::CliRun;
using test::filesUnder;
using test::makeImages;
using test::python;
using test::readJsonl;

const QString kDemo = MEDVAE_SOURCE_DIR "/resources/models/medvae-demo-8x4.ckpt";
const QString kFactor4 = MEDVAE_FIXTURES "/v4_3.ckpt";     // 4x, 3 latent channels, 3 inputs
const QString kOneChannel = MEDVAE_FIXTURES "/v8_1.ckpt";  // 8x, 1 latent channel, 1 input
const QString kOther8x4 = MEDVAE_FIXTURES "/v8_4.ckpt";    // 8x, 4 latent channels, 3 inputs

CliRun batch(const QString& in, const QString& out, const QStringList& more) {
    return test::runCli(QStringList{"batch", "-i", in, "-o", out, "--progress", "lines"} + more);
}

QMap<QString, QJsonObject> recordsByStem(const QString& out) {
    QMap<QString, QJsonObject> byStem;
    for (const QJsonObject& o : readJsonl(out + "/manifest.jsonl"))
        byStem[o["output_stem"].toString()] = o;
    return byStem;
}

// The SHA-256 the manifest records for `name` among the record's outputs.
QString recordedSha(const QJsonObject& record, const QString& name) {
    const QJsonArray outputs = record["outputs"].toArray();
    for (int i = 0; i < outputs.size(); ++i)
        if (outputs[i].toString() == name) return record["output_sha256"].toArray()[i].toString();
    return {};
}

const QStringList kFormats = {"--formats", "npy,z,png,error"};

}  // namespace

class TestBatchCompare : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    // Demo (8x, 4 latent channels) against the 4x, 3-channel model: B's metrics, model and files
    // are those of a run with B alone, A's those of a run with A alone.
    void compareEqualsTwoSingleRuns() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"g8.png:gray8:100:76", "rgb.png:rgb:64:48"}));
        const QString ab = dir.path() + "/ab", a = dir.path() + "/a", b = dir.path() + "/b";
        const CliRun r =
            batch(in, ab, QStringList{"--model", kDemo, "--compare-model", kFactor4} + kFormats);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("compared with model B: medvae_4_3_2d"), qPrintable(r.out));
        QCOMPARE(batch(in, a, QStringList{"--model", kDemo} + kFormats).code, 0);
        QCOMPARE(batch(in, b, QStringList{"--model", kFactor4} + kFormats).code, 0);

        QStringList expected = {"manifest.csv", "manifest.jsonl"};
        for (const char* stem : {"g8", "rgb"})
            for (const char* suffix :
                 {"_latent.npy", "_z.npy", "_decoded.png", "_error.png", "_latent_b.npy",
                  "_z_b.npy", "_decoded_b.png", "_error_b.png"})
                expected << stem + QString(suffix);
        expected.sort();
        QCOMPARE(filesUnder(ab), expected);

        const auto both = recordsByStem(ab), onlyA = recordsByStem(a), onlyB = recordsByStem(b);
        QCOMPARE(both.size(), 2);
        for (const QString& stem : both.keys()) {
            const QJsonObject o = both[stem], c = o["compare"].toObject();
            QCOMPARE(o["status"].toString(), QString("ok"));
            QCOMPARE(QStringList(c.keys()), (QStringList{"metrics", "model", "outputs"}));
            // The very numbers each model gives alone (JSON doubles, compared exactly).
            QCOMPARE(o["metrics"].toObject(), onlyA[stem]["metrics"].toObject());
            QCOMPARE(c["metrics"].toObject(), onlyB[stem]["metrics"].toObject());
            QCOMPARE(o["model"].toObject(), onlyA[stem]["model"].toObject());
            QCOMPARE(c["model"].toObject(), onlyB[stem]["model"].toObject());
            QCOMPARE(o["latent_shape"], onlyA[stem]["latent_shape"]);
            // B's files: listed in compare.outputs and in the record's outputs (for --resume),
            // byte for byte B's single run's files.
            const QJsonArray bFiles = c["outputs"].toArray();
            QCOMPARE(bFiles.size(), 4);
            QCOMPARE(o["outputs"].toArray().size(), 8);
            QCOMPARE(o["output_sha256"].toArray().size(), 8);
            for (const QJsonValue& f : bFiles) {
                const QString name = f.toString(), alone = QString(name).replace("_b.", ".");
                QVERIFY2(name.endsWith("_b.npy") || name.endsWith("_b.png"), qPrintable(name));
                QCOMPARE(recordedSha(o, name), recordedSha(onlyB[stem], alone));
                QVERIFY(!recordedSha(o, name).isEmpty());
            }
            for (const QJsonValue& f : onlyA[stem]["outputs"].toArray())
                QCOMPARE(recordedSha(o, f.toString()), recordedSha(onlyA[stem], f.toString()));
        }
        // Different factors: 100x76 is cropped to 96x72 by the 8x model, whole for the 4x one.
        QCOMPARE(both["g8"]["metrics"].toObject()["cropped"].toBool(), true);
        QCOMPARE(both["g8"]["compare"].toObject()["metrics"].toObject()["cropped"].toBool(), false);
        // The latents as numpy reads them: [4, 9, 12] for A, [3, 19, 25] for B.
        QCOMPARE(python("import numpy as np, sys; print(np.load(sys.argv[1]).shape, "
                        "np.load(sys.argv[2]).shape)",
                        {ab + "/g8_latent.npy", ab + "/g8_latent_b.npy"}),
                 QString("(4, 9, 12) (3, 19, 25)"));
        // The CSV's B columns (Python's csv module) hold the JSON's values.
        const QString csv = python(R"(
import csv, json, sys
rows = {r['output_stem']: r for r in csv.DictReader(open(sys.argv[1]))}
for line in open(sys.argv[2]):
    o = json.loads(line); r = rows[o['output_stem']]; c = o['compare']
    for k in ('psnr_db', 'ssim', 'mae', 'max_error'):
        assert abs(float(r[k + '_b']) - c['metrics'][k]) <= 1e-7 * max(1, abs(c['metrics'][k])), k
        assert r[k + '_b'] != r[k], k
    assert r['model_b'] == c['model']['name'] and r['model_sha256_b'] == c['model']['sha256']
print('ok', len(rows))
)",
                                   {ab + "/manifest.csv", ab + "/manifest.jsonl"});
        QCOMPARE(csv, QString("ok 2"));
    }

    void inputChannelMismatchIsRefused() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"g8.png:gray8:64:48"}));
        const CliRun r = batch(in, out, {"--model", kDemo, "--compare-model", kOneChannel});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("3 input channels") && r.err.contains("1 input channels") &&
                     r.err.contains("same input channels"),
                 qPrintable(r.err));
        QVERIFY2(!QFile::exists(out), "a refused pair of models wrote an output folder");
    }

    void upstreamSpellingWithCompareIsAUsageError() {
        QTemporaryDir dir;
        const CliRun r = test::runCli({"batch", "-i", dir.path(), "-o", dir.path() + "/out",
                                       "-ckpt_path", kDemo, "--compare-model", kFactor4});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--compare-model does not go with the upstream spelling"),
                 qPrintable(r.err));
    }

    // --resume with a model B: a record without B's results, with another B's, or with a B file
    // gone is done again (saying why); a complete one is skipped.
    void resumeWithCompare() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"a.png:gray8:64:48", "b.png:rgb:48:40"}));
        const QStringList withB = {"--model", kDemo, "--compare-model", kFactor4, "--resume"};
        QCOMPARE(batch(in, out, {"--model", kDemo}).code, 0);

        CliRun r = batch(in, out, withB);
        QVERIFY2(r.code == 0 && r.out.contains("2 done, 0 skipped"), qPrintable(r.out + r.err));
        for (const QJsonObject& o : readJsonl(out + "/manifest.jsonl").mid(2)) {
            QCOMPARE(o["redo_reason"].toString(),
                     QString("the manifest records no results of model B for it"));
            QCOMPARE(o["compare"].toObject()["outputs"].toArray().size(), 1);
        }

        r = batch(in, out, withB);
        QVERIFY2(r.code == 0 && r.out.contains("0 done, 2 skipped"), qPrintable(r.out + r.err));
        // Without --compare-model, A's results are complete whatever B left.
        r = batch(in, out, {"--model", kDemo, "--resume"});
        QVERIFY2(r.code == 0 && r.out.contains("0 done, 2 skipped"), qPrintable(r.out + r.err));

        QVERIFY(QFile::remove(out + "/b_latent_b.npy"));
        r = batch(in, out, withB);
        QVERIFY2(r.code == 0 && r.out.contains("1 done, 1 skipped"), qPrintable(r.out + r.err));
        QCOMPARE(readJsonl(out + "/manifest.jsonl").last()["redo_reason"].toString(),
                 QString("the output 'b_latent_b.npy' is missing"));
        QVERIFY(QFile::exists(out + "/b_latent_b.npy"));

        r = batch(in, out, {"--model", kDemo, "--compare-model", kOther8x4, "--resume"});
        QVERIFY2(r.code == 0 && r.out.contains("2 done, 0 skipped"), qPrintable(r.out + r.err));
        const QJsonObject last = readJsonl(out + "/manifest.jsonl").last();
        QCOMPARE(last["redo_reason"].toString(),
                 QString("the manifest records results of another model B for it"));
        QCOMPARE(last["compare"].toObject()["model"].toObject()["name"].toString(),
                 QString("medvae_8_4_2d"));
    }
};

QTEST_GUILESS_MAIN(TestBatchCompare)
#include "tst_batch_compare.moc"
