#include "scoring_worker.h"

#include <QJsonDocument>
#include <QJsonObject>

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

void ScoringWorker::process(Job& job) {
    using Clock = std::chrono::steady_clock;
    const auto timedOut = [&job] { return Clock::now() >= job.deadline; };
    const auto reply = [&job](int status, const QString& code, const QString& message,
                              QList<QPair<QByteArray, QByteArray>> headers = {}) {
        headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json"));
        job.done(status, headers, errorBody(status, code, message, job.requestId));
    };
    if (timedOut()) {
        reply(408, QStringLiteral("Timeout"),
              QStringLiteral("the request waited in the queue past the server's timeout"));
        return;
    }
    Image image;
    try {
        const std::string text = job.image.toStdString();
        LoadOptions load;
        load.maxFileBytes = std::uint64_t(settings_.maxImageBytes);
        load.maxDownloadBytes = std::uint64_t(settings_.maxDownloadBytes);
        load.cancelled = timedOut;
        if (UrlFetcher::isHttpUrl(text)) {
            if (!settings_.allowUrlFetch)
                throw Error(
                    "image_path is a URL, and this server does not fetch URLs (started "
                    "without --allow-url-fetch): send the image as base64");
            load.timeoutMs =
                int(std::max<long long>(1000, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  job.deadline - Clock::now())
                                                  .count()));
            load.maxRedirects = 3;
            image = ImageLoader::load(text, load);
        } else {
            // Only inline data: a server never reads its own files on a client's behalf.
            image = ImageLoader::decode(ImageLoader::decodeInlineData(text, load.maxFileBytes),
                                        "inline-image", load);
        }
    } catch (const std::exception& e) {
        if (timedOut()) {
            reply(408, QStringLiteral("Timeout"),
                  QStringLiteral("fetching the image took longer than the server's timeout"));
            return;
        }
        reply(400, QStringLiteral("InvalidImage"),
              QStringLiteral("image_path could not be read as an image: ") +
                  QString::fromStdString(e.what()));
        return;
    }
    try {
        RunControl control;
        control.cancelled = timedOut;
        EncodeOptions options;
        options.decode = job.decode;
        const EncodeResult result = backend_->run(image, options, &control);
        job.done(200, {{"Content-Type", "application/json"}},
                 remote::ScoringContract::responseBody(result, job.decode));
    } catch (const Cancelled&) {
        reply(408, QStringLiteral("Timeout"),
              QStringLiteral("inference ran past the server's per-request timeout (--timeout-s)"));
    } catch (const std::exception& e) {
        const QString why = QString::fromStdString(e.what());
        // As Azure ML reports a failing model: 424 with the model's status and reason.
        reply(424, QStringLiteral("ModelError"), QStringLiteral("the model failed: ") + why,
              {{"ms-azureml-model-error-statuscode", "500"},
               {"ms-azureml-model-error-reason", why.left(200).simplified().toUtf8()}});
    }
}

}  // namespace medvae::serve
