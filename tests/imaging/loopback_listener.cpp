#include "loopback_listener.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace medvae::test {

LoopbackListener::LoopbackListener(const char* threadName, std::function<void(QTcpSocket*)> serve)
    : serve_(std::move(serve)) {
    thread_ = new QThread;
    thread_->setObjectName(QString::fromLatin1(threadName));
    thread_->start();
    context_ = new QObject;
    context_->moveToThread(thread_);
    QMetaObject::invokeMethod(
        context_,
        [this, threadName] {
            listener_ = new QTcpServer(context_);
            if (!listener_->listen(QHostAddress::LocalHost, 0))
                qFatal("%s cannot listen: %s", threadName, qPrintable(listener_->errorString()));
            port_ = listener_->serverPort();
            QObject::connect(listener_, &QTcpServer::newConnection, context_, [this] {
                while (QTcpSocket* socket = listener_->nextPendingConnection())
                    serve_(socket);
            });
        },
        Qt::BlockingQueuedConnection);
}

LoopbackListener::~LoopbackListener() {
    // Sockets are children of the listener: deleting it in its thread aborts every connection.
    QMetaObject::invokeMethod(
        context_, [this] { delete listener_; }, Qt::BlockingQueuedConnection);
    thread_->quit();
    thread_->wait();
    delete context_;  // its thread has ended, nothing can deliver events to it any more
    delete thread_;
}

}  // namespace medvae::test
