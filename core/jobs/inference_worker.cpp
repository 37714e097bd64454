#include "inference_worker.h"

#include <QElapsedTimer>
#include <QMutexLocker>

#include <exception>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "error.h"
#include "image_loader.h"
#include "memory_budget.h"

namespace medvae::jobs {
namespace {
[[maybe_unused]] constexpr int kWorkerNice = 10;
}

InferenceWorker::InferenceWorker(QObject* parent) : QThread(parent) {
    qRegisterMetaType<medvae::jobs::InferenceOutcome>();
}

InferenceWorker::~InferenceWorker() {
    {
        QMutexLocker lock(&mutex_);
        quit_ = true;
        abort_ = true;
        pending_.reset();
        condition_.wakeOne();
    }
    wait();
}

quint64 InferenceWorker::submit(InferenceRequest request) {
    QMutexLocker lock(&mutex_);
    request.id = nextId_++;
    const quint64 id = request.id;
    pending_ = std::move(request);
    if (running_) abort_ = true;  // the running job is now stale
    if (!isRunning())
        start(QThread::LowPriority);
    else
        condition_.wakeOne();
    return id;
}

void InferenceWorker::cancel() {
    QMutexLocker lock(&mutex_);
    pending_.reset();
    if (running_) abort_ = true;
}

bool InferenceWorker::busy() const {
    QMutexLocker lock(&mutex_);
    return running_ || pending_.has_value();
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
        InferenceRequest request;
        {
            QMutexLocker lock(&mutex_);
            while (!quit_ && !pending_)
                condition_.wait(&mutex_);
            if (quit_) return;
            request = std::move(*pending_);
            pending_.reset();
            abort_ = false;
            running_ = true;
        }
        Q_EMIT jobStarted(request.id, request.source);
        InferenceOutcome outcome = process(request);
        {
            QMutexLocker lock(&mutex_);
            running_ = false;
            if (quit_) return;
        }
        Q_EMIT jobFinished(outcome);
    }
}

InferenceOutcome InferenceWorker::process(const InferenceRequest& request) {
    InferenceOutcome out;
    out.id = request.id;
    out.source = request.source;
    out.options = request.options;
    QElapsedTimer total;
    total.start();
    const quint64 id = request.id;
    auto stop = [this] { return abort_.load(); };
    try {
        if (!request.backend) throw Error("no model is loaded");
        out.backend = request.backend->describe();

        QElapsedTimer step;
        step.start();
        LoadOptions load;
        load.frame = request.frame;
        load.cancelled = stop;
        load.progress = [this, id](std::int64_t received, std::int64_t size) {
            // Bytes are reported in KiB so they fit the int signal for large downloads.
            Q_EMIT jobProgress(id, QStringLiteral("load"), int(received / 1024),
                               size > 0 ? int(size / 1024) : 0);
        };
        // Images that would not fit in memory are refused from their header, before decoding.
        load =
            MemoryBudget().guard(load, [backend = request.backend, decode = request.options.decode](
                                           std::int64_t width, std::int64_t height) {
                return backend->estimateBytes(width, height, decode);
            });
        out.image = ImageLoader::load(request.source.toStdString(), load);
        out.loadSeconds = step.elapsed() / 1000.0;
        if (stop()) throw Cancelled();

        Image input = out.image;
        if (request.padToFactor) {
            input = padToFactor(out.image, out.backend.factor);
            out.padded = input.width != out.image.width || input.height != out.image.height;
        }

        step.restart();
        RunControl control;
        control.cancelled = stop;
        control.progress = [this, id](int done, int blocks) {
            Q_EMIT jobProgress(id, QStringLiteral("inference"), done, blocks);
        };
        out.result = request.backend->run(input, request.options, &control);
        out.inferenceSeconds = step.elapsed() / 1000.0;
        if (stop()) throw Cancelled();

        if (out.result.decoded.defined()) {
            step.restart();
            Q_EMIT jobProgress(id, QStringLiteral("compare"), 0, 0);
            out.reconstruction = compareReconstruction(out.image, out.result.decoded);
            out.compareSeconds = step.elapsed() / 1000.0;
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
    if (out.cancelled) {
        out.result = EncodeResult();
        out.reconstruction.reset();
    }
    out.totalSeconds = total.elapsed() / 1000.0;
    return out;
}

}  // namespace medvae::jobs
