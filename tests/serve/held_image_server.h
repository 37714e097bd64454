#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTcpServer>

class QTcpSocket;

namespace medvae::test {

// An image URL whose answer the test holds back: each GET is read and kept waiting until
// release(), after which it and every later one get the PNG at once. A medvae-serve request
// naming this URL (with --allow-url-fetch) is admitted and stays on the worker, reading its
// image, exactly until the test releases it, so that what happens meanwhile (a full queue, a
// shutdown) is certain rather than a matter of timing. Lives in the test's thread: the test waits
// with an event loop running (QTRY_*, QSignalSpy::wait), never blocked.
class HeldImageServer : public QObject {
  public:
    explicit HeldImageServer(QByteArray png);  // listening on 127.0.0.1, a free port

    QString url() const;  // http://127.0.0.1:<port>/held.png
    int waiting() const;  // requests read completely and not answered yet
    int served() const { return served_; }
    void release();  // answers the waiting requests; later ones are answered as they come

  private:
    void accept();
    void read(QTcpSocket* socket);
    void answer(QTcpSocket* socket);

    QByteArray png_;
    QTcpServer listener_;
    QList<QPointer<QTcpSocket>> waiting_;
    bool released_ = false;
    int served_ = 0;
};

}  // namespace medvae::test
