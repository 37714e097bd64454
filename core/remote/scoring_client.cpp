#include "scoring_client.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>
#include <QUuid>

#include <algorithm>
#include <cmath>

#include "error.h"
#include "image.h"
#include "scoring_contract.h"

namespace medvae::remote {

namespace {

QString hostOf(const QUrl& url) {
    return url.host() + (url.port() > 0 ? QStringLiteral(":%1").arg(url.port()) : QString());
}

// A synthetic 64x64 gradient: enough for any factor-8 model, no patient data.
QString testImage() {
    Image image;
    image.width = image.height = 64;
    image.channels = 1;
    image.pixels.resize(64 * 64);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x)
            image.pixels[y * 64 + x] = float((x * 3 + y * 2) % 256);
    return QString::fromLatin1(contract::ScoringContract::encodePng(image).toBase64());
}

}  // namespace

// One exchange with the endpoint and how it ended, as far as retrying cares.
struct ScoringClient::Attempt {
    enum Kind { Ok, Http, Network, Timeout, Stalled, Oversized, Cancelled } kind = Ok;
    HttpTransfer::Result exchange;

    QString requestId() const { return QString::fromLatin1(exchange.header("x-request-id")); }
};

// What a failed attempt means: the message, and whether (and when) to try again.
struct ScoringClient::Verdict {
    QString message;
    bool retryable = false;
    int waitMs = -1;  // -1: exponential backoff
};

ScoringClient::ScoringClient(EndpointProfile profile, QString key)
    : ScoringClient(std::move(profile), std::move(key), Options()) {}

ScoringClient::ScoringClient(EndpointProfile profile, QString key, Options options)
    : profile_(std::move(profile)), key_(std::move(key)), options_(options) {
    status_.endpoint = profile_.scoringUri;
    status_.deployment = profile_.deployment;
    profile_.maxInFlight = std::max(1, profile_.maxInFlight);
    profile_.maxRetries = std::clamp(profile_.maxRetries, 0, 20);
    profile_.timeoutS = std::clamp(profile_.timeoutS, 1, 3600);
}

bool ScoringClient::keyAllowedFor(const QString& uri, QString* why) {
    const QUrl url(uri);
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https")) return true;
    if (scheme == QLatin1String("http")) {
        const QString host = url.host().toLower();
        QHostAddress address;
        if (host == QLatin1String("localhost") ||
            (address.setAddress(host) && address.isLoopback()))
            return true;
        if (why)
            *why = QStringLiteral(
                       "Refusing to send the endpoint key over plain http to %1: use an https "
                       "scoring URI (plain http is accepted only for loopback addresses)")
                       .arg(host);
        return false;
    }
    if (why) *why = QStringLiteral("The scoring URI '%1' is not an http(s) URL").arg(uri);
    return false;
}

void ScoringClient::check() const {
    const QUrl url(profile_.scoringUri);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        throw Error("The scoring URI '" + profile_.scoringUri.toStdString() +
                    "' is not a valid http(s) URL (expected e.g. "
                    "https://<endpoint>.<region>.inference.ml.azure.com/score)");
    QString why;
    if (!key_.isEmpty() && !keyAllowedFor(profile_.scoringUri, &why))
        throw Error(why.toStdString());
}

