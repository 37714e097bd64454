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
    const std::size_t batch = std::size_t(std::max(1, settings_.batchSize));
    for (;;) {
        std::vector<Job> jobs;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything queued is done
            // The oldest waiting requests, up to a batch: requests arriving while a batch runs
            // wait for the next one, so batches form under load and a lone request never waits
            // for company. Their images are decoded together: a batch holds N images in memory.
            while (!queue_.empty() && jobs.size() < batch) {
                jobs.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            running_ += int(jobs.size());
        }
        const auto start = std::chrono::steady_clock::now();
        process(jobs);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
            double(jobs.size());
        std::lock_guard<std::mutex> lock(mutex_);
        running_ -= int(jobs.size());
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

namespace {

// Throws Cancelled when the job is to stop, else records the stage it enters.
void enter(ScoringWorker::Job& job, Control::Stage stage) {
    if (stopRequested(*job.control, job.deadline)) throw Cancelled();
    job.control->stage = stage;
}

void replyError(ScoringWorker::Job& job, int status, const QString& code, const QString& message,
                ScoringWorker::Headers headers = {}) {
    headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json"));
    job.done(status, headers, ScoringWorker::errorBody(status, code, message, job.requestId));
}

}  // namespace

Image ScoringWorker::read(Job& job) {
    enter(job, Control::Stage::Reading);
    Image image = readImage(job, [&job](Control::Stage stage) { enter(job, stage); });
    enter(job, Control::Stage::Inference);
    return image;
}

void ScoringWorker::answer(Job& job, const EncodeResult& result, int batch) {
    enter(job, Control::Stage::Answering);
    QByteArray body = contract::ScoringContract::responseBody(result, job.decode);
    if (stopRequested(*job.control, job.deadline)) throw Cancelled();
    job.done(200,
             {{"Content-Type", "application/json"}, {"x-medvae-batch", QByteArray::number(batch)}},
             std::move(body));
}

void ScoringWorker::fail(Job& job, const std::exception& e) {
    Control& control = *job.control;
    // A stop shows up as Cancelled, or as the error of a transfer cut short.
    if (dynamic_cast<const Cancelled*>(&e) || stopRequested(control, job.deadline)) {
        const QString during = QString::fromLatin1(Control::describe(control.stage.load()));
        if (control.stop.load() == Control::Stop::Shutdown)
            replyError(
                job, 503, QStringLiteral("ShuttingDown"),
                QStringLiteral("the server is shutting down; the request was stopped while ") +
                    during);
        else
            replyError(job, 408, QStringLiteral("Timeout"),
                       QStringLiteral("the request ran past the server's per-request timeout "
                                      "(--timeout-s) while ") +
                           during);
        return;
    }
    const QString why = QString::fromStdString(e.what());
    if (dynamic_cast<const LimitExceeded*>(&e)) {
        replyError(job, 413, QStringLiteral("ImageTooLarge"),
                   QStringLiteral("the image is too large for this server: ") + why);
        return;
    }
    if (control.stage.load() <= Control::Stage::Decoding) {
        replyError(job, 400, QStringLiteral("InvalidImage"),
                   QStringLiteral("image_path could not be read as an image: ") + why);
        return;
    }
    // As Azure ML reports a failing model: 424 with the model's status and reason.
    replyError(job, 424, QStringLiteral("ModelError"), QStringLiteral("the model failed: ") + why,
               {{"ms-azureml-model-error-statuscode", "500"},
                {"ms-azureml-model-error-reason", why.left(200).simplified().toUtf8()}});
}

// Reads every job's image, then runs the images of one size together (one model pass per size
// and decode choice); a job that fails or stops is answered on its own.
void ScoringWorker::process(std::vector<Job>& jobs) {
    std::vector<Job*> ready;
    std::vector<Image> images;
    for (Job& job : jobs) {
        try {
            images.push_back(read(job));
            ready.push_back(&job);
        } catch (const std::exception& e) {
            fail(job, e);
        }
    }
    while (!ready.empty()) {
        // The first job's size and decode choice, as many as fit in memory together.
        const Image& first = images.front();
        const bool decode = ready.front()->decode;
        const std::size_t limit = std::size_t(std::min<std::uint64_t>(
            std::uint64_t(std::max(1, settings_.batchSize)),
            settings_.memory.imagesThatFit(
                first.width, first.height,
                backend_->estimateBytes(first.width, first.height, decode))));
        const Image shape = {first.width, first.height, first.channels, {}, {}};
        std::vector<Job*> group, rest;
        std::vector<Image> groupImages, restImages;
        for (std::size_t i = 0; i < ready.size(); ++i) {
            const bool same =
                images[i].sameShape(shape) && ready[i]->decode == decode && group.size() < limit;
            (same ? group : rest).push_back(ready[i]);
            (same ? groupImages : restImages).push_back(std::move(images[i]));
        }
        runBatch(group, groupImages);
        ready = std::move(rest);
        images = std::move(restImages);
    }
}

// One model pass for jobs whose images have one size; when it fails, each job runs alone, so
// that each gets its own answer.
void ScoringWorker::runBatch(std::vector<Job*>& jobs, std::vector<Image>& images) {
    const auto stopped = [](Job& job) { return stopRequested(*job.control, job.deadline); };
    RunControl run;  // a batch stops when every job in it is to stop
    run.cancelled = [&] {
        return std::all_of(jobs.begin(), jobs.end(), [&](Job* j) { return stopped(*j); });
    };
    EncodeOptions options;
    options.decode = jobs.front()->decode;
    if (jobs.size() > 1) {
        std::vector<const Image*> batch;
        for (const Image& image : images)
            batch.push_back(&image);
        std::vector<EncodeResult> results;
        try {
            results = backend_->runBatch(batch, options, &run);
        } catch (const std::exception&) {
            results.clear();  // each job alone below
        }
        if (!results.empty()) {
            images.clear();
            for (std::size_t i = 0; i < jobs.size(); ++i) {
                try {
                    answer(*jobs[i], results[i], int(jobs.size()));
                } catch (const std::exception& e) {
                    fail(*jobs[i], e);
                }
            }
            return;
        }
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        Job& job = *jobs[i];
        try {
            RunControl one;
            one.cancelled = [&] { return stopped(job); };
            EncodeResult result = backend_->run(images[i], options, &one);
            images[i] = Image();
            answer(job, result, 1);
        } catch (const std::exception& e) {
            fail(job, e);
        }
    }
}

}  // namespace medvae::serve
