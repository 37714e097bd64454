#include "scoring_server.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "access_log.h"
#include "error.h"
#include "http_connection.h"
#include "http_status.h"
#include "local_backend.h"
#include "open_api_document.h"
#include "scoring_contract.h"
#include "scoring_worker.h"
#include "url_fetcher.h"

namespace medvae::serve {

// A request handed to the worker, as the HTTP thread keeps track of it until the worker is done.
struct ScoringServer::PendingRequest {
    QPointer<HttpConnection> connection;
    HttpRequest request;  // method, path and headers; the body went to the worker
    qint64 bytesIn = 0;
    QByteArray peer;
    QString requestId;
    QElapsedTimer clock;
    std::shared_ptr<ScoringWorker::Control> control;
    bool answered = false;
};

namespace {

using Control = ScoringWorker::Control;

// Compares without an early exit, so the time taken does not reveal how much of a key matched.
bool constantTimeEquals(const QByteArray& a, const QByteArray& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const qsizetype n = std::max(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= x ^ y;
    }
    return diff == 0;
}

// Seconds as a timer's milliseconds, within what a timer takes.
int timerMs(double seconds) {
    return int(std::clamp(seconds * 1000, 0.0, double(std::numeric_limits<int>::max())));
}

QByteArray json(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Sets the reason a job stops unless another was set first.
void requestStop(Control& control, Control::Stop why) {
    Control::Stop none = Control::Stop::None;
    control.stop.compare_exchange_strong(none, why);
}

}  // namespace

bool ScoringServer::isLoopbackHost(const QString& host) {
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) return true;
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
}

ScoringServer::ScoringServer(ServeOptions options, std::shared_ptr<jobs::LocalBackend> backend,
                             QObject* parent)
    : QObject(parent), options_(std::move(options)), backend_(std::move(backend)) {
    if (options_.key.isEmpty() && !isLoopbackHost(options_.host))
        throw Error("Refusing to serve on " + options_.host.toStdString() +
                    " without a key: anyone who can reach it could use the model. Give a key "
                    "(--key-file, or the MEDVAE_SERVE_KEY environment variable) or bind a "
                    "loopback address (127.0.0.1)");
    QHostAddress address;
    if (!address.setAddress(options_.host) &&
        options_.host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) != 0)
        throw Error("--host must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1), not '" +
                    options_.host.toStdString() + "'");
    if (options_.queue < 1) throw Error("--queue must be at least 1");
    if (!(options_.timeoutS >= 0.01)) throw Error("--timeout-s must be at least 0.01");
    if (options_.maxBodyBytes < 1024) throw Error("--max-body-bytes must be at least 1024");
    if (options_.maxConnections < 1) throw Error("--max-connections must be at least 1");
    if (options_.maxConnectionsPerClient < 0)
        throw Error("--max-connections-per-client must be 0 (no limit) or more");
    if (!(options_.idleTimeoutS >= 0.1)) throw Error("--idle-timeout-s must be at least 0.1");
    if (!(options_.shutdownGraceS >= 0)) throw Error("--shutdown-grace-s must be 0 or more");
    if (options_.batch < 1 || options_.batch > options_.queue)
        throw Error("--batch must be from 1 to --queue (" + std::to_string(options_.queue) +
                    "): a batch is made of admitted requests");
    if (!backend_) throw Error("medvae-serve needs a loaded model");
    ScoringWorker::Settings settings;
    settings.allowUrlFetch = options_.allowUrlFetch;
    settings.maxImageBytes = options_.maxBodyBytes;
    settings.maxDownloadBytes = options_.maxDownloadBytes;
    if (options_.maxMemoryGb > 0)
        settings.memory = MemoryBudget::fromGigabytes(options_.maxMemoryGb);
    settings.batchSize = options_.batch;
    worker_ = std::make_unique<ScoringWorker>(backend_, settings);
}

ScoringServer::~ScoringServer() {
    for (const auto& p : pending_)
        requestStop(*p->control, Control::Stop::Shutdown);
    worker_.reset();  // the stopped jobs end at their next check; their answers are dropped
}

