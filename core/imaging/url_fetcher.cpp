#include "url_fetcher.h"

#include <QtNetwork/qtnetworkglobal.h>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>
#if QT_CONFIG(ssl)
#include <QSslError>
#endif

#include <algorithm>
#include <exception>
#include <memory>
#include <utility>

#include "error.h"

namespace medvae {
namespace {

constexpr int kCancelPollMs = 50;
constexpr qint64 kSmallRedirectBody = 64 * 1024;
// Reserving what the server announces is only a hint; a lying server must not make us allocate.
constexpr std::uint64_t kMaxReserve = 64ull << 20;

// URLs in messages lose user info, query and fragment: signed URLs and API keys live there, and
// messages end up in logs and bug reports.
QString displayUrl(const QUrl& url) {
    QUrl shown = url;
    const bool hadQuery = shown.hasQuery();
    shown.setUserInfo(QString());
    shown.setQuery(QString());
    shown.setFragment(QString());
    QString text = shown.toDisplayString();
    if (hadQuery) text += QStringLiteral("?...");
    return text;
}

std::string sizeText(std::uint64_t n) {
    if (n < 1024) return std::to_string(n) + " bytes";
    static const char* const units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(n);
    int unit = -1;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    return QString::number(value, 'f', 1).toStdString() + " " + units[unit];
}

std::string secondsText(int ms) {
    return QString::number(ms / 1000.0, 'g', 4).toStdString() + " s";
}

bool isRedirectStatus(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string httpHint(int status) {
    if (status == 401 || status == 403)
        return "The server refused access; the address may need a login or may have expired.";
    if (status == 404 || status == 410) return "Check the address.";
    if (status == 429 || status >= 500) return "The server is busy or failing; try again later.";
    return "Check the address.";
}

// One download, possibly over several redirects. Every hop runs in its own short event loop;
// the slots only record what happened and quit the loop, and all decisions (and throws) are made
// outside it, so no exception ever crosses Qt's event dispatching.
class Transfer {
  public:
    Transfer(const QUrl& url, const UrlFetcher::Options& options)
        : original_(url), current_(url), options_(options) {}

    UrlFetcher::Result run();

  private:
    enum class Stop { Running, Finished, Headers, TooLarge, Timeout, Cancelled, CallbackFailed };

    void runHop(QNetworkAccessManager& manager, int remainingMs);
    void onHeaders(QNetworkReply* reply);
    void onData(QNetworkReply* reply);
    void stop(Stop why);
    bool askCancelled();
    void report(std::int64_t received, std::int64_t total);
    void followRedirect();
    [[noreturn]] void failFromReply();

    // Names the failing address, and where the user started if a redirect led there.
    std::string subject() const {
        std::string text = displayUrl(current_).toStdString();
        if (current_ != original_)
            text += " (redirected from " + displayUrl(original_).toStdString() + ")";
        return text;
    }
    std::string scrub(QString text) const;

    const QUrl original_;
    QUrl current_;
    const UrlFetcher::Options& options_;
    int redirects_ = 0;
    QEventLoop* loop_ = nullptr;

    // State of the current hop.
    Stop stop_ = Stop::Running;
    int status_ = 0;
    QByteArray reason_;
    QByteArray contentType_;
    QByteArray location_;
    std::int64_t announced_ = -1;  // Content-Length of a success response, -1 if none
    bool headersSeen_ = false;
    QNetworkReply::NetworkError error_ = QNetworkReply::NoError;
    QString errorString_;
    QString tlsErrors_;
    std::exception_ptr callbackError_;
    std::vector<std::uint8_t> bytes_;
    std::int64_t reportedReceived_ = -1;
    std::int64_t reportedTotal_ = -2;
};

void Transfer::stop(Stop why) {
    if (stop_ == Stop::Running) stop_ = why;
    if (loop_) loop_->quit();
}

bool Transfer::askCancelled() {
    if (!options_.cancelled) return false;
    try {
        return options_.cancelled();
    } catch (...) {
        callbackError_ = std::current_exception();
        stop(Stop::CallbackFailed);
        return false;
    }
}

void Transfer::report(std::int64_t received, std::int64_t total) {
    if (!options_.progress || (received == reportedReceived_ && total == reportedTotal_)) return;
    reportedReceived_ = received;
    reportedTotal_ = total;
    try {
        options_.progress(received, total);
    } catch (...) {
        callbackError_ = std::current_exception();
        stop(Stop::CallbackFailed);
    }
}

void Transfer::onHeaders(QNetworkReply* reply) {
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid() || headersSeen_) return;
    headersSeen_ = true;
    status_ = status.toInt();
    reason_ = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray().trimmed();
    contentType_ = reply->rawHeader("Content-Type");
    location_ = reply->rawHeader("Location");
    bool ok = false;
    const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
    // Redirect and error bodies are of no use: stop as soon as the status is known, except
    // after a short redirect body, whose end lets the next hop reuse the connection.
    if (isRedirectStatus(status_) && ok && length >= 0 && length <= kSmallRedirectBody) return;
    if (isRedirectStatus(status_) || status_ >= 400) {
        stop(Stop::Headers);
        return;
    }
    if (ok && length >= 0) {
        announced_ = length;
        if (static_cast<std::uint64_t>(length) > options_.maxBytes) {
            stop(Stop::TooLarge);
            return;
        }
        bytes_.reserve(static_cast<std::size_t>(
            std::min<std::uint64_t>(static_cast<std::uint64_t>(length), kMaxReserve)));
    }
}

void Transfer::onData(QNetworkReply* reply) {
    if (stop_ != Stop::Running && stop_ != Stop::Finished) return;
    if (!headersSeen_) onHeaders(reply);
    if (status_ < 200 || status_ >= 300) return;
    const qint64 available = reply->bytesAvailable();
    if (available <= 0) return;
    const std::size_t have = bytes_.size();
    if (static_cast<std::uint64_t>(have) + static_cast<std::uint64_t>(available) >
        options_.maxBytes) {
        stop(Stop::TooLarge);
        return;
    }
    bytes_.resize(have + static_cast<std::size_t>(available));
    const qint64 got = reply->read(reinterpret_cast<char*>(bytes_.data() + have), available);
    bytes_.resize(have + static_cast<std::size_t>(std::max<qint64>(got, 0)));
    report(static_cast<std::int64_t>(bytes_.size()), announced_);
    if (askCancelled()) stop(Stop::Cancelled);
}

void Transfer::runHop(QNetworkAccessManager& manager, int remainingMs) {
    stop_ = Stop::Running;
    status_ = 0;
    reason_.clear();
    contentType_.clear();
    location_.clear();
    announced_ = -1;
    headersSeen_ = false;
    error_ = QNetworkReply::NoError;
    errorString_.clear();
    tlsErrors_.clear();
    bytes_.clear();

    QNetworkRequest request(current_);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    // Without this Qt asks for gzip and inflates silently: Content-Length would then not be the
    // size we limit, and images are compressed already.
    request.setRawHeader("Accept-Encoding", "identity");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("medvae"));

