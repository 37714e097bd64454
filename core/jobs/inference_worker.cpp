#include "inference_worker.h"

#include <QElapsedTimer>
#include <QMutexLocker>

#include <algorithm>
#include <exception>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "error.h"
#include "gated_backend.h"
#include "image_loader.h"
#include "local_backend.h"
#include "memory_budget.h"

namespace medvae::jobs {
namespace {
[[maybe_unused]] constexpr int kWorkerNice = 10;

double secondsOf(const QElapsedTimer& timer) {
    return double(timer.nsecsElapsed()) / 1e9;
}
}  // namespace

BackendRequest BackendRequest::localModel(const QString& checkpointPath,
                                          const EngineOptions& options) {
    BackendRequest r;
    r.kind = JobKind::LoadModel;
    r.label = checkpointPath;
    r.open = [path = checkpointPath.toStdString(), options](qint64& parameters) {
        auto local = LocalBackend::open(path, options);
        parameters = local->info().parameters;
        return std::shared_ptr<InferenceBackend>(std::move(local));
    };
    return r;
}

// The job taken from the queue: a backend to open or an image to run.
struct InferenceWorker::Job {
    std::optional<BackendRequest> backend;
    std::optional<InferenceRequest> image;
    std::optional<DecodeRequest> decode;
    std::optional<FileRequest> file;
};

InferenceWorker::InferenceWorker(QObject* parent)
    : QThread(parent), gate_(std::make_shared<EngineGate>()) {
    qRegisterMetaType<std::shared_ptr<const medvae::jobs::InferenceOutcome>>();
    qRegisterMetaType<medvae::jobs::BackendOutcome>();
    qRegisterMetaType<medvae::jobs::DecodeOutcome>();
    qRegisterMetaType<medvae::jobs::FileOutcome>();
    qRegisterMetaType<medvae::jobs::JobKind>();
    qRegisterMetaType<medvae::jobs::JobStage>();
    qRegisterMetaType<std::shared_ptr<const medvae::jobs::Rendering>>();
}

InferenceWorker::~InferenceWorker() {
    {
        QMutexLocker lock(&mutex_);
        quit_ = true;
        abort_ = true;
        pendingImage_.reset();
        pendingDecode_.reset();
        pendingFileJobs_.clear();
        pendingLoad_.reset();
        pendingConnect_.reset();
        condition_.wakeOne();
    }
    wait();
}

void InferenceWorker::startLocked() {
    if (!isRunning())
        start(QThread::LowPriority);
    else
        condition_.wakeOne();
}

quint64 InferenceWorker::submit(InferenceRequest request) {
    QMutexLocker lock(&mutex_);
    request.id = nextId_++;
    const quint64 id = request.id;
    pendingImage_ = std::move(request);
    if (running_ && runningKind_ == JobKind::Image) abort_ = true;  // the running job is stale
    startLocked();
    return id;
}

quint64 InferenceWorker::submitDecode(DecodeRequest request) {
    QMutexLocker lock(&mutex_);
    request.id = nextId_++;
    const quint64 id = request.id;
    pendingDecode_ = std::move(request);
    if (running_ && runningKind_ == JobKind::Decode) abort_ = true;  // the running job is stale
    startLocked();
    return id;
}

quint64 InferenceWorker::submitFileJob(FileRequest request) {
    QMutexLocker lock(&mutex_);
    request.id = nextId_++;
    const quint64 id = request.id;
    pendingFileJobs_.push_back(std::move(request));
    startLocked();
    return id;
}

quint64 InferenceWorker::open(BackendRequest request) {
    QMutexLocker lock(&mutex_);
    request.id = nextId_++;
    const quint64 id = request.id;
    if (request.kind == JobKind::ConnectEndpoint)
        pendingConnect_ = std::move(request);
    else
        pendingLoad_ = std::move(request);
    startLocked();
    return id;
}

void InferenceWorker::cancel() {
    QMutexLocker lock(&mutex_);
    pendingImage_.reset();
    if (running_ && runningKind_ == JobKind::Image) abort_ = true;
}

bool InferenceWorker::useLocalBackend() {
    QMutexLocker lock(&mutex_);
    if (!localInteractive_) return false;
    pendingConnect_.reset();
    if (running_ && runningKind_ == JobKind::ConnectEndpoint) dropRunningConnect_ = true;
    remoteActive_ = false;
    return true;
}

std::shared_ptr<InferenceBackend> InferenceWorker::backend(EngineGate::Priority priority) const {
    QMutexLocker lock(&mutex_);
    if (remoteActive_) return remote_;
    return priority == EngineGate::Priority::Batch ? localBatch_ : localInteractive_;
}

bool InferenceWorker::remoteActive() const {
    QMutexLocker lock(&mutex_);
    return remoteActive_;
}

bool InferenceWorker::busy() const {
    QMutexLocker lock(&mutex_);
    return running_ || pendingImage_ || pendingDecode_ || !pendingFileJobs_.empty() ||
           pendingLoad_ || pendingConnect_;
}

bool InferenceWorker::busy(JobKind kind) const {
    QMutexLocker lock(&mutex_);
    if (running_ && runningKind_ == kind) return true;
    switch (kind) {
        case JobKind::Image:
            return pendingImage_.has_value();
        case JobKind::Decode:
            return pendingDecode_.has_value();
        case JobKind::LoadModel:
            return pendingLoad_.has_value();
        case JobKind::ConnectEndpoint:
            return pendingConnect_.has_value();
        case JobKind::FileJob:
            return !pendingFileJobs_.empty();
    }
    return false;
}

// Under the lock: waits for a job and takes the next one (backends in the order asked, then the
// file jobs, then the image or decode asked first). False when the worker is to quit.
bool InferenceWorker::takeJob(Job& job) {
    while (!quit_ && !pendingImage_ && !pendingDecode_ && pendingFileJobs_.empty() &&
           !pendingLoad_ && !pendingConnect_)
        condition_.wait(&mutex_);
    if (quit_) return false;
    std::optional<BackendRequest>* next = nullptr;
    if (pendingLoad_ && (!pendingConnect_ || pendingLoad_->id < pendingConnect_->id))
        next = &pendingLoad_;
    else if (pendingConnect_)
        next = &pendingConnect_;
    if (next) {
        job.backend = std::move(**next);
        next->reset();
        runningKind_ = job.backend->kind;
        dropRunningConnect_ = false;
    } else if (!pendingFileJobs_.empty()) {
        job.file = std::move(pendingFileJobs_.front());
        pendingFileJobs_.pop_front();
        runningKind_ = JobKind::FileJob;
    } else if (pendingImage_ && (!pendingDecode_ || pendingImage_->id < pendingDecode_->id)) {
        job.image = std::move(*pendingImage_);
        pendingImage_.reset();
        runningKind_ = JobKind::Image;
        abort_ = false;
    } else {
        job.decode = std::move(*pendingDecode_);
        pendingDecode_.reset();
        runningKind_ = JobKind::Decode;
        abort_ = false;
    }
    running_ = true;
    return true;
}

void InferenceWorker::run() {
#ifdef __linux__
    // Qt's thread priorities do nothing under Linux's default scheduler; a higher nice value of
    // this thread (inherited by the LibTorch/OpenMP threads it starts) lets the GUI thread win
    // the processor whenever it wakes, so the window stays responsive while inference saturates
    // every core.
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kWorkerNice);
#endif
    for (;;) {
        Job job;
        {
            QMutexLocker lock(&mutex_);
            if (!takeJob(job)) return;
        }
        if (job.backend) {
            runBackendJob(*job.backend);
            continue;
        }
        if (job.file) {
            Q_EMIT jobStarted(job.file->id, JobKind::FileJob, job.file->path);
            FileOutcome outcome = processFileJob(*job.file);
            if (!jobEnded()) return;
            Q_EMIT fileJobDone(outcome);
            continue;
        }
        if (job.decode) {
            Q_EMIT jobStarted(job.decode->id, JobKind::Decode, QString());
            DecodeOutcome outcome = processDecode(*job.decode);
            if (!jobEnded()) return;
            Q_EMIT decodeFinished(outcome);
            continue;
        }
        Q_EMIT jobStarted(job.image->id, JobKind::Image, job.image->source);
        auto outcome = std::make_shared<const InferenceOutcome>(process(*job.image));
        if (!jobEnded()) return;
        Q_EMIT jobFinished(std::move(outcome));
    }
}

