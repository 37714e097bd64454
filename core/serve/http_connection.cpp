#include "http_connection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#include "http_status.h"

namespace medvae::serve {

namespace {

HttpRequestParser::Limits parserLimits(const HttpConnection::Limits& l) {
    HttpRequestParser::Limits p;
    p.maxHeaderBytes = l.maxHeaderBytes;
    p.maxHeaderCount = l.maxHeaderCount;
    p.maxBodyBytes = l.maxBodyBytes;
    return p;
}

}  // namespace

HttpConnection::HttpConnection(QTcpSocket* socket, Limits limits, QObject* parent)
    : QObject(parent), socket_(socket), limits_(limits), parser_(parserLimits(limits)) {
    socket_->setParent(this);
    // Bounded: a client that keeps sending (pipelining) while its request is answered fills this
    // buffer and then TCP flow control holds it back, instead of growing memory here.
    socket_->setReadBufferSize(qMax<qint64>(limits_.maxHeaderBytes, 16 * 1024));
    current_.peer = socket_->peerAddress();
    readTimer_.setSingleShot(true);
    connect(&readTimer_, &QTimer::timeout, this, &HttpConnection::timedOut);
    connect(socket_, &QTcpSocket::readyRead, this, &HttpConnection::readMore);
    connect(socket_, &QTcpSocket::disconnected, this, [this] { Q_EMIT closed(this); });
    // A connection that never sends a request costs a slot: it gets a short time to start one.
    readTimer_.start(limits_.idleTimeoutMs);
}

void HttpConnection::timedOut() {
    if (busy_) return;  // the answer is being computed; the server's own deadline applies
    if (parser_.headComplete())
        fail(408, "the request body stopped or arrived too slowly");
    else if (!parser_.idle())
        fail(408, "the request was not received completely in time");
    else if (!servedAny_)
        fail(408, "no request arrived within " +
                      QByteArray::number(limits_.idleTimeoutMs / 1000.0, 'g', 3) +
                      " s of connecting (--idle-timeout-s)");
    else
        socket_->disconnectFromHost();  // idle keep-alive connection
}

bool HttpConnection::flushed() const {
    return socket_->state() == QAbstractSocket::UnconnectedState || socket_->bytesToWrite() == 0;
}

QByteArray HttpConnection::peerText() const {
    return current_.peer.toString().toLatin1();
}

void HttpConnection::fail(int status, const QByteArray& message) {
    Q_EMIT rejected(this, status, message);
    QJsonObject error{{QStringLiteral("status"), status},
                      {QStringLiteral("code"), QString::fromLatin1(httpReason(status))},
                      {QStringLiteral("message"), QString::fromUtf8(message)}};
    busy_ = true;
    current_.method.clear();  // the refused request is not the previous one (which may be HEAD)
    respond(
        status, {{"Content-Type", "application/json"}},
        QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact),
        true);
}

void HttpConnection::refuse(int status, const Headers& headers, const QByteArray& body) {
    if (busy_ || closing_) return;
    busy_ = true;
    current_.method = parser_.head().method;  // a HEAD request gets no body
    // The client may still be sending its body: read (and drop) a bounded part of it so that
    // it gets to read the answer, instead of a reset that could destroy it.
    drainRemaining_ = qMin(limits_.maxDiscardBytes,
                           qMax<qint64>(0, parser_.bodyLength() - parser_.bodyReceived()));
    lingerMs_ = limits_.refusalLingerMs;
    respond(status, headers, body, true);
    // Body bytes that came with the head are drained too (no further readyRead may announce them).
    if (closing_ && socket_->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::readMore, Qt::QueuedConnection);
}

bool HttpConnection::admitHead() {
    return !headCheck_ || headCheck_(this, parser_.head());
}

void HttpConnection::readMore() {
    if (closing_) {
        // After an early refusal (413), the client is usually still sending: read and discard the
        // declared body so that it gets to read the answer, then close.
        drainRemaining_ -= socket_->readAll().size();
        if (drainRemaining_ <= 0) socket_->disconnectFromHost();
        return;
    }
    if (busy_) return;  // one request at a time: the rest waits in the (bounded) socket buffer
    while (readStep() && socket_->bytesAvailable() > 0) {
    }
}

