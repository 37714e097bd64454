#include "scoring_server.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
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
#include <cstdio>

#include "error.h"
#include "http_connection.h"
#include "local_backend.h"
#include "scoring_contract.h"
#include "scoring_worker.h"
#include "url_fetcher.h"

namespace medvae::serve {

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

constexpr int kMaxConnections = 64;

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

QByteArray json(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
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
    if (!backend_) throw Error("medvae-serve needs a loaded model");
    ScoringWorker::Settings settings;
    settings.allowUrlFetch = options_.allowUrlFetch;
    settings.maxImageBytes = options_.maxBodyBytes;
    settings.maxDownloadBytes = options_.maxDownloadBytes;
    worker_ = std::make_unique<ScoringWorker>(backend_, settings);
}

ScoringServer::~ScoringServer() {
    worker_.reset();  // finishes queued jobs; their answers are dropped with the connections
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
        // Bounded connections: each holds buffers; beyond the limit, refuse at once.
        if (findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly).size() >= kMaxConnections) {
            socket->write(
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: "
                "close\r\nRetry-After: 1\r\n\r\n");
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            continue;
        }
        HttpConnection::Limits limits;
        limits.maxBodyBytes = options_.maxBodyBytes;
        auto* connection = new HttpConnection(socket, limits, this);
        connect(connection, &HttpConnection::requestReady, this, &ScoringServer::handle);
        connect(connection, &HttpConnection::rejected, this,
                [this](HttpConnection* c, int status, const QByteArray&) {
                    HttpRequest r;
                    r.method = "-";
                    r.path = "-";
                    log(r, c->peerText(), status, 0, 0, QString(), QByteArray());
                });
        connect(connection, &HttpConnection::closed, connection, &QObject::deleteLater);
    }
}

bool ScoringServer::authorised(const HttpRequest& request) const {
    if (options_.key.isEmpty()) return true;
    const QByteArray header = request.header("authorization");
    if (!header.startsWith("Bearer ")) return false;
    return constantTimeEquals(header.mid(7).trimmed(), options_.key.toUtf8());
}

