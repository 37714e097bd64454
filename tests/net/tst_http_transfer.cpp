// HttpTransfer, the one HTTP exchange of the project, against loopback servers: request bodies
// and headers, redirect policies, error bodies, sinks, every limit, cancellation, and messages
// without queries or credentials. UrlFetcher's own suite covers the download policy over it.

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTest>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "error.h"
#include "fault_http_server.h"
#include "http_transfer.h"
#include "loopback_http_server.h"

using namespace medvae;
using medvae::test::FaultHttpServer;
using medvae::test::LoopbackHttpServer;
using End = HttpTransfer::End;

namespace {

QByteArray pattern(int size) {
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char((i * 131 + i / 251) & 0xff);
    return bytes;
}

LoopbackHttpServer::Response ok(const QByteArray& body) {
    LoopbackHttpServer::Response r;
    r.body = body;
    r.headers = {{"Content-Type", "application/octet-stream"}, {"X-Marker", "m1"}};
    return r;
}

// Records what a sink is given; throws at `failAt` bytes when asked to.
class RecordingSink : public HttpTransfer::Sink {
  public:
    void begin(std::int64_t announced) override {
        ++begins;
        this->announced = announced;
    }
    void write(const char* data, std::size_t size) override {
        bytes.append(data, qsizetype(size));
        ++writes;
        if (failAt >= 0 && bytes.size() >= failAt) throw std::runtime_error("disk full");
    }
    QByteArray bytes;
    int begins = 0, writes = 0;
    std::int64_t announced = -2;
    qsizetype failAt = -1;
};

HttpTransfer::Request get(const QString& url) {
    HttpTransfer::Request request;
    request.url = QUrl(url);
    request.timeoutMs = 20000;
    return request;
}

}  // namespace

class TestHttpTransfer : public QObject {
    Q_OBJECT

  private:
    LoopbackHttpServer* server_ = nullptr;

  private Q_SLOTS:
    void initTestCase() { server_ = new LoopbackHttpServer; }
    void cleanupTestCase() { delete server_; }

