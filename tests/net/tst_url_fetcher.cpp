// UrlFetcher against a loopback HTTP server: bodies, framings, redirects, limits, timeouts,
// cancellation and the wording of every failure. Nothing leaves 127.0.0.1.

#include <QElapsedTimer>
#include <QHostAddress>
#include <QSslSocket>
#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "error.h"
#include "loopback_http_server.h"
#include "url_fetcher.h"

using namespace medvae;
using medvae::test::LoopbackHttpServer;

namespace {

using Progress = std::vector<std::pair<std::int64_t, std::int64_t>>;

// Deterministic pseudo-random bytes (xorshift64), so a shifted or dropped byte cannot go unseen.
QByteArray randomBytes(int size, std::uint64_t seed) {
    QByteArray bytes(size, Qt::Uninitialized);
    std::uint64_t x = seed;
    for (int i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes[i] = static_cast<char>(x >> 56);
    }
    return bytes;
}

QByteArray toBytes(const std::vector<std::uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size()));
}

LoopbackHttpServer::Response ok(const QByteArray& body) {
    LoopbackHttpServer::Response r;
    r.body = body;
    r.headers = {{"Content-Type", "application/octet-stream"}};
    return r;
}

LoopbackHttpServer::Response redirect(int status, const QByteArray& reason,
                                      const QByteArray& location) {
    LoopbackHttpServer::Response r;
    r.status = status;
    r.reason = reason;
    r.headers = {{"Location", location}};
    r.body = "moved";
    return r;
}

// The message of the Error that fetch throws; fails the test if it throws nothing.
QString fetchError(const QString& url, const UrlFetcher::Options& options = {}) {
    try {
        UrlFetcher::fetch(url.toStdString(), options);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("<no error>");
}

UrlFetcher::Options recording(Progress& progress) {
    UrlFetcher::Options options;
    options.progress = [&progress](std::int64_t received, std::int64_t total) {
        progress.emplace_back(received, total);
    };
    return options;
}

bool monotonic(const Progress& progress) {
    for (std::size_t i = 1; i < progress.size(); ++i)
        if (progress[i].first < progress[i - 1].first) return false;
    return true;
}

}  // namespace

class TestUrlFetcher : public QObject {
    Q_OBJECT

  private:
    LoopbackHttpServer* server_ = nullptr;
    QByteArray body_;

  private Q_SLOTS:
    void initTestCase() {
        server_ = new LoopbackHttpServer;
        body_ = randomBytes(300 * 1024 + 17, 0x9e3779b97f4a7c15ull);
    }
    void cleanupTestCase() { delete server_; }