// The running job has ended (marked under the mutex); false when the worker is to quit (its outcome
// is then not reported).
bool InferenceWorker::jobEnded() {
    QMutexLocker lock(&mutex_);
    running_ = false;
    return !quit_;
}

void InferenceWorker::runBackendJob(const BackendRequest& request) {
    Q_EMIT jobStarted(request.id, request.kind, request.label);
    BackendOutcome outcome;
    outcome.id = request.id;
    outcome.kind = request.kind;
    outcome.label = request.label;
    std::shared_ptr<InferenceBackend> opened;
    try {
        if (!request.open) throw Error("nothing to open");
        opened = request.open(outcome.parameters);
        if (!opened) throw Error("no backend was opened");
        outcome.backend = opened->describe();
    } catch (const CredentialsMissing& e) {
        outcome.credentialsMissing = true;
        outcome.error = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        outcome.error = QString::fromStdString(e.what());
    }
    {
        QMutexLocker lock(&mutex_);
        running_ = false;
        if (quit_) return;
        install(request, outcome, std::move(opened));
    }
    Q_EMIT backendOpened(outcome);
}

// Under the lock: the opened backend becomes the active one, unless it was superseded.
void InferenceWorker::install(const BackendRequest& request, BackendOutcome& outcome,
                              std::shared_ptr<InferenceBackend> opened) {
    const bool connect = request.kind == JobKind::ConnectEndpoint;
    if ((connect ? pendingConnect_.has_value() : pendingLoad_.has_value()) ||
        (connect && dropRunningConnect_)) {
        outcome.superseded = true;
        outcome.error.clear();
        return;
    }
    if (!opened) return;
    outcome.ok = true;
    if (connect) {
        remote_ = std::move(opened);
        remoteActive_ = true;
        return;
    }
    localInteractive_ =
        std::make_shared<GatedBackend>(opened, gate_, EngineGate::Priority::Interactive);
    localBatch_ = std::make_shared<GatedBackend>(opened, gate_, EngineGate::Priority::Batch);
    remoteActive_ = false;
}

