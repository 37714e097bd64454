#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QStringList>

class QTcpSocket;

namespace medvae::test {

// One medvae-serve process on a free loopback port, for the tests of the server; stopped
// (SIGTERM, then kill) when destroyed. Its access log (stderr) is collected as it comes.
class ServeProcess {
  public:
    // `extra`: options after "--model <demo> --port 0" (or only "--port 0" without `withModel`).
    // `key`: given through MEDVAE_SERVE_KEY; MEDVAE_MODEL is never passed on.
    explicit ServeProcess(const QStringList& extra, const QString& key = QString(),
                          bool withModel = true);
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    QString url(const QString& path = QStringLiteral("/score")) const;
    QByteArray log();                              // stderr so far
    QByteArray banner() const { return banner_; }  // the first line of stdout
    qint64 memoryKiB(const char* field);  // "VmRSS", "VmHWM" of /proc/<pid>/status; -1: gone

    QProcess process;
    quint16 port = 0;

  private:
    QByteArray banner_;
    QByteArray log_;
};

struct Exchange {
    int status = 0;
    QByteArray body;
    QByteArray retryAfter, wwwAuthenticate, requestId;
    qint64 ms = 0;  // from sending to the answer's end
    QJsonObject json() const;
};

// One request with Qt's HTTP client (from 127.0.0.1), waiting at most `timeoutMs`.
Exchange http(const QByteArray& method, const QString& url, const QByteArray& body = {},
              const QList<QPair<QByteArray, QByteArray>>& headers = {{"Content-Type",
                                                                      "application/json"}},
              int timeoutMs = 60000);

// Connects `socket` to 127.0.0.1:`port` from the loopback address `source` (127.0.0.2, ...), so
// that the server sees another client; false when it could not.
bool connectFrom(QTcpSocket& socket, const QHostAddress& source, quint16 port);

// Sends `request` on a new connection and returns everything the server sends until it closes
// the connection (or `timeoutMs` passes).
QByteArray rawExchange(quint16 port, const QByteArray& request, int timeoutMs = 10000);

}  // namespace medvae::test