ScoringClient::Attempt ScoringClient::attempt(const QByteArray& body,
                                              const QString& clientRequestId,
                                              const RunControl* control, int timeoutMs) {
    HttpTransfer::Request request;
    request.url = QUrl(profile_.scoringUri);
    request.method = "POST";
    request.body = body;
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    if (!key_.isEmpty()) request.headers.append({"Authorization", "Bearer " + key_.toUtf8()});
    if (!profile_.deployment.isEmpty())
        request.headers.append({"azureml-model-deployment", profile_.deployment.toUtf8()});
    request.headers.append({"x-ms-client-request-id", clientRequestId.toLatin1()});
    request.redirects = HttpTransfer::Redirects::Follow;
    request.allowCompression = true;
    request.readErrorBodies = true;  // the endpoint explains its errors in the body
    // The model may think for long before answering: only the per-request timeout bounds the
    // wait for the headers; once the answer flows, silence is a stall.
    request.timeoutMs = timeoutMs;
    request.stallTimeoutMs = options_.stallTimeoutMs;
    request.maxBodyBytes = options_.maxResponseBytes;
    if (control && control->cancelled) request.cancelled = control->cancelled;

    Attempt a;
    a.exchange = HttpTransfer().run(request);
    switch (a.exchange.end) {
        case HttpTransfer::End::TimedOut:
        case HttpTransfer::End::NoResponse:
            a.kind = Attempt::Timeout;
            return a;
        case HttpTransfer::End::Stalled:
            a.kind = Attempt::Stalled;
            return a;
        case HttpTransfer::End::TooLarge:
            a.kind = Attempt::Oversized;
            return a;
        case HttpTransfer::End::Cancelled:
            a.kind = Attempt::Cancelled;
            return a;
        case HttpTransfer::End::Finished:
        case HttpTransfer::End::StoppedAtHeaders:
            break;
    }
    const HttpTransfer::Result& r = a.exchange;
    if (r.isSuccessStatus() && r.error == QNetworkReply::NoError)
        a.kind = Attempt::Ok;
    else
        a.kind = r.status >= 300 ? Attempt::Http : Attempt::Network;
    return a;
}

void ScoringClient::waitBeforeRetry(int ms, const RunControl* control) {
    QEventLoop loop;
    QTimer done, poll;
    done.setSingleShot(true);
    bool cancelled = false;
    QObject::connect(&done, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (control && control->cancelled && control->cancelled()) {
            cancelled = true;
            loop.quit();
        }
    });
    done.start(ms);
    poll.start(50);
    loop.exec();
    if (cancelled) throw Cancelled();
}

// Limits requests on the wire, so that batches do not flood an endpoint.
void ScoringClient::acquireSlot(const RunControl* control) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (inFlight_ >= profile_.maxInFlight) {
        slotFreed_.wait_for(lock, std::chrono::milliseconds(50));
        if (control && control->cancelled && control->cancelled()) throw Cancelled();
    }
    ++inFlight_;
}

void ScoringClient::releaseSlot() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        --inFlight_;
    }
    slotFreed_.notify_one();
}

ScoringClient::Verdict ScoringClient::judge(const Attempt& a) const {
    const QString where = hostOf(QUrl(profile_.scoringUri));
    switch (a.kind) {
        case Attempt::Timeout:
            return {QStringLiteral("No complete answer from %1 within %2 s (the per-request "
                                   "timeout of this profile)")
                        .arg(where)
                        .arg(profile_.timeoutS)};
        case Attempt::Stalled:
            return {QStringLiteral("The answer from %1 stalled: no data for %2 s after %3 bytes")
                        .arg(where)
                        .arg(options_.stallTimeoutMs / 1000.0)
                        .arg(a.exchange.received),
                    true};
        case Attempt::Oversized:
            return {QStringLiteral("The answer from %1 is larger than the limit of %2 MB")
                        .arg(where)
                        .arg(options_.maxResponseBytes / 1048576.0)};
        case Attempt::Network:
            return networkVerdict(a.exchange);
        default:
            return httpVerdict(a.exchange);
    }
}

ScoringClient::Verdict ScoringClient::networkVerdict(const HttpTransfer::Result& r) const {
    const QUrl url(profile_.scoringUri);
    const QString where = hostOf(url);
    switch (r.error) {
        case QNetworkReply::HostNotFoundError:
            return {QStringLiteral("DNS: the host name '%1' could not be resolved; check the "
                                   "scoring URI and the network")
                        .arg(url.host())};
        case QNetworkReply::ConnectionRefusedError:
            return {QStringLiteral("Connection refused by %1: nothing listens there (check the "
                                   "port, or whether the server runs)")
                        .arg(where)};
        case QNetworkReply::SslHandshakeFailedError:
            return {QStringLiteral("TLS handshake with %1 failed: %2").arg(where, r.tlsFailure())};
        case QNetworkReply::RemoteHostClosedError:
            return {QStringLiteral("%1 closed or reset the connection before the answer was "
                                   "complete (%2 bytes received)")
                        .arg(where)
                        .arg(r.received),
                    true};
        case QNetworkReply::TimeoutError:
            return {QStringLiteral("Connecting to %1 timed out").arg(where), true};
        case QNetworkReply::TooManyRedirectsError:
        case QNetworkReply::InsecureRedirectError:
            return {QStringLiteral("The scoring URI redirects elsewhere (%1); use the final URI")
                        .arg(r.errorText)};
        default:
            return {QStringLiteral("Network error talking to %1: %2").arg(where, r.errorText),
                    r.error == QNetworkReply::UnknownNetworkError ||
                        r.error == QNetworkReply::TemporaryNetworkFailureError ||
                        r.error == QNetworkReply::NetworkSessionFailedError};
    }
}

