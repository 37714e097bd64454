// medvae-serve's time and memory bounds, against the real server: a request's deadline covers
// everything from its arrival and stops the work; a client that leaves stops its work; /ready
// says when the queue is full; SIGTERM stops work promptly; connections are limited per client
// and must start a request soon; a request without a key is refused on its head, before its body
// is read; the Bearer scheme is case-insensitive; the demo model is the default.
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTimer>
#include <QtTest>

#include <memory>
#include <vector>

#include "image.h"
#include "loopback_http_server.h"
#include "scoring_contract.h"
#include "serve_process.h"
#include "zero_png.h"

using namespace medvae;
using medvae::contract::ScoringContract;
using medvae::test::Exchange;
using medvae::test::http;
using medvae::test::LoopbackHttpServer;
using medvae::test::ServeProcess;

namespace {

const QByteArray kKey = "bounds-test-key";

QByteArray scoreBody(const QByteArray& base64OrUrl) {
    return ScoringContract::requestBody(QString::fromLatin1(base64OrUrl), false);
}

QByteArray sampleBase64() {
    QFile f(QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_frontal.png"));
    return f.open(QIODevice::ReadOnly) ? f.readAll().toBase64() : QByteArray();
}

// A legal image that keeps the demo model busy for seconds, with engine blocks of about two
// seconds each at this size (measured on a 2-core machine).
QByteArray largeImageBase64(int side) {
    Image image;
    image.width = image.height = side;
    image.channels = 1;
    image.pixels.resize(std::size_t(side) * std::size_t(side));
    for (std::size_t i = 0; i < image.pixels.size(); ++i)
        image.pixels[i] = float((i * 31) % 251);
    return ScoringContract::encodePng(image).toBase64();
}

int admitted(const ServeProcess& server) {
    return http("GET", server.url("/ready"), {}, {}, 5000).json()["admitted"].toInt(-1);
}

// Reads from `socket` until the server closes it or `timeoutMs` passes.
QByteArray readUntilClosed(QTcpSocket& socket, int timeoutMs) {
    QByteArray answer;
    QElapsedTimer clock;
    clock.start();
    while (socket.state() == QAbstractSocket::ConnectedState && clock.elapsed() < timeoutMs) {
        socket.waitForReadyRead(int(qMax<qint64>(1, timeoutMs - clock.elapsed())));
        answer += socket.readAll();
    }
    return answer + socket.readAll();
}

}  // namespace

class TestServeBounds : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase();
    void timeoutAnswersOnTimeWhileTheModelRuns();
    void clientLeavingStopsItsWork();
    void readyIsFalseWhileTheQueueIsFull();
    void sigtermStopsRunningAndQueuedWorkPromptly();
    void connectionsAreLimitedPerClient();
    void idleConnectionsAreClosedSoonAndLogged();
    void unauthenticatedBodyIsRefusedOnItsHead();
    void otherRoutesTakeNoBody();
    void bearerSchemeIsCaseInsensitive();
    void startsWithTheDemoModelByDefault();
    void helpNamesTheDefaultsAndLimits();
    void imagesOverTheMemoryBudgetAreRefusedBeforeDecoding();

  private:
    // An image URL whose server reads the request and never answers: a fetch that only ends
    // when it is stopped.
    LoopbackHttpServer images_;
    QByteArray silentUrl_;
};

void TestServeBounds::initTestCase() {
    LoopbackHttpServer::Response silent;
    silent.silent = true;
    images_.setRoute(QStringLiteral("/never.png"), silent);
    silentUrl_ = images_.url(QStringLiteral("/never.png")).toLatin1();
    QVERIFY(!sampleBase64().isEmpty());
}

void TestServeBounds::timeoutAnswersOnTimeWhileTheModelRuns() {
    // Before, the 408 waited for the engine's next check between blocks: 3.1 s for a 1 s
    // timeout at 1536x1536. The answer must come at the deadline, and the work must stop.
    ServeProcess server({"--timeout-s", "1"});
    QVERIFY(server.port != 0);
    const Exchange e = http("POST", server.url(), scoreBody(largeImageBase64(1536)),
                            {{"Content-Type", "application/json"}}, 30000);
    QCOMPARE(e.status, 408);
    QVERIFY2(e.ms < 1000 + 700, qPrintable(QString::number(e.ms)));
    const QString message = e.json()["error"].toObject()["message"].toString();
    QVERIFY2(message.contains("timeout") && message.contains("work was stopped"),
             qPrintable(message));
    // The worker leaves the job at the engine's next check (not after the 80 s it would take),
    // and is free for the next request.
    QTRY_COMPARE_WITH_TIMEOUT(admitted(server), 0, 20000);
    const Exchange next = http("POST", server.url(), scoreBody(sampleBase64()));
    QCOMPARE(next.status, 200);
}

