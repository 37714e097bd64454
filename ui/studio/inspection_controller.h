#pragma once

#include <QImage>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

#include "inference_job.h"
#include "result_cache.h"

namespace medvae::jobs {
class InferenceWorker;
}

namespace medvae::ui {

class ABComparePanel;
class ComparePanel;
class LatentPanel;
class ModelB;

// What the Inspect tab shows and the jobs behind it: the current source; image jobs for the
// worker (the newest wins), whose results come prepared to draw (RenderedResult); the cache of
// finished results per image + backend + settings, so going back to an image shows it at once;
// and the state of the job for the status bar. Failures are shown in the views, never in a
// dialog.
class InspectionController : public QObject {
    Q_OBJECT
  public:
    InspectionController(jobs::InferenceWorker* worker, ComparePanel* compare, LatentPanel* latent,
                         QObject* parent = nullptr);

    // Shows `source`: at once when its result is cached, else after a job computes it.
    void show(const QString& source);
    void recompute();  // the current source, ignoring the cache
    void cancel();     // the running job (the user's Cancel)
    void clear();      // nothing shown
    // The active backend changed (nullptr: none): the current source is shown for it.
    void setBackend(const jobs::BackendDescription* backend);
    void setEncodeOptions(const EncodeOptions& options);
    void setPadToFactor(bool pad);
    bool padToFactor() const { return padToFactor_; }
    // Where A/B comparisons are drawn (shown instead of the compare panel while comparing).
    void setABPanel(ABComparePanel* panel);
    // Compares every image with model B too (nullptr: stop comparing); the current source is
    // shown again. B runs in the same job as A, on the worker thread.
    void setModelB(std::shared_ptr<ModelB> modelB);
    const std::shared_ptr<ModelB>& modelB() const { return modelB_; }

    QString currentSource() const { return current_; }
    std::shared_ptr<const jobs::InferenceOutcome> shownOutcome() const { return shown_; }
    bool jobRunning() const { return runningId_ != 0; }
    QString statusText() const { return status_; }
    // What the status bar says between jobs: the last error, or "Ready".
    QString idleStatus() const;
    QString timingText() const;

  Q_SIGNALS:
    void statusChanged(const QString& text);
    // A job's progress for a progress bar; total 0: unknown (busy indicator).
    void progressChanged(bool running, int done, int total);
    void thumbnailReady(const QString& source, const QImage& thumbnail);
    void sourceFailed(const QString& source, const QString& error);
    void resultShown(const QString& source, bool ok);
    void jobEnded(quint64 id, bool ok, bool cancelled);
    void timingChanged(const QString& text);

  private:
    void compute(const QString& source);
    void onJobStarted(quint64 id, jobs::JobKind kind, const QString& source);
    void onJobProgress(quint64 id, jobs::JobStage stage, int done, int total);
    void onJobFinished(const jobs::InferenceOutcome& outcome);
    void onImageLoaded(quint64 id, const std::shared_ptr<const jobs::Rendering>& loaded);
    // The views say that the wanted job will show nothing (cancelled).
    void showNoResult();
    void display(const std::shared_ptr<const jobs::InferenceOutcome>& outcome);
    void setStatus(const QString& text);
    QString keyOf(const QString& source) const;

    jobs::InferenceWorker* worker_;
    ComparePanel* compare_;
    LatentPanel* latent_;
    ABComparePanel* ab_ = nullptr;
    std::shared_ptr<ModelB> modelB_;
    // Stops model B's run of the job last asked for (set when it is cancelled or superseded).
    std::shared_ptr<std::atomic<bool>> abortModelB_;
    ResultCache cache_;
    std::shared_ptr<const jobs::InferenceOutcome> shown_;
    std::unique_ptr<jobs::BackendDescription> backend_;  // null: none open
    EncodeOptions options_;
    bool padToFactor_ = false;
    QString current_;
    quint64 runningId_ = 0;  // the image job the worker runs (0: none)
    quint64 wantedId_ = 0;   // the job whose result the views wait for
    // Jobs up to this id were cancelled by the user: their signals still on the way (started,
    // progress) change nothing, and their end says "Cancelled.".
    quint64 cancelledThrough_ = 0;
    // The views wait for the wanted job: its original (once loaded) and "Computing…".
    bool pending_ = false;
    QString runningSource_;
    QString status_;
    QString lastError_;
    std::function<QString()> lastTiming_;  // worded in the language of the moment
};

}  // namespace medvae::ui
