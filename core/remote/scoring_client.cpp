#include "scoring_client.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSslError>
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
    return QString::fromLatin1(ScoringContract::encodePng(image).toBase64());
}

}  // namespace

struct ScoringClient::Attempt {
    enum Kind { Ok, Http, Network, Timeout, Stalled, Oversized, Cancelled } kind = Ok;
    int status = 0;
    QByteArray body;
    QString requestId;
    QString retryAfter;
    QString modelStatus, modelReason;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString errorString;
    QString sslDetails;
    qint64 received = 0;
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
    Attempt a;
    QNetworkAccessManager manager;
    manager.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkRequest request{QUrl(profile_.scoringUri)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json");
    if (!key_.isEmpty()) request.setRawHeader("Authorization", "Bearer " + key_.toUtf8());
    if (!profile_.deployment.isEmpty())
        request.setRawHeader("azureml-model-deployment", profile_.deployment.toUtf8());
    request.setRawHeader("x-ms-client-request-id", clientRequestId.toLatin1());
    request.setTransferTimeout(0);  // our own timers below tell timeouts from stalls

    QNetworkReply* reply = manager.post(request, body);
    QEventLoop loop;
    QTimer total, stall, poll;
    total.setSingleShot(true);
    stall.setSingleShot(true);
    enum class Abort { None, Timeout, Stalled, Oversized, Cancelled } abort = Abort::None;
    const auto abortWith = [&](Abort why) {
        if (abort == Abort::None) abort = why;
        reply->abort();
    };
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&total, &QTimer::timeout, &loop, [&] { abortWith(Abort::Timeout); });
    QObject::connect(&stall, &QTimer::timeout, &loop, [&] { abortWith(Abort::Stalled); });
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (control && control->cancelled && control->cancelled()) abortWith(Abort::Cancelled);
    });
    QObject::connect(reply, &QNetworkReply::metaDataChanged, &loop, [&] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > options_.maxResponseBytes)
            abortWith(Abort::Oversized);
        stall.start(options_.stallTimeoutMs);  // the body is under way: silence now is a stall
    });
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
        a.body += reply->readAll();
        a.received = a.body.size();
        if (a.body.size() > options_.maxResponseBytes) abortWith(Abort::Oversized);
        if (stall.isActive()) stall.start(options_.stallTimeoutMs);
    });
    QObject::connect(reply, &QNetworkReply::sslErrors, &loop, [&](const QList<QSslError>& errors) {
        QStringList parts;
        for (const QSslError& e : errors)
            parts << e.errorString();
        a.sslDetails = parts.join(QStringLiteral("; "));
    });
    total.start(timeoutMs);
    poll.start(50);
    if (!reply->isFinished()) loop.exec();
    total.stop();
    stall.stop();
    poll.stop();
    a.body += reply->readAll();

    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.requestId = QString::fromLatin1(reply->rawHeader("x-request-id"));
    a.retryAfter = QString::fromLatin1(reply->rawHeader("Retry-After")).trimmed();
    a.modelStatus = QString::fromUtf8(reply->rawHeader("ms-azureml-model-error-statuscode"));
    a.modelReason = QString::fromUtf8(reply->rawHeader("ms-azureml-model-error-reason"));
    a.networkError = reply->error();
    a.errorString = reply->errorString();
    delete reply;

    switch (abort) {
        case Abort::Timeout:
            a.kind = Attempt::Timeout;
            return a;
        case Abort::Stalled:
            a.kind = Attempt::Stalled;
            return a;
        case Abort::Oversized:
            a.kind = Attempt::Oversized;
            return a;
        case Abort::Cancelled:
            a.kind = Attempt::Cancelled;
            return a;
        case Abort::None:
            break;
    }
    if (a.status >= 200 && a.status < 300 && a.networkError == QNetworkReply::NoError)
        a.kind = Attempt::Ok;
    else if (a.status >= 300)
        a.kind = Attempt::Http;
    else
        a.kind = Attempt::Network;
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

