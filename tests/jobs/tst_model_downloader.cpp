// Checkpoint downloads into the Hugging Face cache layout, against a loopback server only.
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "hf_cache.h"
#include "loopback_http_server.h"
#include "model_downloader.h"

using medvae::jobs::ModelDownloader;
using medvae::test::LoopbackHttpServer;

namespace {

const QByteArray kCommit = "0123456789abcdef0123456789abcdef01234567";

QByteArray pseudoRandom(int size) {
    QByteArray data(size, Qt::Uninitialized);
    quint32 state = 7;
    for (int i = 0; i < size; ++i) {
        state = state * 1103515245u + 12345u;
        data[i] = char(state >> 16);
    }
    return data;
}

QStringList filesUnder(const QString& root) {
    QStringList files;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(root).relativeFilePath(it.next());
    files.sort();
    return files;
}

struct Finished {
    bool ok = false, cancelled = false;
    QString path, sha256, error;
};

// The downloader signals from its own thread, where the spy records at once: a quick refusal can
// come before QSignalSpy::wait starts, which then waits for a second signal. Waits for the count.
bool finishedWithin(const QSignalSpy& spy, int timeoutMs) {
    return QTest::qWaitFor([&spy] { return !spy.isEmpty(); }, timeoutMs);
}

Finished finishedOf(const QSignalSpy& spy) {
    const QList<QVariant> a = spy.last();
    return {a.at(0).toBool(), a.at(1).toBool(), a.at(2).toString(), a.at(3).toString(),
            a.at(4).toString()};
}

}  // namespace

class TestModelDownloader : public QObject {
    Q_OBJECT
  private:
    LoopbackHttpServer server_;

    ModelDownloader::Options options(const QTemporaryDir& cache) {
        ModelDownloader::Options o;
        o.baseUrl = server_.url(QStringLiteral("/model_weights/"));
        o.cacheRoot = cache.path();
        o.stallTimeoutMs = 5000;
        return o;
    }

    Finished runDownload(const QString& file, const ModelDownloader::Options& o) {
        ModelDownloader downloader;
        QSignalSpy finished(&downloader, &ModelDownloader::downloadFinished);
        if (!downloader.download(file, o)) return {};
        if (!finishedWithin(finished, 20000)) return {};
        return finishedOf(finished);
    }

