// medvae-serve under attack, all on loopback: floods of idle and byte-by-byte connections and of
// large bodies sent without a key. A legitimate client must still be served within its timeout,
// the server's memory must not grow with the bodies, and every refusal must be logged.
//
// Attackers and the legitimate client are told apart by source address, as on a network: the
// attackers connect from 127.0.0.2 and up (Linux routes all of 127.0.0.0/8 to loopback), the
// legitimate client from 127.0.0.1, and the server runs with its default limits. Raising
// --max-connections-per-client instead would only test the global limit, not the per-client one.
#include <QElapsedTimer>
#include <QFile>
#include <QTcpSocket>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <vector>

#include "scoring_contract.h"
#include "serve_process.h"

using namespace medvae;
using medvae::test::Exchange;
using medvae::test::http;
using medvae::test::ServeProcess;

namespace {

const QByteArray kKey = "load-test-key";
constexpr qint64 kBodyBytes = 60'000'000;  // under the default 64 MiB limit

// Connections an attacker keeps open against the server from `sources`, reopening each one the
// server closes (after `reopenMs`) until stop(). Counts the statuses the server answered.
class Flood : public QObject {
  public:
    enum class Kind {
        Idle,                 // connects and sends nothing
        Trickle,              // sends a request head one byte every 100 ms
        UnauthenticatedBody,  // announces a 60 MB body without a key and sends it at full speed
    };
    Flood(Kind kind, QList<QHostAddress> sources, int perSource, quint16 port, int rounds = -1)
        : kind_(kind),
          sources_(std::move(sources)),
          perSource_(perSource),
          port_(port),
          rounds_(rounds) {}
    ~Flood() override { stop(); }

    void start() {
        for (const QHostAddress& source : sources_)
            for (int i = 0; i < perSource_; ++i)
                open(source, rounds_);
    }
    void stop() {
        running_ = false;
        sockets_.clear();
    }
    int answered(int status) const { return statuses_.count(status); }
    int opened() const { return opened_; }
    int connected() const { return connected_; }
    int closed() const { return closed_; }
    qint64 bodyBytesSent() const { return bodyBytes_; }

  private:
    void open(const QHostAddress& source, int roundsLeft) {
        if (!running_ || roundsLeft == 0) return;
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket* s = socket.get();
        sockets_.push_back(std::move(socket));
        ++opened_;
        auto received = std::make_shared<QByteArray>();
        auto sent = std::make_shared<qint64>(0);
        connect(s, &QTcpSocket::readyRead, this, [this, s, received] {
            const bool first = received->isEmpty();
            *received += s->readAll();
            if (first && received->startsWith("HTTP/1.1 "))
                statuses_ << received->mid(9, 3).toInt();
        });
        connect(s, &QTcpSocket::disconnected, this, [this, source, roundsLeft] {
            ++closed_;
            QTimer::singleShot(kReopenMs, this, [this, source, roundsLeft] {
                open(source, roundsLeft < 0 ? -1 : roundsLeft - 1);
            });
        });
        connect(s, &QTcpSocket::connected, this, [this, s, sent] {
            ++connected_;
            if (kind_ == Kind::UnauthenticatedBody) {
                s->write(
                    "POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Content-Length: " +
                    QByteArray::number(kBodyBytes) + "\r\n\r\n");
                sendBody(s, sent);
            } else if (kind_ == Kind::Trickle) {
                auto* drip = new QTimer(s);
                connect(drip, &QTimer::timeout, s, [s, sent] {
                    const QByteArray head = "POST /score HTTP/1.1\r\nHost: x\r\nX-Pad: ";
                    s->write(*sent < head.size() ? head.mid(*sent, 1) : QByteArray("p"));
                    ++*sent;
                });
                connect(s, &QTcpSocket::disconnected, drip, &QTimer::stop);
                drip->start(100);
            }
        });
        if (kind_ == Kind::UnauthenticatedBody)
            connect(s, &QTcpSocket::bytesWritten, this, [this, s, sent] { sendBody(s, sent); });
        s->bind(source, 0);
        s->connectToHost(QHostAddress::LocalHost, port_);
    }
    // Keeps about 1 MiB queued in the socket until the whole body is sent or the server closes.
    void sendBody(QTcpSocket* s, const std::shared_ptr<qint64>& sent) {
        static const QByteArray chunk(1 << 20, 'A');
        while (s->state() == QAbstractSocket::ConnectedState && *sent < kBodyBytes &&
               s->bytesToWrite() < chunk.size()) {
            const qint64 n = qMin<qint64>(chunk.size(), kBodyBytes - *sent);
            s->write(chunk.constData(), n);
            *sent += n;
            bodyBytes_ += n;
        }
    }

