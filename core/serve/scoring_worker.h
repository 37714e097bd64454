#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "local_backend.h"

namespace medvae::serve {

// The one inference thread of medvae-serve: decodes the request's image, runs the local engine
// and serialises the answer, so that the HTTP thread never does any of it. Jobs run in arrival
// order; a job whose deadline passes while waiting or running ends with 408.
class ScoringWorker {
  public:
    struct Job {
        QString image;  // base64 / data: URI, or an http(s) URL (only when URL fetching is on)
        bool decode = false;
        QString requestId;  // for error bodies
        std::chrono::steady_clock::time_point deadline;
        // Called on the worker thread with the HTTP status, extra headers and JSON body.
        std::function<void(int status, QList<QPair<QByteArray, QByteArray>> headers,
                           QByteArray body)>
            done;
    };
    struct Settings {
        bool allowUrlFetch = false;
        std::int64_t maxImageBytes = 64ll << 20;
        std::int64_t maxDownloadBytes = 64ll << 20;
    };

    ScoringWorker(std::shared_ptr<jobs::LocalBackend> backend, Settings settings);
    ~ScoringWorker();  // finishes the queued jobs, then joins

    void submit(Job job);
    int pending() const;            // queued + running
    double averageSeconds() const;  // of recent jobs; 1 before the first

    // JSON error body used by every answer of the server.
    static QByteArray errorBody(int status, const QString& code, const QString& message,
                                const QString& requestId);

  private:
    void loop();
    void process(Job& job);

    std::shared_ptr<jobs::LocalBackend> backend_;
    Settings settings_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    int running_ = 0;
    bool stopping_ = false;
    double averageSeconds_ = 1.0;
    std::thread thread_;
};

}  // namespace medvae::serve
