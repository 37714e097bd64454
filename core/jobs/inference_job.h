#pragma once

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "error.h"
#include "image.h"
#include "inference_backend.h"
#include "memory_tally.h"
#include "reconstruction.h"

namespace medvae::jobs {

// The jobs of the inference worker (InferenceWorker), as values that cross threads.

// What a job does. The worker keeps at most one waiting job of each kind (the newest).
enum class JobKind {
    LoadModel,        // open a checkpoint with the local engine
    ConnectEndpoint,  // open a remote endpoint
    Image,            // load an image, run the backend, compare, prepare what the views draw
    Decode,           // decode z the caller made (the Latent lab), prepare what it draws
    FileJob,          // read or write files the caller names (the Latent lab's z and exports)
};

// Where an image job is (for the status bar).
enum class JobStage {
    Downloading,  // reading the image (progress in KiB when it comes over the network)
    Encoding,     // the backend runs (progress in network blocks)
    Comparing,    // reconstruction against the original
    Preparing,    // what the views draw
};

// What the user interface draws for one outcome, prepared on the worker thread by the request's
// `prepare` (the worker does not know what it holds: pictures, maps, statistics).
struct Rendering {
    virtual ~Rendering() = default;
    // Adds the buffers it holds (pictures, maps) to `tally`; renderings kept with results
    // (the Inspect tab's cache) say what they hold, small ones nothing.
    virtual void tally(MemoryTally&) const {}
};

struct InferenceOutcome;

// One image job: load `source`, run the active backend, compare the reconstruction, prepare.
struct InferenceRequest {
    quint64 id = 0;         // set by InferenceWorker::submit
    QString source;         // path, file:// or http(s) URL, data: URI or base64 (ImageLoader::load)
    EncodeOptions options;  // decode defaults to on for the interactive app
    bool padToFactor = false;  // pad right/bottom to a multiple of the factor before inference
    int frame = 0;             // frame of a multi-frame DICOM file
    // Runs on the worker thread after the comparison (may be empty); may throw medvae::Error.
    std::function<std::shared_ptr<const Rendering>(const InferenceOutcome&)> prepare;
    // Runs on the worker thread once the image is loaded, before the backend runs (may be
    // empty); its value leaves through InferenceWorker::imageLoaded, so that the views can show
    // the new image while the model works. An error here only drops that report.
    std::function<std::shared_ptr<const Rendering>(const Image&)> prepareLoaded;

    InferenceRequest() { options.decode = true; }
};

// What an image job produced. On failure `error` says why (the loader's or engine's own message)
// and the tensors are undefined.
struct InferenceOutcome {
    quint64 id = 0;
    QString source;
    bool cancelled = false;
    QString error;  // empty on success
    // As loaded (before any padding). Its pixels are released when the reconstruction's
    // `original` holds the same ones (nothing cropped or dropped); size and metadata stay.
    Image image;
    // Tensors float32 CPU; z may be undefined (remote backends). `decoded` is released once the
    // reconstruction is made from it (and the request's `prepare` ran): use `reconstruction`.
    EncodeResult result;
    std::shared_ptr<const Reconstruction> reconstruction;  // when decoded
    std::shared_ptr<const Rendering> rendering;            // from the request's `prepare`
    BackendDescription backend;
    EncodeOptions options;
    bool padToFactor = false;  // as requested
    bool padded = false;       // padding changed the size
    double loadSeconds = 0, inferenceSeconds = 0, compareSeconds = 0, prepareSeconds = 0,
           totalSeconds = 0;

