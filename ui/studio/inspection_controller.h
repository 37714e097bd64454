#pragma once

#include <QHash>
#include <QImage>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

#include "image_view.h"
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

    // Shows `source` (a new one at frame 0): at once when its result is cached, else after a job
    // computes it.
    void show(const QString& source);
    // Shows frame `frame` (0-based, clamped to the frames known) of the current source, as show()
    // does: a cached frame at once, else a job whose original is shown as soon as it is loaded.
    // The newest job wins, so paging fast never queues a backlog. The compare panel's views ask
    // for frames by wheel and keys (ImageView::sliceRequested) and show "Slice n/N".
    void showFrame(int frame);
    // Makes the entry `key` a stack of `files` in slice order (a series): its frame k is the
    // image of files[k], paged, computed and cached as the frames of a multi-frame file are.
    void setStack(const QString& key, const QStringList& files);
    int frame() const { return frame_; }
    int frameCount() const { return frames_; }  // 1 until a multi-frame source is loaded
    void recompute();                           // the current source, ignoring the cache
    void cancel();                              // the running job (the user's Cancel)
    void clear();                               // nothing shown
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
    // The frame shown of `source` changed, or how many it holds became known.
    void frameChanged(const QString& source, int frame, int frames);

  private:
    void compute(const QString& source);
    void onJobStarted(quint64 id, jobs::JobKind kind, const QString& source);
    void onJobProgress(quint64 id, jobs::JobStage stage, int done, int total);
    void onJobFinished(const std::shared_ptr<const jobs::InferenceOutcome>& shared);
    void onImageLoaded(quint64 id, const std::shared_ptr<const jobs::Rendering>& loaded);
    // The views say that the wanted job will show nothing (cancelled).
    void showNoResult();
    void display(const std::shared_ptr<const jobs::InferenceOutcome>& outcome);
    void setStatus(const QString& text);
    QString keyOf() const;  // of the frame shown
    // Where the frame shown comes from: a file of the stack (its frame 0), or the source itself.
    QString sliceSource() const;
    int sliceFrame() const;
    void showCurrent();
    void learnFrames(const QString& source, int frames);
    void announceFrame();
    void restoreStackView();

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
    int frame_ = 0, frames_ = 1;
    QHash<QString, int> frameCounts_;     // of sources loaded before, from their headers
    QHash<QString, QStringList> stacks_;  // series opened as one entry: their files in order
    // Zoom, pan and window of the stack's last frame shown, kept for the next (as viewers do).
    struct StackView {
        bool valid = false;
        ViewState view;
        double center = 0, width = 0;
    } stackView_;
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