ScoringClient::Reply ScoringClient::post(const QByteArray& body, const RunControl* control) {
    check();
    // Limit requests on the wire, so that batches do not flood an endpoint.
    {
        std::unique_lock<std::mutex> lock(mutex_);
        while (inFlight_ >= profile_.maxInFlight) {
            slotFreed_.wait_for(lock, std::chrono::milliseconds(50));
            if (control && control->cancelled && control->cancelled()) throw Cancelled();
        }
        ++inFlight_;
    }
    struct Release {
        ScoringClient* self;
        ~Release() {
            {
                std::lock_guard<std::mutex> lock(self->mutex_);
                --self->inFlight_;
            }
            self->slotFreed_.notify_one();
        }
    } release{this};

    const QString clientRequestId = QUuid::createUuid().toString(QUuid::WithoutBraces);  // 36 chars
    const QUrl url(profile_.scoringUri);
    QElapsedTimer clock;
    clock.start();
    QString lastMessage;
    for (int retry = 0;; ++retry) {
        Attempt a = attempt(body, clientRequestId, control, profile_.timeoutS * 1000);
        if (a.kind == Attempt::Cancelled) throw Cancelled();
        if (a.kind == Attempt::Ok) {
            Reply r;
            r.status = a.status;
            r.body = std::move(a.body);
            r.requestId = a.requestId;
            r.retries = retry;
            r.latencyMs = double(clock.nsecsElapsed()) / 1e6;
            std::lock_guard<std::mutex> lock(mutex_);
            status_.lastLatencyMs = r.latencyMs;
            status_.lastRetries = retry;
            status_.requests++;
            status_.lastError.clear();
            status_.lastRequestId = r.requestId;
            return r;
        }

        bool retryable = false;
        int waitMs = -1;  // -1: exponential backoff
        QString message;
        const QString where = hostOf(url);
        if (a.kind == Attempt::Timeout) {
            message = QStringLiteral(
                          "No complete answer from %1 within %2 s (the per-request "
                          "timeout of this profile)")
                          .arg(where)
                          .arg(profile_.timeoutS);
        } else if (a.kind == Attempt::Stalled) {
            retryable = true;
            message = QStringLiteral("The answer from %1 stalled: no data for %2 s after %3 bytes")
                          .arg(where)
                          .arg(options_.stallTimeoutMs / 1000.0)
                          .arg(a.received);
        } else if (a.kind == Attempt::Oversized) {
            message = QStringLiteral("The answer from %1 is larger than the limit of %2 MB")
                          .arg(where)
                          .arg(options_.maxResponseBytes / 1048576.0);
        } else if (a.kind == Attempt::Network) {
            switch (a.networkError) {
                case QNetworkReply::HostNotFoundError:
                    message = QStringLiteral(
                                  "DNS: the host name '%1' could not be resolved; "
                                  "check the scoring URI and the network")
                                  .arg(url.host());
                    break;
                case QNetworkReply::ConnectionRefusedError:
                    message = QStringLiteral(
                                  "Connection refused by %1: nothing listens there "
                                  "(check the port, or whether the server runs)")
                                  .arg(where);
                    break;
                case QNetworkReply::SslHandshakeFailedError:
                    message =
                        QStringLiteral("TLS handshake with %1 failed: %2")
                            .arg(where, a.sslDetails.isEmpty() ? a.errorString : a.sslDetails);
                    break;
                case QNetworkReply::RemoteHostClosedError:
                    retryable = true;
                    message = QStringLiteral(
                                  "%1 closed or reset the connection before the "
                                  "answer was complete (%2 bytes received)")
                                  .arg(where)
                                  .arg(a.received);
                    break;
                case QNetworkReply::TimeoutError:
                    retryable = true;
                    message = QStringLiteral("Connecting to %1 timed out").arg(where);
                    break;
                case QNetworkReply::TooManyRedirectsError:
                case QNetworkReply::InsecureRedirectError:
                    message = QStringLiteral(
                                  "The scoring URI redirects elsewhere (%1); use the "
                                  "final URI")
                                  .arg(a.errorString);
                    break;
                default:
                    retryable = a.networkError == QNetworkReply::UnknownNetworkError ||
                                a.networkError == QNetworkReply::TemporaryNetworkFailureError ||
                                a.networkError == QNetworkReply::NetworkSessionFailedError;
                    message =
                        QStringLiteral("Network error talking to %1: %2").arg(where, a.errorString);
            }
        } else {  // HTTP status
            const QString serverText = QString::fromUtf8(a.body.left(300)).simplified();
            const int s = a.status;
            if (s == 401 || s == 403) {
                message = QStringLiteral(
                              "The endpoint refused the key (HTTP %1): check the key "
                              "of profile '%2' (Azure ML keys do not expire, tokens do)")
                              .arg(s)
                              .arg(profile_.name);
            } else if (s == 404) {
                message = QStringLiteral(
                              "Not found (HTTP 404): check the scoring URI and the "
                              "deployment name '%1', and that a deployment takes "
                              "traffic")
                              .arg(profile_.deployment);
            } else if (s == 408) {
                message = QStringLiteral(
                    "The model ran past the endpoint's scoring timeout (HTTP "
                    "408): raise request_timeout_ms of the deployment (up to "
                    "180 s) or send a smaller image");
            } else if (s == 424) {
                message =
                    QStringLiteral(
                        "The model failed inside the endpoint (HTTP 424): model "
                        "status %1, reason: %2")
                        .arg(a.modelStatus.isEmpty() ? QStringLiteral("unknown") : a.modelStatus,
                             a.modelReason.isEmpty() ? serverText : a.modelReason);
            } else if (s == 413) {
                message = QStringLiteral(
                    "The request is too large for the endpoint (HTTP 413): "
                    "send a smaller image, or a URL");
            } else if (s == 429) {
                retryable = true;
                bool isNumber = false;
                const int seconds = a.retryAfter.toInt(&isNumber);
                if (isNumber) {
                    waitMs = seconds * 1000;
                } else if (!a.retryAfter.isEmpty()) {
                    const QDateTime when = QDateTime::fromString(a.retryAfter, Qt::RFC2822Date);
                    if (when.isValid())
                        waitMs =
                            int(std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when)));
                }
                message = QStringLiteral("The endpoint is over capacity (HTTP 429%1)")
                              .arg(a.retryAfter.isEmpty()
                                       ? QString()
                                       : QStringLiteral(", Retry-After %1").arg(a.retryAfter));
                if (waitMs > options_.maxRetryAfterS * 1000) {
                    retryable = false;
                    message += QStringLiteral(": the requested wait is longer than %1 s")
                                   .arg(options_.maxRetryAfterS);
                }
            } else if (s >= 500) {
                retryable = s == 500 || s == 502 || s == 503 || s == 504;
                message = QStringLiteral("Server error (HTTP %1) at %2: %3")
                              .arg(s)
                              .arg(where, serverText.isEmpty() ? QStringLiteral("no details")
                                                               : serverText);
            } else {
                message =
                    QStringLiteral("The endpoint rejected the request (HTTP %1): %2")
                        .arg(s)
                        .arg(serverText.isEmpty() ? QStringLiteral("no details") : serverText);
            }
        }
        message +=
            QStringLiteral(" [x-request-id: %1; x-ms-client-request-id: %2]")
                .arg(a.requestId.isEmpty() ? QStringLiteral("none") : a.requestId, clientRequestId);
        if (!retryable || retry >= profile_.maxRetries) {
            if (retry > 0) message += QStringLiteral(" (after %1 retries)").arg(retry);
            std::lock_guard<std::mutex> lock(mutex_);
            status_.failures++;
            status_.lastError = message;
            status_.lastRequestId = a.requestId;
            throw Error(message.toStdString());
        }
        if (waitMs < 0) {
            const double base = std::min<double>(options_.backoffMaxMs,
                                                 options_.backoffBaseMs * std::pow(2.0, retry));
            waitMs = int(base * (0.5 + 0.5 * QRandomGenerator::global()->generateDouble()));
        } else {
            // Honour Retry-After, plus a little jitter so that waiting clients spread out.
            waitMs += int(QRandomGenerator::global()->bounded(250));
        }
        waitBeforeRetry(waitMs, control);
    }
}

EncodeResult ScoringClient::score(const QString& image, bool decode, const RunControl* control) {
    const Reply reply = post(ScoringContract::requestBody(image, decode), control);
    try {
        EncodeResult result = ScoringContract::parseResponse(reply.body, decode);
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
        const Reply reply = probe.post(ScoringContract::requestBody(testImage(), false), control);
        const EncodeResult r = ScoringContract::parseResponse(reply.body, false);
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
