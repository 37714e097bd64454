#include "http_transfer.h"

#include <QtNetwork/qtnetworkglobal.h>
#include <QCoreApplication>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QTimer>
#if QT_CONFIG(ssl)
#include <QSslConfiguration>
#include <QSslError>
#endif

#include <algorithm>
#include <exception>
#include <utility>

#include "error.h"

namespace medvae {
namespace {

using End = HttpTransfer::End;

constexpr int kCancelPollMs = 50;
// A redirect body this short is read to its end, so that the next hop can reuse the connection.
constexpr std::int64_t kSmallRedirectBody = 64 * 1024;
// Reserving what the server announces is only a hint; a lying server must not make us allocate.
constexpr std::int64_t kMaxReserve = 64ll << 20;

// One exchange on one reply. Slots only record what happened and quit the loop; callbacks'
// exceptions are kept and rethrown by run() once the reply is torn down.
class Exchange {
  public:
    Exchange(QNetworkAccessManager& manager, const HttpTransfer::Request& request,
             HttpTransfer::Sink* sink)
        : manager_(manager), request_(request), sink_(sink) {}

    HttpTransfer::Result run();

  private:
    QNetworkReply* send();
    void watch(QNetworkReply* reply, QObject& context);
    void startTimers(QTimer& total, QTimer& poll, QObject& context);
    void onHeaders(QNetworkReply* reply);
    bool recordHead(QNetworkReply* reply);
    void beginBody();
    void onData(QNetworkReply* reply);
    void collect(QNetworkReply* reply);
    void stop(End why);
    bool askCancelled();
    template <class Callback>
    void guarded(Callback&& callback);
    QString scrub(QString text) const;

    QNetworkAccessManager& manager_;
    const HttpTransfer::Request& request_;
    HttpTransfer::Sink* const sink_;
    HttpTransfer::Result result_;
    QEventLoop* loop_ = nullptr;
    bool running_ = true;
    bool bodyStarted_ = false;
    QTimer response_;
    QTimer stall_;
    QString tlsErrors_;
    std::exception_ptr callbackError_;
};

void Exchange::stop(End why) {
    if (running_) {
        running_ = false;
        result_.end = why;
    }
    if (loop_) loop_->quit();
}

template <class Callback>
void Exchange::guarded(Callback&& callback) {
    try {
        callback();
    } catch (...) {
        if (!callbackError_) callbackError_ = std::current_exception();
        stop(End::Cancelled);  // the kept exception is what run() reports
    }
}

bool Exchange::askCancelled() {
    bool cancelled = false;
    if (request_.cancelled) guarded([&] { cancelled = request_.cancelled(); });
    return cancelled;
}

QNetworkReply* Exchange::send() {
    QNetworkRequest request(request_.url);
    const bool follow = request_.redirects == HttpTransfer::Redirects::Follow;
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute,
        follow ? QNetworkRequest::NoLessSafeRedirectPolicy : QNetworkRequest::ManualRedirectPolicy);
    if (follow) request.setMaximumRedirectsAllowed(request_.maxRedirects);
    // Without this Qt asks for gzip and inflates silently: Content-Length would then not be the
    // size we limit and compare.
    if (!request_.allowCompression) request.setRawHeader("Accept-Encoding", "identity");
    for (const auto& header : request_.headers)
        request.setRawHeader(header.first, header.second);
    request.setTransferTimeout(0);  // our own timers tell timeouts, silence and stalls apart
#if QT_CONFIG(ssl)
    if (!request_.extraCaCertificates.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(tls.caCertificates() + request_.extraCaCertificates);
        request.setSslConfiguration(tls);
    }
#endif
    if (request_.method == "GET") return manager_.get(request);
    if (request_.method == "POST") return manager_.post(request, request_.body);
    return manager_.sendCustomRequest(request, request_.method, request_.body);
}

// Status, reason, headers and announced length into the result; false when the reply has no
// HTTP status yet.
bool Exchange::recordHead(QNetworkReply* reply) {
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) return false;
    result_.status = status.toInt();
    result_.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    result_.reason = result_.reason.trimmed();
    result_.headers = reply->rawHeaderPairs();
    bool ok = false;
    const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
    result_.announced = ok && length >= 0 ? length : -1;
    return true;
}