void ScoringServer::listen() {
    listener_ = new QTcpServer(this);
    QHostAddress address =
        options_.host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
            ? QHostAddress(QHostAddress::LocalHost)
            : QHostAddress(options_.host);
    if (!listener_->listen(address, options_.port))
        throw Error("Cannot listen on " + options_.host.toStdString() + ":" +
                    std::to_string(options_.port) + ": " + listener_->errorString().toStdString());
    connect(listener_, &QTcpServer::newConnection, this, &ScoringServer::accept);
}

quint16 ScoringServer::port() const {
    return listener_ ? listener_->serverPort() : 0;
}

void ScoringServer::accept() {
    while (QTcpSocket* socket = listener_->nextPendingConnection()) {
        // Each connection holds buffers and a slot: bounded in all, and per client address so
        // that one client holding idle or trickling connections cannot lock the others out.
        const QList<HttpConnection*> open =
            findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly);
        const QHostAddress peer = socket->peerAddress();
        const auto fromPeer = std::count_if(open.begin(), open.end(), [&](HttpConnection* c) {
            return c->peerAddress().isEqual(peer, QHostAddress::TolerantConversion);
        });
        if (open.size() >= options_.maxConnections) {
            refuseConnection(socket, 503,
                             QByteArray::number(open.size()) +
                                 " connections are open, the server's limit (--max-connections)");
            continue;
        }
        if (options_.maxConnectionsPerClient > 0 && fromPeer >= options_.maxConnectionsPerClient) {
            refuseConnection(socket, 429,
                             "this client has " + QByteArray::number(qint64(fromPeer)) +
                                 " connections open, the limit per client "
                                 "(--max-connections-per-client)");
            continue;
        }
        HttpConnection::Limits limits;
        limits.maxBodyBytes = options_.maxBodyBytes;
        limits.idleTimeoutMs = timerMs(options_.idleTimeoutS);
        auto* connection = new HttpConnection(socket, limits, this);
        connection->setHeadCheck(
            [this](HttpConnection* c, const HttpRequest& head) { return admitHead(c, head); });
        connect(connection, &HttpConnection::requestReady, this, &ScoringServer::handle);
        connect(connection, &HttpConnection::rejected, this,
                [](HttpConnection* c, int status, const QByteArray& reason) {
                    AccessLog::Entry e;
                    e.peer = c->peerText();
                    e.status = status;
                    e.reason = reason;
                    AccessLog::write(e);
                });
        connect(connection, &HttpConnection::closed, this, &ScoringServer::connectionClosed);
        connect(connection, &HttpConnection::closed, connection, &QObject::deleteLater);
    }
}

