#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTimer>

#include "http_request.h"

class QTcpSocket;

namespace medvae::serve {

// One client connection of medvae-serve: reads HTTP/1.1 requests (Content-Length bodies only),
// one at a time, and writes the answers. Limits are enforced while reading, before any large
// buffer grows: headers over `maxHeaderBytes` get 431, a declared body over `maxBodyBytes` gets
// 413 without being read, chunked bodies get 411, and a client that stops sending mid-request
// for `readTimeoutMs` gets 408. Each of those closes the connection. Lives in the server thread;
// owns the socket.
class HttpConnection : public QObject {
    Q_OBJECT
  public:
    struct Limits {
        qint64 maxHeaderBytes = 64 * 1024;
        qint64 maxBodyBytes = 64ll << 20;
        int readTimeoutMs = 30000;
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

    QTcpSocket* socket_;
    Limits limits_;
    QByteArray buffer_;
    HttpRequest current_;
    bool headComplete_ = false;
    qint64 bodyLength_ = 0;
    bool busy_ = false;
    bool closing_ = false;
    bool keepAlive_ = true;
    qint64 drainRemaining_ = 0;  // body bytes of a refused request still to read and discard
    QTimer readTimer_;
};

}  // namespace medvae::serve