    QEventLoop loop;
    QObject context;  // receiver of every connection below, to cut them all at once
    loop_ = &loop;
    std::unique_ptr<QNetworkReply> reply(manager.get(request));
    QNetworkReply* r = reply.get();

    QObject::connect(r, &QNetworkReply::metaDataChanged, &context, [this, r] { onHeaders(r); });
    QObject::connect(r, &QNetworkReply::readyRead, &context, [this, r] { onData(r); });
    QObject::connect(r, &QNetworkReply::finished, &context, [this, r] {
        onData(r);  // whatever is still buffered
        stop(Stop::Finished);
    });
#if QT_CONFIG(ssl)
    QObject::connect(r, &QNetworkReply::sslErrors, &context, [this](const QList<QSslError>& es) {
        for (const QSslError& e : es) {
            if (!tlsErrors_.isEmpty()) tlsErrors_ += QStringLiteral("; ");
            tlsErrors_ += e.errorString();
        }
    });
#endif
    // The whole-transfer deadline also bounds silence; with one limit for both, a separate
    // stall timer could never fire first, so the message tells the two cases apart instead.
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.setTimerType(Qt::PreciseTimer);
    QObject::connect(&deadline, &QTimer::timeout, &context, [this] { stop(Stop::Timeout); });
    deadline.start(remainingMs);
    QTimer poll;
    if (options_.cancelled) {
        QObject::connect(&poll, &QTimer::timeout, &context, [this] {
            if (askCancelled()) stop(Stop::Cancelled);
        });
        poll.start(kCancelPollMs);
    }

