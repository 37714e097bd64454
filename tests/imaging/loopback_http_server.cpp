#include "loopback_http_server.h"

#include <QHostAddress>
#include <QMetaObject>
#include <QMutexLocker>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QUrl>

#include <memory>

namespace medvae::test {

struct LoopbackHttpServer::Connection {
    QByteArray buffer;
    bool done = false;  // stalled, silent or closing: whatever else arrives is ignored
};

LoopbackHttpServer::LoopbackHttpServer()
    : listener_(std::make_unique<LoopbackListener>(
          "loopback-http", [this](QTcpSocket* socket) { serve(socket); })) {}

LoopbackHttpServer::~LoopbackHttpServer() {
    listener_.reset();  // joins the server thread before the routes go
}

QString LoopbackHttpServer::url(const QString& path) const {
    return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path);
}

void LoopbackHttpServer::setRoute(const QString& path, const Response& response) {
    QMutexLocker lock(&mutex_);
    routes_.insert(path, response);
}

int LoopbackHttpServer::requestCount(const QString& path) const {
    QMutexLocker lock(&mutex_);
    return counts_.value(path);
}

QByteArray LoopbackHttpServer::lastRequestHead(const QString& path) const {
    QMutexLocker lock(&mutex_);
    return heads_.value(path);
}

void LoopbackHttpServer::serve(QTcpSocket* socket) {
    auto connection = std::make_shared<Connection>();
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, connection] {
        connection->buffer += socket->readAll();
        process(socket, *connection);
    });
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void LoopbackHttpServer::process(QTcpSocket* socket, Connection& connection) {
    while (!connection.done && !connection.buffer.isEmpty()) {
        // HTTP methods are upper-case letters; anything else (a TLS ClientHello) is refused in
        // plain text, which is what a real plain-HTTP server would do.
        const char first = connection.buffer.at(0);
        if (first < 'A' || first > 'Z') {
            connection.done = true;
            socket->write(
                "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                "Connection: close\r\n\r\n");
            socket->disconnectFromHost();
            return;
        }
        const qsizetype end = connection.buffer.indexOf("\r\n\r\n");
        if (end < 0) return;  // wait for the rest of the head
        const QByteArray head = connection.buffer.left(end + 4);
        connection.buffer.remove(0, end + 4);  // GET requests have no body

        const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
        const QString target =
            requestLine.size() >= 2 ? QString::fromLatin1(requestLine.at(1)) : QString();
        const QString path = QUrl(target).path();
        Response response;
        {
            QMutexLocker lock(&mutex_);
            ++counts_[path];
            heads_.insert(path, head);
            auto it = routes_.constFind(path);
            if (it != routes_.constEnd()) {
                response = *it;
            } else {
                response.status = 404;
                response.reason = "Not Found";
                response.body = "no route";
            }
        }
        respond(socket, connection, response);
    }
}

void LoopbackHttpServer::respond(QTcpSocket* socket, Connection& connection,
                                 const Response& response) {
    if (response.silent) {
        connection.done = true;
        return;
    }
    QByteArray out =
        "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + response.reason + "\r\n";
    for (const auto& header : response.headers)
        out += header.first + ": " + header.second + "\r\n";
    switch (response.framing) {
        case Framing::ContentLength:
            out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
            break;
        case Framing::Chunked:
            out += "Transfer-Encoding: chunked\r\n";
            break;
        case Framing::CloseDelimited:
            out += "Connection: close\r\n";
            break;
    }
    out += "\r\n";

    const QByteArray body =
        response.stallAfter >= 0 ? response.body.left(response.stallAfter) : response.body;
    if (response.framing == Framing::Chunked) {
        for (qsizetype at = 0; at < body.size(); at += response.chunkSize) {
            const QByteArray piece = body.mid(at, response.chunkSize);
            out += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
        }
        if (response.stallAfter < 0) out += "0\r\n\r\n";
    } else {
        out += body;
    }
    socket->write(out);

    if (response.stallAfter >= 0) {
        connection.done = true;  // keep the connection open and say nothing more, or close it
        if (response.closeWhenStalled) socket->disconnectFromHost();
    } else if (response.framing == Framing::CloseDelimited) {
        connection.done = true;
        socket->disconnectFromHost();  // after the buffered bytes are written
    }
}

}  // namespace medvae::test
