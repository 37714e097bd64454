#pragma once

#include <QString>

#include <cstdint>

namespace medvae::serve {

// How medvae-serve runs (its command-line options).
struct ServeOptions {
    QString model;  // checkpoint path
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;                        // 0: any free port (printed at start)
    QString key;                             // empty: no authentication (loopback only)
    QString device = QStringLiteral("cpu");  // cpu | cuda
    std::int64_t maxBodyBytes = 64ll << 20;  // larger requests get 413
    int queue = 2;                           // requests admitted (running + waiting); more get 429
    double timeoutS = 60;        // per request, queueing included; past it: 408 (fractions allowed)
    bool allowUrlFetch = false;  // image_path may be an http(s) URL the server fetches
    std::int64_t maxDownloadBytes = 64ll << 20;  // for fetched URLs
};

}  // namespace medvae::serve
