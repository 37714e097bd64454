#include "batch_run.h"

namespace medvae::jobs {

BatchRun::BatchRun(std::shared_ptr<InferenceBackend> backend, BatchSettings settings,
                   std::vector<BatchItem> items, QObject* parent)
    : QThread(parent),
      pipeline_(std::move(backend), std::move(settings)),
      items_(std::move(items)) {
    qRegisterMetaType<medvae::jobs::BatchItemResult>();
    qRegisterMetaType<medvae::jobs::BatchSummary>();
    // Called on pipeline threads: the signals queue to the receivers' thread.
    pipeline_.onItem = [this](const BatchItemResult& r) { Q_EMIT itemFinished(r); };
    pipeline_.onStarted = [this](const BatchItem& item) { Q_EMIT itemStarted(item.index); };
}

BatchRun::~BatchRun() {
    pipeline_.cancel();
    wait();
}

void BatchRun::run() {
    const BatchSummary summary = pipeline_.run(items_);
    Q_EMIT runFinished(summary);
}

}  // namespace medvae::jobs
