#pragma once

#include <QMetaType>
#include <QThread>

#include <memory>
#include <vector>

#include "batch_pipeline.h"

namespace medvae::jobs {

// One batch pipeline run for the app, on a thread of its own (the pipeline starts its stage
// threads from there): items and the summary come back through queued signals, so the panel
// that follows the run starts no thread itself. pause(), resume() and cancel() may be called
// from the GUI thread while it runs; the destructor cancels and joins.
class BatchRun : public QThread {
    Q_OBJECT
  public:
    // Throws medvae::Error as BatchPipeline's constructor does. Call start() to run.
    BatchRun(std::shared_ptr<InferenceBackend> backend, BatchSettings settings,
             std::vector<BatchItem> items, QObject* parent = nullptr);
    ~BatchRun() override;

    void pause() { pipeline_.pause(); }
    void resume() { pipeline_.resume(); }
    void cancel() { pipeline_.cancel(); }
    bool paused() const { return pipeline_.paused(); }

  Q_SIGNALS:
    void itemStarted(int index);
    void itemFinished(const medvae::jobs::BatchItemResult& result);
    // The last signal of a run, after every item's.
    void runFinished(const medvae::jobs::BatchSummary& summary);

  protected:
    void run() override;

  private:
    BatchPipeline pipeline_;
    std::vector<BatchItem> items_;
};

}  // namespace medvae::jobs

Q_DECLARE_METATYPE(medvae::jobs::BatchItemResult)
Q_DECLARE_METATYPE(medvae::jobs::BatchSummary)
