// Batch export never writes outside its output folder: inputs reached through symbolic links are
// read but named after the link; links inside the output folder are never written through;
// URL names with encoded "..", backslashes or NUL, and file names made of dots, give safe names;
// linked folders are walked once, loops included. medvae-cli batch runs as a real process.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

#include "batch_inputs.h"
#include "batch_test_support.h"
#include "error.h"
#include "loopback_http_server.h"

using namespace medvae;
using test::filesUnder;
using test::makeImages;
using test::python;
using test::readJsonl;
using test::runCli;

namespace {

QByteArray contents(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

// Every output a manifest lists must be a plain file inside `out`, and every stem free of "..".
void checkRecordsStayInside(const QString& out, const QList<QJsonObject>& records) {
    const QString root = QFileInfo(out).canonicalFilePath();
    for (const QJsonObject& o : records) {
        const QString stem = o["output_stem"].toString();
        QVERIFY2(!stem.split('/').contains("..") && !stem.startsWith('/'), qPrintable(stem));
        for (const auto& v : o["outputs"].toArray()) {
            const QFileInfo f(out + "/" + v.toString());
            QVERIFY2(f.exists() && !f.isSymLink(), qPrintable(v.toString()));
            QVERIFY2(f.canonicalFilePath().startsWith(root + "/"),
                     qPrintable(f.canonicalFilePath()));
        }
    }
}

// "stem:status" of every record, sorted, as one line (so a failed comparison shows them all).
QString stemsOf(const QList<QJsonObject>& records) {
    QStringList stems;
    for (const QJsonObject& o : records)
        stems << o["output_stem"].toString() + ":" + o["status"].toString();
    stems.sort();
    return stems.join(' ');
}

}  // namespace

class TestBatchPaths : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void linkedInputsAreNamedAfterTheLink() {
        // SYM/link.png -> /elsewhere/deeper/target.png wrote into /elsewhere/deeper, overwriting
        // target_latent.npy there, with the stem "../elsewhere/deeper/target".
        QTemporaryDir dir;
        const QString in = dir.path() + "/SYM", out = dir.path() + "/OUT";
        const QString elsewhere = dir.path() + "/elsewhere/deeper";
        QVERIFY(QDir().mkpath(elsewhere) && QDir().mkpath(in + "/sub"));
        QVERIFY(makeImages(elsewhere, {"target.png:gray8:40:32"}));
        QVERIFY(test::writeText(elsewhere + "/target_latent.npy", "precious"));
        QVERIFY(QFile::link(elsewhere + "/target.png", in + "/link.png"));
        QVERIFY(QFile::link("/etc/passwd", in + "/sub/passwd.png"));

        const test::CliRun r = runCli({"batch", "-i", in, "-o", out, "--progress", "lines"});
        QCOMPARE(r.code, 1);  // the linked /etc/passwd is read, and is no image
        QCOMPARE(filesUnder(elsewhere), QStringList({"target.png", "target_latent.npy"}));
        QCOMPARE(contents(elsewhere + "/target_latent.npy"), QByteArray("precious"));
        QCOMPARE(filesUnder(out),
                 QStringList({"link_latent.npy", "manifest.csv", "manifest.jsonl"}));
        const auto records = readJsonl(out + "/manifest.jsonl");
        QCOMPARE(stemsOf(records), QString("link:ok sub/passwd:failed"));
        checkRecordsStayInside(out, records);
        for (const QJsonObject& o : records)
            if (o["output_stem"] == "link") QCOMPARE(o["input"].toString(), in + "/link.png");

        // The link's target is what was encoded: the same latent as `encode` of the target.
        const test::CliRun e =
            runCli({"encode", "-o", dir.path() + "/single", elsewhere + "/target.png"});
        QCOMPARE(e.code, 0);
        QCOMPARE(python("import numpy as np, sys; print(np.array_equal(np.load(sys.argv[1]), "
                        "np.load(sys.argv[2])))",
                        {out + "/link_latent.npy", dir.path() + "/single/target_latent.npy"}),
                 QString("True"));
    }

