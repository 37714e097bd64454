#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkReply>
#include <QPair>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

class QNetworkAccessManager;

namespace medvae {

// One HTTP exchange (a request and its response) on Qt Network, done the same way for every
// download and API call of the project: image URLs (UrlFetcher), the scoring endpoint
// (remote::ScoringClient) and checkpoint downloads (jobs::ModelDownloader) are policies over it.
//
// Synchronous: run() spins its own QEventLoop on the calling thread, so it is meant for threads
// that run no event loop of their own objects meanwhile (a worker thread, the CLI's main thread),
// never the GUI thread. Every wait is bounded by the request's limits and polls its cancel
// callback; slots only record what happened, and all decisions are made after the loop, so no
// exception ever crosses Qt's event dispatching. Messages name addresses without user info,
// query or fragment (signed URLs and keys live there).
//
// An instance keeps one QNetworkAccessManager, so consecutive exchanges (the hops of a redirect
// chain) may reuse a connection. Not thread-safe: one instance per thread.
class HttpTransfer {
  public:
    // Receives the body of a successful (2xx) response as it arrives, for bodies too large to
    // hold in memory. Throwing from either call ends the exchange; run() rethrows it.
    class Sink {
      public:
        virtual ~Sink() = default;
        virtual void begin(std::int64_t announced) { (void)announced; }  // -1: no Content-Length
        virtual void write(const char* data, std::size_t size) = 0;
    };

    enum class Redirects {
        Manual,  // a redirect response is returned to the caller, who decides where to go
        Follow,  // Qt follows up to maxRedirects, never from https to http
    };

    struct Request {
        QUrl url;
        QByteArray method = "GET";  // GET or POST
        QByteArray body;            // sent with POST
        QList<QPair<QByteArray, QByteArray>> headers;
        Redirects redirects = Redirects::Manual;
        int maxRedirects = 50;  // with Follow (Qt's own default)
        // false: asks for the body as it is (Accept-Encoding: identity), so that Content-Length
        // is the size of what is counted and compared; true: Qt may inflate a compressed body.
        bool allowCompression = false;
        // false: a response that is neither 2xx nor a redirect Qt follows ends the exchange at
        // its headers, body unread (error pages are of no use); true: its body is read as well.
        bool readErrorBodies = false;
        int timeoutMs = 0;                // the whole exchange; 0: no limit
        int responseTimeoutMs = 0;        // until the response headers arrive; 0: no limit
        int stallTimeoutMs = 0;           // longest silence once the headers are in; 0: no limit
        std::int64_t maxBodyBytes = -1;   // larger bodies are refused (early when announced)
        std::function<bool()> cancelled;  // polled every 50 ms and after each chunk of body
        // Certificate authorities trusted for https besides the system's (a hospital's own CA);
        // verification itself is never turned off.
        QList<QSslCertificate> extraCaCertificates;
    };

    // How an exchange ended.
    enum class End {
        Finished,          // the reply finished: see status and error
        StoppedAtHeaders,  // a response whose body is not read (readErrorBodies false)
        TimedOut,          // timeoutMs passed
        NoResponse,        // responseTimeoutMs passed without response headers
        Stalled,           // stallTimeoutMs of silence after the headers
        TooLarge,          // the body is over maxBodyBytes (announced, or while streaming)
        Cancelled,         // the cancel callback said so
    };

    struct Result {
        End end = End::Finished;
        int status = 0;  // HTTP status; 0 when no response headers arrived
        QByteArray reason;
        QUrl url;  // of the response (after the redirects Qt followed)
        QList<QPair<QByteArray, QByteArray>> headers;
        std::int64_t announced = -1;  // Content-Length of the response, -1 when absent
        std::int64_t received = 0;    // body bytes read
        QByteArray body;              // the body read, when run() was given no sink
        QNetworkReply::NetworkError error = QNetworkReply::NoError;  // when Finished
        QString errorText;  // Qt's words for `error`, addresses scrubbed
        QString tlsErrors;  // what the TLS handshake objected to, "; "-separated, scrubbed

        bool headersSeen() const { return status != 0; }
        bool isSuccessStatus() const { return status >= 200 && status < 300; }
        // Finished without a network error, a 2xx status, and every announced byte received.
        bool succeeded() const;
        QByteArray header(const QByteArray& name) const;  // case-insensitive; empty when absent
        // Why a TLS handshake failed, without Qt's own "SSL handshake failed: " in front.
        QString tlsFailure() const;
    };

    // Needs a QCoreApplication (throws medvae::Error without one); the QNetworkAccessManager is
    // created here, so it lives in the calling thread.
    HttpTransfer();
    ~HttpTransfer();
    HttpTransfer(const HttpTransfer&) = delete;
    HttpTransfer& operator=(const HttpTransfer&) = delete;

    // Runs one exchange to its end. A 2xx body goes to `sink`, or into Result::body without one.
    // Throws only what the sink or the cancel callback threw, once the exchange is torn down;
    // every other ending is described by the Result.
    Result run(const Request& request, Sink* sink = nullptr);

    // Why an exchange that did not succeed failed, in words a user can act on, starting with
    // `where` (which names the address): HTTP status and reason, host not found, connection
    // refused, TLS handshake failure, timeouts, stalls, a body over the limit, a truncated body.
    static std::string failureMessage(const Request& request, const Result& result,
                                      const std::string& where);

    // The address without user info, query or fragment ("?..." marks a dropped query).
    static QString displayUrl(const QUrl& url);
    static std::string sizeText(std::uint64_t bytes);  // "1000 bytes", "64.0 KiB", ...
    static std::string secondsText(int ms);            // "0.3 s"
    static bool isRedirectStatus(int status);          // 301, 302, 303, 307, 308

  private:
    std::unique_ptr<QNetworkAccessManager> manager_;
};

}  // namespace medvae