  private Q_SLOTS:
    void downloadsIntoTheCacheLayout() {
        const QByteArray body = pseudoRandom(3 * 1024 * 1024 + 17);
        LoopbackHttpServer::Response r;
        r.body = body;
        r.framing = LoopbackHttpServer::Framing::Chunked;
        r.chunkSize = 64 * 1024;
        r.headers << qMakePair(QByteArray("X-Repo-Commit"), kCommit);
        server_.setRoute(QStringLiteral("/model_weights/vae_8x_4c_2D.ckpt"), r);

        QTemporaryDir cache;
        ModelDownloader downloader;
        QSignalSpy finished(&downloader, &ModelDownloader::downloadFinished);
        QSignalSpy progress(&downloader, &ModelDownloader::progress);
        QVERIFY(downloader.download(QStringLiteral("vae_8x_4c_2D.ckpt"), options(cache)));
        QVERIFY(!downloader.download(QStringLiteral("other.ckpt"), options(cache)));  // busy
        QVERIFY(finishedWithin(finished, 20000));
        const Finished f = finishedOf(finished);
        QVERIFY2(f.ok, qPrintable(f.error));
        const QString expected =
            cache.filePath(QStringLiteral("models--stanfordmimi--MedVAE/snapshots/%1/model_weights/"
                                          "vae_8x_4c_2D.ckpt")
                               .arg(QString::fromLatin1(kCommit)));
        QCOMPARE(f.path, expected);
        QFile file(expected);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), body);
        QCOMPARE(f.sha256, QString::fromLatin1(
                               QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex()));
        QFile ref(cache.filePath(QStringLiteral("models--stanfordmimi--MedVAE/refs/main")));
        QVERIFY(ref.open(QIODevice::ReadOnly));
        QCOMPARE(ref.readAll(), kCommit);
        // Progress climbed to the full size; nothing else is left in the cache.
        QVERIFY(progress.count() >= 1);
        QCOMPARE(progress.last().at(0).toLongLong(), qint64(body.size()));
        QCOMPARE(filesUnder(cache.path()),
                 QStringList({QStringLiteral("models--stanfordmimi--MedVAE/refs/main"),
                              QDir(cache.path()).relativeFilePath(expected)}));
        // The cache lookup finds what was downloaded.
        const auto found = medvae::HuggingFaceCache::find(cache.path().toStdString());
        QCOMPARE(found.size(), std::size_t(1));
        QCOMPARE(found[0].modelName, std::string("medvae_8_4_2d"));
        QCOMPARE(QString::fromStdString(found[0].path), expected);
        QCOMPARE(ModelDownloader::snapshotPath(cache.path(), QString::fromLatin1(kCommit),
                                               QStringLiteral("vae_8x_4c_2D.ckpt")),
                 expected);
    }

    void withoutCommitHeaderUsesMain() {
        LoopbackHttpServer::Response r;
        r.body = pseudoRandom(1000);
        server_.setRoute(QStringLiteral("/model_weights/small.ckpt"), r);
        QTemporaryDir cache;
        const Finished f = runDownload(QStringLiteral("small.ckpt"), options(cache));
        QVERIFY2(f.ok, qPrintable(f.error));
        QCOMPARE(f.path, ModelDownloader::snapshotPath(cache.path(), QStringLiteral("main"),
                                                       QStringLiteral("small.ckpt")));
    }

    void truncatedTransferLeavesNothing() {
        LoopbackHttpServer::Response r;
        r.body = pseudoRandom(500000);
        r.stallAfter = 200000;
        r.closeWhenStalled = true;
        server_.setRoute(QStringLiteral("/model_weights/cut.ckpt"), r);
        QTemporaryDir cache;
        const Finished f = runDownload(QStringLiteral("cut.ckpt"), options(cache));
        QVERIFY(!f.ok);
        QVERIFY(!f.cancelled);
        QVERIFY2(!f.error.isEmpty(), "no error text");
        QCOMPARE(filesUnder(cache.path()), QStringList());
    }

    void httpErrorIsReported() {
        LoopbackHttpServer::Response r;
        r.status = 404;
        r.reason = "Not Found";
        r.body = "Entry not found";
        server_.setRoute(QStringLiteral("/model_weights/missing.ckpt"), r);
        QTemporaryDir cache;
        const Finished f = runDownload(QStringLiteral("missing.ckpt"), options(cache));
        QVERIFY(!f.ok);
        QVERIFY2(f.error.contains(QLatin1String("404")), qPrintable(f.error));
        QCOMPARE(filesUnder(cache.path()), QStringList());
    }

    void sizeLimitIsEnforced() {
        LoopbackHttpServer::Response r;
        r.body = pseudoRandom(200000);
        server_.setRoute(QStringLiteral("/model_weights/big.ckpt"), r);
        LoopbackHttpServer::Response chunked = r;
        chunked.framing = LoopbackHttpServer::Framing::Chunked;  // size not announced
        server_.setRoute(QStringLiteral("/model_weights/bigchunked.ckpt"), chunked);
        QTemporaryDir cache;
        ModelDownloader::Options o = options(cache);
        o.maxBytes = 100000;
        for (const QString& name :
             {QStringLiteral("big.ckpt"), QStringLiteral("bigchunked.ckpt")}) {
            const Finished f = runDownload(name, o);
            QVERIFY(!f.ok);
            QVERIFY2(f.error.contains(QLatin1String("limit")), qPrintable(f.error));
        }
        QCOMPARE(filesUnder(cache.path()), QStringList());
    }

    void cancelStopsAStalledDownload() {
        LoopbackHttpServer::Response r;
        r.body = pseudoRandom(400000);
        r.stallAfter = 100000;  // then silence: only a cancel ends it before the stall timeout
        server_.setRoute(QStringLiteral("/model_weights/slow.ckpt"), r);
        QTemporaryDir cache;
        ModelDownloader downloader;
        QSignalSpy finished(&downloader, &ModelDownloader::downloadFinished);
        QSignalSpy progress(&downloader, &ModelDownloader::progress);
        QVERIFY(downloader.download(QStringLiteral("slow.ckpt"), options(cache)));
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 10000);
        downloader.cancel();
        QVERIFY(finishedWithin(finished, 3000));
        const Finished f = finishedOf(finished);
        QVERIFY(!f.ok);
        QVERIFY(f.cancelled);
        QCOMPARE(filesUnder(cache.path()), QStringList());
    }

    void stallTimesOut() {
        QTemporaryDir cache;
        ModelDownloader::Options o = options(cache);
        o.stallTimeoutMs = 300;
        const Finished f = runDownload(QStringLiteral("slow.ckpt"), o);
        QVERIFY(!f.ok);
        QVERIFY(!f.cancelled);
        QVERIFY2(f.error.contains(QLatin1String("nothing")), qPrintable(f.error));
        QCOMPARE(filesUnder(cache.path()), QStringList());
    }

    void unsafeNamesAreRefused() {
        QTemporaryDir cache;
        for (const QString& name :
             {QStringLiteral("../evil.ckpt"), QStringLiteral("a/b.ckpt"), QString()}) {
            const Finished f = runDownload(name, options(cache));
            QVERIFY(!f.ok);
            QVERIFY(!f.error.isEmpty());
        }
        QCOMPARE(filesUnder(cache.path()), QStringList());
    }

    void cacheRootFollowsTheEnvironment() {
        qputenv("HF_HUB_CACHE", "/tmp/hubcache");
        QCOMPARE(ModelDownloader::defaultCacheRoot(), QStringLiteral("/tmp/hubcache"));
        qunsetenv("HF_HUB_CACHE");
        qputenv("HF_HOME", "/tmp/hfhome");
        QCOMPARE(ModelDownloader::defaultCacheRoot(), QStringLiteral("/tmp/hfhome/hub"));
        qunsetenv("HF_HOME");
        QCOMPARE(ModelDownloader::defaultCacheRoot(),
                 QDir::home().filePath(QStringLiteral(".cache/huggingface/hub")));
    }
};

QTEST_GUILESS_MAIN(TestModelDownloader)
#include "tst_model_downloader.moc"
