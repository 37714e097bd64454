#include "serve_process.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

namespace medvae::test {

ServeProcess::ServeProcess(const QStringList& extra, const QString& key, bool withModel) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("MEDVAE_SERVE_KEY"));
    env.remove(QStringLiteral("MEDVAE_MODEL"));
    if (!key.isEmpty()) env.insert(QStringLiteral("MEDVAE_SERVE_KEY"), key);
    process.setProcessEnvironment(env);
    QStringList args{"--port", "0"};
    if (withModel) args = QStringList{"--model", MEDVAE_DEMO_MODEL} + args;
    process.start(QStringLiteral(MEDVAE_SERVE), args + extra);
    // The first line says where it listens, once the model is loaded.
    for (int i = 0; i < 120 && !banner_.contains('\n'); ++i) {
        if (!process.waitForReadyRead(500) && process.state() == QProcess::NotRunning) break;
        banner_ += process.readAllStandardOutput();
    }
    const auto m =
        QRegularExpression("http://127\\.0\\.0\\.1:(\\d+)/score").match(QString::fromUtf8(banner_));
    if (m.hasMatch()) port = m.captured(1).toUShort();
}

ServeProcess::~ServeProcess() {
    if (process.state() != QProcess::NotRunning) {
        process.terminate();
        if (!process.waitForFinished(20000)) process.kill();
        process.waitForFinished(5000);
    }
}

QString ServeProcess::url(const QString& path) const {
    return QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path);
}

QByteArray ServeProcess::log() {
    log_ += process.readAllStandardError();
    return log_;
}

qint64 ServeProcess::memoryKiB(const char* field) {
    QFile status(QStringLiteral("/proc/%1/status").arg(process.processId()));
    if (process.processId() <= 0 || !status.open(QIODevice::ReadOnly)) return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').first().toLongLong();
    return -1;
}

QJsonObject Exchange::json() const {
    return QJsonDocument::fromJson(body).object();
}

Exchange http(const QByteArray& method, const QString& url, const QByteArray& body,
              const QList<QPair<QByteArray, QByteArray>>& headers, int timeoutMs) {
    QNetworkAccessManager manager;
    QNetworkRequest request{QUrl(url)};
    for (const auto& h : headers)
        request.setRawHeader(h.first, h.second);
    QElapsedTimer clock;
    clock.start();
    QNetworkReply* reply = manager.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!reply->isFinished()) loop.exec();
    Exchange e;
    e.ms = clock.elapsed();
    e.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    e.body = reply->readAll();
    e.retryAfter = reply->rawHeader("Retry-After");
    e.wwwAuthenticate = reply->rawHeader("WWW-Authenticate");
    e.requestId = reply->rawHeader("x-request-id");
    delete reply;
    return e;
}

bool connectFrom(QTcpSocket& socket, const QHostAddress& source, quint16 port) {
    if (!socket.bind(source, 0)) return false;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(10000);
}

QByteArray rawExchange(quint16 port, const QByteArray& request, int timeoutMs) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(10000)) return "no connection";
    socket.write(request);
    QByteArray answer;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs &&
           socket.waitForReadyRead(int(qMax<qint64>(1, timeoutMs - clock.elapsed()))))
        answer += socket.readAll();
    answer += socket.readAll();
    return answer;
}

}  // namespace medvae::test
