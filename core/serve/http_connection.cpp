#include "http_connection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#include "http_status.h"

namespace medvae::serve {

HttpConnection::HttpConnection(QTcpSocket* socket, Limits limits, QObject* parent)
    : QObject(parent), socket_(socket), limits_(limits) {
    socket_->setParent(this);
    current_.peer = socket_->peerAddress();
    readTimer_.setSingleShot(true);
    connect(&readTimer_, &QTimer::timeout, this, [this] {
        if (!buffer_.isEmpty() || headComplete_)
            fail(408, "the request was not received completely in time");
        else
            socket_->disconnectFromHost();  // idle keep-alive connection
    });
    connect(socket_, &QTcpSocket::readyRead, this, &HttpConnection::readMore);
    connect(socket_, &QTcpSocket::disconnected, this, [this] { Q_EMIT closed(this); });
    readTimer_.start(limits_.readTimeoutMs);
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
    respond(
        status, {{"Content-Type", "application/json"}},
        QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact),
        true);
}

void HttpConnection::readMore() {
    if (closing_) {
        // After an early refusal (413), the client is usually still sending: read and discard the
        // declared body so that it gets to read the answer, then close.
        drainRemaining_ -= socket_->readAll().size();
        if (drainRemaining_ <= 0) socket_->disconnectFromHost();
        return;
    }
    if (busy_) return;  // one request at a time: the rest waits in the socket
    buffer_ += socket_->read(headComplete_ ? bodyLength_ - current_.body.size() + 1
                                           : limits_.maxHeaderBytes + 1 - buffer_.size());
    if (!headComplete_) {
        const int end = buffer_.indexOf("\r\n\r\n");
        if (end < 0) {
            if (buffer_.size() > limits_.maxHeaderBytes)
                fail(431, "the request line and headers are too large");
            else
                readTimer_.start(limits_.readTimeoutMs);
            return;
        }
        const QList<QByteArray> lines = buffer_.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            fail(400, "malformed request line");
            return;
        }
        current_ = HttpRequest();
        current_.peer = socket_->peerAddress();
        current_.method = requestLine[0];
        const QByteArray target = requestLine[1];
        const int q = target.indexOf('?');
        current_.path = q < 0 ? target : target.left(q);
        current_.query = q < 0 ? QByteArray() : target.mid(q + 1);
        for (int i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const int colon = line.indexOf(':');
            if (colon <= 0) {
                fail(400, "malformed header line");
                return;
            }
            current_.headers.append(
                {line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
        }
        keepAlive_ =
            requestLine[2] == "HTTP/1.1" && current_.header("connection").toLower() != "close";
        if (!current_.header("transfer-encoding").isEmpty()) {
            fail(411, "chunked request bodies are not accepted; send Content-Length");
            return;
        }
        bool ok = true;
        const QByteArray length = current_.header("content-length");
        bodyLength_ = length.isEmpty() ? 0 : length.toLongLong(&ok);
        if (!ok || bodyLength_ < 0) {
            fail(400, "invalid Content-Length");
            return;
        }
        if (bodyLength_ > limits_.maxBodyBytes) {
            drainRemaining_ = bodyLength_ - (buffer_.size() - end - 4);
            fail(413, "the request body of " + QByteArray::number(bodyLength_) +
                          " bytes is over this server's limit of " +
                          QByteArray::number(limits_.maxBodyBytes) + " bytes (--max-body-bytes)");
            return;
        }
        headComplete_ = true;
        current_.body = buffer_.mid(end + 4);
        buffer_.clear();
        if (current_.header("expect").toLower() == "100-continue" &&
            current_.body.size() < bodyLength_)
            socket_->write("HTTP/1.1 100 Continue\r\n\r\n");
    } else {
        current_.body += buffer_;
        buffer_.clear();
    }
    if (current_.body.size() < bodyLength_) {
        readTimer_.start(limits_.readTimeoutMs);
        if (socket_->bytesAvailable() > 0) readMore();
        return;
    }
    if (current_.body.size() > bodyLength_) {
        // Pipelined bytes of a next request: keep them for after the answer.
        buffer_ = current_.body.mid(bodyLength_);
        current_.body.truncate(bodyLength_);
    }
    readTimer_.stop();
    headComplete_ = false;
    busy_ = true;
    Q_EMIT requestReady(this, current_);
}

void HttpConnection::respond(int status, const QList<QPair<QByteArray, QByteArray>>& headers,
                             const QByteArray& body, bool close) {
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
    current_.body.clear();
    if (close) {
        closing_ = true;
        if (drainRemaining_ > 0) {
            // Bounded: the drain ends at the declared length or after the read timeout.
            disconnect(&readTimer_, nullptr, this, nullptr);
            connect(&readTimer_, &QTimer::timeout, socket_, &QTcpSocket::abort);
            readTimer_.start(limits_.readTimeoutMs);
            return;
        }
        readTimer_.stop();
        socket_->disconnectFromHost();  // after the bytes above are written
        return;
    }
    readTimer_.start(limits_.readTimeoutMs);
    if (!buffer_.isEmpty() || socket_->bytesAvailable() > 0) {
        // A request that arrived while this one ran.
        QMetaObject::invokeMethod(this, &HttpConnection::readMore, Qt::QueuedConnection);
    }
}

}  // namespace medvae::serve