    if (!r->isFinished()) loop.exec();
    loop_ = nullptr;
    if (stop_ == Stop::Running) stop_ = Stop::Finished;

    QObject::disconnect(r, nullptr, &context, nullptr);
    if (!headersSeen_) onHeaders(r);
    if (r->isFinished()) {
        error_ = r->error();
        errorString_ = r->errorString();
    } else {
        r->abort();
    }
}

std::string Transfer::scrub(QString text) const {
    // Qt's messages sometimes quote the request URL, query and credentials included.
    for (const QUrl* url : {&current_, &original_}) {
        const QString shown = displayUrl(*url);
        text.replace(url->toString(QUrl::FullyEncoded), shown);
        text.replace(url->toString(), shown);
        text.replace(url->toDisplayString(), shown);
        if (url->hasQuery() && !url->query().isEmpty()) text.replace(url->query(), "...");
        if (!url->password().isEmpty()) text.replace(url->password(), "...");
    }
    return text.toStdString();
}

void Transfer::followRedirect() {
    if (location_.isEmpty()) {
        throw Error(subject() + ": HTTP " + std::to_string(status_) + " " + reason_.toStdString() +
                    " is a redirect without a Location to follow; the server is misconfigured.");
    }
    const QUrl target =
        current_.resolved(QUrl(QString::fromUtf8(location_.trimmed()), QUrl::TolerantMode));
    const QString scheme = target.scheme().toLower();
    if (!target.isValid() || (scheme != "http" && scheme != "https")) {
        throw Error(subject() + ": the server redirected to " +
                    (scheme.isEmpty() ? std::string("an invalid address")
                                      : "a " + scheme.toStdString() + ":// address") +
                    "; only http and https addresses are downloaded.");
    }
    if (current_.scheme().compare("https", Qt::CaseInsensitive) == 0 && scheme == "http") {
        throw Error(subject() + ": refusing to follow a redirect from https to unencrypted http (" +
                    displayUrl(target).toStdString() +
                    "). Use the http address directly if you trust it.");
    }
    if (++redirects_ > options_.maxRedirects) {
        throw Error(displayUrl(original_).toStdString() + ": too many redirects (more than " +
                    std::to_string(options_.maxRedirects) +
                    "); the server may be redirecting in a loop.");
    }
    current_ = target;
}

void Transfer::failFromReply() {
    const std::string where = subject();
    const std::string host = current_.host().toStdString();
    switch (error_) {
        case QNetworkReply::HostNotFoundError:
            throw Error("could not resolve host " + host + " (" + where +
                        "). Check the address and your network connection.");
        case QNetworkReply::ConnectionRefusedError:
            throw Error(where + ": connection refused by " + host + ":" +
                        std::to_string(current_.port(current_.scheme() == "https" ? 443 : 80)) +
                        ". Check the address and that the server is running.");
        case QNetworkReply::RemoteHostClosedError:
            throw Error(where + ": the server closed the connection after " +
                        sizeText(bytes_.size()) +
                        ", before the download was complete. Try again later.");
        case QNetworkReply::SslHandshakeFailedError: {
            QString detail = tlsErrors_.isEmpty() ? errorString_ : tlsErrors_;
            // Qt's text starts with its own "SSL handshake failed: ", which we already say.
            const QString qtPrefix = QStringLiteral("SSL handshake failed: ");
            if (detail.startsWith(qtPrefix, Qt::CaseInsensitive)) detail.remove(0, qtPrefix.size());
            throw Error(where + ": TLS handshake failed: " + scrub(detail) +
                        ". Check that the address is right and that the server speaks https.");
        }
        case QNetworkReply::TimeoutError:
        case QNetworkReply::ProxyTimeoutError:
            throw Error(where + ": the network timed out (" + scrub(errorString_) +
                        "). Check your connection or try again later.");
        case QNetworkReply::TooManyRedirectsError:
            throw Error(where + ": too many redirects; the server may be redirecting in a loop.");
        default:
            break;
    }
#if QT_CONFIG(ssl)
    if (!tlsErrors_.isEmpty()) {
        throw Error(where + ": TLS handshake failed: " + scrub(tlsErrors_) +
                    ". Check that the address is right and that the server speaks https.");
    }
#endif
    throw Error(where + ": download failed: " + scrub(errorString_) + ".");
}

UrlFetcher::Result Transfer::run() {
    if (!QCoreApplication::instance()) {
        throw Error("Cannot download " + displayUrl(original_).toStdString() +
                    ": URL downloads need a QCoreApplication (a bug in the calling program).");
    }
    QElapsedTimer clock;
    clock.start();
    QNetworkAccessManager manager;  // created here so it lives in the calling thread
    manager.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);

