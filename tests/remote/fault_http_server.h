#pragma once

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QPair>
#include <QString>

#include <memory>

#include "loopback_listener.h"

class QTcpSocket;

namespace medvae::test {

// A loopback HTTP server that answers each request with the next scripted response (the last one
// repeats), for fault injection: slow or stalled bodies, connection resets, garbage, 5xx then
// success. Runs in its own thread, so a synchronous client in the test thread can talk to it.
class FaultHttpServer {
  public:
    struct Response {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        qint64 stallAfter = -1;  // >= 0: send headers and this many body bytes, then go silent
        bool reset = false;      // read the request, then reset the connection without answering
    };

    FaultHttpServer();
    ~FaultHttpServer();
    FaultHttpServer(const FaultHttpServer&) = delete;
    FaultHttpServer& operator=(const FaultHttpServer&) = delete;

    QString url() const;  // http://127.0.0.1:<port>/score
    void script(const QList<Response>& responses);
    int requests() const;
    QByteArray lastHead() const;  // request line and headers of the last request
    QByteArray lastBody() const;

  private:
    void serve(QTcpSocket* socket);

    mutable QMutex mutex_;
    QList<Response> script_;
    int requests_ = 0;
    QByteArray lastHead_, lastBody_;
    std::unique_ptr<LoopbackListener> listener_;  // reset first: it calls serve()
};

}  // namespace medvae::test