    void isHttpUrl_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("expected");
        QTest::newRow("http") << "http://example.org/a.png" << true;
        QTest::newRow("https") << "https://example.org/a.png" << true;
        QTest::newRow("upper") << "HTTP://EXAMPLE.ORG/A.PNG" << true;
        QTest::newRow("mixed") << "hTtPs://x" << true;
        QTest::newRow("bare scheme") << "https://" << true;
        QTest::newRow("ftp") << "ftp://example.org/a.png" << false;
        QTest::newRow("file") << "file:///tmp/a.png" << false;
        QTest::newRow("one slash") << "http:/example.org" << false;
        QTest::newRow("no scheme") << "example.org/a.png" << false;
        QTest::newRow("path") << "/tmp/http://x" << false;
        QTest::newRow("leading space") << " http://x" << false;
        QTest::newRow("empty") << "" << false;
    }
    void isHttpUrl() {
        QFETCH(QString, text);
        QFETCH(bool, expected);
        QCOMPARE(UrlFetcher::isHttpUrl(text.toStdString()), expected);
    }

    void rejectsOtherSchemesAndInvalidUrls() {
        const QString ftp = fetchError("ftp://127.0.0.1/a.png");
        QVERIFY2(ftp.contains("ftp://127.0.0.1/a.png") && ftp.contains("http"), qPrintable(ftp));
        const QString noHost = fetchError("http://");
        QVERIFY2(noHost.contains("not a valid web address"), qPrintable(noHost));
    }

    void contentLengthBody() {
        server_->setRoute("/ok", ok(body_));
        Progress progress;
        const auto result =
            UrlFetcher::fetch(server_->url("/ok").toStdString(), recording(progress));
        QCOMPARE(result.status, 200);
        QCOMPARE(toBytes(result.bytes), body_);
        QCOMPARE(QString::fromStdString(result.finalUrl), server_->url("/ok"));
        QCOMPARE(QString::fromStdString(result.contentType), QString("application/octet-stream"));
        QVERIFY(!progress.empty());
        QVERIFY(monotonic(progress));
        for (const auto& p : progress)
            QCOMPARE(p.second, std::int64_t(body_.size()));
        QCOMPARE(progress.back().first, std::int64_t(body_.size()));
        // Compressed transfers would make Content-Length differ from the bytes we limit.
        QVERIFY(server_->lastRequestHead("/ok").contains("Accept-Encoding: identity\r\n"));
    }

    void chunkedBody() {
        auto response = ok(body_);
        response.framing = LoopbackHttpServer::Framing::Chunked;
        response.chunkSize = 7000;
        server_->setRoute("/chunked", response);
        Progress progress;
        const auto result =
            UrlFetcher::fetch(server_->url("/chunked").toStdString(), recording(progress));
        QCOMPARE(result.status, 200);
        QCOMPARE(toBytes(result.bytes), body_);
        QVERIFY(monotonic(progress));
        // Unknown total while streaming; the final report gives the size as both values.
        for (std::size_t i = 0; i + 1 < progress.size(); ++i)
            QCOMPARE(progress[i].second, std::int64_t(-1));
        QCOMPARE(progress.back(),
                 std::make_pair(std::int64_t(body_.size()), std::int64_t(body_.size())));
    }

    void closeDelimitedBody() {
        auto response = ok(body_);
        response.framing = LoopbackHttpServer::Framing::CloseDelimited;
        server_->setRoute("/close", response);
        const auto result = UrlFetcher::fetch(server_->url("/close").toStdString(), {});
        QCOMPARE(toBytes(result.bytes), body_);
    }

    void emptyBody() {
        server_->setRoute("/empty", ok(QByteArray()));
        Progress progress;
        const auto result =
            UrlFetcher::fetch(server_->url("/empty").toStdString(), recording(progress));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.bytes.size(), std::size_t(0));
        QCOMPARE(progress.back(), std::make_pair(std::int64_t(0), std::int64_t(0)));
    }

    void wrongContentTypeIsReturnedUntouched() {
        // A PNG signature served as HTML: the fetcher reports the header, callers sniff bytes.
        const QByteArray png = QByteArray("\x89PNG\r\n\x1a\n", 8) + body_.left(5000);
        auto response = ok(png);
        response.headers = {{"Content-Type", "text/html; charset=utf-8"}};
        server_->setRoute("/image.png", response);
        const auto result = UrlFetcher::fetch(server_->url("/image.png").toStdString(), {});
        QCOMPARE(QString::fromStdString(result.contentType), QString("text/html; charset=utf-8"));
        QCOMPARE(toBytes(result.bytes), png);
    }

    void httpErrors_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<QString>("hint");
        QTest::newRow("404") << 404 << QByteArray("Not Found") << "Check the address";
        QTest::newRow("500") << 500 << QByteArray("Internal Server Error") << "try again later";
        QTest::newRow("403") << 403 << QByteArray("Forbidden") << "refused access";
    }
    void httpErrors() {
        QFETCH(int, status);
        QFETCH(QByteArray, reason);
        QFETCH(QString, hint);
        LoopbackHttpServer::Response response;
        response.status = status;
        response.reason = reason;
        response.body = "SECRET-BODY-TEXT";
        const QString path = QStringLiteral("/status%1").arg(status);
        server_->setRoute(path, response);
        const QString message = fetchError(server_->url(path));
        const QString expected =
            server_->url(path) + QStringLiteral(": HTTP %1 ").arg(status) + reason;
        QVERIFY2(message.startsWith(expected), qPrintable(message));
        QVERIFY2(message.contains(hint), qPrintable(message));
        QVERIFY2(!message.contains("SECRET"), qPrintable(message));
    }

    void messagesHideCredentialsAndQuery() {
        const QString url =
            QStringLiteral("http://alice:pa55word@127.0.0.1:%1/missing?api_key=KEY123")
                .arg(server_->port());
        const QString message = fetchError(url);
        QVERIFY2(message.startsWith(server_->url("/missing") + "?...: HTTP 404 Not Found"),
                 qPrintable(message));
        QVERIFY2(!message.contains("KEY123") && !message.contains("pa55word") &&
                     !message.contains("alice"),
                 qPrintable(message));
        QCOMPARE(server_->requestCount("/missing"), 1);
    }

    void redirectChain() {
        server_->setRoute("/r1", redirect(302, "Found", "/r2"));
        server_->setRoute("/r2",
                          redirect(301, "Moved Permanently", server_->url("/final").toUtf8()));
        server_->setRoute("/final", ok(body_));
        UrlFetcher::Options options;
        options.maxRedirects = 2;  // exactly the two hops: the limit is inclusive
        const auto result = UrlFetcher::fetch(server_->url("/r1").toStdString(), options);
        QCOMPARE(result.status, 200);
        QCOMPARE(QString::fromStdString(result.finalUrl), server_->url("/final"));
        QCOMPARE(toBytes(result.bytes), body_);
        QCOMPARE(server_->requestCount("/r1"), 1);
        QCOMPARE(server_->requestCount("/r2"), 1);

        options.maxRedirects = 1;
        const QString message = fetchError(server_->url("/r1"), options);
        QVERIFY2(message.startsWith(server_->url("/r1") + ": too many redirects (more than 1)"),
                 qPrintable(message));
    }

    void redirectLoop() {
        // Chunked, so the fetcher drops each hop at its headers rather than reading the body.
        auto response = redirect(302, "Found", "/loop");
        response.framing = LoopbackHttpServer::Framing::Chunked;
        server_->setRoute("/loop", response);
        UrlFetcher::Options options;
        options.maxRedirects = 5;
        const QString message = fetchError(server_->url("/loop"), options);
        QVERIFY2(message.contains("too many redirects"), qPrintable(message));
        QVERIFY2(message.contains(server_->url("/loop")), qPrintable(message));
        QCOMPARE(server_->requestCount("/loop"), 6);  // the first request and five redirects
    }

    void redirectToOtherSchemeIsRefused_data() {
        QTest::addColumn<QByteArray>("location");
        QTest::addColumn<QString>("scheme");
        QTest::newRow("ftp") << QByteArray("ftp://127.0.0.1/a.png") << "a ftp:// address";
        QTest::newRow("file") << QByteArray("file:///etc/passwd") << "a file:// address";
    }
    void redirectToOtherSchemeIsRefused() {
        QFETCH(QByteArray, location);
        QFETCH(QString, scheme);
        server_->setRoute("/elsewhere", redirect(307, "Temporary Redirect", location));
        const QString message = fetchError(server_->url("/elsewhere"));
        QVERIFY2(
            message.startsWith(server_->url("/elsewhere") + ": the server redirected to " + scheme),
            qPrintable(message));
    }

    void redirectErrorNamesBothAddresses() {
        server_->setRoute("/gone", redirect(302, "Found", "/nowhere"));
        const QString message = fetchError(server_->url("/gone"));
        QCOMPARE(message, server_->url("/nowhere") + " (redirected from " + server_->url("/gone") +
                              "): HTTP 404 Not Found. Check the address.");
    }

    void tooLargeAnnounced() {
        server_->setRoute("/big", ok(body_));
        Progress progress;
        auto options = recording(progress);
        options.maxBytes = 100000;
        const QString message = fetchError(server_->url("/big"), options);
        QVERIFY2(message.startsWith(server_->url("/big") +
                                    ": the file is larger than the size limit of 97.7 KiB "
                                    "(the server announced 300.0 KiB)"),
                 qPrintable(message));
        QVERIFY(progress.empty());  // refused from the header, before any byte was taken
    }

    void tooLargeUnannounced() {
        auto response = ok(body_);
        response.framing = LoopbackHttpServer::Framing::Chunked;
        server_->setRoute("/bigchunked", response);
        Progress progress;
        auto options = recording(progress);
        options.maxBytes = 100000;
        const QString message = fetchError(server_->url("/bigchunked"), options);
        QVERIFY2(message.startsWith(server_->url("/bigchunked") +
                                    ": the file is larger than the size limit of 97.7 KiB."),
                 qPrintable(message));
        for (const auto& p : progress)
            QVERIFY(p.first <= 100000);
    }

    void bodyExactlyAtLimit() {
        server_->setRoute("/exact", ok(body_));
        UrlFetcher::Options options;
        options.maxBytes = std::uint64_t(body_.size());
        QCOMPARE(toBytes(UrlFetcher::fetch(server_->url("/exact").toStdString(), options).bytes),
                 body_);
    }

    void stallAfterHeadersTimesOut() {
        auto response = ok(body_);
        response.stallAfter = 0;
        server_->setRoute("/stall", response);
        UrlFetcher::Options options;
        options.timeoutMs = 300;
        QElapsedTimer clock;
        clock.start();
        const QString message = fetchError(server_->url("/stall"), options);
        const qint64 elapsed = clock.elapsed();
        QVERIFY2(message.startsWith(server_->url("/stall") +
                                    ": timed out after 0.3 s; the transfer stalled after 0 bytes "
                                    "of 300.0 KiB"),
                 qPrintable(message));
        QVERIFY2(elapsed >= 295 && elapsed < 10000, qPrintable(QString::number(elapsed)));
    }

    void stallMidBodyTimesOut() {
        auto response = ok(body_);
        response.framing = LoopbackHttpServer::Framing::Chunked;
        response.stallAfter = 65536;
        server_->setRoute("/stallmid", response);
        Progress progress;
        auto options = recording(progress);
        options.timeoutMs = 300;
        const QString message = fetchError(server_->url("/stallmid"), options);
        QVERIFY2(
            message.startsWith(server_->url("/stallmid") +
                               ": timed out after 0.3 s; the transfer stalled after 64.0 KiB."),
            qPrintable(message));
        QCOMPARE(progress.back(), std::make_pair(std::int64_t(65536), std::int64_t(-1)));
    }

    void silentServerTimesOut() {
        // Listens (the kernel completes the handshake) but never reads or answers.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        const QString url = QStringLiteral("http://127.0.0.1:%1/x.png").arg(silent.serverPort());
        UrlFetcher::Options options;
        options.timeoutMs = 300;
        const QString message = fetchError(url, options);
        QCOMPARE(message, url +
                              ": timed out after 0.3 s waiting for the server to respond. "
                              "Check the address, or try again later.");
    }

    void truncatedBodyFails() {
        auto response = ok(body_);
        response.stallAfter = 1000;
        response.closeWhenStalled = true;
        server_->setRoute("/truncated", response);
        const QString message = fetchError(server_->url("/truncated"));
        // Qt 6.4 finishes such a reply without any error; the fetcher compares the lengths.
        QVERIFY2(message.startsWith(server_->url("/truncated") + ": "), qPrintable(message));
        QVERIFY2(message.contains("ended after 1000 bytes of the announced 300.0 KiB") ||
                     message.contains("closed the connection after 1000 bytes"),
                 qPrintable(message));
    }

    void cancelAfterFirstProgress() {
        // Half the body, then silence: only cancellation can end this before the timeout.
        auto response = ok(body_);
        response.stallAfter = body_.size() / 2;
        server_->setRoute("/cancel", response);
        Progress progress;
        auto options = recording(progress);
        options.timeoutMs = 60000;
        options.cancelled = [&progress] { return !progress.empty(); };
        QElapsedTimer clock;
        clock.start();
        QVERIFY_THROWS_EXCEPTION(Cancelled,
                                 UrlFetcher::fetch(server_->url("/cancel").toStdString(), options));
        QVERIFY(!progress.empty());
        QVERIFY(progress.back().first <= body_.size() / 2);
        QVERIFY(clock.elapsed() < 30000);
    }

    void cancelWhileWaitingForResponse() {
        LoopbackHttpServer::Response response;
        response.silent = true;
        server_->setRoute("/silent", response);
        int polls = 0;
        UrlFetcher::Options options;
        options.timeoutMs = 60000;
        options.cancelled = [&polls] { return ++polls >= 3; };  // polled while nothing arrives
        QVERIFY_THROWS_EXCEPTION(Cancelled,
                                 UrlFetcher::fetch(server_->url("/silent").toStdString(), options));
        QCOMPARE(polls, 3);
        QCOMPARE(server_->requestCount("/silent"), 1);
    }

    void callbackExceptionPropagates() {
        server_->setRoute("/ok", ok(body_));
        UrlFetcher::Options options;
        options.progress = [](std::int64_t, std::int64_t) { throw Error("stop from callback"); };
        const QString message = fetchError(server_->url("/ok"), options);
        QCOMPARE(message, QString("stop from callback"));
    }

    void httpsAgainstPlainHttpPort() {
        if (!QSslSocket::supportsSsl()) QSKIP("no TLS backend in this Qt build");
        server_->setRoute("/ok", ok(body_));
        const QString url = QStringLiteral("https://127.0.0.1:%1/ok").arg(server_->port());
        UrlFetcher::Options options;
        options.timeoutMs = 10000;
        const QString message = fetchError(url, options);
        QVERIFY2(message.startsWith(url + ": TLS handshake failed: "), qPrintable(message));
        QVERIFY2(!message.contains("SSL handshake failed"), qPrintable(message));  // said once
    }

    void connectionRefused() {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }  // closed: nothing listens there now
        const QString url = QStringLiteral("http://127.0.0.1:%1/a.png").arg(port);
        const QString message = fetchError(url);
        QCOMPARE(message, url + QStringLiteral(": connection refused by 127.0.0.1:%1. Check the "
                                               "address and that the server is running.")
                                    .arg(port));
    }

    void fetchFromWorkerThread() {
        server_->setRoute("/ok", ok(body_));
        const std::string url = server_->url("/ok").toStdString();
        UrlFetcher::Result result;
        QString failure;
        std::unique_ptr<QThread> worker(QThread::create([&] {
            try {
                result = UrlFetcher::fetch(url, {});
            } catch (const Error& e) {
                failure = QString::fromStdString(e.what());
            }
        }));
        worker->start();
        QVERIFY(worker->wait(30000));
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QCOMPARE(toBytes(result.bytes), body_);
    }
};

QTEST_GUILESS_MAIN(TestUrlFetcher)
#include "tst_url_fetcher.moc"
