#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "batch_inputs.h"
#include "image_metrics.h"
#include "inference_backend.h"
#include "load_options.h"
#include "memory_budget.h"
#include "reconstruction.h"

namespace medvae {
class Error;
class OutputFolder;
}  // namespace medvae

namespace medvae::jobs {

class BatchManifest;

// What a batch writes and how; everything but the folder and thread counts enters the settings
// key that --resume compares.
struct BatchSettings {
    std::string outputDir;
    bool latentNpy = true;    // <stem>_latent.npy, float32 [C, h, w]
    bool zNpy = false;        // <stem>_z.npy, float32 [C, h, w] (what the decoder takes)
    bool decodedPng = false;  // <stem>_decoded.png, 8- or 16-bit
    bool errorPng = false;    // <stem>_error.png: ErrorHeatmap, as the app draws it (magma, 0..p99)
    bool nifti = false;       // <stem><niftiSuffix>, the latent as upstream medvae_inference
    std::string niftiSuffix = "_latent.nii.gz";
    bool decode = false;  // reconstruct and measure (implied by decodedPng and errorPng)
    int pngBits = 8;
    EncodeOptions encode;  // decode is set from the fields above
    LoadOptions load;
    // A multi-frame input (DICOM) becomes one item per frame, each with its own files and record
    // (BatchInputs::frameItem); false: frame load.frame only, named as the input. Not part of
    // settingsKey: the names tell the two apart, and single-frame inputs are named alike.
    bool everyFrame = true;
    MemoryBudget memory;    // images that would not fit are refused before decoding (not a setting
                            // that changes outputs, so not part of settingsKey)
    int decodeThreads = 2;  // image reading and decoding
    int writeThreads = 2;   // file writing and metrics
    int queueDepth = 4;     // items waiting between two stages (bounds memory)
    // Images of one size the backend runs in one pass (faster on a GPU); within the memory
    // budget. Not a setting that changes outputs (a batch gives each image's own numbers).
    int batchSize = 1;
    bool resume = false;  // skip items complete for the same model and settings
    // Set by the pipeline when it is given a model B to compare with: every item is also run by
    // B, whose files carry "_b" before their extension (<stem>_latent_b.npy, ...). Not part of
    // settingsKey: --resume redoes an item whose record lacks B's results instead.
    bool compare = false;
    std::string manifestName = "manifest";  // <outputDir>/<name>.csv and .jsonl
    int batchItems = 0;  // items of the whole batch before sharding (0: not known), recorded
                         // so that `manifest merge` can tell which items are missing
    std::string appVersion;
    // When set (medvae-cli --store-derived), called for every item whose files are written, from
    // a writing thread (one call at a time): stores objects derived from the item elsewhere (the
    // archive it came from) and returns what it stored (their SOP Instance UIDs), recorded as
    // the item's "stored". A throw fails the item with the message (its files stay valid), so
    // --resume does it again; --resume also redoes an ok item whose record stored nothing. Needs
    // decodes(). Not part of settingsKey: where results go does not change the files.
    std::function<std::vector<std::string>(const BatchItem&, const Reconstruction&)> storeResult;

