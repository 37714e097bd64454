#include "url_fetcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QUrl>

#include <algorithm>
#include <limits>
#include <utility>

#include "error.h"
#include "http_transfer.h"

namespace medvae {
namespace {

// Reserving what the server announces is only a hint; a lying server must not make us allocate.
constexpr std::int64_t kMaxReserve = 64ll << 20;

// The body of the final hop, in memory, with progress reported as it arrives (each distinct
// value once).
class MemorySink : public HttpTransfer::Sink {
  public:
    MemorySink(const UrlFetcher::Options& options, std::vector<std::uint8_t>& bytes)
        : options_(options), bytes_(bytes) {}

    void begin(std::int64_t announced) override {
        announced_ = announced;
        if (announced > 0) bytes_.reserve(std::size_t(std::min(announced, kMaxReserve)));
    }
    void write(const char* data, std::size_t size) override {
        bytes_.insert(bytes_.end(), data, data + size);
        report(std::int64_t(bytes_.size()), announced_);
    }
    void report(std::int64_t received, std::int64_t total) {
        if (!options_.progress || (received == reportedReceived_ && total == reportedTotal_))
            return;
        reportedReceived_ = received;
        reportedTotal_ = total;
        options_.progress(received, total);
    }

  private:
    const UrlFetcher::Options& options_;
    std::vector<std::uint8_t>& bytes_;
    std::int64_t announced_ = -1;
    std::int64_t reportedReceived_ = -1;
    std::int64_t reportedTotal_ = -2;
};

// One download, possibly over several redirects, each hop one HttpTransfer exchange. The
// redirect policy is ours: only http(s), never from https to http, at most maxRedirects.
class Download {
  public:
    Download(const QUrl& url, const UrlFetcher::Options& options)
        : original_(url), current_(url), options_(options) {}

    UrlFetcher::Result run();

  private:
    HttpTransfer::Request hop(int remainingMs) const;
    void followRedirect(const HttpTransfer::Result& hop);

    // Names the failing address, and where the user started if a redirect led there.
    std::string subject() const {
        std::string text = HttpTransfer::displayUrl(current_).toStdString();
        if (current_ != original_)
            text += " (redirected from " + HttpTransfer::displayUrl(original_).toStdString() + ")";
        return text;
    }

    const QUrl original_;
    QUrl current_;
    const UrlFetcher::Options& options_;
    int redirects_ = 0;
};

HttpTransfer::Request Download::hop(int remainingMs) const {
    HttpTransfer::Request request;
    request.url = current_;
    request.headers = {{"User-Agent", "medvae"}};
    // The whole-transfer deadline also bounds silence; with one limit for both, a separate stall
    // timer could never fire first, so the message tells the two cases apart instead.
    request.timeoutMs = remainingMs;
    request.maxBodyBytes = std::int64_t(
        std::min<std::uint64_t>(options_.maxBytes, std::numeric_limits<std::int64_t>::max()));
    request.cancelled = options_.cancelled;
    return request;
}

void Download::followRedirect(const HttpTransfer::Result& hop) {
    const QByteArray location = hop.header("Location").trimmed();
    if (location.isEmpty()) {
        throw Error(subject() + ": HTTP " + std::to_string(hop.status) + " " +
                    hop.reason.toStdString() +
                    " is a redirect without a Location to follow; the server is misconfigured.");
    }
    const QUrl target = current_.resolved(QUrl(QString::fromUtf8(location), QUrl::TolerantMode));
    const QString scheme = target.scheme().toLower();
    if (!target.isValid() || (scheme != "http" && scheme != "https")) {
        throw Error(subject() + ": the server redirected to " +
                    (scheme.isEmpty() ? std::string("an invalid address")
                                      : "a " + scheme.toStdString() + ":// address") +
                    "; only http and https addresses are downloaded.");
    }
    if (current_.scheme().compare("https", Qt::CaseInsensitive) == 0 && scheme == "http") {
        throw Error(subject() + ": refusing to follow a redirect from https to unencrypted http (" +
                    HttpTransfer::displayUrl(target).toStdString() +
                    "). Use the http address directly if you trust it.");
    }
    if (++redirects_ > options_.maxRedirects) {
        throw Error(HttpTransfer::displayUrl(original_).toStdString() +
                    ": too many redirects (more than " + std::to_string(options_.maxRedirects) +
                    "); the server may be redirecting in a loop.");
    }
    current_ = target;
}

UrlFetcher::Result Download::run() {
    if (!QCoreApplication::instance()) {
        throw Error("Cannot download " + HttpTransfer::displayUrl(original_).toStdString() +
                    ": URL downloads need a QCoreApplication (a bug in the calling program).");
    }
    HttpTransfer transfer;
    std::vector<std::uint8_t> bytes;
    MemorySink sink(options_, bytes);
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        if (options_.cancelled && options_.cancelled()) throw Cancelled();
        const qint64 remaining = options_.timeoutMs - clock.elapsed();
        if (remaining <= 0) {
            throw Error(subject() + ": timed out after " +
                        HttpTransfer::secondsText(options_.timeoutMs) +
                        " while following redirects. Try again later.");
        }
        HttpTransfer::Request request = hop(int(remaining));
        const HttpTransfer::Result result = transfer.run(request, &sink);
        if (result.end == HttpTransfer::End::Cancelled) throw Cancelled();
        const bool answered = result.end == HttpTransfer::End::Finished ||
                              result.end == HttpTransfer::End::StoppedAtHeaders;
        if (answered && HttpTransfer::isRedirectStatus(result.status)) {
            followRedirect(result);
            continue;
        }
        if (!result.succeeded()) {
            request.timeoutMs = options_.timeoutMs;  // messages name the limit the caller set
            throw Error(HttpTransfer::failureMessage(request, result, subject()));
        }
        sink.report(result.received, result.received);
        UrlFetcher::Result fetched;
        fetched.bytes = std::move(bytes);
        fetched.finalUrl = current_.toString(QUrl::FullyEncoded).toStdString();
        fetched.contentType = result.header("Content-Type").toStdString();
        fetched.status = result.status;
        return fetched;
    }
}

}  // namespace

UrlFetcher::Result UrlFetcher::fetch(const std::string& url, const Options& options) {
    const QString text = QString::fromStdString(url).trimmed();
    if (!isHttpUrl(text.toStdString())) {
        const std::string shown = text.contains(QStringLiteral("://"))
                                      ? HttpTransfer::displayUrl(QUrl(text)).toStdString()
                                      : text.left(200).toStdString();
        throw Error("'" + shown + "' is not an http:// or https:// address; only those are " +
                    "downloaded.");
    }
    const QUrl parsed(text, QUrl::TolerantMode);
    if (!parsed.isValid() || parsed.host().isEmpty()) {
        throw Error("'" + HttpTransfer::displayUrl(parsed).toStdString() +
                    "' is not a valid web address: check it for typos.");
    }
    return Download(parsed, options).run();
}

bool UrlFetcher::isHttpUrl(const std::string& text) {
    const QString t = QString::fromStdString(text);
    return t.startsWith(QStringLiteral("http://"), Qt::CaseInsensitive) ||
           t.startsWith(QStringLiteral("https://"), Qt::CaseInsensitive);
}

}  // namespace medvae
