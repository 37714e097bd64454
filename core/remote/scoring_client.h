#pragma once

#include <QByteArray>
#include <QString>

#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "endpoint_profile.h"
#include "engine.h"
#include "http_transfer.h"
#include "run_control.h"

namespace medvae::remote {

// What the status bar shows about a remote endpoint.
struct EndpointStatus {
    QString endpoint;  // scoring URI
    QString deployment;
    double lastLatencyMs = 0;  // of the last successful request, retries and waits included
    int lastRetries = 0;       // retries the last request needed
    int requests = 0;          // successful requests
    int failures = 0;          // requests that failed for good
    QString lastError;         // empty after a success
    QString lastRequestId;     // the server's x-request-id of the last answer
};

// An Azure ML (or medvae-serve) scoring endpoint, spoken to synchronously: the endpoint's policy
// (headers, retries, Retry-After, backoff, requests in flight, messages) over HttpTransfer.
//
// Every exchange runs its own local QEventLoop in the calling thread (HttpTransfer), so it may
// be called from worker threads that run no event loop; it must not be called from a thread
// whose event loop has to keep running meanwhile (the GUI thread). Each wait is bounded
// (per-request timeout, stall timeout, retry budget) and polls `control->cancelled`.
// Thread-safe: at most `profile.maxInFlight` requests are on the wire at once; other callers wait.
//
// The key goes only over https, or over http to a loopback address; anything else is refused
// before connecting. Keys never appear in messages.
class ScoringClient {
  public:
    struct Options {
        int stallTimeoutMs = 30000;  // longest silence while receiving the answer
        int backoffBaseMs = 500;     // first retry delay; doubled per retry, with jitter
        int backoffMaxMs = 30000;
        int maxRetryAfterS = 300;  // a longer Retry-After fails instead of waiting
        qint64 maxResponseBytes = 512ll << 20;
        int connectionTestTimeoutMs = 30000;
    };
    struct Reply {
        int status = 0;
        QByteArray body;
        QString requestId;  // server's x-request-id
        int retries = 0;
        double latencyMs = 0;
    };

    ScoringClient(EndpointProfile profile, QString key);
    ScoringClient(EndpointProfile profile, QString key, Options options);

    const EndpointProfile& profile() const { return profile_; }

    // Sends one image (a base64 PNG, or a URL) and parses the answer into latent/decoded
    // (ScoringContract::parseResponse). Throws medvae::Error with a precise message; Cancelled
    // when `control` asked to stop.
    EncodeResult score(const QString& image, bool decode, const RunControl* control = nullptr);
    // The raw exchange, with retries: a 2xx reply, or an Error.
    Reply post(const QByteArray& body, const RunControl* control = nullptr);

    // Sends a small synthetic image (no patient data) without retries and reports what happened
    // in one sentence: "OK ..." or precisely what is wrong (DNS, refused, TLS, 401, 404, ...).
    struct ConnectionReport {
        bool ok = false;
        QString message;
    };
    // `control->cancelled` stops it early (the report then says "cancelled").
    ConnectionReport testConnection(const RunControl* control = nullptr);

    EndpointStatus status() const;

    // Whether a key may be sent to this URI (https, or http to a loopback host).
    static bool keyAllowedFor(const QString& uri, QString* why = nullptr);

  private:
    struct Attempt;
    struct Verdict;
    Attempt attempt(const QByteArray& body, const QString& clientRequestId,
                    const RunControl* control, int timeoutMs);
    Verdict judge(const Attempt& a) const;
    Verdict networkVerdict(const HttpTransfer::Result& r) const;
    Verdict httpVerdict(const HttpTransfer::Result& r) const;
    Verdict overCapacityVerdict(const QString& retryAfter) const;
    int retryDelayMs(const Verdict& verdict, int retry) const;
    void waitBeforeRetry(int ms, const RunControl* control);
    void acquireSlot(const RunControl* control);
    void releaseSlot();
    Reply succeeded(Attempt& a, int retries, double latencyMs);
    [[noreturn]] void failed(const QString& message, const QString& requestId);
    void check() const;

    EndpointProfile profile_;
    QString key_;
    Options options_;

    mutable std::mutex mutex_;
    std::condition_variable slotFreed_;
    int inFlight_ = 0;
    EndpointStatus status_;
};

}  // namespace medvae::remote
