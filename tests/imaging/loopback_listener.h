#pragma once

#include <QtGlobal>

#include <functional>

class QObject;
class QThread;
class QTcpServer;
class QTcpSocket;

namespace medvae::test {

// A QTcpServer on 127.0.0.1 (a free port) with its own thread: each new connection is handed to
// `serve` in that thread (the socket is a child of the listener). The destructor aborts every
// connection and joins the thread; owners destroy it before whatever `serve` uses.
class LoopbackListener {
  public:
    LoopbackListener(const char* threadName, std::function<void(QTcpSocket*)> serve);
    ~LoopbackListener();
    LoopbackListener(const LoopbackListener&) = delete;
    LoopbackListener& operator=(const LoopbackListener&) = delete;

    quint16 port() const { return port_; }

  private:
    std::function<void(QTcpSocket*)> serve_;
    QThread* thread_ = nullptr;
    QObject* context_ = nullptr;  // lives in thread_; owns the listener and the sockets
    QTcpServer* listener_ = nullptr;
    quint16 port_ = 0;
};

}  // namespace medvae::test
