#include "held_image_server.h"

#include <QTcpSocket>

#include <algorithm>
#include <utility>

namespace medvae::test {

HeldImageServer::HeldImageServer(QByteArray png) : png_(std::move(png)) {
    if (!listener_.listen(QHostAddress::LocalHost))
        qFatal("HeldImageServer: cannot listen on 127.0.0.1: %s",
               qPrintable(listener_.errorString()));
    connect(&listener_, &QTcpServer::newConnection, this, &HeldImageServer::accept);
}

QString HeldImageServer::url() const {
    return QStringLiteral("http://127.0.0.1:%1/held.png").arg(listener_.serverPort());
}

int HeldImageServer::waiting() const {
    return int(std::count_if(waiting_.begin(), waiting_.end(),
                             [](const QPointer<QTcpSocket>& s) { return !s.isNull(); }));
}

void HeldImageServer::release() {
    released_ = true;
    for (const QPointer<QTcpSocket>& socket : std::as_const(waiting_))
        if (socket) answer(socket);
    waiting_.clear();
}

void HeldImageServer::accept() {
    while (QTcpSocket* socket = listener_.nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void HeldImageServer::read(QTcpSocket* socket) {
    // A GET has no body: the request is complete with its head. Bytes are kept in a property so
    // that a head split over reads is still recognised.
    const QByteArray head = socket->property("head").toByteArray() + socket->readAll();
    socket->setProperty("head", head);
    if (!head.contains("\r\n\r\n") || socket->property("seen").toBool()) return;
    socket->setProperty("seen", true);
    if (released_)
        answer(socket);
    else
        waiting_.append(socket);
}

void HeldImageServer::answer(QTcpSocket* socket) {
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " +
                  QByteArray::number(png_.size()) + "\r\nConnection: close\r\n\r\n" + png_);
    socket->disconnectFromHost();  // after the bytes are written
    ++served_;
}

}  // namespace medvae::test