    void linksInsideTheOutputFolderAreNotWrittenThrough() {
        // OUT/sub -> a folder outside, OUT/y_latent.npy -> a file outside, OUT/manifest.csv -> a
        // file outside: none of them may be written through.
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        const QString victim = dir.path() + "/victim";
        QVERIFY(QDir().mkpath(in + "/sub") && QDir().mkpath(out) && QDir().mkpath(victim));
        QVERIFY(makeImages(in, {"y.png:gray8:32:32"}));
        QVERIFY(makeImages(in + "/sub", {"x.png:gray8:32:24"}));
        QVERIFY(test::writeText(dir.path() + "/victim-file", "precious"));
        QVERIFY(test::writeText(dir.path() + "/victim-csv", "precious"));
        QVERIFY(QFile::link(victim, out + "/sub"));
        QVERIFY(QFile::link(dir.path() + "/victim-file", out + "/y_latent.npy"));
        QVERIFY(QFile::link(dir.path() + "/victim-csv", out + "/manifest.csv"));

        const test::CliRun r = runCli({"batch", "-i", in, "-o", out, "--progress", "lines"});
        QCOMPARE(filesUnder(victim), QStringList());
        QCOMPARE(contents(dir.path() + "/victim-file"), QByteArray("precious"));
        QCOMPARE(contents(dir.path() + "/victim-csv"), QByteArray("precious"));
        QVERIFY2(r.code == 1, qPrintable(r.out + r.err));  // sub/x fails; y is written
        QVERIFY2(r.out.contains("1 done") && r.out.contains("1 failed"), qPrintable(r.out));
        QVERIFY(!QFileInfo(out + "/y_latent.npy").isSymLink());
        QVERIFY(!QFileInfo(out + "/manifest.csv").isSymLink());
        QCOMPARE(python("import numpy as np, sys; print(np.load(sys.argv[1]).shape)",
                        {out + "/y_latent.npy"}),
                 QString("(4, 4, 4)"));
        const auto records = readJsonl(out + "/manifest.jsonl");
        QCOMPARE(stemsOf(records), QString("sub/x:failed y:ok"));
        for (const QJsonObject& o : records)
            if (o["output_stem"] == "sub/x")
                QVERIFY2(o["error"].toString().contains("symbolic link"),
                         qPrintable(o["error"].toString()));
        // The CSV (now a file of its own) holds the same two records.
        QCOMPARE(python("import csv, sys; print(sorted(r['output_stem'] + ':' + r['status'] "
                        "for r in csv.DictReader(open(sys.argv[1]))))",
                        {out + "/manifest.csv"}),
                 QString("['sub/x:failed', 'y:ok']"));
    }