void Exchange::onHeaders(QNetworkReply* reply) {
    if (!recordHead(reply) || !running_) return;
    response_.stop();
    if (request_.stallTimeoutMs > 0) stall_.start(request_.stallTimeoutMs);  // silence = stall

    const bool redirect = HttpTransfer::isRedirectStatus(result_.status);
    if (redirect && request_.redirects == HttpTransfer::Redirects::Follow) return;  // Qt goes on
    if (!result_.isSuccessStatus() && !request_.readErrorBodies) {
        const bool shortBody = result_.announced >= 0 && result_.announced <= kSmallRedirectBody;
        if (result_.status >= 400 || (redirect && !shortBody)) stop(End::StoppedAtHeaders);
        return;
    }
    if (request_.maxBodyBytes >= 0 && result_.announced > request_.maxBodyBytes) {
        stop(End::TooLarge);
        return;
    }
    beginBody();
}

void Exchange::beginBody() {
    if (bodyStarted_) return;
    bodyStarted_ = true;
    if (sink_) {
        guarded([&] { sink_->begin(result_.announced); });
    } else if (result_.announced > 0) {
        result_.body.reserve(qsizetype(std::min(result_.announced, kMaxReserve)));
    }
}

void Exchange::onData(QNetworkReply* reply) {
    if (!running_) return;
    if (!result_.headersSeen()) onHeaders(reply);
    if (!running_ || !bodyStarted_) return;
    const qint64 available = reply->bytesAvailable();
    if (available <= 0) return;
    if (request_.maxBodyBytes >= 0 && result_.received + available > request_.maxBodyBytes) {
        stop(End::TooLarge);
        return;
    }
    if (sink_) {
        const QByteArray chunk = reply->read(available);
        result_.received += chunk.size();
        guarded([&] { sink_->write(chunk.constData(), std::size_t(chunk.size())); });
    } else {
        const qsizetype have = result_.body.size();
        result_.body.resize(have + available);
        const qint64 got = reply->read(result_.body.data() + have, available);
        result_.body.resize(have + std::max<qint64>(got, 0));
        result_.received = result_.body.size();
    }
    if (stall_.isActive()) stall_.start(request_.stallTimeoutMs);
    if (running_ && askCancelled()) stop(End::Cancelled);
}

void Exchange::watch(QNetworkReply* reply, QObject& context) {
    QObject::connect(reply, &QNetworkReply::metaDataChanged, &context,
                     [this, reply] { onHeaders(reply); });
    QObject::connect(reply, &QNetworkReply::readyRead, &context, [this, reply] { onData(reply); });
    QObject::connect(reply, &QNetworkReply::finished, &context, [this, reply] {
        onData(reply);  // whatever is still buffered
        stop(End::Finished);
    });
#if QT_CONFIG(ssl)
    QObject::connect(reply, &QNetworkReply::sslErrors, &context,
                     [this](const QList<QSslError>& es) {
                         for (const QSslError& e : es) {
                             if (!tlsErrors_.isEmpty()) tlsErrors_ += QStringLiteral("; ");
                             tlsErrors_ += e.errorString();
                         }
                     });
#endif
}

void Exchange::startTimers(QTimer& total, QTimer& poll, QObject& context) {
    const std::pair<QTimer*, End> limits[] = {
        {&total, End::TimedOut}, {&response_, End::NoResponse}, {&stall_, End::Stalled}};
    for (const auto& [timer, why] : limits) {
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
        QObject::connect(timer, &QTimer::timeout, &context, [this, why = why] { stop(why); });
    }
    if (request_.timeoutMs > 0) total.start(request_.timeoutMs);
    if (request_.responseTimeoutMs > 0) response_.start(request_.responseTimeoutMs);
    // stall_ starts once the headers are in.
    if (request_.cancelled) {
        QObject::connect(&poll, &QTimer::timeout, &context, [this] {
            if (askCancelled()) stop(End::Cancelled);
        });
        poll.start(kCancelPollMs);
    }
}

