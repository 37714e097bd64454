#pragma once

#include <QString>

#include <cstdint>

namespace medvae::serve {

// How medvae-serve runs (its command-line options).
struct ServeOptions {
    QString model;  // checkpoint path
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;                            // 0: any free port (printed at start)
    QString key;                                 // empty: no authentication (loopback only)
    QString device = QStringLiteral("cpu");      // cpu | cuda | cuda:N
    QString precision = QStringLiteral("fp32");  // fp32 | bf16 | fp16 (CUDA)
    // Waiting requests whose images have one size run through the model together, up to this
    // many (at most `queue`).
    int batch = 1;
    std::int64_t maxBodyBytes = 64ll << 20;  // larger requests get 413
    int queue = 2;                           // requests admitted (running + waiting); more get 429
    // Per request, from its arrival: queueing, fetching, decoding, preprocessing and inference
    // (fractions allowed). Past it the answer is 408 at once, and the work is stopped.
    double timeoutS = 60;
    bool allowUrlFetch = false;  // image_path may be an http(s) URL the server fetches
    std::int64_t maxDownloadBytes = 64ll << 20;  // for fetched URLs
    int maxConnections = 64;                     // open connections; more get 503
    int maxConnectionsPerClient = 8;  // open connections per client address; more get 429; 0: off
    double idleTimeoutS = 5;          // for a connection to start a request (and between requests)
    double maxMemoryGb = 0;           // per image, decoding and model; 0: MemoryBudget's default
    // After SIGTERM: how long running requests may still finish before they are stopped (503).
    double shutdownGraceS = 3;
};

}  // namespace medvae::serve
