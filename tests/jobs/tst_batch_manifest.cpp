// The batch manifest after crashes and against hostile names: the CSV is derived from the JSON
// Lines (the record of truth) and repaired in every state a kill can leave; --resume verifies
// each output's recorded size and SHA-256; spreadsheet formulas in names are escaped; names that
// are not UTF-8 are kept exactly. medvae-cli batch runs as a real process; Python's csv, json and
// hashlib check the files independently.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include "batch_inputs.h"
#include "batch_pipeline.h"
#include "batch_test_support.h"
#include "error.h"

using namespace medvae;
using test::makeImages;
using test::python;
using test::readJsonl;
using test::runCli;

namespace {

// Compares manifest.csv with manifest.jsonl (Python's csv and json modules): prints
// "<n> records agree" or what differs, then "stems:" and each ok stem's count when one repeats.
const char* kAgree = R"(
import csv, json, sys, collections
out = sys.argv[1]
rows = list(csv.DictReader(open(out + '/manifest.csv', newline='', encoding='utf-8')))
recs = [json.loads(l) for l in open(out + '/manifest.jsonl', encoding='utf-8') if l.strip()]
keys = ('index', 'output_stem', 'status', 'finished_at')
a = [tuple(str(r[k]) for k in keys) for r in rows]
b = [tuple(str(r[k]) for k in keys) for r in recs]
ok = collections.Counter(r['output_stem'] for r in recs if r['status'] == 'ok')
twice = sorted(s for s, n in ok.items() if n > 1)
if a != b: print('csv %d rows, jsonl %d records: %s' % (len(a), len(b), set(a) ^ set(b)))
else: print('%d records agree, %d ok stems, twice: %s' % (len(b), len(ok), twice))
)";

// Truncates `path` to its first `keep` bytes.
bool truncateTo(const QString& path, qint64 keep) {
    QFile f(path);
    return f.open(QIODevice::ReadWrite) && f.resize(keep);
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Removes folders whose names Qt cannot spell (bytes that are not UTF-8), with Python.
struct RemoveWithPython {
    QString path;
    ~RemoveWithPython() { python("import shutil, sys; shutil.rmtree(sys.argv[1], True)", {path}); }
};

// Reconstructs every image as 50 in model space (far outside [-1, 1]): a PSNR below zero, a
// genuinely negative number in a numeric column of the manifest.
class FarOffBackend : public jobs::InferenceBackend {
  public:
    jobs::BackendDescription describe() const override {
        jobs::BackendDescription d;
        d.kind = "remote";
        d.model = "far-off";
        d.location = "test";
        return d;
    }
    EncodeResult run(const Image& image, const EncodeOptions&, const RunControl*) override {
        EncodeResult r;
        r.latent = at::full({4, image.height / 8, image.width / 8}, 0.5f);
        r.decoded = at::full({1, image.height / 8 * 8, image.width / 8 * 8}, 50.0f);
        return r;
    }
};

}  // namespace

class TestBatchManifest : public QObject {
    Q_OBJECT

    QStringList batchArgs(const QString& in, const QString& out) const {
        return {"batch", "-i", in, "-o", out, "--progress", "lines", "--workers", "1"};
    }

