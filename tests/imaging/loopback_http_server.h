#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QPair>
#include <QString>

#include <memory>

#include "loopback_listener.h"

class QTcpSocket;

namespace medvae::test {

// A minimal HTTP/1.1 server on 127.0.0.1 for tests, serving canned responses per path. It runs in
// its own thread with its own event loop, so a synchronous client in the test thread can talk to
// it. Anything that is not an HTTP request (a TLS ClientHello, say) gets a plain 400 and a close.
class LoopbackHttpServer {
  public:
    enum class Framing {
        ContentLength,   // Content-Length header, connection kept alive
        Chunked,         // Transfer-Encoding: chunked, in chunkSize pieces
        CloseDelimited,  // no length at all: the body ends when the connection closes
    };
    struct Response {
        int status = 200;
        QByteArray reason = "OK";
        QList<QPair<QByteArray, QByteArray>> headers;  // extra headers, sent as given
        QByteArray body;
        Framing framing = Framing::ContentLength;
        int chunkSize = 16 * 1024;
        // >= 0: send the headers and this many body bytes, then nothing more, ever.
        qint64 stallAfter = -1;
        bool closeWhenStalled = false;  // with stallAfter: close instead, truncating the body
        bool silent = false;            // read the request, never answer
    };

    LoopbackHttpServer();  // listening when it returns; qFatal if it cannot
    ~LoopbackHttpServer();
    LoopbackHttpServer(const LoopbackHttpServer&) = delete;
    LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

    quint16 port() const { return listener_->port(); }
    QString url(const QString& path) const;  // http://127.0.0.1:<port><path>
    void setRoute(const QString& path, const Response& response);
    int requestCount(const QString& path) const;            // requests seen for path, query ignored
    QByteArray lastRequestHead(const QString& path) const;  // request line and headers

  private:
    struct Connection;
    void serve(QTcpSocket* socket);  // all in the server thread from here on
    void process(QTcpSocket* socket, Connection& connection);
    void respond(QTcpSocket* socket, Connection& connection, const Response& response);

    std::unique_ptr<LoopbackListener> listener_;  // reset first: it calls serve()

    mutable QMutex mutex_;  // guards the maps, shared between the test and the server thread
    QHash<QString, Response> routes_;
    QHash<QString, int> counts_;
    QHash<QString, QByteArray> heads_;
};

}  // namespace medvae::test
