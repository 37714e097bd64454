#pragma once

#include <QByteArray>
#include <QString>

namespace medvae::serve {

// medvae-serve's access log: one line on stderr per answered request and per refusal (a
// connection turned away, a request refused before its body was read, an idle connection
// closed). Lines carry the time, the peer, "METHOD path", the status, bytes in and out, the time
// taken, the request ids and, for refusals, the reason. Text that came from the client is cut
// short and has its control characters replaced, so a client cannot forge or break log lines;
// image data and keys are never logged.
class AccessLog {
  public:
    struct Entry {
        QByteArray peer;
        QByteArray method = "-";
        QByteArray path = "-";
        int status = 0;
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        double ms = 0;
        QString requestId;
        QByteArray clientRequestId;  // x-ms-client-request-id, as the client sent it
        QByteArray reason;           // why a request or connection was refused; may be empty
    };
    static void write(const Entry& entry);
    // `text` cut to `maxLength` bytes, every byte outside printable ASCII (and '"', and spaces
    // unless `keepSpaces`) replaced.
    static QByteArray printable(const QByteArray& text, int maxLength, bool keepSpaces = false);
};

}  // namespace medvae::serve
