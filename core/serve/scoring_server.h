#pragma once

#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

#include "http_request.h"
#include "scoring_worker.h"
#include "serve_options.h"

class QTcpServer;
class QTcpSocket;

namespace medvae::serve {

class HttpConnection;

// medvae-serve: the Azure ML MedVAE scoring contract over HTTP with the project's engine.
//   POST /score         the contract (Bearer key when one is set)
//   GET  /              liveness
//   GET  /ready         readiness: 200 when the model is loaded, the queue has room and the
//                       server is not shutting down; 503 otherwise
//   GET  /swagger.json  OpenAPI 3 description of the request and the response
// Inference runs on one worker thread (ScoringWorker); this object and every connection live in
// the thread that created it, which must run an event loop.
//
// Bounds: at most `maxConnections` connections, `maxConnectionsPerClient` of them from one
// address (more are refused at once); a request is refused on its head, before its body is
// read, when its key, method or route is wrong; each admitted request has a deadline from its
// arrival (`timeoutS`) at which it is answered 408 and its work is stopped, whatever it is doing.
// An access log line per answer and per refusal goes to stderr (AccessLog).
class ScoringServer : public QObject {
    Q_OBJECT
  public:
    // Throws medvae::Error when the options are unsafe (no key on a non-loopback host) or invalid.
    ScoringServer(ServeOptions options, std::shared_ptr<jobs::LocalBackend> backend,
                  QObject* parent = nullptr);
    ~ScoringServer() override;  // waits for the worker: check workStopped() first

    // Binds; throws medvae::Error naming the address when it cannot.
    void listen();
    quint16 port() const;

    // Stops accepting and drains: /ready and new requests answer 503, queued requests are
    // answered 503 at once, running ones may finish within `shutdownGraceS` and are then stopped
    // (503). Emits drained() once every admitted request is answered and written, or, when the
    // worker is inside a step it cannot leave, at most kStopBoundMs after the grace (then
    // workStopped() is false, and the process should exit without waiting for it). Called again
    // (a second signal), it ends the grace at once.
    void shutdown();
    // True when no admitted request is still being worked on.
    bool workStopped() const { return admitted_ == 0; }

    static bool isLoopbackHost(const QString& host);
    static constexpr int kStopBoundMs = 2000;

  Q_SIGNALS:
    void drained();

  private:
    using Headers = QList<QPair<QByteArray, QByteArray>>;
    struct PendingRequest;
    struct Refusal {
        int status;
        QString code;
        QString message;
        Headers headers;
    };

    void accept();
    void refuseConnection(QTcpSocket* socket, int status, const QByteArray& reason);
    std::optional<Refusal> refusalOf(const HttpRequest& head) const;
    bool admitHead(HttpConnection* connection, const HttpRequest& head);
    void handle(HttpConnection* connection, const HttpRequest& request);
    void score(HttpConnection* connection, const HttpRequest& request, const QString& requestId);
    QByteArray readiness(bool& ready) const;
    void answer(HttpConnection* connection, const HttpRequest& request, const QString& requestId,
                int status, Headers headers, const QByteArray& body);
    void finish(const std::shared_ptr<PendingRequest>& pending, int status, const Headers& headers,
                const QByteArray& body, const QByteArray& reason = {});
    // Answers now (408 or 503) and stops the work; the worker's own answer is dropped later.
    void stopPending(const std::shared_ptr<PendingRequest>& pending,
                     ScoringWorker::Control::Stop why);
    void connectionClosed(HttpConnection* connection);
    bool authorised(const HttpRequest& request) const;
    void endGrace();
    void checkDrained();

    ServeOptions options_;
    std::shared_ptr<jobs::LocalBackend> backend_;
    std::unique_ptr<ScoringWorker> worker_;
    QTcpServer* listener_ = nullptr;
    std::vector<std::shared_ptr<PendingRequest>> pending_;  // admitted, worker not done yet
    int admitted_ = 0;  // requests given to the worker whose work has not ended yet
    bool draining_ = false;
    bool graceOver_ = false;
    bool stopBoundPassed_ = false;
    bool drainedSent_ = false;
    int flushWaits_ = 0;
};

}  // namespace medvae::serve