    void hostileNamesGiveSafeNames() {
        // URL segments that decode to "..", hold backslashes or NUL, and file names made of dots.
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", out = dir.path() + "/out";
        QVERIFY(QDir().mkpath(in));
        QVERIFY(
            makeImages(in, {"img.png:gray8:32:32", "d2.png:gray8:16:16", "d3.png:gray8:24:16"}));
        QVERIFY(QFile::rename(in + "/d2.png", in + "/..png"));
        QVERIFY(QFile::rename(in + "/d3.png", in + "/...png"));
        QFile png(in + "/img.png");
        QVERIFY(png.open(QIODevice::ReadOnly));
        test::LoopbackHttpServer server;
        test::LoopbackHttpServer::Response ok;
        ok.body = png.readAll();
        ok.headers = {{"Content-Type", "image/png"}};
        // Routes by decoded path, as the server matches them ("/img/%2e%2e" is requested as "/").
        server.setRoute("/", ok);
        server.setRoute("/img/a\\..\\..\\b.png", ok);
        server.setRoute(QString("/img/x") + QChar(0) + "y.png", ok);
        server.setRoute("/img/../../escape.png", ok);
        QVERIFY(test::writeText(
            dir.path() + "/inputs.urls",
            (server.url("/img/%2e%2e") + "\n" + server.url("/img/a%5C..%5C..%5Cb.png") + "\n" +
             server.url("/img/x%00y.png") + "\n" + server.url("/img/..%2F..%2Fescape.png") + "\n")
                .toUtf8()));
        const test::CliRun r =
            runCli({"batch", "-i", dir.path() + "/inputs.urls", "-i", in + "/..png", "-i",
                    in + "/...png", "-o", out, "--progress", "lines"});
        const auto records = readJsonl(out + "/manifest.jsonl");
        // "%2E%2E" twice: the URL's ".." and the file "...png"; the second is a name collision.
        QCOMPARE(stemsOf(records),
                 QString("%2E%2E:failed %2E%2E:ok %2E:ok a%5C..%5C..%5Cb:ok escape:ok x%00y:ok"));
        checkRecordsStayInside(out, records);
        QStringList expected = {"manifest.csv", "manifest.jsonl"};
        for (const char* s : {"%2E%2E", "%2E", "a%5C..%5C..%5Cb", "escape", "x%00y"})
            expected << QString(s) + "_latent.npy";
        expected.sort();
        QCOMPARE(filesUnder(out), expected);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{"inputs.urls"});
        QVERIFY2(r.code == 1, qPrintable(r.out + r.err));
    }

    void linkedFoldersAreWalkedOnce() {
        // A link to a folder outside is walked and named after the link; a second link to it, a
        // link to an ancestor and a link loop neither repeat nor hang the walk.
        QTemporaryDir dir;
        const QString in = dir.path() + "/in", data = dir.path() + "/data";
        QVERIFY(QDir().mkpath(in) && QDir().mkpath(data + "/deeper"));
        QVERIFY(test::writeText(data + "/a.png", "x") &&
                test::writeText(data + "/deeper/b.png", "x"));
        QVERIFY(test::writeText(in + "/x.png", "x"));
        QVERIFY(QFile::link(data, in + "/scans"));
        QVERIFY(QFile::link(data, in + "/scans2"));
        QVERIFY(QFile::link(in, in + "/up"));
        QVERIFY(QFile::link(in, data + "/deeper/back"));  // from the linked folder to the input
        QVERIFY(QFile::link(in + "/loop2", in + "/loop1"));
        QVERIFY(QFile::link(in + "/loop1", in + "/loop2"));
        const auto start = std::chrono::steady_clock::now();
        const auto items = jobs::BatchInputs::collect({in.toStdString()});
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
        QStringList got;
        for (const auto& i : items)
            got << QString::fromStdString(i.relativeStem + "|" + i.source);
        QCOMPARE(got, QStringList({"scans/a|" + in + "/scans/a.png",
                                   "scans/deeper/b|" + in + "/scans/deeper/b.png",
                                   "x|" + in + "/x.png"}));
    }

    void folderWalksAreBounded() {
        // Deeper nesting or more entries than the bounds stop the collection with a clear error.
        QTemporaryDir dir;
        const QString in = dir.path() + "/in";
        QVERIFY(QDir().mkpath(in + "/1/2/3/4"));
        for (const char* f : {"/a.png", "/1/b.png", "/1/2/3/4/c.png"})
            QVERIFY(test::writeText(in + f, "x"));
        jobs::BatchInputOptions o;
        o.maxDepth = 3;
        try {
            jobs::BatchInputs::collect({in.toStdString()}, o);
            QFAIL("nesting beyond the bound was walked");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("deeper than 3 levels") &&
                         QString(e.what()).contains("1/2/3/4"),
                     e.what());
        }
        o.maxDepth = 4;
        QCOMPARE(jobs::BatchInputs::collect({in.toStdString()}, o).size(), std::size_t(3));
        o.maxEntries = 5;  // in: a.png, 1; 1: b.png, 2; 2: 3; 3: 4 -> the 6th entry is too many
        try {
            jobs::BatchInputs::collect({in.toStdString()}, o);
            QFAIL("more entries than the bound were walked");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("more than 5 entries"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestBatchPaths)
#include "tst_batch_paths.moc"