QString Exchange::scrub(QString text) const {
    // Qt's messages sometimes quote the request URL, query and credentials included.
    for (const QUrl& url : {request_.url, result_.url}) {
        if (url.isEmpty()) continue;
        const QString shown = HttpTransfer::displayUrl(url);
        text.replace(url.toString(QUrl::FullyEncoded), shown);
        text.replace(url.toString(), shown);
        text.replace(url.toDisplayString(), shown);
        if (url.hasQuery() && !url.query().isEmpty())
            text.replace(url.query(), QStringLiteral("..."));
        if (!url.password().isEmpty()) text.replace(url.password(), QStringLiteral("..."));
    }
    return text;
}

void Exchange::collect(QNetworkReply* reply) {
    if (!result_.headersSeen()) onHeaders(reply);
    result_.url = reply->url();
    if (reply->isFinished()) {
        result_.error = reply->error();
        result_.errorText = scrub(reply->errorString());
    } else {
        reply->abort();
    }
    result_.tlsErrors = scrub(tlsErrors_);
}

HttpTransfer::Result Exchange::run() {
    QEventLoop loop;
    QObject context;  // receiver of every connection, to cut them all at once
    QTimer total, poll;
    loop_ = &loop;
    const std::unique_ptr<QNetworkReply> reply(send());
    watch(reply.get(), context);
    startTimers(total, poll, context);
    if (!reply->isFinished()) loop.exec();
    loop_ = nullptr;
    if (running_) {
        onData(reply.get());
        stop(End::Finished);
    }
    QObject::disconnect(reply.get(), nullptr, &context, nullptr);
    collect(reply.get());
    if (callbackError_) std::rethrow_exception(callbackError_);
    return std::move(result_);
}

std::string httpHint(int status) {
    if (status == 401 || status == 403)
        return "The server refused access; the address may need a login or may have expired.";
    if (status == 404 || status == 410) return "Check the address.";
    if (status == 429 || status >= 500) return "The server is busy or failing; try again later.";
    return "Check the address.";
}

// A reply that finished with a network error (no HTTP error status).
std::string networkFailure(const QUrl& url, const HttpTransfer::Result& r,
                           const std::string& where) {
    const std::string host = url.host().toStdString();
    const std::string tls = ". Check that the address is right and that the server speaks https.";
    switch (r.error) {
        case QNetworkReply::HostNotFoundError:
            return "could not resolve host " + host + " (" + where +
                   "). Check the address and your network connection.";
        case QNetworkReply::ConnectionRefusedError:
            return where + ": connection refused by " + host + ":" +
                   std::to_string(url.port(url.scheme() == "https" ? 443 : 80)) +
                   ". Check the address and that the server is running.";
        case QNetworkReply::RemoteHostClosedError:
            return where + ": the server closed the connection after " +
                   HttpTransfer::sizeText(std::uint64_t(r.received)) +
                   ", before the download was complete. Try again later.";
        case QNetworkReply::SslHandshakeFailedError:
            return where + ": TLS handshake failed: " + r.tlsFailure().toStdString() + tls;
        case QNetworkReply::TimeoutError:
        case QNetworkReply::ProxyTimeoutError:
            return where + ": the network timed out (" + r.errorText.toStdString() +
                   "). Check your connection or try again later.";
        case QNetworkReply::TooManyRedirectsError:
            return where + ": too many redirects; the server may be redirecting in a loop.";
        default:
            break;
    }
    if (!r.tlsErrors.isEmpty())
        return where + ": TLS handshake failed: " + r.tlsErrors.toStdString() + tls;
    return where + ": download failed: " + r.errorText.toStdString() + ".";
}

