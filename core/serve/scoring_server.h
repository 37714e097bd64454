#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QString>

#include <memory>

#include "http_request.h"
#include "serve_options.h"

class QTcpServer;

namespace medvae::jobs {
class LocalBackend;
}

namespace medvae::serve {

class HttpConnection;
class ScoringWorker;

// medvae-serve: the Azure ML MedVAE scoring contract over HTTP with the project's engine.
//   POST /score         the contract (Bearer key when one is set)
//   GET  /              liveness
//   GET  /ready         readiness: 200 when the model is loaded and the server is not draining
//   GET  /swagger.json  OpenAPI 3 description of the request and the response
// Inference runs on one worker thread (ScoringWorker); this object and every connection live in
// the thread that created it, which must run an event loop. An access log line per request goes
// to stderr (method, path, status, sizes, time, ids; never image data or keys).
class ScoringServer : public QObject {
    Q_OBJECT
  public:
    // Throws medvae::Error when the options are unsafe (no key on a non-loopback host) or invalid.
    ScoringServer(ServeOptions options, std::shared_ptr<jobs::LocalBackend> backend,
                  QObject* parent = nullptr);
    ~ScoringServer() override;

    // Binds; throws medvae::Error naming the address when it cannot.
    void listen();
    quint16 port() const;

    // Stops accepting, answers 503 to new requests, and emits drained() once every admitted
    // request has been answered.
    void shutdown();

    static QByteArray openApi();
    static bool isLoopbackHost(const QString& host);

  Q_SIGNALS:
    void drained();

  private:
    void accept();
    void handle(HttpConnection* connection, const HttpRequest& request);
    void answer(HttpConnection* connection, const HttpRequest& request, const QString& requestId,
                int status, QList<QPair<QByteArray, QByteArray>> headers, const QByteArray& body);
    void log(const HttpRequest& request, const QByteArray& peer, int status, qint64 bytesOut,
             double ms, const QString& requestId, const QByteArray& clientRequestId);
    bool authorised(const HttpRequest& request) const;
    void checkDrained();

    ServeOptions options_;
    std::shared_ptr<jobs::LocalBackend> backend_;
    std::unique_ptr<ScoringWorker> worker_;
    QTcpServer* listener_ = nullptr;
    int admitted_ = 0;  // requests given to the worker and not answered yet
    bool draining_ = false;
    bool drainedSent_ = false;
    int flushWaits_ = 0;
};

}  // namespace medvae::serve
