#include "http_request_parser.h"

#include <QList>

namespace medvae::serve {

namespace {

bool isDigits(const QByteArray& s) {
    if (s.isEmpty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

qint64 HttpRequestParser::wanted() const {
    if (errorStatus_ || complete_) return 0;
    if (headComplete_) return bodyLength_ - request_.body.size() + 1;
    return qMax<qint64>(1, limits_.maxHeaderBytes + 1 - buffer_.size());
}

bool HttpRequestParser::takeContinueRequest() {
    const bool r = continueRequested_;
    continueRequested_ = false;
    return r;
}

HttpRequestParser::Status HttpRequestParser::failWith(int status, const QByteArray& message) {
    errorStatus_ = status;
    errorMessage_ = message;
    buffer_.clear();
    request_ = HttpRequest();
    return Status::Failed;
}

HttpRequest HttpRequestParser::takeRequest() {
    HttpRequest r = std::move(request_);
    request_ = HttpRequest();
    complete_ = false;
    headComplete_ = false;
    bodyLength_ = 0;
    return r;
}

HttpRequestParser::Status HttpRequestParser::parseHead(qsizetype end) {
    // Only the head counts against the head limit, also when pipelined bytes follow it.
    if (end > limits_.maxHeaderBytes)
        return failWith(431, "the request line and headers are too large");
    const QList<QByteArray> lines = buffer_.left(end).split('\n');
    if (lines.size() - 1 > limits_.maxHeaderCount)
        return failWith(431, "the request has more than " +
                                 QByteArray::number(limits_.maxHeaderCount) + " header lines");
    QByteArray version;
    if (parseRequestLine(lines.first(), version) == Status::Failed ||
        parseHeaderLines(lines) == Status::Failed || parseBodyLength(end) == Status::Failed)
        return Status::Failed;
    keepAlive_ = version == "HTTP/1.1" && request_.header("connection").toLower() != "close";
    headComplete_ = true;
    request_.body = buffer_.mid(end + 4);
    buffer_.clear();
    continueRequested_ =
        request_.header("expect").toLower() == "100-continue" && request_.body.size() < bodyLength_;
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::parseRequestLine(const QByteArray& line,
                                                              QByteArray& version) {
    const QList<QByteArray> parts = line.trimmed().split(' ');
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty() ||
        !parts[2].startsWith("HTTP/1."))
        return failWith(400, "malformed request line");
    // Origin form only ("/path?query"): anything else would route on an empty or foreign path.
    if (!parts[1].startsWith('/'))
        return failWith(400, "the request target must be a path starting with '/'");
    request_ = HttpRequest();
    request_.method = parts[0];
    const QByteArray& target = parts[1];
    const int q = target.indexOf('?');
    request_.path = q < 0 ? target : target.left(q);
    request_.query = q < 0 ? QByteArray() : target.mid(q + 1);
    version = parts[2];
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::parseHeaderLines(const QList<QByteArray>& lines) {
    for (int i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const int colon = line.indexOf(':');
        if (colon <= 0) return failWith(400, "malformed header line");
        const QByteArray name = line.left(colon);
        // "Content-Length : 5" and the like are how requests get smuggled past proxies that
        // read them differently: refused (RFC 9112 section 5.1).
        if (name.contains(' ') || name.contains('\t'))
            return failWith(400, "malformed header line (whitespace in the name)");
        request_.headers.append({name.toLower(), line.mid(colon + 1).trimmed()});
    }
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::parseBodyLength(qsizetype end) {
    QByteArray length;
    for (const auto& h : request_.headers) {
        if (h.first == "transfer-encoding")
            return failWith(411, "chunked request bodies are not accepted; send Content-Length");
        if (h.first != "content-length") continue;
        // One plain decimal number; repeats must agree (else the body's end is ambiguous).
        if (!isDigits(h.second)) return failWith(400, "invalid Content-Length");
        if (!length.isNull() && length != h.second)
            return failWith(400, "conflicting Content-Length headers");
        length = h.second;
    }
    bool ok = true;
    bodyLength_ = length.isNull() ? 0 : length.toLongLong(&ok);
    if (!ok || bodyLength_ < 0) return failWith(400, "invalid Content-Length");
    if (bodyLength_ > limits_.maxBodyBytes) {
        refusedBodyRemaining_ = bodyLength_ - (buffer_.size() - end - 4);
        return failWith(413, "the request body of " + QByteArray::number(bodyLength_) +
                                 " bytes is over this server's limit of " +
                                 QByteArray::number(limits_.maxBodyBytes) +
                                 " bytes (--max-body-bytes)");
    }
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::feed(const QByteArray& bytes) {
    if (errorStatus_) return Status::Failed;
    if (complete_) {
        buffer_ += bytes;  // pipelined: kept for the next request
        return Status::Complete;
    }
    if (!headComplete_) {
        buffer_ += bytes;
        const qsizetype end = buffer_.indexOf("\r\n\r\n");
        if (end < 0) {
            if (buffer_.size() > limits_.maxHeaderBytes)
                return failWith(431, "the request line and headers are too large");
            return Status::NeedMore;
        }
        if (parseHead(end) == Status::Failed) return Status::Failed;
    } else {
        request_.body += bytes;
    }
    if (request_.body.size() < bodyLength_) return Status::NeedMore;
    if (request_.body.size() > bodyLength_) {
        // Pipelined bytes of a next request: kept for after the answer.
        buffer_ = request_.body.mid(bodyLength_);
        request_.body.truncate(bodyLength_);
    }
    complete_ = true;
    return Status::Complete;
}

}  // namespace medvae::serve