    bool decodes() const { return decode || decodedPng || errorPng; }
    std::string formats() const;      // "npy,z,png,error,nii" as enabled
    std::string settingsKey() const;  // canonical text of what changes the outputs
};

enum class BatchStatus { Done, Skipped, Failed, Duplicate };
const char* batchStatusName(BatchStatus status);  // "ok", "skipped", "failed", "duplicate"

// Model B's part of an item's record when the batch compares two models (manifest "compare").
struct BatchComparedResult {
    std::vector<std::string> outputs;  // B's files, relative to the output folder (also listed,
                                       // with their sizes and hashes, in the item's outputs)
    bool hasMetrics = false;
    ImageComparison metrics;  // B's reconstruction against the input, as for model A
    bool cropped = false;
};

// The record of one finished item, as written to the manifest.
struct BatchItemResult {
    BatchItem item;
    BatchStatus status = BatchStatus::Failed;
    std::string error;                       // why it failed; empty otherwise
    std::vector<std::string> outputs;        // relative to the output folder
    std::vector<std::uint64_t> outputBytes;  // size of each output, in the order of outputs
    std::vector<std::string> outputSha256;   // SHA-256 (hex) of each output, likewise
    int width = 0, height = 0, channels = 0;
    std::string format;    // of the input ("PNG", "DICOM", ...)
    std::string modality;  // DICOM Modality (0008,0060); empty for other inputs
    std::vector<std::int64_t> latentShape, zShape, decodedShape;
    std::string note;  // what the engine said of this result (EncodeResult::note)
    bool hasMetrics = false;
    ImageComparison metrics;  // in the input's units (see Reconstruction)
    bool cropped = false;
    double loadSeconds = 0, inferSeconds = 0, writeSeconds = 0;
    bool compared = false;  // model B ran on the item; its results are in `compare`
    BatchComparedResult compare;
    std::vector<std::string> stored;  // what BatchSettings::storeResult stored (SOP Instance UIDs)
};

struct BatchSummary {
    int total = 0;    // items given to run(), each frame of a multi-frame input counted
    int done = 0;     // written now
    int skipped = 0;  // already complete (--resume)
    int failed = 0;
    int duplicates = 0;
    bool cancelled = false;
    std::string fatalError;  // set when the batch stopped (output not writable, disk full)
    double seconds = 0;
    double inferSeconds = 0;  // time spent inside the backend
    bool ok() const { return failed == 0 && !cancelled && fatalError.empty(); }
};

// Runs a batch through three concurrent stages joined by bounded queues: reading and decoding
// (decodeThreads), inference (one thread calling the backend, which is the bottleneck and keeps
// the machine busy), and writing (writeThreads). Results are written under temporary names and
// renamed when complete, only inside the output folder (OutputFolder); the manifest record of an
// item (BatchManifest) is appended and flushed after its files, so whatever the manifest reports
// done is on disk. A bad input fails its item, as does an output name or a link that would lead
// outside the output folder; an output that cannot be written (permissions, disk full) stops
// the batch with fatalError. With resume, an item whose recorded outputs no longer match their
// recorded size and SHA-256 is done again.
//
// Thread-safety: run() blocks the calling thread; pause(), resume() and cancel() may be called
// from any thread while it runs. Callbacks are invoked on pipeline threads, one at a time.
class BatchPipeline {
  public:
    // With `compare` (model B), every item is run by both models, B's files written beside A's
    // and its metrics recorded in the manifest's "compare". B must take the same input channels
    // as A (Error otherwise); its factor and latent channels may differ.
    BatchPipeline(std::shared_ptr<InferenceBackend> backend, BatchSettings settings,
                  std::shared_ptr<InferenceBackend> compare = nullptr);
    ~BatchPipeline();

    // Called once per item after its manifest record is on disk (not for items skipped because
    // the run was cancelled or stopped).
    std::function<void(const BatchItemResult&)> onItem;
    // Called when an item enters inference (for "running" states in a UI).
    std::function<void(const BatchItem&)> onStarted;

    BatchSummary run(const std::vector<BatchItem>& items);

    void pause();
    void resume();
    void cancel();
    bool paused() const { return paused_; }

  private:
    struct Loaded;
    struct Inferred;
    struct Stages;
    void runStages(Stages& stages);
    void decodeStage(Stages& stages);
    void inferStage(Stages& stages);
    bool inferBatch(Stages& stages, std::vector<Loaded>& batch, const RunControl& control);
    bool inferOne(Stages& stages, Loaded& loaded, const RunControl& control);
    void writeStage(Stages& stages);
    bool skipComplete(BatchItem& item);
    bool loadItem(Stages& stages, BatchItem& item);
    bool failLoad(const BatchItem& item, const Error& error,
                  std::chrono::steady_clock::time_point t0);
    bool holdsSeveralFrames(const BatchItem& item, const LoadOptions& options);
    void writeResults(Inferred& in);
    void storeResult(const Reconstruction* rec, BatchItemResult& r);
    void measure(const Inferred& in, BatchItemResult& r, std::optional<Reconstruction>& rec,
                 std::optional<Reconstruction>& recB) const;
    EncodeResult runCompared(const Image& image, const RunControl& control);
    std::uint64_t estimateBytes(std::int64_t width, std::int64_t height) const;
    void waitWhilePaused();
    bool stopping() const { return cancelled_ || fatal_; }
    void fail(const std::string& message);
    void finish(BatchItemResult result);

    std::shared_ptr<InferenceBackend> backend_;
    std::shared_ptr<InferenceBackend> compareBackend_;  // model B, or null
    BatchSettings settings_;
    BackendDescription description_, compareDescription_;
    std::atomic<bool> paused_{false}, cancelled_{false}, fatal_{false};
    std::mutex pauseMutex_;
    std::condition_variable pauseCv_;
    std::mutex finishMutex_;  // manifest appends, summary, callbacks
    std::mutex storeMutex_;   // settings_.storeResult, one call at a time
    std::string fatalError_;
    BatchSummary summary_;
    std::unique_ptr<OutputFolder> folder_;
    std::unique_ptr<BatchManifest> manifest_;
};

}  // namespace medvae::jobs