ScoringClient::Verdict ScoringClient::httpVerdict(const HttpTransfer::Result& r) const {
    const QString serverText = QString::fromUtf8(r.body.left(300)).simplified();
    const QString details = serverText.isEmpty() ? QStringLiteral("no details") : serverText;
    const int s = r.status;
    if (s == 401 || s == 403)
        return {QStringLiteral("The endpoint refused the key (HTTP %1): check the key of profile "
                               "'%2' (Azure ML keys do not expire, tokens do)")
                    .arg(s)
                    .arg(profile_.name)};
    if (s == 404)
        return {QStringLiteral("Not found (HTTP 404): check the scoring URI and the deployment "
                               "name '%1', and that a deployment takes traffic")
                    .arg(profile_.deployment)};
    if (s == 408)
        return {
            QStringLiteral("The model ran past the endpoint's scoring timeout (HTTP 408): "
                           "raise request_timeout_ms of the deployment (up to 180 s) or send "
                           "a smaller image")};
    if (s == 424) {
        const QString status = QString::fromUtf8(r.header("ms-azureml-model-error-statuscode"));
        const QString reason = QString::fromUtf8(r.header("ms-azureml-model-error-reason"));
        return {QStringLiteral("The model failed inside the endpoint (HTTP 424): model status %1, "
                               "reason: %2")
                    .arg(status.isEmpty() ? QStringLiteral("unknown") : status,
                         reason.isEmpty() ? serverText : reason)};
    }
    if (s == 413)
        return {
            QStringLiteral("The request is too large for the endpoint (HTTP 413): send a "
                           "smaller image, or a URL")};
    if (s == 429)
        return overCapacityVerdict(QString::fromLatin1(r.header("Retry-After")).trimmed());
    if (s >= 500)
        return {QStringLiteral("Server error (HTTP %1) at %2: %3")
                    .arg(s)
                    .arg(hostOf(QUrl(profile_.scoringUri)), details),
                s == 500 || s == 502 || s == 503 || s == 504};
    return {QStringLiteral("The endpoint rejected the request (HTTP %1): %2").arg(s).arg(details)};
}

// HTTP 429: retried after the server's Retry-After (seconds or an HTTP date) when it names one
// the client accepts, else after the usual backoff.
ScoringClient::Verdict ScoringClient::overCapacityVerdict(const QString& retryAfter) const {
    Verdict v{QStringLiteral("The endpoint is over capacity (HTTP 429%1)")
                  .arg(retryAfter.isEmpty() ? QString()
                                            : QStringLiteral(", Retry-After %1").arg(retryAfter)),
              true};
    bool isNumber = false;
    const int seconds = retryAfter.toInt(&isNumber);
    if (isNumber) {
        v.waitMs = seconds * 1000;
    } else if (!retryAfter.isEmpty()) {
        const QDateTime when = QDateTime::fromString(retryAfter, Qt::RFC2822Date);
        if (when.isValid())
            v.waitMs = int(std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when)));
    }
    if (v.waitMs > options_.maxRetryAfterS * 1000) {
        v.retryable = false;
        v.message +=
            QStringLiteral(": the requested wait is longer than %1 s").arg(options_.maxRetryAfterS);
    }
    return v;
}

int ScoringClient::retryDelayMs(const Verdict& verdict, int retry) const {
    if (verdict.waitMs >= 0) {
        // Honour Retry-After, plus a little jitter so that waiting clients spread out.
        return verdict.waitMs + int(QRandomGenerator::global()->bounded(250));
    }
    const double base =
        std::min<double>(options_.backoffMaxMs, options_.backoffBaseMs * std::pow(2.0, retry));
    return int(base * (0.5 + 0.5 * QRandomGenerator::global()->generateDouble()));
}