    bool ok() const { return !cancelled && error.isEmpty(); }
    // Adds the buffers it holds (image, tensors, reconstruction, rendering) to `tally`.
    void tally(MemoryTally& tally) const {
        tally.add(image);
        for (const at::Tensor* t : {&result.z, &result.latent, &result.decoded})
            tally.add(*t);
        if (reconstruction) tally.add(*reconstruction);
        if (rendering) rendering->tally(tally);
    }
};

// How much memory finished results kept to be shown again (the Inspect tab's cache) may hold
// together: 2 GiB, or an eighth of the memory this process may use when that is less.
std::uint64_t keptResultsBudgetBytes();

struct DecodeOutcome;

// One decode-only job: each z in `latents` through the active backend's decoder, in order.
struct DecodeRequest {
    quint64 id = 0;                   // set by InferenceWorker::submitDecode
    std::vector<at::Tensor> latents;  // each [embed, h, w] float32 CPU, owned by the request
    // When set, runs first on the worker thread and gives the z to decode instead of `latents`
    // (blends and edits of large z stay off the GUI thread); may throw medvae::Error.
    std::function<std::vector<at::Tensor>()> makeLatents;
    // Runs on the worker thread after the decodes (may be empty); may throw medvae::Error.
    std::function<std::shared_ptr<const Rendering>(const DecodeOutcome&)> prepare;
};

// Files to read or write off the GUI thread. File jobs wait in the order asked, go before image
// and decode jobs, and each runs to its end (never superseded): the caller bounds the work, e.g.
// by the file's size.
struct FileRequest {
    quint64 id = 0;  // set by InferenceWorker::submitFileJob
    QString path;    // the file (or folder) it is about, for the status and the outcome
    // Runs on the worker thread; may throw medvae::Error (its message is the outcome's error).
    std::function<std::shared_ptr<const Rendering>(const QString& path)> run;
};

// What a file job produced: what the request's `run` returned, or why it failed.
struct FileOutcome {
    quint64 id = 0;
    QString path;
    QString error;
    std::shared_ptr<const Rendering> rendering;

    bool ok() const { return error.isEmpty() && rendering != nullptr; }
};

// What a decode job produced; on failure `error` says why and `decoded` is empty.
struct DecodeOutcome {
    quint64 id = 0;
    bool cancelled = false;
    QString error;
    std::vector<at::Tensor> decoded;  // [out, h*f, w*f] float32 CPU, one per z, in order
    std::shared_ptr<const Rendering> rendering;
    BackendDescription backend;
    double seconds = 0;

    bool ok() const { return !cancelled && error.isEmpty(); }
};

// A backend could not be opened because its key could not be read (no keychain): the user may
// give one for this session and try again.
class CredentialsMissing : public Error {
  public:
    using Error::Error;
};

// One backend to open: a checkpoint for the local engine, or a remote endpoint.
struct BackendRequest {
    quint64 id = 0;  // set by InferenceWorker::open
    JobKind kind = JobKind::LoadModel;
    QString label;  // the checkpoint's path or the endpoint's name, for messages and settings
    // Runs on the worker thread; sets `parameters` (0 when unknown). Throws medvae::Error
    // (CredentialsMissing when a key is needed and cannot be read).
    std::function<std::shared_ptr<InferenceBackend>(qint64& parameters)> open;

    // A checkpoint opened with the local engine.
    static BackendRequest localModel(const QString& checkpointPath, const EngineOptions& options);
};

struct BackendOutcome {
    quint64 id = 0;
    JobKind kind = JobKind::LoadModel;
    QString label;
    bool ok = false;
    // A newer request of the same kind came while this one ran: its backend was dropped.
    bool superseded = false;
    bool credentialsMissing = false;
    QString error;               // empty when ok or superseded
    BackendDescription backend;  // of the backend opened
    qint64 parameters = 0;
};

}  // namespace medvae::jobs

Q_DECLARE_METATYPE(medvae::jobs::BackendOutcome)
Q_DECLARE_METATYPE(medvae::jobs::DecodeOutcome)
Q_DECLARE_METATYPE(medvae::jobs::FileOutcome)
Q_DECLARE_METATYPE(medvae::jobs::JobKind)
Q_DECLARE_METATYPE(medvae::jobs::JobStage)
Q_DECLARE_METATYPE(std::shared_ptr<const medvae::jobs::Rendering>)
Q_DECLARE_METATYPE(std::shared_ptr<const medvae::jobs::InferenceOutcome>)
