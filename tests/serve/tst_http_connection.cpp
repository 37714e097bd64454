// medvae-serve's HTTP connection in process, on a loopback listener of the test (no server
// process): deadlines for trickling clients, and declared bodies that cost no memory until sent.
#include <QEventLoop>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QtTest>

#include <memory>
#include <vector>

#include "http_connection.h"

using medvae::serve::HttpConnection;

class TestHttpConnection : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void tricklingClientsGet408();
    void declaredBodiesCostNoMemoryUntilSent();
};

void TestHttpConnection::tricklingClientsGet408() {
    // A client that sends a byte now and then must not hold a connection for ever: the head has
    // a deadline from its first byte, the body a minimum rate. Before, every byte restarted the
    // read timeout. In-process server with a 300 ms read timeout; the client sends one byte every
    // 20 ms, which would never stop on its own; the answer must be a 408.
    const auto trickle = [](const QByteArray& head, const QByteArray& pace) {
        QTcpServer listener;
        if (!listener.listen(QHostAddress::LocalHost)) return QByteArray("no listener");
        HttpConnection::Limits limits;
        limits.readTimeoutMs = 300;
        limits.minBodyBytesPerSecond = 1000;  // a 200-byte body: 300 + 200 ms in all
        QObject owner;
        QObject::connect(&listener, &QTcpServer::newConnection, &owner, [&] {
            new HttpConnection(listener.nextPendingConnection(), limits, &owner);
        });
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        client.write(head);
        QTimer drip;
        QObject::connect(&drip, &QTimer::timeout, &client, [&] { client.write(pace); });
        drip.start(20);
        QByteArray answer;
        QEventLoop loop;
        QObject::connect(&client, &QTcpSocket::readyRead, &loop, [&] {
            answer += client.readAll();
            if (answer.contains("\r\n\r\n")) loop.quit();
        });
        QObject::connect(&client, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
        QTimer::singleShot(20000, &loop, &QEventLoop::quit);  // bound: the old code hangs here
        loop.exec();
        return answer;
    };
    QByteArray a = trickle("GET / HTTP/1.1\r\nX-Slow: ", "a");
    QVERIFY2(a.startsWith("HTTP/1.1 408 "), a.constData());
    a = trickle("POST /score HTTP/1.1\r\nContent-Length: 200\r\n\r\n", "b");
    QVERIFY2(a.startsWith("HTTP/1.1 408 ") && a.contains("too slowly"), a.constData());
}

namespace {

qint64 virtualMemoryKiB() {
    QFile status("/proc/self/status");
    if (!status.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmSize:"))
            return line.mid(7).trimmed().split(' ').first().toLongLong();
    return -1;
}

}  // namespace

void TestHttpConnection::declaredBodiesCostNoMemoryUntilSent() {
    // 16 clients declare 60 MB bodies (under the 64 MiB limit), get "100 Continue", send one
    // byte and stall. Before, the server's read asked the socket for the whole remaining body,
    // which allocates that much per read and keeps it: ~1 GB of address space for 16 bytes.
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    HttpConnection::Limits limits;
    limits.readTimeoutMs = 500;
    QObject owner;
    QObject::connect(&listener, &QTcpServer::newConnection, &owner, [&] {
        while (QTcpSocket* s = listener.nextPendingConnection())
            new HttpConnection(s, limits, &owner);
    });
    const qint64 before = virtualMemoryKiB();
    QVERIFY(before > 0);
    constexpr int kClients = 16;
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    QList<QByteArray> answers(kClients);
    int finished = 0;
    QEventLoop loop;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(std::make_unique<QTcpSocket>());
        QTcpSocket* c = clients.back().get();
        QObject::connect(c, &QTcpSocket::readyRead, &loop, [&, c, i] {
            answers[i] += c->readAll();
            if (answers[i] == "HTTP/1.1 100 Continue\r\n\r\n") c->write("x");
            if (answers[i].contains("HTTP/1.1 408 ") && answers[i].endsWith("}") &&
                ++finished == kClients)
                loop.quit();
        });
        c->connectToHost(QHostAddress::LocalHost, listener.serverPort());
        c->write(
            "POST /score HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 60000000\r\n\r\n");
    }
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    QCOMPARE(finished, kClients);
    for (const QByteArray& a : answers)
        QVERIFY2(a.contains("too slowly"), a.constData());
    const qint64 grownMiB = (virtualMemoryKiB() - before) / 1024;
    QVERIFY2(grownMiB < 256, QByteArray::number(grownMiB).constData());
}

QTEST_GUILESS_MAIN(TestHttpConnection)
#include "tst_http_connection.moc"
