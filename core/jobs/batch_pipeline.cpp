#include "batch_pipeline.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "batch_manifest.h"
#include "batch_outputs.h"
#include "batch_queue.h"
#include "dicom_stack_header.h"
#include "error.h"
#include "image_loader.h"
#include "output_folder.h"
#include "reconstruction.h"

namespace medvae::jobs {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

const char* batchStatusName(BatchStatus status) {
    switch (status) {
        case BatchStatus::Done:
            return "ok";
        case BatchStatus::Skipped:
            return "skipped";
        case BatchStatus::Failed:
            return "failed";
        case BatchStatus::Duplicate:
            return "duplicate";
    }
    return "failed";
}

std::string BatchSettings::formats() const {
    std::string f;
    auto add = [&](bool on, const char* name) {
        if (on) f += (f.empty() ? "" : ",") + std::string(name);
    };
    add(latentNpy, "npy");
    add(zNpy, "z");
    add(decodedPng, "png");
    add(errorPng, "error");
    add(nifti, "nii");
    return f;
}

std::string BatchSettings::settingsKey() const {
    std::string k = "formats=" + formats() + ";decode=" + (decodes() ? "1" : "0") +
                    ";png_bits=" + std::to_string(pngBits) +
                    ";sample=" + (encode.sample ? "1" : "0");
    if (encode.sample) k += ";seed=" + std::to_string(encode.seed);
    if (nifti) k += ";nifti=" + niftiSuffix;
    k += ";frame=" + std::to_string(load.frame);
    if (load.window == LoadOptions::Window::FromFile)
        k += ";voi=" + std::to_string(load.windowIndex);
    else if (load.window == LoadOptions::Window::Custom)
        k += ";window=" + BatchManifest::number(load.windowCenter) + "," +
             BatchManifest::number(load.windowWidth);
    return k;
}

struct BatchPipeline::Loaded {
    BatchItem item;
    Image image;
    double loadSeconds = 0;
};

struct BatchPipeline::Inferred {
    BatchItem item;
    Image image;
    EncodeResult result;
    double loadSeconds = 0, inferSeconds = 0;
    EncodeResult compared;  // model B's, when the batch compares two models
};

BatchPipeline::BatchPipeline(std::shared_ptr<InferenceBackend> backend, BatchSettings settings,
                             std::shared_ptr<InferenceBackend> compare)
    : backend_(std::move(backend)),
      compareBackend_(std::move(compare)),
      settings_(std::move(settings)) {
    if (!backend_) throw Error("no inference backend was given to the batch");
    description_ = backend_->describe();
    settings_.encode.decode = settings_.decodes();
    settings_.compare = compareBackend_ != nullptr;
    if (!compareBackend_) return;
    compareDescription_ = compareBackend_->describe();
    if (compareDescription_.imageChannels != description_.imageChannels)
        throw Error("cannot compare model A (" + description_.model + ", " +
                    std::to_string(description_.imageChannels) + " input channels) with model B (" +
                    compareDescription_.model + ", " +
                    std::to_string(compareDescription_.imageChannels) +
                    " input channels): compare two models that take the same input channels");
}

std::uint64_t BatchPipeline::estimateBytes(std::int64_t width, std::int64_t height) const {
    // The models run one after the other, so the larger of the two bounds the item.
    const std::uint64_t a = backend_->estimateBytes(width, height, settings_.decodes());
    return compareBackend_
               ? std::max(a, compareBackend_->estimateBytes(width, height, settings_.decodes()))
               : a;
}

EncodeResult BatchPipeline::runCompared(const Image& image, const RunControl& control) {
    try {
        return compareBackend_->run(image, settings_.encode, &control);
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        throw Error("model B (" + compareDescription_.model + "): " + e.what());
    }
}

BatchPipeline::~BatchPipeline() = default;

void BatchPipeline::pause() {
    paused_ = true;
}

void BatchPipeline::resume() {
    {
        std::lock_guard<std::mutex> lock(pauseMutex_);
        paused_ = false;
    }
    pauseCv_.notify_all();
}

void BatchPipeline::cancel() {
    {
        std::lock_guard<std::mutex> lock(pauseMutex_);
        cancelled_ = true;
    }
    pauseCv_.notify_all();
}

void BatchPipeline::waitWhilePaused() {
    std::unique_lock<std::mutex> lock(pauseMutex_);
    pauseCv_.wait(lock, [&] { return !paused_ || cancelled_ || fatal_; });
}

void BatchPipeline::fail(const std::string& message) {
    std::lock_guard<std::mutex> lock(pauseMutex_);
    if (!fatal_) fatalError_ = message;
    fatal_ = true;
    pauseCv_.notify_all();
}

void BatchPipeline::finish(BatchItemResult r) {
    std::lock_guard<std::mutex> lock(finishMutex_);
    if (fatal_) return;
    if (r.status != BatchStatus::Skipped) {
        try {
            manifest_->append(r);
        } catch (const Error& e) {
            std::lock_guard<std::mutex> pl(pauseMutex_);
            if (!fatal_) fatalError_ = e.what();
            fatal_ = true;
            pauseCv_.notify_all();
            return;
        }
    }
    switch (r.status) {
        case BatchStatus::Done:
            ++summary_.done;
            break;
        case BatchStatus::Skipped:
            ++summary_.skipped;
            break;
        case BatchStatus::Failed:
            ++summary_.failed;
            break;
        case BatchStatus::Duplicate:
            ++summary_.duplicates;
            break;
    }
    summary_.inferSeconds += r.inferSeconds;
    if (onItem) onItem(r);
}

bool BatchPipeline::skipComplete(BatchItem& item) {
    if (!settings_.resume) return false;
    const BatchManifest::ResumeCheck check = manifest_->resumeCheck(item);
    if (!check.complete) {
        item.redoReason = check.redoReason;  // recorded in the item's new record
        return false;
    }
    if (check.framesUnknown && holdsSeveralFrames(item, settings_.load)) {
        item.redoReason = "it holds several frames, each now an item of its own";
        return false;
    }
    BatchItemResult r;
    r.item = item;
    r.status = BatchStatus::Skipped;
    r.outputs = BatchOutputs::allNames(settings_, item.relativeStem);
    finish(std::move(r));
    return true;
}

// Metrics of A's (and B's) reconstruction; throws medvae::Error when a result lacks what the
// settings ask for.
void BatchPipeline::measure(const Inferred& in, BatchItemResult& r,
                            std::optional<Reconstruction>& rec,
                            std::optional<Reconstruction>& recB) const {
    const EncodeResult& res = in.result;
    if (!res.latent.defined()) throw Error("the backend returned no latent");
    if (settings_.zNpy && !res.z.defined())
        throw Error("the backend does not provide z (stage-1 latent); leave out the z format");
    if (compareBackend_ &&
        (!in.compared.latent.defined() || (settings_.zNpy && !in.compared.z.defined())))
        throw Error("model B (" + compareDescription_.model + ") returned no latent or no z");
    if (!settings_.decodes()) return;
    if (!res.decoded.defined()) throw Error("the backend returned no reconstruction");
    rec = compareReconstruction(in.image, res.decoded);
    r.hasMetrics = true;
    r.metrics = rec->metrics;
    r.cropped = rec->cropped;
    if (!compareBackend_) return;
    if (!in.compared.decoded.defined())
        throw Error("model B (" + compareDescription_.model + ") returned no reconstruction");
    recB = compareReconstruction(in.image, in.compared.decoded);
    r.compare.hasMetrics = true;
    r.compare.metrics = recB->metrics;
    r.compare.cropped = recB->cropped;
}

// Hands a written item to settings_.storeResult; a failure there fails the item alone, its files
// kept (they are valid), so that the counts say what reached the destination.
void BatchPipeline::storeResult(const Reconstruction* rec, BatchItemResult& r) {
    if (!settings_.storeResult) return;
    try {
        if (!rec) throw Error("there is no reconstruction to store");
        std::lock_guard<std::mutex> lock(storeMutex_);
        r.stored = settings_.storeResult(r.item, *rec);
    } catch (const Error& e) {
        r.status = BatchStatus::Failed;
        r.error = std::string("its files are written, but storing its derived objects failed: ") +
                  e.what();
    }
}

void BatchPipeline::writeResults(Inferred& in) {
    const auto t0 = Clock::now();
    BatchItemResult r;
    r.item = in.item;
    r.width = in.image.width;
    r.height = in.image.height;
    r.channels = in.image.channels;
    r.format = in.image.meta.format;
    r.modality = in.image.meta.modality;
    r.loadSeconds = in.loadSeconds;
    r.inferSeconds = in.inferSeconds;
    const EncodeResult& res = in.result;
    if (res.latent.defined()) r.latentShape = res.latent.sizes().vec();
    r.note = res.note;  // e.g. tiled: an approximation, with its tiles' disagreement
    if (res.z.defined()) r.zShape = res.z.sizes().vec();
    if (res.decoded.defined()) r.decodedShape = res.decoded.sizes().vec();
    std::optional<Reconstruction> rec, recB;
    try {
        measure(in, r, rec, recB);
    } catch (const Error& e) {
        r.error = e.what();
        r.writeSeconds = secondsSince(t0);
        finish(std::move(r));
        return;
    }
    try {
        BatchOutputs::write(*folder_, settings_, res, rec ? &*rec : nullptr, r);
        if (compareBackend_) {
            BatchOutputs::write(*folder_, settings_, in.compared, recB ? &*recB : nullptr, r,
                                BatchOutputs::Model::B);
            r.compared = true;
        }
        r.status = BatchStatus::Done;
        storeResult(rec ? &*rec : nullptr, r);
    } catch (const OutsideOutputFolder& e) {
        // A name or a link leading out of the output folder: this item's problem, not the disk's.
        r.error = e.what();
        r.outputs.clear();
        r.outputBytes.clear();
        r.outputSha256.clear();
        r.compare.outputs.clear();
    } catch (const Error& e) {
        // Output failures stop the batch: the next item would fail the same way.
        fail(std::string("cannot write the results of '") + r.item.source + "': " + e.what());
        return;
    }
    r.writeSeconds = secondsSince(t0);
    finish(std::move(r));
}

// What the stages of one run share: the items, the queues between the stages, and the next item
// to read.
struct BatchPipeline::Stages {
    const std::vector<BatchItem>& items;
    BatchQueue<Loaded> loaded;
    BatchQueue<Inferred> inferred;
    std::atomic<std::size_t> next{0};
    LoadOptions load;

