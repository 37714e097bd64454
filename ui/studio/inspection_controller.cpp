#include "inspection_controller.h"

#include <QUrl>

#include <algorithm>
#include <optional>

#include "ab_compare_panel.h"
#include "compare_panel.h"
#include "error_wording.h"
#include "image_view.h"
#include "inference_worker.h"
#include "latent_panel.h"
#include "model_b.h"
#include "remote_backend.h"
#include "rendered_result.h"
#include "source_opener.h"
#include "windowed_image.h"

namespace medvae::ui {

InspectionController::InspectionController(jobs::InferenceWorker* worker, ComparePanel* compare,
                                           LatentPanel* latent, QObject* parent)
    : QObject(parent), worker_(worker), compare_(compare), latent_(latent) {
    connect(worker_, &jobs::InferenceWorker::jobStarted, this, &InspectionController::onJobStarted);
    connect(worker_, &jobs::InferenceWorker::jobProgress, this,
            &InspectionController::onJobProgress);
    connect(worker_, &jobs::InferenceWorker::jobFinished, this,
            &InspectionController::onJobFinished);
    connect(worker_, &jobs::InferenceWorker::imageLoaded, this,
            &InspectionController::onImageLoaded);
    for (ImageView* view :
         {compare_->originalView(), compare_->reconstructionView(), compare_->errorView()})
        connect(view, &ImageView::sliceRequested, this, &InspectionController::showFrame);
}

QString InspectionController::keyOf() const {
    return ResultCache::keyOf(sliceSource(), *backend_, options_, padToFactor_,
                              modelB_ ? modelB_->identity() : QString(), sliceFrame());
}

QString InspectionController::sliceSource() const {
    const auto stack = stacks_.constFind(current_);
    return stack == stacks_.constEnd() ? current_ : stack->value(frame_);
}

int InspectionController::sliceFrame() const {
    return stacks_.contains(current_) ? 0 : frame_;
}

void InspectionController::setStack(const QString& key, const QStringList& files) {
    stacks_.insert(key, files);
    if (key == current_) learnFrames(key, int(files.size()));
}

namespace {

// The model B an outcome was compared with (empty: none), for its cache key.
QString modelBOf(const jobs::InferenceOutcome& outcome) {
    const RenderedResult* r = RenderedResult::of(outcome);
    return r && r->compared ? r->modelB : QString();
}

}  // namespace

void InspectionController::setABPanel(ABComparePanel* panel) {
    ab_ = panel;
    if (ab_) ab_->setVisible(modelB_ != nullptr);
}

void InspectionController::setModelB(std::shared_ptr<ModelB> modelB) {
    modelB_ = std::move(modelB);
    if (ab_) {
        ab_->setVisible(modelB_ != nullptr);
        compare_->setVisible(modelB_ == nullptr);
    }
    if (!current_.isEmpty()) show(current_);
}

void InspectionController::show(const QString& source) {
    if (source != current_) {
        current_ = source;
        stackView_.valid = false;
        frame_ = 0;
        frames_ = stacks_.contains(source) ? int(stacks_.value(source).size())
                                           : frameCounts_.value(source, 1);
        announceFrame();
    }
    showCurrent();
}

void InspectionController::showFrame(int frame) {
    frame = std::clamp(frame, 0, std::max(0, frames_ - 1));
    if (current_.isEmpty() || frame == frame_) return;
    const ImageView* original = compare_->originalView();
    if (original->mode() == ImageView::Mode::Window)
        stackView_ = {true, original->viewState(), original->windowCenter(),
                      original->windowWidth()};
    frame_ = frame;
    announceFrame();
    showCurrent();
}

void InspectionController::announceFrame() {
    for (ImageView* view :
         {compare_->originalView(), compare_->reconstructionView(), compare_->errorView()})
        view->setSlice(frame_, frames_);
    Q_EMIT frameChanged(current_, frame_, frames_);
}

void InspectionController::restoreStackView() {
    if (!stackView_.valid) return;
    for (ImageView* view :
         {compare_->originalView(), compare_->reconstructionView(), compare_->errorView()})
        view->setViewState(stackView_.view);
    compare_->originalView()->setWindow(stackView_.center, stackView_.width);
}

void InspectionController::learnFrames(const QString& source, int frames) {
    frames = std::max(1, frames);
    if (const auto stack = stacks_.constFind(source); stack != stacks_.constEnd())
        frames = std::max(1, int(stack->size()));  // a series: its files, each one frame
    else
        frameCounts_.insert(source, frames);
    if (source != current_ || frames == frames_) return;
    frames_ = frames;
    frame_ = std::min(frame_, frames_ - 1);
    announceFrame();
}

void InspectionController::showCurrent() {
    const QString source = current_;
    if (!backend_) {
        // Nothing of another image stays on screen while this one waits for a model.
        shown_.reset();
        pending_ = false;
        compare_->showNotices(tr("No model loaded yet; the image is computed once one is."),
                              QString());
        latent_->clear();
        setStatus(tr("No model loaded yet; the image is computed once one is."));
        return;
    }
    if (auto hit = cache_.find(keyOf())) {
        wantedId_ = 0;
        worker_->cancel();  // whatever runs is for an image no longer wanted
        display(hit);
        return;
    }
    compute(sliceSource());
}

void InspectionController::recompute() {
    if (!current_.isEmpty() && backend_) compute(sliceSource());
}

void InspectionController::compute(const QString& source) {
    jobs::InferenceRequest request;
    request.source = source;
    request.options = options_;
    request.padToFactor = padToFactor_;
    request.frame = sliceFrame();
    // The views' values are made on the worker thread, with the latent panel's settings of now.
    if (abortModelB_) abortModelB_->store(true);  // the job it belonged to is superseded
    abortModelB_ = std::make_shared<std::atomic<bool>>(false);
    request.prepare = [settings = latent_->settings(), modelB = modelB_,
                       abort = abortModelB_](const jobs::InferenceOutcome& outcome) {
        return std::shared_ptr<const jobs::Rendering>(
            RenderedResult::prepare(outcome, settings, modelB.get(), abort.get()));
    };
    request.prepareLoaded = [](const Image& image) {
        return std::shared_ptr<const jobs::Rendering>(RenderedResult::prepareLoaded(image));
    };
    wantedId_ = worker_->submit(request);
    // Until the new image is loaded and computed, nothing of another image stays on screen.
    const QString name = SourceOpener::displayName(source);
    shown_.reset();
    pending_ = true;
    compare_->showNotices(tr("Loading %1…").arg(name), tr("Computing…"));
    if (ab_) ab_->showNotice(tr("Computing…"));
    latent_->showNotice(tr("Computing…"));
    setStatus(tr("Queued: %1").arg(name));
}

void InspectionController::onImageLoaded(quint64 id,
                                         const std::shared_ptr<const jobs::Rendering>& loaded) {
    if (id != wantedId_ || id <= cancelledThrough_ || !pending_) return;
    if (const auto* r = dynamic_cast<const RenderedResult*>(loaded.get()); r && r->loaded) {
        learnFrames(current_, r->loaded->image().meta.frames);
        compare_->showLoadedOriginal(r->loaded);
        restoreStackView();
    }
}

void InspectionController::showNoResult() {
    if (!pending_) return;
    pending_ = false;
    compare_->showResultNotice(tr("Cancelled — no result"));
    if (ab_) ab_->showNotice(tr("Cancelled — no result"));
    latent_->showNotice(tr("Cancelled — no result"));
}

void InspectionController::cancel() {
    // Asked of the worker itself: its job-started signal may not have arrived here yet.
    const bool working = worker_->busy(jobs::JobKind::Image);
    worker_->cancel();
    if (abortModelB_) abortModelB_->store(true);
    cancelledThrough_ = std::max({cancelledThrough_, wantedId_, runningId_});
    wantedId_ = 0;
    runningId_ = 0;
    showNoResult();
    if (working) setStatus(tr("Cancelled."));
}

void InspectionController::clear() {
    current_.clear();
    shown_.reset();
    pending_ = false;
    compare_->showStartHint();
    latent_->showStartHint();
}

void InspectionController::setBackend(const jobs::BackendDescription* backend) {
    backend_ = backend ? std::make_unique<jobs::BackendDescription>(*backend) : nullptr;
    if (!current_.isEmpty()) show(current_);
}

void InspectionController::setEncodeOptions(const EncodeOptions& options) {
    options_ = options;
}

void InspectionController::setPadToFactor(bool pad) {
    padToFactor_ = pad;
}

QString InspectionController::timingText() const {
    return lastTiming_ ? tr("Last: %1").arg(lastTiming_()) : QString();
}

QString InspectionController::idleStatus() const {
    return lastError_.isEmpty() ? tr("Ready") : lastError_;
}

void InspectionController::setStatus(const QString& text) {
    status_ = text;
    Q_EMIT statusChanged(text);
}

void InspectionController::onJobStarted(quint64 id, jobs::JobKind kind, const QString& source) {
    if (kind != jobs::JobKind::Image || id <= cancelledThrough_) return;
    runningId_ = id;
    runningSource_ = source;
    Q_EMIT progressChanged(true, 0, 0);
    setStatus(tr("Loading %1…").arg(SourceOpener::displayName(source)));
}

void InspectionController::onJobProgress(quint64 id, jobs::JobStage stage, int done, int total) {
    if (id != runningId_) return;
    const QString name = SourceOpener::displayName(runningSource_);
    switch (stage) {
        case jobs::JobStage::Downloading:
            setStatus(tr("Downloading %1…").arg(name));
            break;
        case jobs::JobStage::Encoding:
            setStatus(tr("Encoding and decoding %1…").arg(name));
            break;
        case jobs::JobStage::Comparing:
            setStatus(tr("Comparing %1…").arg(name));
            break;
        case jobs::JobStage::Preparing:
            setStatus(tr("Preparing the views of %1…").arg(name));
            break;
    }
    Q_EMIT progressChanged(true, done, total);
}

void InspectionController::onJobFinished(
    const std::shared_ptr<const jobs::InferenceOutcome>& shared) {
    const jobs::InferenceOutcome& outcome = *shared;
    if (outcome.id == runningId_) runningId_ = 0;
    Q_EMIT progressChanged(runningId_ != 0, 0, 0);
    const bool wanted = outcome.id == wantedId_;
    if (outcome.ok()) {
        const auto key = [&](const QString& modelB) {
            return ResultCache::keyOf(outcome.source, outcome.backend, outcome.options,
                                      outcome.padToFactor, modelB, outcome.image.meta.frame);
        };
        const QString modelB = modelBOf(outcome);
        // A failed model B is not kept: choosing it again (an endpoint back, another key) retries.
        if (modelB.isEmpty() || RenderedResult::of(outcome)->ab) cache_.insert(key(modelB), shared);
        // A compared result holds A's own too: shown at once when the comparison is turned off.
        if (!modelB.isEmpty()) cache_.insert(key(QString()), shared);
    }
    if (outcome.ok()) learnFrames(outcome.source, outcome.image.meta.frames);
    const RenderedResult* rendered = RenderedResult::of(outcome);
    if (rendered && !rendered->thumbnail.isNull()) {
        if (outcome.image.meta.frame == 0)
            Q_EMIT thumbnailReady(outcome.source, rendered->thumbnail);
    } else if (!outcome.error.isEmpty())
        Q_EMIT sourceFailed(outcome.source, outcome.error);
    if (wanted) wantedId_ = 0;
    Q_EMIT jobEnded(outcome.id, outcome.ok(), outcome.cancelled);
    if (outcome.cancelled) {
        // Jobs dropped because another image was chosen end quietly.
        if (wanted) showNoResult();
        if (wanted || outcome.id <= cancelledThrough_) setStatus(tr("Cancelled."));
    } else if (wanted) {
        display(shared);
    }
}

void InspectionController::display(const std::shared_ptr<const jobs::InferenceOutcome>& outcome) {
    shown_ = outcome;
    pending_ = false;
    const QString name = SourceOpener::displayName(outcome->source);
    const RenderedResult* r = RenderedResult::of(*outcome);
    if (!outcome->ok() || !r) {
        const QString error = outcome->ok() ? tr("nothing was prepared to show")
                                            : ErrorWording::wording(outcome->error);
        lastError_ = tr("%1: %2").arg(name, error);
        compare_->showError(error);
        if (ab_) ab_->showError(error);
        latent_->showError(error);
        setStatus(lastError_);
        Q_EMIT resultShown(outcome->source, false);
        return;
    }
    lastError_.clear();
    if (r->comparison || outcome->reconstruction)
        // null: the images could not be compared. The note: an approximation (tiled) says so.
        compare_->setComparison(
            r->comparison, ErrorWording::wording(QString::fromStdString(outcome->result.note)));
    else
        compare_->showError(tr("This backend returned no reconstruction."));
    if (ab_ && r->compared) {
        if (r->ab)
            ab_->setComparison(r->ab);
        else
            ab_->showError(tr("Model B: %1").arg(ErrorWording::wording(r->abError)));
    }
    latent_->setMaps(r->latent);
    const auto backend = worker_->backend(jobs::EngineGate::Priority::Interactive);
    std::optional<remote::EndpointStatus> endpoint;
    if (auto* remoteBackend = dynamic_cast<remote::RemoteBackend*>(backend.get()))
        endpoint = remoteBackend->status();
    lastTiming_ = [this, outcome, endpoint] {
        QString text = tr("load %1 s · model %2 s · total %3 s")
                           .arg(outcome->loadSeconds, 0, 'f', 2)
                           .arg(outcome->inferenceSeconds, 0, 'f', 2)
                           .arg(outcome->totalSeconds, 0, 'f', 2);
        if (endpoint)
            text += tr(" · endpoint %1: %2 ms, %n retries", nullptr, endpoint->lastRetries)
                        .arg(QUrl(endpoint->endpoint).host())
                        .arg(endpoint->lastLatencyMs, 0, 'f', 0);
        return text;
    };
    Q_EMIT timingChanged(timingText());
    setStatus(tr("%1: %2 × %3, latent %4 × %5 × %6%7")
                  .arg(name)
                  .arg(outcome->image.width)
                  .arg(outcome->image.height)
                  .arg(r->latent.channelCount())
                  .arg(r->latent.height())
                  .arg(r->latent.width())
                  .arg(outcome->backend.demoModel ? tr(" (demo model)") : QString()));
    restoreStackView();
    Q_EMIT resultShown(outcome->source, true);
}

}  // namespace medvae::ui