  private Q_SLOTS:
    void csvIsRepairedFromTheJsonLines_data() {
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("expectedRun");
        // What a kill leaves, whichever file was flushed first.
        QTest::newRow("extra CSV row") << "extra-csv"
                                       << "1 done, 3 skipped";
        QTest::newRow("missing CSV row") << "missing-csv"
                                         << "0 done, 4 skipped";
        QTest::newRow("torn CSV line") << "torn-csv"
                                       << "0 done, 4 skipped";
        QTest::newRow("torn JSON Lines record") << "torn-jsonl"
                                                << "1 done, 3 skipped";
    }
    void csvIsRepairedFromTheJsonLines() {
        QFETCH(QString, state);
        QFETCH(QString, expectedRun);
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"a.png:gray8:32:32", "b.png:gray8:32:24", "c.png:rgb:24:32",
                                "d.png:gray16:40:32"}));
        const test::CliRun first = runCli(batchArgs(in, out));
        QCOMPARE(first.code, 0);
        QCOMPARE(python(kAgree, {out}), QString("4 records agree, 4 ok stems, twice: []"));

        const QString csv = out + "/manifest.csv", jsonl = out + "/manifest.jsonl";
        const QByteArray csvBytes = readAll(csv), jsonlBytes = readAll(jsonl);
        const qint64 lastCsvRow = csvBytes.lastIndexOf('\n', csvBytes.size() - 2) + 1;
        const qint64 lastRecord = jsonlBytes.lastIndexOf('\n', jsonlBytes.size() - 2) + 1;
        if (state == "extra-csv")  // the CSV row flushed, the JSON record not yet written
            QVERIFY(truncateTo(jsonl, lastRecord));
        else if (state == "missing-csv")  // the JSON record flushed, the CSV row not yet written
            QVERIFY(truncateTo(csv, lastCsvRow));
        else if (state == "torn-csv")
            QVERIFY(truncateTo(csv, lastCsvRow + (csvBytes.size() - lastCsvRow) / 2));
        else
            QVERIFY(truncateTo(jsonl, lastRecord + (jsonlBytes.size() - lastRecord) / 2));

        const test::CliRun resumed = runCli(batchArgs(in, out) << "--resume");
        QCOMPARE(resumed.code, 0);
        QVERIFY2(resumed.out.contains(expectedRun), qPrintable(resumed.out));
        QCOMPARE(python(kAgree, {out}), QString("4 records agree, 4 ok stems, twice: []"));
    }

    void killedAtEveryFsyncThenResumed() {
        // The process killed at the n-th fsync (strace's fault injection), for every n a batch
        // of two items reaches; then --resume. CSV and JSON Lines must agree, each item once ok.
        const QString strace = QStandardPaths::findExecutable("strace");
        if (strace.isEmpty()) QFAIL("strace is missing: run packaging/install-deps.sh");
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"a.png:gray8:32:32", "b.png:gray8:32:24"}));
        // strace counts calls per thread: the main thread flushes the new CSV (its 1st fsync);
        // the writing thread flushes per item its output, then two records (its 1st to 6th).
        for (int n = 1; n <= 2 * 3; ++n) {
            const QString out = dir.path() + QString("/out%1").arg(n);
            QProcess p;
            p.start(strace,
                    QStringList{"-f", "-o", "/dev/null", "-e", "trace=fsync", "-e",
                                QString("inject=fsync:signal=KILL:when=%1").arg(n), MEDVAE_CLI} +
                        batchArgs(in, out));
            QVERIFY(p.waitForFinished(60000));
            const QString err = QString::fromUtf8(p.readAllStandardError());
            QVERIFY2(!err.contains("Operation not permitted"), qPrintable(err));
            // strace ends itself with the signal its process got: the kill did happen.
            QVERIFY2(p.exitStatus() == QProcess::CrashExit, qPrintable(QString::number(n)));
            const test::CliRun resumed = runCli(batchArgs(in, out) << "--resume");
            QVERIFY2(resumed.code == 0, qPrintable(resumed.out + resumed.err));
            QCOMPARE(python(kAgree, {out}), QString("2 records agree, 2 ok stems, twice: []"));
        }
    }

    void resumeVerifiesSizeAndHash() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"a.png:gray8:32:32", "b.png:gray8:32:24", "c.png:rgb:24:32",
                                "d.png:gray8:40:32"}));
        const QStringList args = batchArgs(in, out) + QStringList{"--formats", "npy,z", "--resume"};
        QCOMPARE(runCli(args).code, 0);  // --resume with nothing recorded yet: a first run
        QVERIFY(truncateTo(out + "/a_latent.npy", 10));  // as the issue found it
        QByteArray z = readAll(out + "/b_z.npy");
        z[z.size() - 1] = char(z[z.size() - 1] ^ 0x40);  // same size, other contents
        QVERIFY(test::writeText(out + "/b_z.npy", z));
        QVERIFY(QFile::remove(out + "/c_latent.npy"));

        const test::CliRun resumed = runCli(args);
        QCOMPARE(resumed.code, 0);
        QVERIFY2(resumed.out.contains("3 done, 1 skipped"), qPrintable(resumed.out));
        QMap<QString, QString> reasons;
        for (const QJsonObject& o : readJsonl(out + "/manifest.jsonl"))
            if (o.contains("redo_reason"))
                reasons[o["output_stem"].toString()] = o["redo_reason"].toString();
        QCOMPARE(reasons.keys(), QStringList({"a", "b", "c"}));
        QVERIFY2(reasons["a"].contains("a_latent.npy' has 10 bytes"), qPrintable(reasons["a"]));
        QVERIFY2(reasons["b"].contains("b_z.npy' does not match the SHA-256"),
                 qPrintable(reasons["b"]));
        QVERIFY2(reasons["c"].contains("c_latent.npy' is missing"), qPrintable(reasons["c"]));

        // Every output as the latest record (and its CSV row) says: size and SHA-256 from Python.
        const QString check = python(R"(
import csv, hashlib, json, os, sys
out = sys.argv[1]
latest = {}
for l in open(out + '/manifest.jsonl'):
    r = json.loads(l); latest[r['output_stem']] = r
rows = {r['output_stem']: r for r in csv.DictReader(open(out + '/manifest.csv', newline=''))}
n = 0
for stem, r in latest.items():
    assert len(r['outputs']) == 2, r
    for name, size, sha in zip(r['outputs'], r['output_bytes'], r['output_sha256']):
        data = open(out + '/' + name, 'rb').read()
        assert len(data) == size and hashlib.sha256(data).hexdigest() == sha, name
        n += 1
    assert rows[stem]['output_bytes'] == ';'.join(map(str, r['output_bytes'])), stem
    assert rows[stem]['output_sha256'] == ';'.join(r['output_sha256']), stem
print(n)
)",
                                     {out});
        QCOMPARE(check, QString("8"));
        const test::CliRun again = runCli(args);
        QVERIFY2(again.out.contains("0 done, 4 skipped"), qPrintable(again.out));
    }

    void formulaCellsAreEscaped() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in));
        const QStringList names = {"=1+2.png",  "+SUM(A1).png", "-2.png",    "@cmd.png",
                                   "\tTab.png", "\rCr.png",     "plain.png", "x=-1.png"};
        QStringList specs;
        for (int i = 0; i < names.size(); ++i)
            specs << QString("f%1.png:gray8:16:16").arg(i);
        QVERIFY(makeImages(in, specs));
        std::vector<std::string> inputs;
        for (int i = 0; i < names.size(); ++i) {
            QVERIFY(QFile::rename(in + QString("/f%1.png").arg(i), in + "/" + names[i]));
            inputs.push_back(names[i].toStdString());  // relative: the input cell is the name
        }
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(in));
        const auto items = jobs::BatchInputs::collect(inputs);
        QVERIFY(QDir::setCurrent(previous));
        jobs::BatchSettings settings;
        settings.outputDir = (dir.path() + "/out").toStdString();
        settings.decode = true;
        jobs::BatchPipeline pipeline(std::make_shared<FarOffBackend>(), settings);
        QVERIFY(QDir::setCurrent(in));  // the items name their files relative to here
        const jobs::BatchSummary s = pipeline.run(items);
        QVERIFY(QDir::setCurrent(previous));
        QCOMPARE(s.done, int(names.size()));

        // Read back as a spreadsheet user's script would: text cells that would start a formula
        // begin with a single quote (the rule spelled out here again), the JSON Lines keep the
        // names as they are, and a negative PSNR stays a number.
        const QString check = python(R"(
import csv, json, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(out + '/manifest.csv', newline='', encoding='utf-8')))
recs = {r['index']: r for r in map(json.loads, open(out + '/manifest.jsonl', encoding='utf-8'))}
bad = []
for row in rows:
    rec = recs[int(row['index'])]
    for column in ('input', 'output_stem'):
        raw = rec[column]
        want = "'" + raw if raw[0] in '=+-@\t\r' else raw
        if row[column] != want: bad.append((column, row[column], want))
    psnr = row['psnr_db']
    if psnr.startswith("'") or not float(psnr) < 0 or \
            abs(float(psnr) - rec['metrics']['psnr_db']) > 1e-6 * abs(float(psnr)):
        bad.append(('psnr_db', psnr))