    void getIntoMemoryWithHeaders() {
        const QByteArray body = pattern(200 * 1024 + 3);
        server_->setRoute("/plain", ok(body));
        HttpTransfer transfer;
        const HttpTransfer::Result r = transfer.run(get(server_->url("/plain")));
        QCOMPARE(r.end, End::Finished);
        QVERIFY(r.succeeded());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.reason, QByteArray("OK"));
        QCOMPARE(r.body, body);
        QCOMPARE(r.received, std::int64_t(body.size()));
        QCOMPARE(r.announced, std::int64_t(body.size()));
        QCOMPARE(r.header("x-marker"), QByteArray("m1"));  // any case
        QCOMPARE(r.header("X-Absent"), QByteArray());
        // The body as it is on the wire, so that its length is what is limited and compared.
        QVERIFY(server_->lastRequestHead("/plain").contains("Accept-Encoding: identity\r\n"));
        // The same instance runs the next exchange.
        QCOMPARE(transfer.run(get(server_->url("/plain"))).body, body);
    }

    void compressionWhenAllowed() {
        server_->setRoute("/gz", ok("x"));
        HttpTransfer::Request request = get(server_->url("/gz"));
        request.allowCompression = true;
        QVERIFY(HttpTransfer().run(request).succeeded());
        QVERIFY(!server_->lastRequestHead("/gz").contains("Accept-Encoding: identity"));
    }

    void postSendsBodyAndHeaders() {
        FaultHttpServer endpoint;
        FaultHttpServer::Response answer;
        answer.body = "{\"done\":true}";
        endpoint.script({answer});
        HttpTransfer::Request request;
        request.url = QUrl(endpoint.url());
        request.method = "POST";
        request.body = pattern(70000);
        request.headers = {{"Content-Type", "application/json"}, {"x-custom", "v 1"}};
        const HttpTransfer::Result r = HttpTransfer().run(request);
        QVERIFY(r.succeeded());
        QCOMPARE(r.body, answer.body);
        QCOMPARE(endpoint.lastBody(), request.body);
        const QByteArray head = endpoint.lastHead();
        QVERIFY2(head.startsWith("POST /score HTTP/1.1"), head.constData());
        QVERIFY2(head.contains("\r\nx-custom: v 1"), head.constData());
        QVERIFY2(head.contains("\r\nContent-Type: application/json"), head.constData());
    }

    void errorBodiesReadOnlyWhenAsked() {
        LoopbackHttpServer::Response failing;
        failing.status = 503;
        failing.reason = "Service Unavailable";
        failing.body = "{\"error\":\"overloaded\"}";
        server_->setRoute("/busy", failing);
        HttpTransfer::Request request = get(server_->url("/busy"));
        HttpTransfer::Result r = HttpTransfer().run(request);
        QCOMPARE(r.end, End::StoppedAtHeaders);  // an error page is not the body asked for
        QCOMPARE(r.status, 503);
        QCOMPARE(r.body, QByteArray());
        QCOMPARE(HttpTransfer::failureMessage(request, r, "here"),
                 std::string("here: HTTP 503 Service Unavailable. The server is busy or failing; "
                             "try again later."));
        request.readErrorBodies = true;
        r = HttpTransfer().run(request);
        QCOMPARE(r.end, End::Finished);
        QCOMPARE(r.body, failing.body);
        QVERIFY(!r.succeeded());
        QCOMPARE(r.error, QNetworkReply::ServiceUnavailableError);
    }

    void redirectsFollowedOrReturned() {
        LoopbackHttpServer::Response moved;
        moved.status = 302;
        moved.reason = "Found";
        moved.headers = {{"Location", "/hop2"}};
        server_->setRoute("/hop1", moved);
        moved.headers = {{"Location", "/landing"}};
        server_->setRoute("/hop2", moved);
        server_->setRoute("/landing", ok("arrived"));
        HttpTransfer::Request request = get(server_->url("/hop1"));
        // Manual: the redirect itself is the answer.
        HttpTransfer::Result r = HttpTransfer().run(request);
        QCOMPARE(r.status, 302);
        QCOMPARE(r.header("Location"), QByteArray("/hop2"));
        // Follow: Qt walks the chain, within the limit.
        request.redirects = HttpTransfer::Redirects::Follow;
        request.maxRedirects = 2;
        r = HttpTransfer().run(request);
        QVERIFY(r.succeeded());
        QCOMPARE(r.body, QByteArray("arrived"));
        QCOMPARE(r.url.toString(), server_->url("/landing"));
        request.maxRedirects = 1;
        r = HttpTransfer().run(request);
        QVERIFY(!r.succeeded());
        QCOMPARE(r.error, QNetworkReply::TooManyRedirectsError);
        const QString message =
            QString::fromStdString(HttpTransfer::failureMessage(request, r, "there"));
        QVERIFY2(message.startsWith("there: too many redirects"), qPrintable(message));
    }

    void sinkGetsTheBodyAsItArrives() {
        const QByteArray body = pattern(500 * 1024);
        auto chunked = ok(body);
        chunked.framing = LoopbackHttpServer::Framing::Chunked;
        chunked.chunkSize = 32 * 1024;
        server_->setRoute("/stream", chunked);
        RecordingSink sink;
        const HttpTransfer::Result r = HttpTransfer().run(get(server_->url("/stream")), &sink);
        QVERIFY(r.succeeded());
        QCOMPARE(sink.begins, 1);
        QCOMPARE(sink.announced, std::int64_t(-1));  // chunked: no length announced
        QCOMPARE(sink.bytes, body);
        QCOMPARE(r.body, QByteArray());  // went to the sink, not into memory
        QCOMPARE(r.received, std::int64_t(body.size()));
    }

    void sinkFailureEndsTheExchange() {
        server_->setRoute("/big", ok(pattern(400 * 1024)));
        RecordingSink sink;
        sink.failAt = 1;
        HttpTransfer transfer;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 transfer.run(get(server_->url("/big")), &sink));
        QCOMPARE(sink.writes, 1);  // nothing more was delivered after the throw
        // The instance is still usable.
        server_->setRoute("/small", ok("fine"));
        QCOMPARE(transfer.run(get(server_->url("/small"))).body, QByteArray("fine"));
    }

    void bodyLimitAnnouncedAndStreamed() {
        server_->setRoute("/limit", ok(pattern(100000)));
        auto chunked = ok(pattern(100000));
        chunked.framing = LoopbackHttpServer::Framing::Chunked;
        chunked.chunkSize = 1000;
        server_->setRoute("/limitchunked", chunked);
        for (const QString& path : {QStringLiteral("/limit"), QStringLiteral("/limitchunked")}) {
            HttpTransfer::Request request = get(server_->url(path));
            request.maxBodyBytes = 99999;
            RecordingSink sink;
            const HttpTransfer::Result r = HttpTransfer().run(request, &sink);
            QCOMPARE(r.end, End::TooLarge);
            QVERIFY(sink.bytes.size() <= 99999);
            // Announced: refused from the headers, before the sink saw anything.
            if (path == "/limit") QCOMPARE(sink.begins, 0);
            const QString message =
                QString::fromStdString(HttpTransfer::failureMessage(request, r, "x"));
            QVERIFY2(message.startsWith("x: the file is larger than the size limit of 97.7 KiB"),
                     qPrintable(message));
        }
        HttpTransfer::Request exact = get(server_->url("/limitchunked"));
        exact.maxBodyBytes = 100000;
        QCOMPARE(HttpTransfer().run(exact).body, pattern(100000));
    }

    void stallAfterHeaders() {
        auto stalling = ok(pattern(50000));
        stalling.stallAfter = 1234;
        server_->setRoute("/stall", stalling);
        HttpTransfer::Request request = get(server_->url("/stall"));
        request.timeoutMs = 0;
        request.stallTimeoutMs = 250;
        QElapsedTimer clock;
        clock.start();
        const HttpTransfer::Result r = HttpTransfer().run(request);
        QVERIFY2(clock.elapsed() >= 245 && clock.elapsed() < 10000,
                 qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(r.end, End::Stalled);
        QCOMPARE(r.received, std::int64_t(1234));
        QCOMPARE(r.body, pattern(50000).left(1234));
        QCOMPARE(HttpTransfer::failureMessage(request, r, "s"),
                 std::string("s: the transfer stalled: no data for 0.25 s after 1.2 KiB. Try "
                             "again later."));
    }

    void noResponseWithinTheResponseTimeout() {
        LoopbackHttpServer::Response silent;
        silent.silent = true;
        server_->setRoute("/mute", silent);
        HttpTransfer::Request request = get(server_->url("/mute"));
        request.timeoutMs = 0;
        request.responseTimeoutMs = 200;
        request.stallTimeoutMs = 60000;  // not started: no headers came
        const HttpTransfer::Result r = HttpTransfer().run(request);
        QCOMPARE(r.end, End::NoResponse);
        QVERIFY(!r.headersSeen());
        QCOMPARE(HttpTransfer::failureMessage(request, r, "m"),
                 std::string("m: no response within 0.2 s. Check the address, or try again "
                             "later."));
    }

    void cancelPolledWhileNothingHappens() {
        LoopbackHttpServer::Response silent;
        silent.silent = true;
        server_->setRoute("/wait", silent);
        HttpTransfer::Request request = get(server_->url("/wait"));
        request.timeoutMs = 60000;
        int polls = 0;
        request.cancelled = [&polls] { return ++polls == 4; };
        QElapsedTimer clock;
        clock.start();
        const HttpTransfer::Result r = HttpTransfer().run(request);
        QCOMPARE(r.end, End::Cancelled);
        QCOMPARE(polls, 4);  // asked until it said yes, then never again
        QVERIFY(clock.elapsed() < 10000);
    }

    void cancelCallbackExceptionPropagates() {
        server_->setRoute("/any", ok(pattern(1000)));
        HttpTransfer::Request request = get(server_->url("/any"));
        request.cancelled = []() -> bool { throw Error("from the cancel callback"); };
        QVERIFY_THROWS_EXCEPTION(Error, HttpTransfer().run(request));
    }

    void messagesKeepQueriesAndCredentialsOut() {
        LoopbackHttpServer::Response missing;
        missing.status = 404;
        missing.reason = "Not Found";
        missing.body = "nothing here";
        server_->setRoute("/secret", missing);
        const QString url = QStringLiteral("http://bob:hunter2@127.0.0.1:%1/secret?sig=TOKEN42")
                                .arg(server_->port());
        HttpTransfer::Request request = get(url);
        request.readErrorBodies = true;  // Qt then words the error, quoting the address
        const HttpTransfer::Result r = HttpTransfer().run(request);
        QCOMPARE(r.status, 404);
        QVERIFY2(!r.errorText.isEmpty(), "Qt gave no error text");
        for (const QString& text :
             {r.errorText, QString::fromStdString(HttpTransfer::failureMessage(
                               request, r, HttpTransfer::displayUrl(request.url).toStdString()))}) {
            QVERIFY2(
                !text.contains("TOKEN42") && !text.contains("hunter2") && !text.contains("bob"),
                qPrintable(text));
        }
        QCOMPARE(HttpTransfer::displayUrl(request.url), server_->url("/secret") + "?...");
    }

    void refusedConnectionIsNamed() {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const QString url = QStringLiteral("http://127.0.0.1:%1/x").arg(port);
        const HttpTransfer::Request request = get(url);
        const HttpTransfer::Result r = HttpTransfer().run(request);
        QCOMPARE(r.end, End::Finished);
        QCOMPARE(r.error, QNetworkReply::ConnectionRefusedError);
        QCOMPARE(QString::fromStdString(HttpTransfer::failureMessage(request, r, "u")),
                 QStringLiteral("u: connection refused by 127.0.0.1:%1. Check the address and "
                                "that the server is running.")
                     .arg(port));
    }
};

QTEST_GUILESS_MAIN(TestHttpTransfer)
#include "tst_http_transfer.moc"