std::uint64_t keptResultsBudgetBytes() {
    return std::min<std::uint64_t>(std::uint64_t(2) << 30, MemoryBudget::availableBytes() / 8);
}

InferenceOutcome InferenceWorker::process(const InferenceRequest& request) {
    InferenceOutcome out;
    out.id = request.id;
    out.source = request.source;
    out.options = request.options;
    out.padToFactor = request.padToFactor;
    QElapsedTimer total;
    total.start();
    const quint64 id = request.id;
    auto stop = [this] { return abort_.load(); };
    try {
        const std::shared_ptr<InferenceBackend> backend =
            this->backend(EngineGate::Priority::Interactive);
        if (!backend) throw Error("no model is loaded");
        out.backend = backend->describe();
        loadImage(request, out, backend);

        // Padded, the image is a copy of its own for the model's run only.
        Image padded;
        if (request.padToFactor) {
            padded = padToFactor(out.image, out.backend.factor);
            out.padded = padded.width != out.image.width || padded.height != out.image.height;
        }
        QElapsedTimer step;
        step.start();
        RunControl control;
        control.cancelled = stop;
        control.progress = [this, id](int done, int blocks) {
            Q_EMIT jobProgress(id, JobStage::Encoding, done, blocks);
        };
        out.result = backend->run(out.padded ? padded : out.image, request.options, &control);
        padded = Image();
        out.inferenceSeconds = secondsOf(step);
        if (stop()) throw Cancelled();

        if (out.result.decoded.defined()) {
            step.restart();
            Q_EMIT jobProgress(id, JobStage::Comparing, 0, 0);
            out.reconstruction = std::make_shared<const Reconstruction>(
                compareReconstruction(out.image, out.result.decoded));
            out.compareSeconds = secondsOf(step);
        }
    } catch (const Cancelled&) {
        out.cancelled = true;
    } catch (const std::exception& e) {
        // A load that was aborted reports its own error text; the user asked for a stop.
        if (abort_.load())
            out.cancelled = true;
        else
            out.error = QString::fromStdString(e.what());
    }
    // What the views draw, also for an image that loaded but failed later (its thumbnail).
    if (!out.cancelled && request.prepare && (out.ok() || !out.image.pixels.empty()))
        prepare(request, out);
    // Compared, the decoded tensor is the reconstruction's image in the model's units: what is
    // shown, hovered and compared from here on is the reconstruction, so the tensor (a float per
    // pixel and output channel) is not kept beside it.
    if (out.reconstruction) out.result.decoded = at::Tensor();
    // Nothing cropped or dropped (sides multiples of the factor, no alpha), the reconstruction's
    // original is the loaded image: its pixels are kept there once, the outcome's image keeps
    // its size and metadata.
    if (out.reconstruction && out.reconstruction->original.pixels == out.image.pixels)
        out.image.pixels = std::vector<float>();
    if (out.cancelled) {
        out.result = EncodeResult();
        out.reconstruction.reset();
        out.rendering.reset();
    }
    out.totalSeconds = secondsOf(total);
    return out;
}