void TestServeBounds::clientLeavingStopsItsWork() {
    // A client that sends a job and goes away must not keep the worker busy until the deadline
    // (before: the fetch went on for the whole 60 s).
    ServeProcess server({"--allow-url-fetch", "--timeout-s", "60"});
    QVERIFY(server.port != 0);
    const int fetchesBefore = images_.requestCount(QStringLiteral("/never.png"));
    {
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.port);
        QVERIFY(client.waitForConnected(5000));
        const QByteArray body = scoreBody(silentUrl_);
        client.write(
            "POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: " +
            QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(client.waitForBytesWritten(5000));
        QTRY_COMPARE_WITH_TIMEOUT(images_.requestCount(QStringLiteral("/never.png")),
                                  fetchesBefore + 1, 10000);
        QCOMPARE(admitted(server), 1);
    }  // closed while its image is being fetched
    QTRY_COMPARE_WITH_TIMEOUT(admitted(server), 0, 5000);
    QCOMPARE(http("POST", server.url(), scoreBody(sampleBase64())).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("\"POST /score\" 499"), 5000);
    QVERIFY2(server.log().contains("the client closed the connection; its work was stopped"),
             server.log().constData());
}

void TestServeBounds::readyIsFalseWhileTheQueueIsFull() {
    // Before, /ready said ready while every new request would have been turned away.
    ServeProcess server({"--allow-url-fetch", "--queue", "1", "--timeout-s", "60"});
    QVERIFY(server.port != 0);
    QCOMPARE(http("GET", server.url("/ready")).status, 200);
    QNetworkAccessManager manager;
    QNetworkRequest request{QUrl(server.url())};
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    std::unique_ptr<QNetworkReply> running(manager.post(request, scoreBody(silentUrl_)));
    QTRY_COMPARE_WITH_TIMEOUT(admitted(server), 1, 10000);
    const Exchange ready = http("GET", server.url("/ready"));
    QCOMPARE(ready.status, 503);
    QCOMPARE(ready.json()["ready"].toBool(true), false);
    QVERIFY2(ready.json()["reason"].toString().contains("busy"), ready.body.constData());
    QCOMPARE(http("POST", server.url(), scoreBody(sampleBase64())).status, 429);
}

