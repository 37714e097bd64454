#include "access_log.h"

#include <QDateTime>

#include <cstdio>

namespace medvae::serve {

QByteArray AccessLog::printable(const QByteArray& text, int maxLength, bool keepSpaces) {
    QByteArray out = text.left(maxLength);
    for (char& c : out) {
        const bool space = c == ' ' && keepSpaces;
        if (!space && (c < 0x21 || c > 0x7e || c == '"')) c = c == '"' ? '\'' : '?';
    }
    return out;
}

void AccessLog::write(const Entry& e) {
    const QByteArray client = printable(e.clientRequestId, 40);
    const QByteArray reason = printable(e.reason, 300, true);
    std::fprintf(stderr,
                 "%s %s \"%s %s\" %d in=%lld out=%lld %.1fms request-id=%s client-id=%s%s%s%s\n",
                 QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1().constData(),
                 printable(e.peer, 64).constData(), printable(e.method, 16).constData(),
                 printable(e.path, 200).constData(), e.status, (long long)e.bytesIn,
                 (long long)e.bytesOut, e.ms, e.requestId.isEmpty() ? "-" : qPrintable(e.requestId),
                 client.isEmpty() ? "-" : client.constData(), reason.isEmpty() ? "" : " reason=\"",
                 reason.constData(), reason.isEmpty() ? "" : "\"");
    std::fflush(stderr);
}

}  // namespace medvae::serve