same = sorted(r['input'] for r in recs.values()) == sorted(sys.argv[2:])
print(len(rows), 'rows, names kept:', same, 'wrong cells:', bad)
)",
                                     QStringList{dir.path() + "/out"} + names);
        QCOMPARE(check, QString("8 rows, names kept: True wrong cells: []"));
    }

    void namesThatAreNotUtf8AreKeptExactly() {
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        RemoveWithPython cleanup{dir.path()};  // Qt cannot name these files to remove them
        QVERIFY(QDir().mkpath(in));
        QVERIFY(makeImages(in, {"a.png:gray8:32:32", "b.png:gray8:24:32", "c.png:rgb:32:24"}));
        // Latin-1 bytes, as old file systems and archives hold them, renamed with raw bytes.
        QCOMPARE(python(R"(
import os, sys
d = os.fsencode(sys.argv[1])
os.rename(d + b'/a.png', d + b'/scan\xff.png')
os.rename(d + b'/b.png', d + b'/scan\xfe.png')
os.mkdir(d + b'/dir\xe9')
os.rename(d + b'/c.png', d + b'/dir\xe9/x.png')
print(sorted(os.listdir(d)))
)",
                        {in}),
                 QString("[b'dir\\xe9', b'scan\\xfe.png', b'scan\\xff.png']"));
        const test::CliRun r = runCli(batchArgs(in, out));
        QCOMPARE(r.code, 0);
        // --resume matches the exact bytes: nothing to do (U+FFFD in their place redid them).
        const test::CliRun resumed = runCli(batchArgs(in, out) << "--resume");
        QCOMPARE(resumed.code, 0);
        QVERIFY2(resumed.out.contains("0 done, 3 skipped"), qPrintable(resumed.out));

        // The JSON Lines give back the exact bytes; outputs have valid, distinct names.
        const QString check = python(R"(
import base64, csv, json, os, sys
out, inp = os.fsencode(sys.argv[1]), os.fsencode(sys.argv[2])
found = []
for l in open(out + b'/manifest.jsonl', encoding='utf-8'):
    r = json.loads(l)
    raw = base64.b64decode(r['input_base64'])
    assert os.path.isfile(raw) and raw.startswith(inp + b'/'), raw
    for name in r['outputs']:
        assert os.path.isfile(out + b'/' + name.encode('utf-8')), name
    found.append((raw[len(inp) + 1:], r['output_stem']))
rows = list(csv.DictReader(open(out + b'/manifest.csv', newline='', encoding='utf-8')))
print(sorted(found), len(rows))
)",
                                     {out, in});
        QCOMPARE(check, QString("[(b'dir\\xe9/x.png', 'dir%E9/x'), (b'scan\\xfe.png', 'scan%FE'), "
                                "(b'scan\\xff.png', 'scan%FF')] 3"));
    }
};

QTEST_GUILESS_MAIN(TestBatchManifest)
#include "tst_batch_manifest.moc"