void TestServeBounds::sigtermStopsRunningAndQueuedWorkPromptly() {
    // One request fetching an image that never comes, one waiting behind it. Before, SIGTERM
    // waited for both to run into their 60 s deadlines.
    ServeProcess server({"--allow-url-fetch", "--queue", "2", "--timeout-s", "60"});
    QVERIFY(server.port != 0);
    QNetworkAccessManager manager;
    QNetworkRequest request{QUrl(server.url())};
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    std::unique_ptr<QNetworkReply> running(manager.post(request, scoreBody(silentUrl_)));
    QTRY_COMPARE_WITH_TIMEOUT(admitted(server), 1, 10000);
    std::unique_ptr<QNetworkReply> queued(manager.post(request, scoreBody(sampleBase64())));
    QTRY_COMPARE_WITH_TIMEOUT(admitted(server), 2, 10000);
    QSignalSpy queuedDone(queued.get(), &QNetworkReply::finished);
    QSignalSpy runningDone(running.get(), &QNetworkReply::finished);
    QElapsedTimer clock;
    clock.start();
    server.process.terminate();  // SIGTERM
    // The waiting request is answered at once, the running one after the grace (3 s default).
    QVERIFY(queuedDone.wait(2000));
    QCOMPARE(queued->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
    QVERIFY(runningDone.count() == 1 || runningDone.wait(6000));
    QCOMPARE(running->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
    const QJsonObject error =
        QJsonDocument::fromJson(running->readAll()).object()["error"].toObject();
    QVERIFY2(error["message"].toString().contains("shutting down; the request was stopped while "
                                                  "reading the image"),
             qPrintable(error["message"].toString()));
    QVERIFY(server.process.waitForFinished(8000));
    QVERIFY2(clock.elapsed() < 3000 + 4000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(server.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process.exitCode(), 0);
}

void TestServeBounds::connectionsAreLimitedPerClient() {
    // Eight connections from 127.0.0.2 (the default limit per client) take no request; its ninth
    // is refused at once, with a logged reason; other clients are still served. Before, any 64
    // connections locked everybody out.
    ServeProcess server({});
    QVERIFY(server.port != 0);
    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 8; ++i) {
        held.push_back(std::make_unique<QTcpSocket>());
        QVERIFY(test::connectFrom(*held.back(), QHostAddress("127.0.0.2"), server.port));
    }
    QTcpSocket ninth;
    QVERIFY(test::connectFrom(ninth, QHostAddress("127.0.0.2"), server.port));
    const QByteArray refused = readUntilClosed(ninth, 3000);
    QVERIFY2(
        refused.startsWith("HTTP/1.1 429 ") && refused.contains("--max-connections-per-client"),
        refused.constData());
    QTcpSocket other;
    QVERIFY(test::connectFrom(other, QHostAddress("127.0.0.3"), server.port));
    other.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QVERIFY(readUntilClosed(other, 5000).startsWith("HTTP/1.1 200 "));
    QCOMPARE(http("GET", server.url("/")).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("127.0.0.2 \"- -\" 429 "), 5000);
    QVERIFY2(server.log().contains("reason=\"this client has 8 connections open, the limit per "
                                   "client (--max-connections-per-client)\""),
             server.log().constData());
}

void TestServeBounds::idleConnectionsAreClosedSoonAndLogged() {
    // A connection that sends nothing is answered 408 and closed after the idle timeout (5 s by
    // default; before: silently after 30 s).
    ServeProcess server({});
    QVERIFY(server.port != 0);
    QTcpSocket idle;
    QElapsedTimer clock;
    clock.start();
    QVERIFY(test::connectFrom(idle, QHostAddress("127.0.0.4"), server.port));
    const QByteArray answer = readUntilClosed(idle, 15000);
    QVERIFY2(answer.startsWith("HTTP/1.1 408 "), answer.constData());
    QCOMPARE(idle.state(), QAbstractSocket::UnconnectedState);
    QVERIFY2(clock.elapsed() >= 4500 && clock.elapsed() < 9000,
             qPrintable(QString::number(clock.elapsed())));
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("127.0.0.4 \"- -\" 408 "), 5000);
    QVERIFY2(server.log().contains("no request arrived within 5 s of connecting"),
             server.log().constData());
}

void TestServeBounds::unauthenticatedBodyIsRefusedOnItsHead() {
    // A 50 MB body announced without a key: 401 as soon as the head is read, then the
    // connection is closed. Before, the server waited for (and kept) the whole body first.
    ServeProcess server({}, QString::fromLatin1(kKey));
    QVERIFY(server.port != 0);
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(client.waitForConnected(5000));
    client.write(
        "POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 50000000\r\n\r\n{\"input_data\":");
    QElapsedTimer clock;
    clock.start();
    QByteArray answer;
    while (!answer.contains("}") && clock.elapsed() < 3000 && client.waitForReadyRead(3000))
        answer += client.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 401 "), answer.constData());
    QVERIFY(answer.contains("\r\nConnection: close\r\n"));
    QVERIFY(answer.contains("\r\nWWW-Authenticate: Bearer\r\n"));
    // Closed without the body: the server stops listening after a short linger.
    readUntilClosed(client, 10000);
    QCOMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("\"POST /score\" 401 "), 5000);
    QVERIFY2(server.log().contains("reason=\"refused before reading the body: missing "
                                   "'Authorization: Bearer <key>' header\""),
             server.log().constData());
}

