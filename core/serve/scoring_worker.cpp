#include "scoring_worker.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>

#include "error.h"
#include "image_loader.h"
#include "scoring_contract.h"
#include "url_fetcher.h"

namespace medvae::serve {

ScoringWorker::ScoringWorker(std::shared_ptr<jobs::LocalBackend> backend, Settings settings)
    : backend_(std::move(backend)), settings_(settings), thread_([this] { loop(); }) {}

ScoringWorker::~ScoringWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ScoringWorker::submit(Job job) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
}

int ScoringWorker::pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return int(queue_.size()) + running_;
}

double ScoringWorker::averageSeconds() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return averageSeconds_;
}

QByteArray ScoringWorker::errorBody(int status, const QString& code, const QString& message,
                                    const QString& requestId) {
    const QJsonObject error{{QStringLiteral("status"), status},
                            {QStringLiteral("code"), code},
                            {QStringLiteral("message"), message},
                            {QStringLiteral("request_id"), requestId}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
        .toJson(QJsonDocument::Compact);
}

void ScoringWorker::loop() {
    for (;;) {
        Job job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything queued is done
            job = std::move(queue_.front());
            queue_.pop_front();
            ++running_;
        }
        const auto start = std::chrono::steady_clock::now();
        process(job);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::lock_guard<std::mutex> lock(mutex_);
        --running_;
        averageSeconds_ = 0.7 * averageSeconds_ + 0.3 * seconds;
    }
}

const char* ScoringWorker::Control::describe(Stage stage) {
    switch (stage) {
        case Stage::Queued:
            return "waiting in the queue";
        case Stage::Reading:
            return "reading the image";
        case Stage::Decoding:
            return "decoding the image";
        case Stage::Inference:
            return "running the model";
        case Stage::Answering:
            return "writing the answer";
    }
    return "working";
}

namespace {

using Clock = std::chrono::steady_clock;
using Control = ScoringWorker::Control;

// True when the job is to stop: asked by the HTTP thread, or past its deadline (recorded as a
// timeout, so that the answer says why).
bool stopRequested(Control& control, Clock::time_point deadline) {
    if (control.stop.load() != Control::Stop::None) return true;
    if (Clock::now() < deadline) return false;
    Control::Stop none = Control::Stop::None;
    control.stop.compare_exchange_strong(none, Control::Stop::Timeout);
    return true;
}

}  // namespace

LoadOptions ScoringWorker::loadOptions(const Job& job) const {
    LoadOptions load;
    load.maxFileBytes = std::uint64_t(settings_.maxImageBytes);
    load.maxDownloadBytes = std::uint64_t(settings_.maxDownloadBytes);
    load.maxRedirects = 3;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(job.deadline - Clock::now()).count();
    load.timeoutMs = int(std::clamp<long long>(left, 1, std::numeric_limits<int>::max()));
    load.cancelled = [control = job.control, deadline = job.deadline] {
        return stopRequested(*control, deadline);
    };
    return settings_.memory.guard(
        load, [backend = backend_, decode = job.decode](std::int64_t width, std::int64_t height) {
            return backend->estimateBytes(width, height, decode);
        });
}

Image ScoringWorker::readImage(Job& job, const std::function<void(Control::Stage)>& enter) {
    const std::string text = job.image.toStdString();
    job.image.clear();  // the request's copy is not needed any more
    const LoadOptions load = loadOptions(job);
    std::vector<std::uint8_t> bytes;
    std::string source;
    if (UrlFetcher::isHttpUrl(text)) {
        if (!settings_.allowUrlFetch)
            throw Error(
                "image_path is a URL, and this server does not fetch URLs (started without "
                "--allow-url-fetch): send the image as base64");
        UrlFetcher::Options fetch;
        fetch.timeoutMs = load.timeoutMs;
        fetch.maxBytes = load.maxDownloadBytes;
        fetch.maxRedirects = load.maxRedirects;
        fetch.cancelled = load.cancelled;
        bytes = UrlFetcher::fetch(text, fetch).bytes;
        source = text;
    } else {
        // Only inline data: a server never reads its own files on a client's behalf.
        bytes = ImageLoader::decodeInlineData(text, load.maxFileBytes);
        source = "inline-image";
    }
    enter(Control::Stage::Decoding);
    return ImageLoader::decode(bytes, source, load);
}

void ScoringWorker::process(Job& job) {
    Control& control = *job.control;
    const auto stopped = [&control, deadline = job.deadline] {
        return stopRequested(control, deadline);
    };
    const auto enter = [&control, &stopped](Control::Stage stage) {
        if (stopped()) throw Cancelled();
        control.stage = stage;
    };
    const auto reply = [&job](int status, const QString& code, const QString& message,
                              Headers headers = {}) {
        headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json"));
        job.done(status, headers, errorBody(status, code, message, job.requestId));
    };
    const auto replyStopped = [&] {
        const QString during = QString::fromLatin1(Control::describe(control.stage.load()));
        if (control.stop.load() == Control::Stop::Shutdown)
            reply(503, QStringLiteral("ShuttingDown"),
                  QStringLiteral("the server is shutting down; the request was stopped while ") +
                      during);
        else
            reply(408, QStringLiteral("Timeout"),
                  QStringLiteral("the request ran past the server's per-request timeout "
                                 "(--timeout-s) while ") +
                      during);
    };
    try {
        enter(Control::Stage::Reading);
        Image image = readImage(job, enter);
        enter(Control::Stage::Inference);
        RunControl run;
        run.cancelled = stopped;
        EncodeOptions options;
        options.decode = job.decode;
        const EncodeResult result = backend_->run(image, options, &run);
        image = Image();
        enter(Control::Stage::Answering);
        QByteArray body = contract::ScoringContract::responseBody(result, job.decode);
        if (stopped()) throw Cancelled();
        job.done(200, {{"Content-Type", "application/json"}}, std::move(body));
    } catch (const std::exception& e) {
        // A stop shows up as Cancelled, or as the error of a transfer cut short.
        if (dynamic_cast<const Cancelled*>(&e) || stopped()) {
            replyStopped();
            return;
        }
        const QString why = QString::fromStdString(e.what());
        if (dynamic_cast<const LimitExceeded*>(&e)) {
            reply(413, QStringLiteral("ImageTooLarge"),
                  QStringLiteral("the image is too large for this server: ") + why);
            return;
        }
        if (control.stage.load() <= Control::Stage::Decoding) {
            reply(400, QStringLiteral("InvalidImage"),
                  QStringLiteral("image_path could not be read as an image: ") + why);
            return;
        }
        // As Azure ML reports a failing model: 424 with the model's status and reason.
        reply(424, QStringLiteral("ModelError"), QStringLiteral("the model failed: ") + why,
              {{"ms-azureml-model-error-statuscode", "500"},
               {"ms-azureml-model-error-reason", why.left(200).simplified().toUtf8()}});
    }
}

}  // namespace medvae::serve