DecodeOutcome InferenceWorker::processDecode(const DecodeRequest& request) {
    DecodeOutcome out;
    out.id = request.id;
    QElapsedTimer total;
    total.start();
    RunControl control;
    control.cancelled = [this] { return abort_.load(); };
    try {
        const std::shared_ptr<InferenceBackend> backend =
            this->backend(EngineGate::Priority::Interactive);
        if (!backend) throw Error("no model is loaded");
        out.backend = backend->describe();
        const std::vector<at::Tensor> latents =
            request.makeLatents ? request.makeLatents() : request.latents;
        for (const at::Tensor& z : latents) {
            out.decoded.push_back(backend->decode(z, &control));
            if (abort_.load()) throw Cancelled();
        }
        if (request.prepare) out.rendering = request.prepare(out);
        if (abort_.load()) throw Cancelled();
    } catch (const Cancelled&) {
        out.cancelled = true;
    } catch (const std::exception& e) {
        if (abort_.load())
            out.cancelled = true;
        else
            out.error = QString::fromStdString(e.what());
    }
    if (!out.ok()) {
        out.decoded.clear();
        out.rendering.reset();
    }
    out.seconds = secondsOf(total);
    return out;
}

FileOutcome InferenceWorker::processFileJob(const FileRequest& request) {
    FileOutcome out;
    out.id = request.id;
    out.path = request.path;
    try {
        if (!request.run) throw Error("no work was given for " + request.path.toStdString());
        out.rendering = request.run(request.path);
        if (!out.rendering)
            throw Error("the work on " + request.path.toStdString() + " gave nothing");
    } catch (const std::exception& e) {
        out.error = QString::fromStdString(e.what());
        out.rendering.reset();
    }
    return out;
}

void InferenceWorker::prepare(const InferenceRequest& request, InferenceOutcome& out) {
    QElapsedTimer step;
    step.start();
    Q_EMIT jobProgress(request.id, JobStage::Preparing, 0, 0);
    try {
        out.rendering = request.prepare(out);
    } catch (const std::exception& e) {
        if (out.error.isEmpty()) out.error = QString::fromStdString(e.what());
    }
    out.prepareSeconds = secondsOf(step);
    if (abort_.load()) out.cancelled = true;
}

void InferenceWorker::loadImage(const InferenceRequest& request, InferenceOutcome& out,
                                const std::shared_ptr<InferenceBackend>& backend) {
    QElapsedTimer step;
    step.start();
    const quint64 id = request.id;
    LoadOptions load;
    load.frame = request.frame;
    load.cancelled = [this] { return abort_.load(); };
    load.progress = [this, id](std::int64_t received, std::int64_t size) {
        // Bytes are reported in KiB so they fit the int signal for large downloads.
        Q_EMIT jobProgress(id, JobStage::Downloading, int(received / 1024),
                           size > 0 ? int(size / 1024) : 0);
    };
    // Images that would not fit in memory are refused from their header, before decoding.
    load = MemoryBudget().guard(
        load, [backend, decode = request.options.decode](std::int64_t width, std::int64_t height) {
            return backend->estimateBytes(width, height, decode);
        });
    out.image = ImageLoader::load(request.source.toStdString(), load);
    out.loadSeconds = secondsOf(step);
    if (abort_.load()) throw Cancelled();
    if (!request.prepareLoaded) return;
    try {
        Q_EMIT imageLoaded(id, request.prepareLoaded(out.image));
    } catch (const std::exception&) {
        // The views then wait for the whole result, as without this report.
    }
}

}  // namespace medvae::jobs
