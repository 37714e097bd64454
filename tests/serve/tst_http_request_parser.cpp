// medvae-serve's HTTP/1.1 request reader on its own, without a server: framing it refuses
// (ambiguous lengths, bad targets, header limits) and results that do not depend on how the
// bytes were split into reads.
#include <QtTest>

#include <algorithm>

#include "http_request_parser.h"

using medvae::serve::HttpRequestParser;

namespace {

using medvae::serve::HttpRequestParser;

// Feeds `bytes` in reads of at most `step` bytes (and never more than the parser wants); returns
// the status after the last read.
HttpRequestParser::Status feedAll(HttpRequestParser& parser, const QByteArray& bytes,
                                  qsizetype step) {
    auto status = HttpRequestParser::Status::NeedMore;
    qsizetype pos = 0;
    do {
        const qsizetype n = std::min<qsizetype>({step, parser.wanted(), bytes.size() - pos});
        status = parser.feed(bytes.mid(pos, n));
        pos += n;
    } while (status == HttpRequestParser::Status::NeedMore && pos < bytes.size());
    return status;
}

// Feeds the whole stream (reads of at most `step` bytes) and collects "METHOD path bodysize
// keep|close" per request, then "error N" for a refusal.
QList<QByteArray> collect(HttpRequestParser& parser, const QByteArray& stream, qsizetype step) {
    QList<QByteArray> seen;
    qsizetype pos = 0;
    for (int guard = 0; guard < 100000; ++guard) {
        const qsizetype n = std::min<qsizetype>({step, parser.wanted(), stream.size() - pos});
        const auto status = parser.feed(stream.mid(pos, n));
        pos += n;
        if (status == HttpRequestParser::Status::Failed) {
            seen << "error " + QByteArray::number(parser.errorStatus());
            break;
        }
        if (status == HttpRequestParser::Status::Complete) {
            const bool keepAlive = parser.keepAlive();
            const auto r = parser.takeRequest();
            seen << r.method + ' ' + r.path + ' ' + QByteArray::number(r.body.size()) + ' ' +
                        (keepAlive ? "keep" : "close");
        } else if (pos == stream.size()) {
            break;
        }
    }
    return seen;
}

int refusal(const QByteArray& request) {
    HttpRequestParser parser(HttpRequestParser::Limits{});
    const auto status = feedAll(parser, request, request.size() + 1);
    return status == HttpRequestParser::Status::Failed ? parser.errorStatus() : 0;
}

}  // namespace

class TestHttpRequestParser : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void refusesAmbiguousFraming();
    void resultDoesNotDependOnReadSizes();
};

void TestHttpRequestParser::refusesAmbiguousFraming() {
    // Content-Length headers that disagree, or that are not one plain number, leave the body's
    // end ambiguous (request smuggling behind a proxy): 400, never "the first one wins".
    QCOMPARE(refusal("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde"),
             400);
    QCOMPARE(refusal("POST / HTTP/1.1\r\nContent-Length : 5\r\n\r\nabcde"), 400);
    QCOMPARE(refusal("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nabcde"), 400);
    QCOMPARE(refusal("POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\nabcde"), 400);
    QCOMPARE(refusal("POST / HTTP/1.1\r\nContent-Length: 0x5\r\n\r\nabcde"), 400);
    QCOMPARE(refusal("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"), 400);
    QCOMPARE(refusal("POST / HTTP/1.1\r\nContent-Length: 9223372036854775807\r\n\r\n"), 413);
    QCOMPARE(refusal("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
             411);
    // The same length twice is unambiguous.
    QCOMPARE(refusal("POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\nabcde"), 0);
    // A target that is not a path (found by fuzzing: "GET ?x" routed on an empty path).
    QCOMPARE(refusal("GET ?ready HTTP/1.1\r\n\r\n"), 400);
    QCOMPARE(refusal("GET http://x/ready HTTP/1.1\r\n\r\n"), 400);
    // Header count limit: 100 lines pass, 101 are 431 (each line is small, so only the count
    // bounds the per-request header list).
    QByteArray many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 100; ++i)
        many += "X-" + QByteArray::number(i) + ": 1\r\n";
    QCOMPARE(refusal(many + "\r\n"), 0);
    QCOMPARE(refusal(many + "X-last: 1\r\n\r\n"), 431);
    // The head limit applies to the head only, not to a pipelined request buffered behind it.
    HttpRequestParser::Limits small;
    small.maxHeaderBytes = 64;
    HttpRequestParser parser(small);
    const QByteArray one = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    const QByteArray twoPadded = "GET /b HTTP/1.1\r\nX-Pad: " + QByteArray(20, 'p') + "\r\n\r\n";
    QCOMPARE(collect(parser, one + twoPadded, 1000),
             (QList<QByteArray>{"GET /a 0 keep", "GET /b 0 keep"}));
    QVERIFY(parser.idle());
    // ... while a head over the limit is refused even when it arrives in one read.
    HttpRequestParser tight(small);
    QCOMPARE(feedAll(tight, "GET / HTTP/1.1\r\nX-Pad: " + QByteArray(60, 'p') + "\r\n\r\n", 1000),
             HttpRequestParser::Status::Failed);
    QCOMPARE(tight.errorStatus(), 431);
}

void TestHttpRequestParser::resultDoesNotDependOnReadSizes() {
    // Two pipelined requests with bodies, read whole, byte by byte and in odd chunks: the same
    // requests, bodies of exactly their declared lengths.
    const QByteArray body1 = "{\"a\":1}", body2 = QByteArray(300, 'z');
    const QByteArray stream =
        "POST /score?x=1 HTTP/1.1\r\nContent-Length: " + QByteArray::number(body1.size()) +
        "\r\n\r\n" + body1 +
        "PUT /two HTTP/1.1\r\nContent-Length: " + QByteArray::number(body2.size()) +
        "\r\nConnection: close\r\n\r\n" + body2;
    for (const qsizetype step : {qsizetype(1), qsizetype(7), qsizetype(64), stream.size()}) {
        HttpRequestParser parser(HttpRequestParser::Limits{});
        const QList<QByteArray> seen = collect(parser, stream, step);
        QCOMPARE(seen, (QList<QByteArray>{"POST /score 7 keep", "PUT /two 300 close"}));
    }
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_http_request_parser.moc"
