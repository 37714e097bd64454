#include "fault_http_server.h"

#include <QHostAddress>
#include <QMetaObject>
#include <QMutexLocker>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <memory>

namespace medvae::test {

FaultHttpServer::FaultHttpServer()
    : listener_(std::make_unique<LoopbackListener>(
          "fault-http", [this](QTcpSocket* socket) { serve(socket); })) {}

FaultHttpServer::~FaultHttpServer() {
    listener_.reset();  // joins the server thread before the script goes
}

QString FaultHttpServer::url() const {
    return QStringLiteral("http://127.0.0.1:%1/score").arg(listener_->port());
}

void FaultHttpServer::script(const QList<Response>& responses) {
    QMutexLocker lock(&mutex_);
    script_ = responses;
    requests_ = 0;
}

int FaultHttpServer::requests() const {
    QMutexLocker lock(&mutex_);
    return requests_;
}

QByteArray FaultHttpServer::lastHead() const {
    QMutexLocker lock(&mutex_);
    return lastHead_;
}

QByteArray FaultHttpServer::lastBody() const {
    QMutexLocker lock(&mutex_);
    return lastBody_;
}

void FaultHttpServer::serve(QTcpSocket* socket) {
    auto buffer = std::make_shared<QByteArray>();
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
        *buffer += socket->readAll();
        if (!buffer->isEmpty() && buffer->at(0) == 0x16) {  // a TLS ClientHello: not HTTP
            socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            socket->disconnectFromHost();
            return;
        }
        for (;;) {
            const int end = buffer->indexOf("\r\n\r\n");
            if (end < 0) return;
            const QByteArray head = buffer->left(end);
            qint64 length = 0;
            for (const QByteArray& line : head.split('\n')) {
                const QByteArray l = line.trimmed().toLower();
                if (l.startsWith("content-length:")) length = l.mid(15).trimmed().toLongLong();
            }
            if (buffer->size() < end + 4 + length) return;
            const QByteArray body = buffer->mid(end + 4, length);
            buffer->remove(0, end + 4 + length);
            Response r;
            {
                QMutexLocker lock(&mutex_);
                r = script_.isEmpty() ? Response{}
                                      : script_[std::min<int>(requests_, script_.size() - 1)];
                ++requests_;
                lastHead_ = head;
                lastBody_ = body;
            }
            if (r.reset) {
                socket->abort();
                return;
            }
            QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + " Status\r\n";
            for (const auto& h : r.headers)
                out += h.first + ": " + h.second + "\r\n";
            out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n\r\n";
            if (r.stallAfter >= 0) {
                socket->write(out + r.body.left(r.stallAfter));
                buffer->clear();
                QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
                return;  // silent from now on; the client's stall timer must fire
            }
            socket->write(out + r.body);
        }
    });
}

}  // namespace medvae::test