void TestServeBounds::otherRoutesTakeNoBody() {
    // Only POST /score reads a body; elsewhere a body is refused on the head (no key is needed
    // there, so reading it would be memory spent for anyone).
    ServeProcess server({}, QString::fromLatin1(kKey));
    QVERIFY(server.port != 0);
    QByteArray a = test::rawExchange(
        server.port, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n", 3000);
    QVERIFY2(a.startsWith("HTTP/1.1 413 ") && a.contains("take no body"), a.constData());
    a = test::rawExchange(
        server.port, "PUT /ready HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n", 3000);
    QVERIFY2(a.startsWith("HTTP/1.1 405 "), a.constData());
    QCOMPARE(http("GET", server.url("/")).status, 200);
}

void TestServeBounds::bearerSchemeIsCaseInsensitive() {
    // RFC 9110: the scheme name is case-insensitive (before, "bearer" got 401); the key is not.
    ServeProcess server({}, QString::fromLatin1(kKey));
    QVERIFY(server.port != 0);
    const QByteArray body = scoreBody(sampleBase64());
    const auto status = [&](const QByteArray& authorization) {
        return http("POST", server.url(), body,
                    {{"Content-Type", "application/json"}, {"Authorization", authorization}})
            .status;
    };
    QCOMPARE(status("bearer " + kKey), 200);
    QCOMPARE(status("BEARER " + kKey), 200);
    QCOMPARE(status("Bearer   " + kKey), 200);
    QCOMPARE(status("bearer " + kKey.toUpper()), 401);
    QCOMPARE(status("bearer wrong-key"), 401);
    QCOMPARE(status("Bearer" + kKey), 401);
    QCOMPARE(status("Basic " + kKey), 401);
}

void TestServeBounds::startsWithTheDemoModelByDefault() {
    // As medvae-cli and the systemd unit: without --model, the bundled demo model (before:
    // "--model CKPT is required").
    ServeProcess server({}, QString(), false);
    QVERIFY2(server.port != 0, server.log().constData());
    QVERIFY2(server.banner().contains("medvae_8_4_2d (cpu, demo model)"),
             server.banner().constData());
    const Exchange ready = http("GET", server.url("/ready"));
    QCOMPARE(ready.json()["model"].toString(), QStringLiteral("medvae_8_4_2d"));
    QCOMPARE(http("POST", server.url(), scoreBody(sampleBase64())).status, 200);
}

void TestServeBounds::helpNamesTheDefaultsAndLimits() {
    QProcess help;
    help.start(QStringLiteral(MEDVAE_SERVE), {"--help"});
    QVERIFY(help.waitForFinished(10000));
    const QString text = QString::fromUtf8(help.readAllStandardOutput()).simplified();
    QVERIFY2(text.contains("default: the bundled demo model"), qPrintable(text));
    QVERIFY2(text.contains("Port to listen on (required;"), qPrintable(text));
    for (const char* option : {"--max-connections <N>", "--max-connections-per-client <N>",
                               "--idle-timeout-s <S>", "--shutdown-grace-s <S>"})
        QVERIFY2(text.contains(QLatin1String(option)), option);
}

void TestServeBounds::imagesOverTheMemoryBudgetAreRefusedBeforeDecoding() {
    // The attack of the report: a 97 KB PNG declaring 10000 x 10000 pixels (zlib-compressed
    // zeros). It is answered 413 from its header, at once, and the server's memory stays flat
    // (before: no answer after 28 s and 6 GB and growing).
    ServeProcess server({"--timeout-s", "60", "--max-memory-gb", "4"});
    QVERIFY(server.port != 0);
    const qint64 before = server.memoryKiB("VmHWM");
    const Exchange e =
        http("POST", server.url(), scoreBody(medvae::test::zeroPng(10000).toBase64()),
             {{"Content-Type", "application/json"}}, 30000);
    QCOMPARE(e.status, 413);
    QCOMPARE(e.json()["error"].toObject()["code"].toString(), QStringLiteral("ImageTooLarge"));
    const QString message = e.json()["error"].toObject()["message"].toString();
    QVERIFY2(message.contains("10000x10000") && message.contains("memory budget of 4.0 GB"),
             qPrintable(message));
    QVERIFY2(e.ms < 5000, qPrintable(QString::number(e.ms)));
    const qint64 after = server.memoryKiB("VmHWM");
    QVERIFY2(before > 0 && after - before < 200 * 1024,
             qPrintable(QString("peak %1 KiB, before %2 KiB").arg(after).arg(before)));
    QCOMPARE(http("POST", server.url(), scoreBody(sampleBase64())).status, 200);
}

QTEST_GUILESS_MAIN(TestServeBounds)
#include "tst_serve_bounds.moc"