    static constexpr int kReopenMs = 500;
    Kind kind_;
    QList<QHostAddress> sources_;
    int perSource_;
    quint16 port_;
    int rounds_;
    bool running_ = true;
    std::vector<std::unique_ptr<QTcpSocket>> sockets_;
    QList<int> statuses_;
    int opened_ = 0;
    int connected_ = 0;
    int closed_ = 0;
    qint64 bodyBytes_ = 0;
};

QByteArray legitimateBody() {
    QFile f(QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_frontal.png"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return contract::ScoringContract::requestBody(QString::fromLatin1(f.readAll().toBase64()),
                                                  false);
}

Exchange legitimateRequest(const ServeProcess& server) {
    return http("POST", server.url(), legitimateBody(),
                {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + kKey}}, 10000);
}

QList<QHostAddress> addresses(const QString& prefix, int first, int count) {
    QList<QHostAddress> out;
    for (int i = first; i < first + count; ++i)
        out << QHostAddress(prefix + QString::number(i));
    return out;
}

int lines(const QByteArray& log, const QByteArray& a, const QByteArray& b = {}) {
    int n = 0;
    for (const QByteArray& line : log.split('\n'))
        if (line.contains(a) && line.contains(b)) ++n;
    return n;
}

}  // namespace

class TestServeLoad : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void unauthenticatedBodiesAreNotKept();
    void legitimateClientIsServedDuringFloods();
};

void TestServeLoad::unauthenticatedBodiesAreNotKept() {
    // 16 clients announce 60 MB bodies without a key and send them as fast as they can. Before,
    // the server read every body before checking the key: 1.28 GB of RSS.
    ServeProcess server({}, QString::fromLatin1(kKey));
    QVERIFY(server.port != 0);
    QCOMPARE(legitimateRequest(server).status, 200);  // warm: the engine's first run
    const qint64 rssBefore = server.memoryKiB("VmRSS");
    QVERIFY(rssBefore > 0);
    Flood bodies(Flood::Kind::UnauthenticatedBody, addresses("127.0.1.", 1, 16), 1, server.port, 1);
    bodies.start();
    QTRY_COMPARE_WITH_TIMEOUT(bodies.closed(), 16, 60000);
    const qint64 peakKiB = server.memoryKiB("VmHWM");
    const qint64 grownMiB = (peakKiB - rssBefore) / 1024;
    qInfo(
        "bodies offered %lld MB, sent before the server closed %lld MB; server RSS %lld MiB, "
        "peak %lld MiB (+%lld MiB)",
        16 * kBodyBytes / 1000000, bodies.bodyBytesSent() / 1000000, rssBefore / 1024,
        peakKiB / 1024, grownMiB);
    QCOMPARE(bodies.answered(401), 16);
    QVERIFY2(grownMiB < 128, qPrintable(QString::number(grownMiB)));  // of 960 MB offered
    QTRY_COMPARE_WITH_TIMEOUT(
        lines(server.log(), "\"POST /score\" 401 ", "refused before reading the body"), 16, 5000);
    QCOMPARE(legitimateRequest(server).status, 200);
}

