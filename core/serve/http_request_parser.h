#pragma once

#include <QByteArray>
#include <QList>

#include "http_request.h"

namespace medvae::serve {

// Incremental HTTP/1.1 request reader (Content-Length bodies only), independent of sockets so
// that it can be driven byte by byte. Memory is bounded: the caller reads at most `wanted()`
// bytes at a time, so the buffer never exceeds the head limit plus the declared body plus one
// byte (which is how pipelined bytes of a next request are noticed; they stay buffered for it).
// Refusals (the status suits the answer): 431 for a request line plus headers over
// `maxHeaderBytes` or more than `maxHeaderCount` header lines; 411 for Transfer-Encoding;
// 400 for a malformed request line (or a target not starting with '/'), header line (no colon,
// whitespace in the name), a Content-Length that is not one plain non-negative decimal number, or
// Content-Length headers that disagree; 413 for a declared body over `maxBodyBytes` (decided before
// the body is read).
class HttpRequestParser {
  public:
    struct Limits {
        qint64 maxHeaderBytes = 64 * 1024;
        int maxHeaderCount = 100;
        qint64 maxBodyBytes = 64ll << 20;
    };
    enum class Status { NeedMore, Complete, Failed };

    explicit HttpRequestParser(Limits limits) : limits_(limits) {}

    // Most bytes to read next (always >= 1 while the status is NeedMore).
    qint64 wanted() const;
    // Appends `bytes` (may be empty: parses what is buffered) and parses. After Complete, take
    // the request with takeRequest() before feeding again; after Failed the parser stays failed.
    Status feed(const QByteArray& bytes);
    HttpRequest takeRequest();

    bool headComplete() const { return headComplete_; }
    // The request being read: after headComplete(), its method, target and headers (the body
    // may still be partial).
    const HttpRequest& head() const { return request_; }
    bool idle() const { return !headComplete_ && buffer_.isEmpty(); }  // between requests
    // True once per request, when its head asked for "Expect: 100-continue" and the body is
    // still to come.
    bool takeContinueRequest();
    qint64 bodyLength() const { return bodyLength_; }
    qint64 bodyReceived() const { return headComplete_ ? request_.body.size() : 0; }
    int errorStatus() const { return errorStatus_; }
    const QByteArray& errorMessage() const { return errorMessage_; }
    // For a 413: body bytes the client will still send (already buffered ones subtracted).
    qint64 refusedBodyRemaining() const { return refusedBodyRemaining_; }
    // HTTP/1.1 without "Connection: close" (valid after Complete).
    bool keepAlive() const { return keepAlive_; }

  private:
    Status failWith(int status, const QByteArray& message);
    // The head ends at `end` in buffer_ (before its blank line); each step fails the request
    // or returns NeedMore.
    Status parseHead(qsizetype end);
    Status parseRequestLine(const QByteArray& line, QByteArray& version);
    Status parseHeaderLines(const QList<QByteArray>& lines);
    Status parseBodyLength(qsizetype end);  // Content-Length, Transfer-Encoding, the limit

    Limits limits_;
    QByteArray buffer_;
    HttpRequest request_;
    bool headComplete_ = false;
    bool complete_ = false;
    bool continueRequested_ = false;
    bool keepAlive_ = true;
    qint64 bodyLength_ = 0;
    qint64 refusedBodyRemaining_ = 0;
    int errorStatus_ = 0;
    QByteArray errorMessage_;
};

}  // namespace medvae::serve