    for (;;) {
        if (askCancelled()) throw Cancelled();
        if (callbackError_) std::rethrow_exception(callbackError_);
        const qint64 remaining = options_.timeoutMs - clock.elapsed();
        if (remaining <= 0) {
            throw Error(subject() + ": timed out after " + secondsText(options_.timeoutMs) +
                        " while following redirects. Try again later.");
        }
        runHop(manager, static_cast<int>(remaining));

        switch (stop_) {
            case Stop::CallbackFailed:
                std::rethrow_exception(callbackError_);
            case Stop::Cancelled:
                throw Cancelled();
            case Stop::Timeout:
                if (!headersSeen_) {
                    throw Error(subject() + ": timed out after " + secondsText(options_.timeoutMs) +
                                " waiting for the server to respond. Check the address, or try "
                                "again later.");
                }
                throw Error(subject() + ": timed out after " + secondsText(options_.timeoutMs) +
                            "; the transfer stalled after " + sizeText(bytes_.size()) +
                            (announced_ >= 0 ? " of " + sizeText(announced_) : std::string()) +
                            ". Try again later.");
            case Stop::TooLarge:
                throw Error(subject() + ": the file is larger than the size limit of " +
                            sizeText(options_.maxBytes) +
                            (announced_ >= 0
                                 ? " (the server announced " + sizeText(announced_) + ")"
                                 : std::string()) +
                            ". Download it yourself and open the local file, or raise the limit.");
            case Stop::Running:
            case Stop::Finished:
            case Stop::Headers:
                break;
        }

        if (status_ >= 400) {
            std::string message = subject() + ": HTTP " + std::to_string(status_);
            if (!reason_.isEmpty()) message += " " + reason_.toStdString();
            throw Error(message + ". " + httpHint(status_));
        }
        if (isRedirectStatus(status_)) {
            followRedirect();
            continue;
        }
        if (error_ != QNetworkReply::NoError) failFromReply();
        if (status_ < 200 || status_ >= 300) {
            throw Error(subject() + ": unexpected HTTP status " + std::to_string(status_) + " " +
                        reason_.toStdString() + "; expected the file itself.");
        }
        if (announced_ >= 0 && static_cast<std::int64_t>(bytes_.size()) != announced_) {
            throw Error(subject() + ": the download ended after " + sizeText(bytes_.size()) +
                        " of the announced " + sizeText(announced_) + ". Try again later.");
        }
        const auto received = static_cast<std::int64_t>(bytes_.size());
        report(received, received);
        if (callbackError_) std::rethrow_exception(callbackError_);

        UrlFetcher::Result result;
        result.bytes = std::move(bytes_);
        result.finalUrl = current_.toString(QUrl::FullyEncoded).toStdString();
        result.contentType = contentType_.toStdString();
        result.status = status_;
        return result;
    }
}

}  // namespace

UrlFetcher::Result UrlFetcher::fetch(const std::string& url, const Options& options) {
    const QString text = QString::fromStdString(url).trimmed();
    if (!isHttpUrl(text.toStdString())) {
        const std::string shown = text.contains(QStringLiteral("://"))
                                      ? displayUrl(QUrl(text)).toStdString()
                                      : text.left(200).toStdString();
        throw Error("'" + shown + "' is not an http:// or https:// address; only those are " +
                    "downloaded.");
    }
    const QUrl parsed(text, QUrl::TolerantMode);
    if (!parsed.isValid() || parsed.host().isEmpty()) {
        throw Error("'" + displayUrl(parsed).toStdString() +
                    "' is not a valid web address: check it for typos.");
    }
    return Transfer(parsed, options).run();
}

bool UrlFetcher::isHttpUrl(const std::string& text) {
    const QString t = QString::fromStdString(text);
    return t.startsWith(QStringLiteral("http://"), Qt::CaseInsensitive) ||
           t.startsWith(QStringLiteral("https://"), Qt::CaseInsensitive);
}

}  // namespace medvae