    Stages(const std::vector<BatchItem>& all, std::size_t depth)
        : items(all), loaded(depth), inferred(depth) {}
};

BatchSummary BatchPipeline::run(const std::vector<BatchItem>& items) {
    const auto start = Clock::now();
    summary_ = BatchSummary{};
    summary_.total = int(items.size());
    fatal_ = false;
    fatalError_.clear();

    // The output folder and the manifest first: a folder that cannot be written stops the batch
    // before any work is done.
    try {
        folder_ = std::make_unique<OutputFolder>(settings_.outputDir);
        manifest_ = std::make_unique<BatchManifest>(
            *folder_, settings_, description_,
            compareBackend_ ? std::optional<BackendDescription>(compareDescription_)
                            : std::nullopt);
    } catch (const Error& e) {
        summary_.fatalError = e.what();
        summary_.seconds = secondsSince(start);
        return summary_;
    }

    // A batch of N images needs N decoded images waiting.
    Stages stages(items, std::size_t(std::max({1, settings_.queueDepth, settings_.batchSize})));
    stages.load = settings_.memory.guard(
        settings_.load,
        [this](std::int64_t width, std::int64_t height) { return estimateBytes(width, height); });
    stages.load.cancelled = [this] { return stopping(); };
    runStages(stages);

    summary_.cancelled = cancelled_;
    summary_.fatalError = fatalError_;
    summary_.seconds = secondsSince(start);
    manifest_.reset();  // closes the manifest files
    folder_.reset();
    return summary_;
}

void BatchPipeline::runStages(Stages& stages) {
    std::vector<std::thread> decoders, writers;
    for (int i = 0; i < std::max(1, settings_.decodeThreads); ++i)
        decoders.emplace_back([&] { decodeStage(stages); });
    std::thread inferer([&] { inferStage(stages); });
    for (int i = 0; i < std::max(1, settings_.writeThreads); ++i)
        writers.emplace_back([&] { writeStage(stages); });

    // Cancel and fatal errors abort both queues, so no stage stays blocked on a full or empty
    // queue whose other side has stopped.
    bool allJoined = false;
    std::thread monitor([&] {
        std::unique_lock<std::mutex> lock(pauseMutex_);
        pauseCv_.wait(lock, [&] { return allJoined || cancelled_ || fatal_; });
        if (!allJoined) {
            stages.loaded.abort();
            stages.inferred.abort();
        }
    });
    // Normal shutdown in stage order: each stage drains what the one before produced.
    for (auto& t : decoders)
        t.join();
    stages.loaded.close();
    inferer.join();
    stages.inferred.close();
    for (auto& t : writers)
        t.join();
    {
        std::lock_guard<std::mutex> lock(pauseMutex_);
        allJoined = true;
    }
    pauseCv_.notify_all();
    monitor.join();
}

// Stage 1: read and decode.
void BatchPipeline::decodeStage(Stages& stages) {
    while (!stopping()) {
        waitWhilePaused();
        if (stopping()) break;
        const std::size_t i = stages.next.fetch_add(1);
        if (i >= stages.items.size()) break;
        BatchItemResult r;
        r.item = stages.items[i];
        if (!r.item.duplicateOf.empty()) {
            r.status = BatchStatus::Duplicate;
            r.error = "same input as '" + r.item.duplicateOf + "'";
            finish(std::move(r));
            continue;
        }
        if (!r.item.error.empty()) {
            r.error = r.item.error;
            finish(std::move(r));
            continue;
        }
        if (skipComplete(r.item)) continue;
        if (!loadItem(stages, r.item)) break;
    }
}

// Stage 1 for one item: its bytes read (or retrieved) once, then its image queued, or with
// everyFrame each frame of a multi-frame input as an item of its own, decoded one at a time
// (the queue bounds memory). The frame count comes from the first frame's header. False when
// the batch is stopping.
bool BatchPipeline::loadItem(Stages& stages, BatchItem& item) {
    const auto t0 = Clock::now();
    ImageLoader::SourceBytes source;
    Image first;
    try {
        source = BatchInputs::read(item, stages.load);
        first = ImageLoader::decode(source.bytes, source.name, stages.load);
    } catch (const Error& e) {
        return failLoad(item, e, t0);
    }
    const int frames = first.meta.format == "DICOM" ? first.meta.frames : 0;
    if (!settings_.everyFrame || frames <= 1) {
        item.frameCount = frames;
        return stages.loaded.push(Loaded{item, std::move(first), secondsSince(t0)});
    }
    {
        std::lock_guard<std::mutex> lock(finishMutex_);
        summary_.total += frames - 1;
    }
    for (int k = 0; k < frames && !stopping(); ++k) {
        BatchItem frame = BatchInputs::frameItem(item, k, frames);
        const auto tk = Clock::now();
        // Frame names are known only now: one another input claimed fails the frame before
        // anything of it is written.
        if (frame.batchClaims) {
            const std::string taken =
                frame.batchClaims->claimedByAnother(frame.relativeStem, frame.source);
            if (!taken.empty()) {
                if (!failLoad(frame, Error(taken), tk)) return false;
                continue;
            }
        }
        if (skipComplete(frame)) continue;
        try {
            LoadOptions options = stages.load;
            options.frame = k;
            Image image = k == stages.load.frame
                              ? std::move(first)
                              : ImageLoader::decode(source.bytes, source.name, options);
            if (!stages.loaded.push(Loaded{frame, std::move(image), secondsSince(tk)}))
                return false;
        } catch (const Error& e) {
            if (!failLoad(frame, e, tk)) return false;
        }
    }
    return true;
}

bool BatchPipeline::failLoad(const BatchItem& item, const Error& error, Clock::time_point t0) {
    if (stopping()) return false;  // a download cut short by cancel is not the input's fault
    BatchItemResult r;
    r.item = item;
    r.error = error.what();
    r.loadSeconds = secondsSince(t0);
    finish(std::move(r));
    return true;
}

// For a record written before frames were counted: whether the input holds several frames
// (each now an item of its own). An input that cannot be read is left to its next load.
bool BatchPipeline::holdsSeveralFrames(const BatchItem& item, const LoadOptions& options) {
    try {
        const ImageLoader::SourceBytes s = BatchInputs::read(item, options);
        return DicomStackHeader::frameCount(s.bytes, s.name, options) > 1;
    } catch (const Error&) {
        return true;
    }
}

// Stage 2: inference, one call at a time (the backend uses every core itself).
void BatchPipeline::inferStage(Stages& stages) {
    RunControl control;
    control.cancelled = [this] { return stopping(); };
    const std::size_t wanted = std::size_t(std::max(1, settings_.batchSize));
    std::vector<Loaded> waiting;  // taken from the queue, not run yet (another size)
    for (;;) {
        if (waiting.empty()) {
            auto next = stages.loaded.pop();
            if (!next) break;
            waiting.push_back(std::move(*next));
        }
        // The batch: images of the first one's size, as many as the queue brings and memory
        // allows; an image of another size waits for the next batch.
        std::vector<Loaded> batch, later;
        batch.push_back(std::move(waiting.front()));
        const int width = batch.front().image.width, height = batch.front().image.height;
        const std::size_t limit = std::size_t(std::min<std::uint64_t>(
            wanted, settings_.memory.imagesThatFit(width, height, estimateBytes(width, height))));
        batch.reserve(limit);  // `first` stays valid while the batch fills
        const Image& first = batch.front().image;
        for (std::size_t i = 1; i < waiting.size(); ++i) {
            Loaded& l = waiting[i];
            (l.image.sameShape(first) && batch.size() < limit ? batch : later)
                .push_back(std::move(l));
        }
        while (batch.size() < limit && later.empty()) {
            auto more = stages.loaded.pop();
            if (!more) break;
            (more->image.sameShape(first) ? batch : later).push_back(std::move(*more));
        }
        waiting = std::move(later);
        waitWhilePaused();
        if (stopping() || !inferBatch(stages, batch, control)) break;
    }
}

// One backend call for images of one size; when it fails, each image runs alone so that each
// gets its own result or error. False when the batch is stopping.
bool BatchPipeline::inferBatch(Stages& stages, std::vector<Loaded>& batch,
                               const RunControl& control) {
    if (batch.size() == 1) return inferOne(stages, batch.front(), control);
    std::vector<const Image*> images;
    for (const Loaded& l : batch) {
        if (onStarted) onStarted(l.item);
        images.push_back(&l.image);
    }
    const auto t0 = Clock::now();
    std::vector<EncodeResult> results, compared;
    try {
        results = backend_->runBatch(images, settings_.encode, &control);
        if (compareBackend_)
            compared = compareBackend_->runBatch(images, settings_.encode, &control);
    } catch (const Cancelled&) {
        return false;
    } catch (const Error&) {
        if (stopping()) return false;
        for (Loaded& l : batch)
            if (!inferOne(stages, l, control)) return false;
        return true;
    }
    const double each = secondsSince(t0) / double(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        Inferred inferred{batch[i].item,
                          std::move(batch[i].image),
                          std::move(results[i]),
                          batch[i].loadSeconds,
                          each,
                          compareBackend_ ? std::move(compared[i]) : EncodeResult{}};
        if (!stages.inferred.push(std::move(inferred))) return false;
    }
    return true;
}

bool BatchPipeline::inferOne(Stages& stages, Loaded& loaded, const RunControl& control) {
    if (onStarted) onStarted(loaded.item);
    const auto t0 = Clock::now();
    try {
        EncodeResult result = backend_->run(loaded.image, settings_.encode, &control);
        EncodeResult compared;
        if (compareBackend_) compared = runCompared(loaded.image, control);
        Inferred inferred{loaded.item,        std::move(loaded.image), std::move(result),
                          loaded.loadSeconds, secondsSince(t0),        std::move(compared)};
        return stages.inferred.push(std::move(inferred));
    } catch (const Cancelled&) {
        return false;
    } catch (const Error& e) {
        if (stopping()) return false;
        BatchItemResult r;
        r.item = loaded.item;
        r.error = e.what();
        r.width = loaded.image.width;
        r.height = loaded.image.height;
        r.channels = loaded.image.channels;
        r.format = loaded.image.meta.format;
        r.modality = loaded.image.meta.modality;
        r.loadSeconds = loaded.loadSeconds;
        r.inferSeconds = secondsSince(t0);
        finish(std::move(r));
        return true;
    }
}

// Stage 3: metrics and files.
void BatchPipeline::writeStage(Stages& stages) {
    while (auto in = stages.inferred.pop()) {
        if (stopping()) break;
        writeResults(*in);
    }
}

}  // namespace medvae::jobs