// An exchange that ended early, by a limit of the request.
std::string limitFailure(const HttpTransfer::Request& q, const HttpTransfer::Result& r,
                         const std::string& where) {
    using T = HttpTransfer;
    const std::string received = T::sizeText(std::uint64_t(r.received));
    const std::string announced =
        r.announced >= 0 ? T::sizeText(std::uint64_t(r.announced)) : std::string();
    switch (r.end) {
        case End::TimedOut:
            if (!r.headersSeen())
                return where + ": timed out after " + T::secondsText(q.timeoutMs) +
                       " waiting for the server to respond. Check the address, or try again later.";
            return where + ": timed out after " + T::secondsText(q.timeoutMs) +
                   "; the transfer stalled after " + received +
                   (announced.empty() ? std::string() : " of " + announced) + ". Try again later.";
        case End::NoResponse:
            return where + ": no response within " + T::secondsText(q.responseTimeoutMs) +
                   ". Check the address, or try again later.";
        case End::Stalled:
            return where + ": the transfer stalled: no data for " +
                   T::secondsText(q.stallTimeoutMs) + " after " + received + ". Try again later.";
        case End::TooLarge:
            return where + ": the file is larger than the size limit of " +
                   T::sizeText(std::uint64_t(std::max<std::int64_t>(q.maxBodyBytes, 0))) +
                   (announced.empty() ? std::string()
                                      : " (the server announced " + announced + ")") +
                   ". Download it yourself and open the local file, or raise the limit.";
        case End::Cancelled:
            return where + ": cancelled.";
        case End::Finished:
        case End::StoppedAtHeaders:
            break;
    }
    return std::string();
}

}  // namespace

bool HttpTransfer::Result::succeeded() const {
    return end == End::Finished && error == QNetworkReply::NoError && isSuccessStatus() &&
           (announced < 0 || received == announced);
}

QByteArray HttpTransfer::Result::header(const QByteArray& name) const {
    for (const auto& h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) return h.second;
    return QByteArray();
}

QString HttpTransfer::Result::tlsFailure() const {
    QString detail = tlsErrors.isEmpty() ? errorText : tlsErrors;
    // Qt's text starts with its own "SSL handshake failed: ", which callers say in their words.
    const QString qtPrefix = QStringLiteral("SSL handshake failed: ");
    if (detail.startsWith(qtPrefix, Qt::CaseInsensitive)) detail.remove(0, qtPrefix.size());
    return detail;
}

HttpTransfer::HttpTransfer() {
    if (!QCoreApplication::instance())
        throw Error("HTTP transfers need a QCoreApplication (a bug in the calling program).");
    manager_ = std::make_unique<QNetworkAccessManager>();
}

HttpTransfer::~HttpTransfer() = default;

HttpTransfer::Result HttpTransfer::run(const Request& request, Sink* sink) {
    return Exchange(*manager_, request, sink).run();
}

std::string HttpTransfer::failureMessage(const Request& request, const Result& result,
                                         const std::string& where) {
    const std::string limit = limitFailure(request, result, where);
    if (!limit.empty()) return limit;
    if (result.status >= 400) {
        std::string message = where + ": HTTP " + std::to_string(result.status);
        if (!result.reason.isEmpty()) message += " " + result.reason.toStdString();
        return message + ". " + httpHint(result.status);
    }
    if (result.error != QNetworkReply::NoError) return networkFailure(request.url, result, where);
    if (!result.isSuccessStatus()) {
        return where + ": unexpected HTTP status " + std::to_string(result.status) + " " +
               result.reason.toStdString() + "; expected the file itself.";
    }
    if (result.announced >= 0 && result.received != result.announced) {
        return where + ": the download ended after " + sizeText(std::uint64_t(result.received)) +
               " of the announced " + sizeText(std::uint64_t(result.announced)) +
               ". Try again later.";
    }
    return where + ": the transfer did not complete.";
}

QString HttpTransfer::displayUrl(const QUrl& url) {
    QUrl shown = url;
    const bool hadQuery = shown.hasQuery();
    shown.setUserInfo(QString());
    shown.setQuery(QString());
    shown.setFragment(QString());
    QString text = shown.toDisplayString();
    if (hadQuery) text += QStringLiteral("?...");
    return text;
}

std::string HttpTransfer::sizeText(std::uint64_t n) {
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

std::string HttpTransfer::secondsText(int ms) {
    return QString::number(ms / 1000.0, 'g', 4).toStdString() + " s";
}

bool HttpTransfer::isRedirectStatus(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace medvae
