#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTimer>

#include <functional>

#include "http_request.h"
#include "http_request_parser.h"

class QTcpSocket;

namespace medvae::serve {

// One client connection of medvae-serve: reads HTTP/1.1 requests (Content-Length bodies only,
// through HttpRequestParser), one at a time, and writes the answers. Limits are enforced while
// reading, before any large buffer grows: headers over `maxHeaderBytes` or `maxHeaderCount` lines
// get 431, a declared body over `maxBodyBytes` gets 413 without being read, chunked bodies get
// 411, ambiguous framing gets 400. Once a head is complete, the head check (setHeadCheck) may
// refuse the request before a byte of its body is kept (no key, wrong method). Timeouts (408):
// a new connection must start a request within `idleTimeoutMs`; the request line and headers
// must arrive within `readTimeoutMs` of their first byte (trickling bytes does not extend it);
// the body may pause at most `readTimeoutMs` and must arrive within `readTimeoutMs` plus its
// length at `minBodyBytesPerSecond`. An idle keep-alive connection is closed after
// `idleTimeoutMs`. Each refusal closes the connection. The body bytes that a client refused on
// its head is still sending are read and discarded (never kept), at most `maxDiscardBytes` of them
// within `refusalLingerMs`, so that it gets to read the answer; after a 413 the declared body is
// drained so, within the read timeout. Bytes that a client sends while its request is being
// answered wait in a socket buffer of bounded size (`maxHeaderBytes`). Lives in the server thread;
// owns the socket.
class HttpConnection : public QObject {
    Q_OBJECT
  public:
    struct Limits {
        qint64 maxHeaderBytes = 64 * 1024;
        int maxHeaderCount = 100;
        qint64 maxBodyBytes = 64ll << 20;
        int readTimeoutMs = 30000;
        int idleTimeoutMs = 5000;
        qint64 minBodyBytesPerSecond = 64 * 1024;
        qint64 maxDiscardBytes = 1 << 20;  // of a refused request's body, read after the answer
        int refusalLingerMs = 1000;        // ... for at most this long
    };
    using Headers = QList<QPair<QByteArray, QByteArray>>;
    // Decides on a request once its head is complete, before its body is read: returns true to
    // read the body, or answers with refuse() and returns false. The body of `head` is at most
    // what arrived with it.
    using HeadCheck = std::function<bool(HttpConnection* connection, const HttpRequest& head)>;

    HttpConnection(QTcpSocket* socket, Limits limits, QObject* parent);

    void setHeadCheck(HeadCheck check) { headCheck_ = std::move(check); }
    // From the head check: answers the request now and closes the connection, discarding the
    // body bytes still coming (bounded by `maxDiscardBytes` and `refusalLingerMs`).
    void refuse(int status, const Headers& headers, const QByteArray& body);

    // Answers the current request; afterwards the next one is read. `close`: end the connection.
    void respond(int status, const Headers& headers, const QByteArray& body, bool close = false);
    bool busy() const { return busy_; }  // a request was read and is not answered yet
    bool flushed() const;                // nothing left to write
    QByteArray peerText() const;
    QHostAddress peerAddress() const { return current_.peer; }

  Q_SIGNALS:
    void requestReady(medvae::serve::HttpConnection* connection,
                      const medvae::serve::HttpRequest& request);
    // Answers this object wrote itself (limits, malformed requests), for the access log.
    void rejected(medvae::serve::HttpConnection* connection, int status, const QByteArray& reason);
    void closed(medvae::serve::HttpConnection* connection);

  private:
    void readMore();
    // One read from the socket into the parser: true when the next read may follow at once,
    // false when a request is ready, the connection failed, or the head was refused.
    bool readStep();
    // Restarts the body's read timer within its overall deadline; false (and 408) once past it.
    bool armBodyDeadline();
    void fail(int status, const QByteArray& message);
    void timedOut();
    bool admitHead();

    QTcpSocket* socket_;
    Limits limits_;
    HttpRequestParser parser_;
    HttpRequest current_;
    QElapsedTimer bodyClock_;  // since the head of the current request was complete
    bool busy_ = false;
    bool closing_ = false;
    bool keepAlive_ = true;
    bool servedAny_ = false;  // a request was answered on this connection
    HeadCheck headCheck_;
    qint64 drainRemaining_ = 0;  // body bytes of a refused request still to read and discard
    int lingerMs_ = 0;           // how long a refused connection is drained (0: read timeout)
    QTimer readTimer_;
};

}  // namespace medvae::serve