void ScoringServer::refuseConnection(QTcpSocket* socket, int status, const QByteArray& reason) {
    const QByteArray body = ScoringWorker::errorBody(
        status, QString::fromLatin1(httpReason(status)).remove(QLatin1Char(' ')),
        QString::fromLatin1(reason), QString());
    socket->write(
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReason(status) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\nConnection: close\r\nRetry-After: 1\r\n\r\n" + body);
    AccessLog::Entry e;
    e.peer = socket->peerAddress().toString().toLatin1();
    e.status = status;
    e.bytesOut = body.size();
    e.reason = reason;
    AccessLog::write(e);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(1000, socket, &QTcpSocket::abort);  // bounded even if it never reads
    socket->disconnectFromHost();
}

std::optional<ScoringServer::Refusal> ScoringServer::refusalOf(const HttpRequest& head) const {
    if (head.path == "/score") {
        if (head.method != "POST")
            return Refusal{405,
                           QStringLiteral("MethodNotAllowed"),
                           QStringLiteral("use POST /score"),
                           {{"Allow", "POST"}}};
        if (!authorised(head))
            return Refusal{401,
                           QStringLiteral("Unauthorized"),
                           head.header("authorization").isEmpty()
                               ? QStringLiteral("missing 'Authorization: Bearer <key>' header")
                               : QStringLiteral("invalid key"),
                           {{"WWW-Authenticate", "Bearer"}}};
        if (draining_)
            return Refusal{503,
                           QStringLiteral("ShuttingDown"),
                           QStringLiteral("the server is shutting down"),
                           {}};
        return std::nullopt;
    }
    if (head.method != "GET" && head.method != "HEAD")
        return Refusal{
            405, QStringLiteral("MethodNotAllowed"), QStringLiteral("use GET"), {{"Allow", "GET"}}};
    // Only POST /score reads a body; anything else would be memory spent without a key.
    const QByteArray length = head.header("content-length");
    if (!length.isEmpty() && length.toLongLong() != 0)
        return Refusal{413,
                       QStringLiteral("PayloadTooLarge"),
                       QStringLiteral("GET and HEAD requests take no body here"),
                       {}};
    return std::nullopt;
}

bool ScoringServer::admitHead(HttpConnection* connection, const HttpRequest& head) {
    const std::optional<Refusal> refusal = refusalOf(head);
    if (!refusal) return true;
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    Headers headers = refusal->headers;
    headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json"));
    headers.append(QPair<QByteArray, QByteArray>("x-request-id", requestId.toLatin1()));
    const QByteArray body =
        ScoringWorker::errorBody(refusal->status, refusal->code, refusal->message, requestId);
    connection->refuse(refusal->status, headers, body);
    AccessLog::Entry e;
    e.peer = connection->peerText();
    e.method = head.method;
    e.path = head.path;
    e.status = refusal->status;
    e.bytesOut = body.size();
    e.requestId = requestId;
    e.clientRequestId = head.header("x-ms-client-request-id");
    e.reason = "refused before reading the body: " + refusal->message.toUtf8();
    AccessLog::write(e);
    return false;
}

bool ScoringServer::authorised(const HttpRequest& request) const {
    if (options_.key.isEmpty()) return true;
    // "Bearer <key>"; the scheme name is case-insensitive (RFC 9110, section 11.1).
    const QByteArray header = request.header("authorization").trimmed();
    qsizetype gap = 0;
    while (gap < header.size() && header[gap] != ' ' && header[gap] != '\t')
        ++gap;
    if (header.left(gap).toLower() != "bearer") return false;
    return constantTimeEquals(header.mid(gap).trimmed(), options_.key.toUtf8());
}

void ScoringServer::answer(HttpConnection* connection, const HttpRequest& request,
                           const QString& requestId, int status, Headers headers,
                           const QByteArray& body) {
    headers.append(QPair<QByteArray, QByteArray>("x-request-id", requestId.toLatin1()));
    const QByteArray clientId = request.header("x-ms-client-request-id").left(40);
    if (!clientId.isEmpty())
        headers.append(QPair<QByteArray, QByteArray>("x-ms-client-request-id", clientId));
    connection->respond(status, headers, body, draining_);
}

void ScoringServer::finish(const std::shared_ptr<PendingRequest>& p, int status,
                           const Headers& headers, const QByteArray& body,
                           const QByteArray& reason) {
    if (p->answered) return;
    p->answered = true;
    AccessLog::Entry e;
    e.peer = p->peer;
    e.method = p->request.method;
    e.path = p->request.path;
    e.status = status;
    e.bytesIn = p->bytesIn;
    e.bytesOut = body.size();
    e.ms = p->clock.nsecsElapsed() / 1e6;
    e.requestId = p->requestId;
    e.clientRequestId = p->request.header("x-ms-client-request-id");
    e.reason = reason;
    if (p->connection) {
        answer(p->connection, p->request, p->requestId, status, headers, body);
    } else {
        e.status = 499;  // as other servers log it: nobody was left to answer
        e.bytesOut = 0;
        e.reason = "the client closed the connection; its work was stopped";
    }
    AccessLog::write(e);
}

void ScoringServer::stopPending(const std::shared_ptr<PendingRequest>& p, Control::Stop stop) {
    if (p->answered) return;
    requestStop(*p->control, stop);
    const QString during = QString::fromLatin1(Control::describe(p->control->stage.load()));
    const Headers type{{"Content-Type", "application/json"}};
    if (stop == Control::Stop::Timeout) {
        const QString message = QStringLiteral(
                                    "the request ran past the server's per-request timeout "
                                    "(--timeout-s %1 s) while %2; its work was stopped")
                                    .arg(options_.timeoutS)
                                    .arg(during);
        finish(p, 408, type,
               ScoringWorker::errorBody(408, QStringLiteral("Timeout"), message, p->requestId),
               message.toUtf8());
    } else {
        const QString message =
            QStringLiteral("the server is shutting down; the request was stopped while %1")
                .arg(during);
        finish(p, 503, type,
               ScoringWorker::errorBody(503, QStringLiteral("ShuttingDown"), message, p->requestId),
               message.toUtf8());
    }
}

void ScoringServer::connectionClosed(HttpConnection* connection) {
    // Nobody will read the answer: the work stops at its next check.
    for (const auto& p : pending_)
        if (p->connection == connection && !p->answered)
            requestStop(*p->control, Control::Stop::ClientGone);
}

void ScoringServer::handle(HttpConnection* connection, const HttpRequest& request) {
    QElapsedTimer clock;
    clock.start();
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto finishNow = [&](int status, Headers headers, const QByteArray& body) {
        answer(connection, request, requestId, status, headers, body);
        AccessLog::Entry e;
        e.peer = connection->peerText();
        e.method = request.method;
        e.path = request.path;
        e.status = status;
        e.bytesIn = request.body.size();
        e.bytesOut = body.size();
        e.ms = clock.nsecsElapsed() / 1e6;
        e.requestId = requestId;
        e.clientRequestId = request.header("x-ms-client-request-id");
        AccessLog::write(e);
    };
    const Headers jsonType{{"Content-Type", "application/json"}};
    if (const std::optional<Refusal> r = refusalOf(request)) {
        // Normally refused on the head already; the state may have changed since (draining).
        finishNow(r->status, r->headers + jsonType,
                  ScoringWorker::errorBody(r->status, r->code, r->message, requestId));
        return;
    }
    if (request.path == "/score") {
        score(connection, request, requestId);
    } else if (request.path == "/") {
        finishNow(200, jsonType, json({{QStringLiteral("status"), QStringLiteral("alive")}}));
    } else if (request.path == "/ready" || request.path == "/readiness") {
        bool ready = false;
        const QByteArray body = readiness(ready);
        finishNow(ready ? 200 : 503, jsonType, body);
    } else if (request.path == "/swagger.json" || request.path == "/openapi.json") {
        finishNow(200, jsonType, OpenApiDocument::json());
    } else {
        finishNow(404, jsonType,
                  ScoringWorker::errorBody(
                      404, QStringLiteral("NotFound"),
                      QStringLiteral("no such route; POST /score, GET /, /ready, /swagger.json"),
                      requestId));
    }
}

QByteArray ScoringServer::readiness(bool& ready) const {
    // Not ready while a new request would be refused, so that a balancer sends it elsewhere.
    const bool saturated = admitted_ >= options_.queue;
    ready = !draining_ && !saturated;
    const auto d = backend_->describe();
    QJsonObject body{{QStringLiteral("ready"), ready},
                     {QStringLiteral("model"), QString::fromStdString(d.model)},
                     {QStringLiteral("device"), QString::fromStdString(d.device)},
                     {QStringLiteral("factor"), d.factor},
                     {QStringLiteral("latent_channels"), d.latentChannels},
                     {QStringLiteral("image_channels"), d.imageChannels},
                     {QStringLiteral("queue"), options_.queue},
                     {QStringLiteral("admitted"), admitted_}};
    if (draining_)
        body.insert(QStringLiteral("reason"), QStringLiteral("shutting down"));
    else if (saturated)
        body.insert(QStringLiteral("reason"),
                    QStringLiteral("busy: %1 requests admitted, the queue's capacity (--queue)")
                        .arg(admitted_));
    return json(body);
}

void ScoringServer::score(HttpConnection* connection, const HttpRequest& request,
                          const QString& requestId) {
    auto p = std::make_shared<PendingRequest>();
    p->clock.start();
    p->connection = connection;
    p->request = request;
    p->request.body = QByteArray();
    p->bytesIn = request.body.size();
    p->peer = connection->peerText();
    p->requestId = requestId;
    const auto refuse = [&](int status, const QString& code, const QString& message,
                            Headers headers = {}) {
        headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json"));
        finish(p, status, headers, ScoringWorker::errorBody(status, code, message, requestId));
    };
    contract::ScoringContract::ScoreInput input;
    try {
        input = contract::ScoringContract::parseRequest(request.body);
    } catch (const Error& e) {
        refuse(400, QStringLiteral("InvalidRequest"), QString::fromStdString(e.what()));
        return;
    }
    if (!options_.allowUrlFetch && UrlFetcher::isHttpUrl(input.image.toStdString())) {
        refuse(400, QStringLiteral("UrlFetchDisabled"),
               QStringLiteral("image_path is a URL, and this server does not fetch URLs (started "
                              "without --allow-url-fetch): send the image as base64"));
        return;
    }
    if (admitted_ >= options_.queue) {
        const int wait =
            std::max(1, int(std::ceil(worker_->averageSeconds() * std::max(1, admitted_))));
        refuse(429, QStringLiteral("TooManyRequests"),
               QStringLiteral("the server is busy (%1 requests admitted, --queue %2); retry after "
                              "%3 s")
                   .arg(admitted_)
                   .arg(options_.queue)
                   .arg(wait),
               {{"Retry-After", QByteArray::number(wait)}});
        return;
    }
    ++admitted_;
    pending_.push_back(p);
    ScoringWorker::Job job;
    job.image = input.image;
    job.decode = input.decode;
    job.requestId = requestId;
    const int timeoutMs = timerMs(options_.timeoutS);
    job.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    p->control = job.control;
    job.done = [this, p](int status, Headers headers, QByteArray body) {
        // Worker thread -> this object's thread.
        QMetaObject::invokeMethod(
            this,
            [this, p, status, headers, body] {
                --admitted_;
                pending_.erase(std::find(pending_.begin(), pending_.end(), p));
                finish(p, status, headers, body);
                checkDrained();
            },
            Qt::QueuedConnection);
    };
    // The answer goes out at the deadline whatever the worker is doing; the worker stops at its
    // next check (between stages, or between the engine's blocks).
    QTimer::singleShot(timeoutMs, Qt::PreciseTimer, this,
                       [this, weak = std::weak_ptr<PendingRequest>(p)] {
                           if (const auto expired = weak.lock())
                               stopPending(expired, Control::Stop::Timeout);
                       });
    worker_->submit(std::move(job));
}

void ScoringServer::shutdown() {
    if (draining_) {
        endGrace();  // asked again: stop now
        return;
    }
    draining_ = true;
    if (listener_) listener_->close();
    // Waiting requests have not started: nothing to finish.
    for (const auto& p : pending_)
        if (p->control->stage.load() == Control::Stage::Queued)
            stopPending(p, Control::Stop::Shutdown);
    QTimer::singleShot(timerMs(options_.shutdownGraceS), Qt::PreciseTimer, this,
                       &ScoringServer::endGrace);
    checkDrained();
}

void ScoringServer::endGrace() {
    if (graceOver_) return;
    graceOver_ = true;
    for (const auto& p : pending_)
        stopPending(p, Control::Stop::Shutdown);
    // The worker leaves at its next check; one long step it cannot leave (a large engine block,
    // a decoder) does not hold the exit up for longer than this.
    QTimer::singleShot(kStopBoundMs, this, [this] {
        stopBoundPassed_ = true;
        checkDrained();
    });
    checkDrained();
}

void ScoringServer::checkDrained() {
    if (!draining_ || drainedSent_) return;
    if (admitted_ != 0 && !stopBoundPassed_) return;
    // Let the last answers reach the wire before reporting (bounded: 2 s).
    const QList<HttpConnection*> connections = findChildren<HttpConnection*>();
    const bool flushed = std::all_of(connections.begin(), connections.end(),
                                     [](const HttpConnection* c) { return c->flushed(); });
    if (flushed || flushWaits_ >= 100) {
        drainedSent_ = true;
        Q_EMIT drained();
        return;
    }
    ++flushWaits_;
    QTimer::singleShot(20, this, &ScoringServer::checkDrained);
}

}  // namespace medvae::serve