void ScoringServer::log(const HttpRequest& request, const QByteArray& peer, int status,
                        qint64 bytesOut, double ms, const QString& requestId,
                        const QByteArray& clientRequestId) {
    // Only the first 40 characters of the client's id, printable ones: it is the client's text.
    QByteArray client = clientRequestId.left(40);
    for (char& c : client)
        if (c < 0x21 || c > 0x7e) c = '?';
    QByteArray method = request.method.left(16), path = request.path.left(200);
    for (QByteArray* text : {&method, &path})
        for (char& c : *text)
            if (c < 0x21 || c > 0x7e) c = '?';  // no control characters into the log
    std::fprintf(stderr, "%s %s \"%s %s\" %d in=%lld out=%lld %.1fms request-id=%s client-id=%s\n",
                 QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1().constData(),
                 peer.constData(), method.constData(), path.constData(), status,
                 (long long)request.body.size(), (long long)bytesOut, ms,
                 requestId.isEmpty() ? "-" : qPrintable(requestId),
                 client.isEmpty() ? "-" : client.constData());
    std::fflush(stderr);
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

void ScoringServer::handle(HttpConnection* connection, const HttpRequest& request) {
    QElapsedTimer clock;
    clock.start();
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QByteArray peer = connection->peerText();
    const auto finish = [this, connection, request, requestId, peer, clock](
                            int status, Headers headers, const QByteArray& body) {
        answer(connection, request, requestId, status, headers, body);
        log(request, peer, status, body.size(), clock.nsecsElapsed() / 1e6, requestId,
            request.header("x-ms-client-request-id"));
    };
    const auto error = [&](int status, const QString& code, const QString& message,
                           Headers headers = {}) {
        headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json"));
        finish(status, headers, ScoringWorker::errorBody(status, code, message, requestId));
    };
    const Headers jsonType{{"Content-Type", "application/json"}};

    if (request.path == "/score") {
        if (request.method != "POST") {
            error(405, QStringLiteral("MethodNotAllowed"), QStringLiteral("use POST /score"),
                  {{"Allow", "POST"}});
            return;
        }
        if (!authorised(request)) {
            error(401, QStringLiteral("Unauthorized"),
                  request.header("authorization").isEmpty()
                      ? QStringLiteral("missing 'Authorization: Bearer <key>' header")
                      : QStringLiteral("invalid key"),
                  {{"WWW-Authenticate", "Bearer"}});
            return;
        }
        if (draining_) {
            error(503, QStringLiteral("ShuttingDown"),
                  QStringLiteral("the server is shutting down"));
            return;
        }
        remote::ScoringContract::ScoreInput input;
        try {
            input = remote::ScoringContract::parseRequest(request.body);
        } catch (const Error& e) {
            error(400, QStringLiteral("InvalidRequest"), QString::fromStdString(e.what()));
            return;
        }
        if (!options_.allowUrlFetch && UrlFetcher::isHttpUrl(input.image.toStdString())) {
            error(400, QStringLiteral("UrlFetchDisabled"),
                  QStringLiteral("image_path is a URL, and this server does not fetch URLs "
                                 "(started without --allow-url-fetch): send the image as base64"));
            return;
        }
        if (admitted_ >= options_.queue) {
            const int wait =
                std::max(1, int(std::ceil(worker_->averageSeconds() * std::max(1, admitted_))));
            error(429, QStringLiteral("TooManyRequests"),
                  QStringLiteral("the server is busy (%1 requests admitted, --queue %2); retry "
                                 "after %3 s")
                      .arg(admitted_)
                      .arg(options_.queue)
                      .arg(wait),
                  {{"Retry-After", QByteArray::number(wait)}});
            return;
        }
        ++admitted_;
        ScoringWorker::Job job;
        job.image = input.image;
        job.decode = input.decode;
        job.requestId = requestId;
        job.deadline = std::chrono::steady_clock::now() +
                       std::chrono::milliseconds(qint64(options_.timeoutS * 1000));
        QPointer<HttpConnection> alive(connection);
        job.done = [this, alive, finish](int status, Headers headers, QByteArray body) {
            // Worker thread -> this object's thread.
            QMetaObject::invokeMethod(
                this,
                [this, alive, finish, status, headers, body] {
                    --admitted_;
                    if (alive) finish(status, headers, body);
                    checkDrained();
                },
                Qt::QueuedConnection);
        };
        worker_->submit(std::move(job));
        return;
    }
    if (request.method != "GET" && request.method != "HEAD") {
        error(405, QStringLiteral("MethodNotAllowed"), QStringLiteral("use GET"),
              {{"Allow", "GET"}});
        return;
    }
    if (request.path == "/") {
        finish(200, jsonType, json({{QStringLiteral("status"), QStringLiteral("alive")}}));
    } else if (request.path == "/ready" || request.path == "/readiness") {
        const auto d = backend_->describe();
        const QJsonObject body{{QStringLiteral("ready"), !draining_},
                               {QStringLiteral("model"), QString::fromStdString(d.model)},
                               {QStringLiteral("device"), QString::fromStdString(d.device)},
                               {QStringLiteral("factor"), d.factor},
                               {QStringLiteral("latent_channels"), d.latentChannels},
                               {QStringLiteral("image_channels"), d.imageChannels},
                               {QStringLiteral("queue"), options_.queue},
                               {QStringLiteral("admitted"), admitted_}};
        finish(draining_ ? 503 : 200, jsonType, json(body));
    } else if (request.path == "/swagger.json" || request.path == "/openapi.json") {
        finish(200, jsonType, openApi());
    } else {
        error(404, QStringLiteral("NotFound"),
              QStringLiteral("no such route; POST /score, GET /, /ready, /swagger.json"));
    }
}

void ScoringServer::shutdown() {
    draining_ = true;
    if (listener_) listener_->close();
    checkDrained();
}

void ScoringServer::checkDrained() {
    if (!draining_ || admitted_ != 0 || drainedSent_) return;
    // Let the last answers reach the wire before reporting (bounded: 10 s).
    const QList<HttpConnection*> connections = findChildren<HttpConnection*>();
    const bool flushed = std::all_of(connections.begin(), connections.end(),
                                     [](const HttpConnection* c) { return c->flushed(); });
    if (flushed || flushWaits_ >= 500) {
        drainedSent_ = true;
        Q_EMIT drained();
        return;
    }
    ++flushWaits_;
    QTimer::singleShot(20, this, &ScoringServer::checkDrained);
}

QByteArray ScoringServer::openApi() {
    const auto nested = [](const QString& description, const QString& itemType) {
        return QJsonObject{
            {QStringLiteral("type"), QStringLiteral("array")},
            {QStringLiteral("description"), description},
            {QStringLiteral("items"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                         {QStringLiteral("items"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                                      {QStringLiteral("items"),
                                       QJsonObject{{QStringLiteral("type"), itemType}}}}}}}};
    };
    const QJsonObject error{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("properties"),
         QJsonObject{
             {QStringLiteral("error"),
              QJsonObject{
                  {QStringLiteral("type"), QStringLiteral("object")},
                  {QStringLiteral("properties"),
                   QJsonObject{
                       {QStringLiteral("status"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")}}},
                       {QStringLiteral("code"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}},
                       {QStringLiteral("message"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}},
                       {QStringLiteral("request_id"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}}}}}}}};
    const QJsonObject request{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("required"), QJsonArray{QStringLiteral("input_data")}},
        {QStringLiteral("properties"),
         QJsonObject{
             {QStringLiteral("input_data"),
              QJsonObject{
                  {QStringLiteral("type"), QStringLiteral("object")},
                  {QStringLiteral("required"),
                   QJsonArray{QStringLiteral("columns"), QStringLiteral("data")}},
                  {QStringLiteral("properties"),
                   QJsonObject{
                       {QStringLiteral("columns"),
                        QJsonObject{
                            {QStringLiteral("type"), QStringLiteral("array")},
                            {QStringLiteral("items"),
                             QJsonObject{
                                 {QStringLiteral("type"), QStringLiteral("string")},
                                 {QStringLiteral("enum"), QJsonArray{QStringLiteral("image_path"),
                                                                     QStringLiteral("decode")}}}},
                            {QStringLiteral("example"),
                             QJsonArray{QStringLiteral("image_path"), QStringLiteral("decode")}}}},
                       {QStringLiteral("data"),
                        QJsonObject{
                            {QStringLiteral("type"), QStringLiteral("array")},
                            {QStringLiteral("minItems"), 1},
                            {QStringLiteral("maxItems"), 1},
                            {QStringLiteral("description"),
                             QStringLiteral(
                                 "One row: [image_path, decode]. image_path is a base64-encoded "
                                 "image file (PNG, JPEG, TIFF, DICOM, ...) or, when the server "
                                 "runs with --allow-url-fetch, an http(s) URL; decode (boolean, "
                                 "optional) also returns the reconstruction.")},
                            {QStringLiteral("items"),
                             QJsonObject{
                                 {QStringLiteral("type"), QStringLiteral("array")}}}}}}}}}}}};
    const QJsonObject prediction{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("required"), QJsonArray{QStringLiteral("latent")}},
        {QStringLiteral("properties"),
         QJsonObject{
             {QStringLiteral("latent"),
              nested(QStringLiteral("Stage-2 latent [C, h, w], h = floor(H/8), w = floor(W/8) for "
                                    "8x models, float"),
                     QStringLiteral("number"))},
             {QStringLiteral("decoded"),
              nested(QStringLiteral(
                         "Reconstruction [C, H', W'] from the posterior mean, integers 0-255 ((x + "
                         "1) / 2 * 255 of model space [-1, 1]); only when decode is true"),
                     QStringLiteral("integer"))}}}};
    const QJsonObject response{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("properties"),
         QJsonObject{{QStringLiteral("predictions"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                                  {QStringLiteral("items"), prediction}}}}}};
    const auto errorResponse = [&error](const QString& description) {
        return QJsonObject{{QStringLiteral("description"), description},
                           {QStringLiteral("content"),
                            QJsonObject{{QStringLiteral("application/json"),
                                         QJsonObject{{QStringLiteral("schema"), error}}}}}};
    };
    QJsonObject responses{
        {QStringLiteral("200"),
         QJsonObject{{QStringLiteral("description"),
                      QStringLiteral("The latent, and the reconstruction when asked")},
                     {QStringLiteral("content"),
                      QJsonObject{{QStringLiteral("application/json"),
                                   QJsonObject{{QStringLiteral("schema"), response}}}}}}},
        {QStringLiteral("400"),
         errorResponse(QStringLiteral(
             "Invalid JSON, columns, base64 or image; URL given while URL fetching is off"))},
        {QStringLiteral("401"), errorResponse(QStringLiteral("Missing or invalid Bearer key"))},
        {QStringLiteral("408"), errorResponse(QStringLiteral("Past the per-request timeout"))},
        {QStringLiteral("413"), errorResponse(QStringLiteral("Body over --max-body-bytes"))},
        {QStringLiteral("424"),
         errorResponse(QStringLiteral("The model failed (ms-azureml-model-error-* headers)"))},
        {QStringLiteral("429"), errorResponse(QStringLiteral("Queue full; see Retry-After"))},
        {QStringLiteral("503"), errorResponse(QStringLiteral("Shutting down"))}};
    const QJsonObject spec{
        {QStringLiteral("openapi"), QStringLiteral("3.0.3")},
        {QStringLiteral("info"),
         QJsonObject{
             {QStringLiteral("title"), QStringLiteral("medvae-serve")},
             {QStringLiteral("version"), QStringLiteral("1")},
             {QStringLiteral("description"),
              QStringLiteral(
                  "MedVAE scoring, compatible with the Azure ML MedVAE endpoint contract")}}},
        {QStringLiteral("components"),
         QJsonObject{
             {QStringLiteral("securitySchemes"),
              QJsonObject{{QStringLiteral("bearer"),
                           QJsonObject{{QStringLiteral("type"), QStringLiteral("http")},
                                       {QStringLiteral("scheme"), QStringLiteral("bearer")}}}}}}},
        {QStringLiteral("paths"),
         QJsonObject{
             {QStringLiteral("/score"),
              QJsonObject{
                  {QStringLiteral("post"),
                   QJsonObject{{QStringLiteral("summary"),
                                QStringLiteral("Encode one image (and decode it when asked)")},
                               {QStringLiteral("security"),
                                QJsonArray{QJsonObject{{QStringLiteral("bearer"), QJsonArray{}}}}},
                               {QStringLiteral("requestBody"),
                                QJsonObject{{QStringLiteral("required"), true},
                                            {QStringLiteral("content"),
                                             QJsonObject{{QStringLiteral("application/json"),
                                                          QJsonObject{{QStringLiteral("schema"),
                                                                       request}}}}}}},
                               {QStringLiteral("responses"), responses}}}}},
             {QStringLiteral("/"),
              QJsonObject{{QStringLiteral("get"),
                           QJsonObject{{QStringLiteral("summary"), QStringLiteral("Liveness")},
                                       {QStringLiteral("responses"),
                                        QJsonObject{{QStringLiteral("200"),
                                                     QJsonObject{{QStringLiteral("description"),
                                                                  QStringLiteral("alive")}}}}}}}}},
             {QStringLiteral("/ready"),
              QJsonObject{
                  {QStringLiteral("get"),
                   QJsonObject{
                       {QStringLiteral("summary"),
                        QStringLiteral("Readiness: model loaded, not shutting down")},
                       {QStringLiteral("responses"),
                        QJsonObject{
                            {QStringLiteral("200"),
                             QJsonObject{{QStringLiteral("description"), QStringLiteral("ready")}}},
                            {QStringLiteral("503"),
                             QJsonObject{{QStringLiteral("description"),
                                          QStringLiteral("shutting down")}}}}}}}}}}}};
    return QJsonDocument(spec).toJson(QJsonDocument::Indented);
}

}  // namespace medvae::serve
