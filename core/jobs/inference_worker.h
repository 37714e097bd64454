#pragma once

#include <QMetaType>
#include <QMutex>
#include <QString>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "image.h"
#include "inference_backend.h"
#include "reconstruction.h"

namespace medvae::jobs {

// One job for the interactive worker: load `source`, run the backend, compare the reconstruction.
struct InferenceRequest {
    quint64 id = 0;  // set by InferenceWorker::submit
    QString source;  // path, file:// or http(s) URL, data: URI or base64 (ImageLoader::load)
    std::shared_ptr<InferenceBackend> backend;  // shared: the GUI may swap its backend meanwhile
    EncodeOptions options;                      // decode defaults to on for the interactive app
    bool padToFactor = false;  // pad right/bottom to a multiple of the factor before inference
    int frame = 0;             // frame of a multi-frame DICOM file

    InferenceRequest() { options.decode = true; }
};

// What a job produced, as a value that crosses threads through a queued signal. On failure
// `error` says why (the loader's or engine's own message) and the tensors are undefined.
struct InferenceOutcome {
    quint64 id = 0;
    QString source;
    bool cancelled = false;
    QString error;        // empty on success
    Image image;          // as loaded (before any padding)
    EncodeResult result;  // tensors float32 CPU; z may be undefined (remote backends)
    std::optional<Reconstruction> reconstruction;  // when decoded
    BackendDescription backend;
    EncodeOptions options;
    bool padded = false;
    double loadSeconds = 0, inferenceSeconds = 0, compareSeconds = 0, totalSeconds = 0;

    bool ok() const { return !cancelled && error.isEmpty(); }
};

// Runs inference off the GUI thread, one job at a time (the pattern of Qt's Mandelbrot example):
// the newest request supersedes a pending one and aborts a running one; the abort flag is
// checked between network blocks and while downloading, so a cancel takes effect within a
// block's time. Results leave as values through queued signals; the destructor aborts, wakes
// and joins the thread.
class InferenceWorker : public QThread {
    Q_OBJECT
  public:
    explicit InferenceWorker(QObject* parent = nullptr);
    ~InferenceWorker() override;

    // Queues `request` (superseding what is pending, aborting what runs); returns its id.
    quint64 submit(InferenceRequest request);
    // Aborts the running job and drops the pending one; the running job reports `cancelled`.
    void cancel();
    bool busy() const;

  Q_SIGNALS:
    void jobStarted(quint64 id, const QString& source);
    // stage: "load", "inference", "compare"; done/total in blocks (total 0: unknown)
    void jobProgress(quint64 id, const QString& stage, int done, int total);
    void jobFinished(const medvae::jobs::InferenceOutcome& outcome);

  protected:
    void run() override;

  private:
    InferenceOutcome process(const InferenceRequest& request);

    mutable QMutex mutex_;
    QWaitCondition condition_;
    std::optional<InferenceRequest> pending_;
    quint64 nextId_ = 1;
    bool running_ = false;  // a job is being processed
    bool quit_ = false;
    std::atomic<bool> abort_{false};
};

}  // namespace medvae::jobs

Q_DECLARE_METATYPE(medvae::jobs::InferenceOutcome)
