#include "stalled_archive.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace medvae::test {

StalledArchive::StalledArchive() {
    connect(this, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* s = nextPendingConnection()) {
            connect(s, &QTcpSocket::readyRead, s, [this, s] { answer(s); });
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
}

void StalledArchive::answer(QTcpSocket* s) {
    const QByteArray request = s->peek(65536);
    if (!request.contains("\r\n\r\n")) return;
    s->readAll();
    const QByteArray path = request.split(' ').value(1);
    const auto uid = [](const char* v) {
        return QJsonObject{{"vr", "UI"}, {"Value", QJsonArray{v}}};
    };
    QJsonArray rows;
    if (path.contains("/instances?")) {
        for (int n : {1, 2})
            rows.append(
                QJsonObject{{"0020000D", uid(kStudy)},
                            {"0020000E", uid(kSeries)},
                            {"00080018", uid(n == 1 ? "1.2.3.4.5.1" : "1.2.3.4.5.2")},
                            {"00200013", QJsonObject{{"vr", "IS"}, {"Value", QJsonArray{n}}}}});
    } else if (path.contains("/series?")) {
        rows.append(QJsonObject{{"0020000D", uid(kStudy)},
                                {"0020000E", uid(kSeries)},
                                {"00201209", QJsonObject{{"vr", "IS"}, {"Value", QJsonArray{2}}}}});
    } else {  // the series' WADO-RS retrieval
        const QByteArray part = "--b\r\nContent-Type: application/dicom\r\n\r\n" + dicom + "\r\n";
        s->write(
            "HTTP/1.1 200 OK\r\nContent-Type: multipart/related; "
            "type=\"application/dicom\"; boundary=b\r\nConnection: close\r\n\r\n" +
            part + part.left(part.size() / 2));
        stalled = true;
        return;
    }
    const QByteArray body = QJsonDocument(rows).toJson(QJsonDocument::Compact);
    s->write("HTTP/1.1 200 OK\r\nContent-Type: application/dicom+json\r\nContent-Length: " +
             QByteArray::number(body.size()) + "\r\n\r\n" + body);
}

}  // namespace medvae::test
