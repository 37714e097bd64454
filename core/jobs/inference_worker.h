#pragma once

#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>

#include "engine_gate.h"
#include "inference_job.h"

namespace medvae::jobs {

// The app's one worker thread: it owns the backends (the local engine a checkpoint was opened
// with, a remote endpoint) and runs their jobs off the GUI thread, one at a time, in the pattern
// of Qt's Mandelbrot example: requests are copied in under a mutex, an abort flag is checked
// between network blocks, results leave as values through queued signals, and the destructor
// aborts, wakes and joins.
//
// Requests are typed (JobKind) and the newest of each kind wins: a new image job replaces the
// waiting one and aborts the running one; a new load or connect replaces the waiting one of its
// kind, and a running one whose kind was asked again ends `superseded` (opening a checkpoint
// cannot be interrupted). Backends are opened in the order asked, before the next image job;
// file jobs (short, bounded by their callers) then go in the order asked, never superseded.
//
// The batch pipeline runs on its own threads but reaches the local engine through backend(Batch),
// which passes the same EngineGate as image jobs: an image job waits at most for the batch item
// already running, goes before the next one, and can be cancelled while it waits.
class InferenceWorker : public QThread {
    Q_OBJECT
  public:
    explicit InferenceWorker(QObject* parent = nullptr);
    ~InferenceWorker() override;

    // Queues an image job for the active backend (superseding what waits, aborting what runs);
    // returns its id.
    quint64 submit(InferenceRequest request);
    // Queues a decode-only job for the active backend, the newest winning as for image jobs (a
    // waiting decode is replaced, a running one aborted and reported `cancelled`); returns its id.
    quint64 submitDecode(DecodeRequest request);
    // Queues files to read or write (FileRequest): file jobs wait in the order asked and are not
    // superseded or cancelled. Returns its id; the result comes through fileJobDone.
    quint64 submitFileJob(FileRequest request);
    // Queues a backend to open; when it opens it becomes the active one. Returns its id.
    quint64 open(BackendRequest request);
    // Aborts the running image job and drops the waiting one; the running job reports
    // `cancelled`. Backend jobs are not affected.
    void cancel();
    // Makes the local engine the active backend again (a waiting or running connect is dropped).
    // False when no checkpoint was opened.
    bool useLocalBackend();

    // The active backend, for callers outside the worker (the batch pipeline): the local engine
    // behind the engine gate at `priority`, or the remote endpoint. nullptr when none is open.
    std::shared_ptr<InferenceBackend> backend(EngineGate::Priority priority) const;
    bool remoteActive() const;
    const std::shared_ptr<EngineGate>& engineGate() const { return gate_; }

    // A job of any kind (of `kind`) runs or waits.
    bool busy() const;
    bool busy(JobKind kind) const;

  Q_SIGNALS:
    // `label`: the image's source, the checkpoint's path or the endpoint's name.
    void jobStarted(quint64 id, medvae::jobs::JobKind kind, const QString& label);
    // Image jobs; done/total in KiB (Downloading) or blocks (Encoding); total 0: unknown.
    void jobProgress(quint64 id, medvae::jobs::JobStage stage, int done, int total);
    // Shared, not copied: a clinical-size outcome holds hundreds of megabytes.
    void jobFinished(std::shared_ptr<const medvae::jobs::InferenceOutcome> outcome);
    // An image job's image was loaded; `loaded`: the request's prepareLoaded value.
    void imageLoaded(quint64 id, std::shared_ptr<const medvae::jobs::Rendering> loaded);
    void backendOpened(const medvae::jobs::BackendOutcome& outcome);
    void decodeFinished(const medvae::jobs::DecodeOutcome& outcome);
    void fileJobDone(const medvae::jobs::FileOutcome& outcome);

  protected:
    void run() override;

  private:
    struct Job;
    bool takeJob(Job& job);
    bool jobEnded();
    void runBackendJob(const BackendRequest& request);
    void install(const BackendRequest& request, BackendOutcome& outcome,
                 std::shared_ptr<InferenceBackend> opened);
    InferenceOutcome process(const InferenceRequest& request);
    DecodeOutcome processDecode(const DecodeRequest& request);
    static FileOutcome processFileJob(const FileRequest& request);
    void prepare(const InferenceRequest& request, InferenceOutcome& out);
    void loadImage(const InferenceRequest& request, InferenceOutcome& out,
                   const std::shared_ptr<InferenceBackend>& backend);
    void startLocked();

    mutable QMutex mutex_;
    QWaitCondition condition_;
    std::optional<InferenceRequest> pendingImage_;
    std::optional<DecodeRequest> pendingDecode_;
    std::deque<FileRequest> pendingFileJobs_;
    std::optional<BackendRequest> pendingLoad_, pendingConnect_;
    quint64 nextId_ = 1;
    bool running_ = false;
    JobKind runningKind_ = JobKind::Image;
    bool dropRunningConnect_ = false;
    bool quit_ = false;
    std::atomic<bool> abort_{false};  // the running image job

    std::shared_ptr<EngineGate> gate_;
    std::shared_ptr<InferenceBackend> localInteractive_, localBatch_, remote_;
    bool remoteActive_ = false;
};

}  // namespace medvae::jobs