ScoringClient::Reply ScoringClient::succeeded(Attempt& a, int retries, double latencyMs) {
    Reply r;
    r.status = a.exchange.status;
    r.body = std::move(a.exchange.body);
    r.requestId = a.requestId();
    r.retries = retries;
    r.latencyMs = latencyMs;
    std::lock_guard<std::mutex> lock(mutex_);
    status_.lastLatencyMs = r.latencyMs;
    status_.lastRetries = retries;
    status_.requests++;
    status_.lastError.clear();
    status_.lastRequestId = r.requestId;
    return r;
}

void ScoringClient::failed(const QString& message, const QString& requestId) {
    std::lock_guard<std::mutex> lock(mutex_);
    status_.failures++;
    status_.lastError = message;
    status_.lastRequestId = requestId;
    throw Error(message.toStdString());
}

ScoringClient::Reply ScoringClient::post(const QByteArray& body, const RunControl* control) {
    check();
    acquireSlot(control);
    struct Release {
        ScoringClient* self;
        ~Release() { self->releaseSlot(); }
    } release{this};

    const QString clientRequestId = QUuid::createUuid().toString(QUuid::WithoutBraces);  // 36 chars
    QElapsedTimer clock;
    clock.start();
    for (int retry = 0;; ++retry) {
        Attempt a = attempt(body, clientRequestId, control, profile_.timeoutS * 1000);
        if (a.kind == Attempt::Cancelled) throw Cancelled();
        if (a.kind == Attempt::Ok) return succeeded(a, retry, double(clock.nsecsElapsed()) / 1e6);

        Verdict verdict = judge(a);
        const QString requestId = a.requestId();
        verdict.message +=
            QStringLiteral(" [x-request-id: %1; x-ms-client-request-id: %2]")
                .arg(requestId.isEmpty() ? QStringLiteral("none") : requestId, clientRequestId);
        if (!verdict.retryable || retry >= profile_.maxRetries) {
            if (retry > 0) verdict.message += QStringLiteral(" (after %1 retries)").arg(retry);
            failed(verdict.message, requestId);
        }
        waitBeforeRetry(retryDelayMs(verdict, retry), control);
    }
}

EncodeResult ScoringClient::score(const QString& image, bool decode, const RunControl* control) {
    const Reply reply = post(contract::ScoringContract::requestBody(image, decode), control);
    try {
        EncodeResult result = contract::ScoringContract::parseResponse(reply.body, decode);
        result.encodeSeconds = reply.latencyMs / 1000.0;
        return result;
    } catch (const Error& e) {
        const QString message =
            QStringLiteral("Unusable answer from %1: %2 [x-request-id: %3]")
                .arg(hostOf(QUrl(profile_.scoringUri)), QString::fromStdString(e.what()),
                     reply.requestId.isEmpty() ? QStringLiteral("none") : reply.requestId);
        std::lock_guard<std::mutex> lock(mutex_);
        status_.requests--;  // counted as a success by post(), but the answer is unusable
        status_.failures++;
        status_.lastError = message;
        throw Error(message.toStdString());
    }
}

ScoringClient::ConnectionReport ScoringClient::testConnection(const RunControl* control) {
    ConnectionReport report;
    ScoringClient probe(profile_, key_, options_);
    probe.profile_.maxRetries = 0;
    probe.profile_.timeoutS = std::max(1, options_.connectionTestTimeoutMs / 1000);
    try {
        const Reply reply =
            probe.post(contract::ScoringContract::requestBody(testImage(), false), control);
        const EncodeResult r = contract::ScoringContract::parseResponse(reply.body, false);
        report.ok = true;
        report.message = QStringLiteral(
                             "OK: HTTP %1 in %2 ms; a 64x64 test image gave a %3x%4x%5 "
                             "latent")
                             .arg(reply.status)
                             .arg(qRound(reply.latencyMs))
                             .arg(r.latent.size(0))
                             .arg(r.latent.size(1))
                             .arg(r.latent.size(2));
    } catch (const Error& e) {
        report.message = QString::fromStdString(e.what());
    }
    return report;
}

EndpointStatus ScoringClient::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
}

}  // namespace medvae::remote
