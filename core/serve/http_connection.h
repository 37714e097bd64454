#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTimer>

#include "http_request.h"
#include "http_request_parser.h"

class QTcpSocket;

namespace medvae::serve {

// One client connection of medvae-serve: reads HTTP/1.1 requests (Content-Length bodies only,
// through HttpRequestParser), one at a time, and writes the answers. Limits are enforced while
// reading, before any large buffer grows: headers over `maxHeaderBytes` or `maxHeaderCount` lines
// get 431, a declared body over `maxBodyBytes` gets 413 without being read, chunked bodies get
// 411, ambiguous framing gets 400. Timeouts (408): the request line and headers must arrive
// within `readTimeoutMs` of their first byte (trickling bytes does not extend it); the body may
// pause at most `readTimeoutMs` and must arrive within `readTimeoutMs` plus its length at
// `minBodyBytesPerSecond`. Each refusal closes the connection. Bytes that a client sends while its
// request is being answered wait in a socket buffer of bounded size (`maxHeaderBytes`). Lives in
// the server thread; owns the socket.
class HttpConnection : public QObject {
    Q_OBJECT
  public:
    struct Limits {
        qint64 maxHeaderBytes = 64 * 1024;
        int maxHeaderCount = 100;
        qint64 maxBodyBytes = 64ll << 20;
        int readTimeoutMs = 30000;
        qint64 minBodyBytesPerSecond = 64 * 1024;
    };
    HttpConnection(QTcpSocket* socket, Limits limits, QObject* parent);

    // Answers the current request; afterwards the next one is read. `close`: end the connection.
    void respond(int status, const QList<QPair<QByteArray, QByteArray>>& headers,
                 const QByteArray& body, bool close = false);
    bool busy() const { return busy_; }  // a request was read and is not answered yet
    bool flushed() const;                // nothing left to write
    QByteArray peerText() const;

  Q_SIGNALS:
    void requestReady(medvae::serve::HttpConnection* connection,
                      const medvae::serve::HttpRequest& request);
    // Answers this object wrote itself (limits, malformed requests), for the access log.
    void rejected(medvae::serve::HttpConnection* connection, int status, const QByteArray& reason);
    void closed(medvae::serve::HttpConnection* connection);

  private:
    void readMore();
    void fail(int status, const QByteArray& message);
    void timedOut();

    QTcpSocket* socket_;
    Limits limits_;
    HttpRequestParser parser_;
    HttpRequest current_;
    QElapsedTimer bodyClock_;  // since the head of the current request was complete
    bool busy_ = false;
    bool closing_ = false;
    bool keepAlive_ = true;
    qint64 drainRemaining_ = 0;  // body bytes of a refused request still to read and discard
    QTimer readTimer_;
};

}  // namespace medvae::serve