void TestServeLoad::legitimateClientIsServedDuringFloods() {
    // 80 idle connections from one address (more than the 64 the server holds), 10 trickling
    // ones from another, and unauthenticated 60 MB bodies from two more, all reopened whenever
    // the server closes them. Before, the idle ones alone locked every other client out.
    ServeProcess server({"--timeout-s", "20"}, QString::fromLatin1(kKey));
    QVERIFY(server.port != 0);
    QCOMPARE(legitimateRequest(server).status, 200);
    const qint64 rssBefore = server.memoryKiB("VmRSS");
    QElapsedTimer clock;
    clock.start();
    Flood idle(Flood::Kind::Idle, {QHostAddress("127.0.0.2")}, 80, server.port);
    Flood trickle(Flood::Kind::Trickle, {QHostAddress("127.0.0.3")}, 10, server.port);
    Flood bodies(Flood::Kind::UnauthenticatedBody, addresses("127.0.0.", 4, 2), 8, server.port);
    idle.start();
    trickle.start();
    bodies.start();
    QTRY_VERIFY_WITH_TIMEOUT(idle.connected() >= 80 && bodies.connected() >= 16, 20000);
    // Served within its own 10 s timeout, again and again while the floods go on, until the
    // idle connections have run into the idle timeout (5 s) and come back.
    int served = 0;
    while (served < 4 || clock.elapsed() < 7000) {
        const Exchange e = legitimateRequest(server);
        QCOMPARE(e.status, 200);
        QVERIFY2(e.ms < 10000, qPrintable(QString::number(e.ms)));
        ++served;
        QVERIFY(clock.elapsed() < 60000);
    }
    QVERIFY(idle.answered(429) >= 72);  // all but the 8 allowed, at once
    QVERIFY(idle.answered(408) >= 1);   // their idle timeout, answered and closed
    QVERIFY(bodies.answered(401) >= 16);
    const qint64 peakKiB = server.memoryKiB("VmHWM");
    idle.stop();
    trickle.stop();
    bodies.stop();
    qInfo(
        "%d legitimate requests served in %lld ms; idle: %d opened, %d refused (429), %d timed "
        "out (408); bodies: %d refused (401), %lld MB sent; server peak +%lld MiB",
        served, clock.elapsed(), idle.opened(), idle.answered(429), idle.answered(408),
        bodies.answered(401), bodies.bodyBytesSent() / 1000000, (peakKiB - rssBefore) / 1024);
    QVERIFY2((peakKiB - rssBefore) / 1024 < 128,
             qPrintable(QString::number((peakKiB - rssBefore) / 1024)));
    // Every refusal the clients saw is in the log, with its reason (the server logs it before
    // the client reads it; the test reads the log as it arrives).
    QTRY_VERIFY_WITH_TIMEOUT(lines(server.log(), "127.0.0.2 \"- -\" 429 ",
                                   "--max-connections-per-client") >= idle.answered(429),
                             5000);
    QTRY_VERIFY_WITH_TIMEOUT(
        lines(server.log(), "127.0.0.3 \"- -\" 429 ", "--max-connections-per-client") >= 2, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(
        lines(server.log(), "127.0.0.2 \"- -\" 408 ", "no request arrived") >= idle.answered(408),
        5000);
    QTRY_VERIFY_WITH_TIMEOUT(lines(server.log(), "\"POST /score\" 401 ",
                                   "refused before reading the body") >= bodies.answered(401),
                             5000);
    // ... and nothing but printable text: the trickled bytes never reach it.
    const QByteArray log = server.log();
    const auto unprintable = std::count_if(
        log.begin(), log.end(), [](char c) { return c != '\n' && (c < 0x20 || c > 0x7e); });
    QCOMPARE(unprintable, 0);
}

QTEST_GUILESS_MAIN(TestServeLoad)
#include "tst_serve_load.moc"