bool HttpConnection::readStep() {
    const bool wasIdle = parser_.idle();
    const bool hadHead = parser_.headComplete();
    const qint64 bodyBefore = parser_.bodyReceived();
    // Never ask for more than is there: QIODevice::read(n) allocates n bytes up front and keeps
    // that capacity, so a declared 64 MiB body sent one byte at a time would hold 64 MiB per
    // connection.
    const HttpRequestParser::Status status =
        parser_.feed(socket_->read(qMin(parser_.wanted(), socket_->bytesAvailable())));
    if (status == HttpRequestParser::Status::Failed) {
        drainRemaining_ = parser_.errorStatus() == 413 ? parser_.refusedBodyRemaining() : 0;
        fail(parser_.errorStatus(), parser_.errorMessage());
        return false;
    }
    // Decided on the head alone, before any more of the body is read (no key: 401).
    if (!hadHead && parser_.headComplete() && !admitHead()) return false;
    if (status == HttpRequestParser::Status::Complete) {
        readTimer_.stop();
        current_ = parser_.takeRequest();
        current_.peer = socket_->peerAddress();
        keepAlive_ = parser_.keepAlive();
        busy_ = true;
        Q_EMIT requestReady(this, current_);
        return false;
    }
    if (!parser_.headComplete()) {
        // The head's deadline runs from its first byte; trickling more does not extend it.
        if (wasIdle && !parser_.idle()) readTimer_.start(limits_.readTimeoutMs);
        return true;
    }
    if (!hadHead) {
        bodyClock_.start();
        if (parser_.takeContinueRequest()) socket_->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    if (!hadHead || parser_.bodyReceived() > bodyBefore) return armBodyDeadline();
    return true;
}

bool HttpConnection::armBodyDeadline() {
    // Pauses up to the read timeout, within an overall deadline set by a minimum rate.
    const qint64 budgetMs =
        limits_.readTimeoutMs +
        parser_.bodyLength() * 1000 / qMax<qint64>(1, limits_.minBodyBytesPerSecond);
    const qint64 leftMs = budgetMs - bodyClock_.elapsed();
    if (leftMs <= 0) {
        fail(408, "the request body arrived too slowly");
        return false;
    }
    readTimer_.start(int(qMin<qint64>(limits_.readTimeoutMs, leftMs)));
    return true;
}

void HttpConnection::respond(int status, const Headers& headers, const QByteArray& body,
                             bool close) {
    if (!busy_ || closing_) return;
    close = close || !keepAlive_;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReason(status) + "\r\n";
    for (const auto& h : headers)
        head += h.first + ": " + h.second + "\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (close) head += "Connection: close\r\n";
    head += "\r\n";
    socket_->write(head);
    if (current_.method != "HEAD") socket_->write(body);  // HEAD: the length, never the body
    busy_ = false;
    servedAny_ = true;
    current_.body.clear();
    if (close) {
        closing_ = true;
        if (drainRemaining_ > 0) {
            // Bounded: the drain ends at the declared length (or the discard limit) or after the
            // linger time.
            disconnect(&readTimer_, nullptr, this, nullptr);
            connect(&readTimer_, &QTimer::timeout, socket_, &QTcpSocket::abort);
            readTimer_.start(lingerMs_ > 0 ? lingerMs_ : limits_.readTimeoutMs);
            return;
        }
        readTimer_.stop();
        socket_->disconnectFromHost();  // after the bytes above are written
        return;
    }
    const bool nextStarted = !parser_.idle() || socket_->bytesAvailable() > 0;
    readTimer_.start(nextStarted ? limits_.readTimeoutMs : limits_.idleTimeoutMs);
    if (nextStarted) {
        // A request that arrived while this one ran.
        QMetaObject::invokeMethod(this, &HttpConnection::readMore, Qt::QueuedConnection);
    }
}

}  // namespace medvae::serve
