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
#include <vector>

#include "load_options.h"
#include "local_backend.h"
#include "memory_budget.h"

namespace medvae::serve {

// The one inference thread of medvae-serve: reads the request's image (inline data, or a URL it
// fetches), decodes it, runs the local engine and serialises the answer, so that the HTTP thread
// never does any of it. Jobs run in arrival order. Each job carries a Control through which the
// HTTP thread stops it (timeout, shutdown, client gone); the job also stops by itself once its
// deadline passes. Stops are checked between every stage (reading, decoding, preprocessing,
// inference, serialising) and, inside the engine, between blocks; a stopped job ends at once with
// the matching error (408 timeout, 503 shutdown).
class ScoringWorker {
  public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    // Shared by the HTTP thread (which sets `stop`) and the worker (which reports `stage`).
    struct Control {
        enum class Stop { None, Timeout, Shutdown, ClientGone };
        enum class Stage { Queued, Reading, Decoding, Inference, Answering };
        std::atomic<Stop> stop{Stop::None};
        std::atomic<Stage> stage{Stage::Queued};
        // Words for messages: "waiting in the queue", "decoding the image", ...
        static const char* describe(Stage stage);
    };
    struct Job {
        QString image;  // base64 / data: URI, or an http(s) URL (only when URL fetching is on)
        bool decode = false;
        QString requestId;  // for error bodies
        std::chrono::steady_clock::time_point deadline;
        std::shared_ptr<Control> control = std::make_shared<Control>();
        // Called once per job on the worker thread with the HTTP status, extra headers and JSON
        // body, also for a stopped job (its answer may already have been given).
        std::function<void(int status, Headers headers, QByteArray body)> done;
    };
    struct Settings {
        bool allowUrlFetch = false;
        std::int64_t maxImageBytes = 64ll << 20;
        std::int64_t maxDownloadBytes = 64ll << 20;
        MemoryBudget memory;  // per image: decoding and the model's estimated peak together
        // Queued requests whose images have one size run through the model together, up to
        // this many (and as many as fit in `memory`).
        int batchSize = 1;
    };

    ScoringWorker(std::shared_ptr<jobs::LocalBackend> backend, Settings settings);
    ~ScoringWorker();  // finishes the queued jobs, then joins

    void submit(Job job);
    int pending() const;            // queued + running
    double averageSeconds() const;  // of recent jobs; 1 before the first

    // The options every image of this server is loaded with (limits, cancellation, and for URLs
    // the time left): the one place where the server's image loading is configured.
    LoadOptions loadOptions(const Job& job) const;

    // JSON error body used by every answer of the server.
    static QByteArray errorBody(int status, const QString& code, const QString& message,
                                const QString& requestId);

  private:
    void loop();
    void process(std::vector<Job>& jobs);
    // The stages of one job; each throws, and fail() answers what they threw.
    Image read(Job& job);
    // `batch`: how many images ran through the model with this one (x-medvae-batch header).
    void answer(Job& job, const EncodeResult& result, int batch);
    void fail(Job& job, const std::exception& e);
    void runBatch(std::vector<Job*>& jobs, std::vector<Image>& images);
    Image readImage(Job& job, const std::function<void(Control::Stage)>& enter);

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
