#include "batch_pipeline.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <ATen/ATen.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <thread>

#include "batch_queue.h"
#include "colormap.h"
#include "error.h"
#include "image_loader.h"
#include "manifest_writer.h"
#include "nifti_writer.h"
#include "npy_file.h"
#include "png_writer.h"
#include "preprocessing.h"
#include "reconstruction.h"

namespace medvae::jobs {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

const std::vector<std::string> kColumns = {
    "index",         "input",      "output_stem", "status",      "error",        "outputs",
    "width",         "height",     "channels",    "format",      "latent_shape", "z_shape",
    "decoded_shape", "psnr_db",    "ssim",        "mae",         "max_error",    "cropped",
    "load_s",        "infer_s",    "write_s",     "model",       "model_sha256", "backend",
    "device",        "demo_model", "settings",    "app_version", "finished_at"};

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string s;
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? "x" : "") + std::to_string(shape[i]);
    return s;
}

QJsonArray shapeJson(const std::vector<std::int64_t>& shape) {
    QJsonArray a;
    for (auto d : shape)
        a.append(double(d));
    return a;
}

std::string number(double v) {
    if (!std::isfinite(v)) return v > 0 ? "inf" : "nan";
    return QString::number(v, 'g', 8).toStdString();
}

QJsonValue jsonNumber(double v) {
    // JSON has no infinity: identical images (PSNR = inf) are written as the string "inf".
    if (!std::isfinite(v)) return QString::fromStdString(number(v));
    return v;
}

// What identifies the model for --resume: its checkpoint's hash, or for a backend without one
// (a remote endpoint) where it runs.
std::string modelKey(const BackendDescription& d) {
    return d.modelSha256.empty() ? d.kind + ":" + d.model + "@" + d.location : d.modelSha256;
}

void writeTensorNpy(const std::string& path, const at::Tensor& t) {
    const at::Tensor c = t.to(at::kFloat).contiguous();
    NpyFile::write(path, c.data_ptr<float>(), c.sizes().vec());
}

// |original - reconstruction| averaged over channels, drawn with magma from 0 to the 99th
// percentile (so a few outliers do not wash out the map).
cv::Mat errorHeatmap(const Image& signedError) {
    const std::size_t n = std::size_t(signedError.width) * std::size_t(signedError.height);
    std::vector<float> magnitude(n, 0.0f);
    for (int c = 0; c < signedError.channels; ++c) {
        const float* p = signedError.plane(c);
        for (std::size_t i = 0; i < n; ++i)
            magnitude[i] += std::fabs(p[i]) / signedError.channels;
    }
    float hi = 0;
    try {
        hi = Colormap::percentiles(magnitude.data(), n, 0, 99).second;
    } catch (const Error&) {
        hi = 0;  // no finite value: drawn black
    }
    if (!(hi > 0)) hi = 1;
    cv::Mat rgb(signedError.height, signedError.width, CV_8UC3);
    Colormap::apply(ColormapKind::Magma, magnitude.data(), n, 0.0f, hi, rgb.ptr<std::uint8_t>());
    return rgb;
}

// Removes temporary files a killed run left for `name` in `dir` (AtomicFile names them
// ".<name>.partial-<pid>-<n>"). Only this item's names: other shards may be writing their own.
void removeStalePartials(const fs::path& dir, const std::string& name) {
    std::error_code ec;
    const std::string prefix = "." + name + ".partial-";
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string f = it->path().filename().string();
        if (f.rfind(prefix, 0) == 0) {
            std::error_code rm;
            fs::remove(it->path(), rm);
        }
    }
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
        k += ";window=" + number(load.windowCenter) + "," + number(load.windowWidth);
    return k;
}

std::vector<std::string> BatchPipeline::outputNames(const BatchSettings& s,
                                                    const std::string& stem) {
    std::vector<std::string> names;
    if (s.latentNpy) names.push_back(stem + "_latent.npy");
    if (s.zNpy) names.push_back(stem + "_z.npy");
    if (s.decodedPng) names.push_back(stem + "_decoded.png");
    if (s.errorPng) names.push_back(stem + "_error.png");
    if (s.nifti) names.push_back(stem + s.niftiSuffix);
    return names;
}

struct BatchPipeline::Manifest {
    std::unique_ptr<ManifestWriter> writer;
    // output stem -> input of records complete for this model and these settings
    std::map<std::string, std::string> complete;
};

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
};

BatchPipeline::BatchPipeline(std::shared_ptr<InferenceBackend> backend, BatchSettings settings)
    : backend_(std::move(backend)), settings_(std::move(settings)) {
    if (!backend_) throw Error("no inference backend was given to the batch");
    description_ = backend_->describe();
    settings_.encode.decode = settings_.decodes();
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
        const std::string finishedAt =
            QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
        std::string outputs;
        for (const auto& o : r.outputs)
            outputs += (outputs.empty() ? "" : ";") + o;
        const ImageComparison& m = r.metrics;
        auto metric = [&](double v) { return r.hasMetrics ? number(v) : std::string(); };
        std::vector<std::string> fields = {
            std::to_string(r.item.index),
            r.item.source,
            r.item.relativeStem,
            batchStatusName(r.status),
            r.error,
            outputs,
            r.width ? std::to_string(r.width) : "",
            r.height ? std::to_string(r.height) : "",
            r.channels ? std::to_string(r.channels) : "",
            r.format,
            shapeText(r.latentShape),
            shapeText(r.zShape),
            shapeText(r.decodedShape),
            metric(m.psnr),
            metric(m.ssim),
            metric(m.mae),
            metric(m.maxError),
            r.hasMetrics ? (r.cropped ? "1" : "0") : "",
            number(r.loadSeconds),
            number(r.inferSeconds),
            number(r.writeSeconds),
            description_.model,
            description_.modelSha256,
            description_.kind + (description_.location.empty() ? "" : ":" + description_.location),
            description_.device,
            description_.demoModel ? "1" : "0",
            settings_.settingsKey(),
            settings_.appVersion,
            finishedAt};
        QJsonObject o;
        o["index"] = r.item.index;
        o["input"] = QString::fromStdString(r.item.source);
        o["output_stem"] = QString::fromStdString(r.item.relativeStem);
        o["status"] = batchStatusName(r.status);
        o["error"] = QString::fromStdString(r.error);
        QJsonArray outs;
        for (const auto& out : r.outputs)
            outs.append(QString::fromStdString(out));
        o["outputs"] = outs;
        if (r.width) {
            o["width"] = r.width;
            o["height"] = r.height;
            o["channels"] = r.channels;
            o["format"] = QString::fromStdString(r.format);
        }
        if (!r.latentShape.empty()) o["latent_shape"] = shapeJson(r.latentShape);
        if (!r.zShape.empty()) o["z_shape"] = shapeJson(r.zShape);
        if (!r.decodedShape.empty()) o["decoded_shape"] = shapeJson(r.decodedShape);
        if (r.hasMetrics) {
            QJsonObject mo;
            mo["psnr_db"] = jsonNumber(m.psnr);
            mo["ssim"] = jsonNumber(m.ssim);
            mo["mae"] = jsonNumber(m.mae);
            mo["max_error"] = jsonNumber(m.maxError);
            mo["cropped"] = r.cropped;
            o["metrics"] = mo;
        }
        QJsonObject t;
        t["load_s"] = r.loadSeconds;
        t["infer_s"] = r.inferSeconds;
        t["write_s"] = r.writeSeconds;
        o["timings"] = t;
        QJsonObject model;
        model["name"] = QString::fromStdString(description_.model);
        model["sha256"] = QString::fromStdString(description_.modelSha256);
        model["backend"] = QString::fromStdString(description_.kind);
        model["location"] = QString::fromStdString(description_.location);
        model["device"] = QString::fromStdString(description_.device);
        model["precision"] = QString::fromStdString(description_.precision);
        model["demo_model"] = description_.demoModel;
        model["key"] = QString::fromStdString(modelKey(description_));
        o["model"] = model;
        o["settings"] = QString::fromStdString(settings_.settingsKey());
        o["app_version"] = QString::fromStdString(settings_.appVersion);
        o["finished_at"] = QString::fromStdString(finishedAt);
        try {
            manifest_->writer->append(
                fields, QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString());
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

BatchSummary BatchPipeline::run(const std::vector<BatchItem>& items) {
    const auto start = Clock::now();
    summary_ = BatchSummary{};
    summary_.total = int(items.size());
    fatal_ = false;
    fatalError_.clear();

    // The output folder and the manifest first: a folder that cannot be written stops the batch
    // before any work is done.
    const fs::path outDir(settings_.outputDir);
    manifest_ = std::make_unique<Manifest>();
    try {
        std::error_code ec;
        fs::create_directories(outDir, ec);
        if (ec || !fs::is_directory(outDir))
            throw Error("cannot create the output folder '" + settings_.outputDir +
                        "': " + (ec ? ec.message() : std::string("not a folder")));
        if (settings_.resume) {
            const std::string key = modelKey(description_), s = settings_.settingsKey();
            for (fs::directory_iterator it(outDir, ec), end; !ec && it != end; it.increment(ec)) {
                const std::string f = it->path().filename().string();
                if (f.rfind("manifest", 0) != 0 || it->path().extension() != ".jsonl") continue;
                for (const std::string& line : ManifestWriter::readLines(it->path().string())) {
                    const QJsonObject o =
                        QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
                    if (o.value("status").toString() != "ok" ||
                        o.value("settings").toString().toStdString() != s ||
                        o.value("model").toObject().value("key").toString().toStdString() != key)
                        continue;
                    manifest_->complete[o.value("output_stem").toString().toStdString()] =
                        o.value("input").toString().toStdString();
                }
            }
        }
        manifest_->writer =
            std::make_unique<ManifestWriter>((outDir / settings_.manifestName).string(), kColumns);
    } catch (const Error& e) {
        summary_.fatalError = e.what();
        summary_.seconds = secondsSince(start);
        return summary_;
    }

    BatchQueue<Loaded> loadedQueue(std::size_t(std::max(1, settings_.queueDepth)));
    BatchQueue<Inferred> inferredQueue(std::size_t(std::max(1, settings_.queueDepth)));
    std::atomic<std::size_t> next{0};
    LoadOptions loadOptions = settings_.load;
    loadOptions.cancelled = [this] { return stopping(); };

    // Stage 1: read and decode.
    auto decodeWorker = [&] {
        while (!stopping()) {
            waitWhilePaused();
            if (stopping()) break;
            const std::size_t i = next.fetch_add(1);
            if (i >= items.size()) break;
            const BatchItem& item = items[i];
            BatchItemResult r;
            r.item = item;
            if (!item.duplicateOf.empty()) {
                r.status = BatchStatus::Duplicate;
                r.error = "same input as '" + item.duplicateOf + "'";
                finish(std::move(r));
                continue;
            }
            if (!item.error.empty()) {
                r.error = item.error;
                finish(std::move(r));
                continue;
            }
            if (settings_.resume) {
                auto done = manifest_->complete.find(item.relativeStem);
                bool complete = done != manifest_->complete.end() && done->second == item.source;
                for (const auto& name : outputNames(settings_, item.relativeStem)) {
                    std::error_code ec;
                    complete = complete && fs::is_regular_file(outDir / name, ec);
                }
                if (complete) {
                    r.status = BatchStatus::Skipped;
                    r.outputs = outputNames(settings_, item.relativeStem);
                    finish(std::move(r));
                    continue;
                }
            }
            const auto t0 = Clock::now();
            try {
                Loaded loaded{item, ImageLoader::load(item.source, loadOptions), 0};
                loaded.loadSeconds = secondsSince(t0);
                if (!loadedQueue.push(std::move(loaded))) break;
            } catch (const Error& e) {
                if (stopping()) break;  // a download cut short by cancel is not the input's fault
                r.error = e.what();
                r.loadSeconds = secondsSince(t0);
                finish(std::move(r));
            }
        }
    };

    // Stage 2: inference, one call at a time (the backend uses every core itself).
    RunControl control;
    control.cancelled = [this] { return stopping(); };
    auto inferWorker = [&] {
        while (auto loaded = loadedQueue.pop()) {
            waitWhilePaused();
            if (stopping()) break;
            if (onStarted) onStarted(loaded->item);
            const auto t0 = Clock::now();
            try {
                EncodeResult result = backend_->run(loaded->image, settings_.encode, &control);
                Inferred inferred{loaded->item, std::move(loaded->image), std::move(result),
                                  loaded->loadSeconds, secondsSince(t0)};
                if (!inferredQueue.push(std::move(inferred))) break;
            } catch (const Cancelled&) {
                break;
            } catch (const Error& e) {
                if (stopping()) break;
                BatchItemResult r;
                r.item = loaded->item;
                r.error = e.what();
                r.width = loaded->image.width;
                r.height = loaded->image.height;
                r.channels = loaded->image.channels;
                r.format = loaded->image.meta.format;
                r.loadSeconds = loaded->loadSeconds;
                r.inferSeconds = secondsSince(t0);
                finish(std::move(r));
            }
        }
    };

    // Stage 3: metrics and files.
    auto writeWorker = [&] {
        while (auto in = inferredQueue.pop()) {
            if (stopping()) break;
            const auto t0 = Clock::now();
            BatchItemResult r;
            r.item = in->item;
            r.width = in->image.width;
            r.height = in->image.height;
            r.channels = in->image.channels;
            r.format = in->image.meta.format;
            r.loadSeconds = in->loadSeconds;
            r.inferSeconds = in->inferSeconds;
            const EncodeResult& res = in->result;
            if (res.latent.defined()) r.latentShape = res.latent.sizes().vec();
            if (res.z.defined()) r.zShape = res.z.sizes().vec();
            if (res.decoded.defined()) r.decodedShape = res.decoded.sizes().vec();
            std::optional<Reconstruction> rec;
            try {
                if (!res.latent.defined()) throw Error("the backend returned no latent");
                if (settings_.zNpy && !res.z.defined())
                    throw Error(
                        "the backend does not provide z (stage-1 latent); leave out the "
                        "z format");
                if (settings_.decodes()) {
                    if (!res.decoded.defined())
                        throw Error("the backend returned no reconstruction");
                    rec = compareReconstruction(in->image, res.decoded);
                    r.hasMetrics = true;
                    r.metrics = rec->metrics;
                    r.cropped = rec->cropped;
                }
            } catch (const Error& e) {
                r.error = e.what();
                r.writeSeconds = secondsSince(t0);
                finish(std::move(r));
                continue;
            }
            // Output failures stop the batch: the next item would fail the same way.
            try {
                const fs::path base = outDir / fs::path(r.item.relativeStem);
                std::error_code ec;
                fs::create_directories(base.parent_path(), ec);
                if (ec)
                    throw Error("cannot create the folder '" + base.parent_path().string() +
                                "': " + ec.message());
                for (const auto& name : outputNames(settings_, r.item.relativeStem))
                    removeStalePartials(base.parent_path(), fs::path(name).filename().string());
                const std::string b = base.string();
                if (settings_.latentNpy) writeTensorNpy(b + "_latent.npy", res.latent);
                if (settings_.zNpy) writeTensorNpy(b + "_z.npy", res.z);
                if (settings_.decodedPng)
                    PngWriter::write(b + "_decoded.png",
                                     Preprocessing::toPixels(res.decoded, settings_.pngBits));
                if (settings_.errorPng)
                    PngWriter::write(b + "_error.png", errorHeatmap(rec->signedError));
                if (settings_.nifti) {
                    // As upstream saves it: latent.squeeze() (a 1-channel latent becomes [h, w]).
                    const at::Tensor l = res.latent.to(at::kFloat).squeeze().contiguous();
                    NiftiWriter::write(b + settings_.niftiSuffix, l.data_ptr<float>(),
                                       l.sizes().vec());
                }
                r.outputs = outputNames(settings_, r.item.relativeStem);
                r.status = BatchStatus::Done;
            } catch (const Error& e) {
                fail(std::string("cannot write the results of '") + r.item.source +
                     "': " + e.what());
                break;
            }
            r.writeSeconds = secondsSince(t0);
            finish(std::move(r));
        }
    };

    std::vector<std::thread> decoders, writers;
    for (int i = 0; i < std::max(1, settings_.decodeThreads); ++i)
        decoders.emplace_back(decodeWorker);
    std::thread inferer(inferWorker);
    for (int i = 0; i < std::max(1, settings_.writeThreads); ++i)
        writers.emplace_back(writeWorker);

    // Cancel and fatal errors abort both queues, so no stage stays blocked on a full or empty
    // queue whose other side has stopped.
    bool allJoined = false;
    std::thread monitor([&] {
        std::unique_lock<std::mutex> lock(pauseMutex_);
        pauseCv_.wait(lock, [&] { return allJoined || cancelled_ || fatal_; });
        if (!allJoined) {
            loadedQueue.abort();
            inferredQueue.abort();
        }
    });
    // Normal shutdown in stage order: each stage drains what the one before produced.
    for (auto& t : decoders)
        t.join();
    loadedQueue.close();
    inferer.join();
    inferredQueue.close();
    for (auto& t : writers)
        t.join();
    {
        std::lock_guard<std::mutex> lock(pauseMutex_);
        allJoined = true;
    }
    pauseCv_.notify_all();
    monitor.join();

    summary_.cancelled = cancelled_;
    summary_.fatalError = fatalError_;
    summary_.seconds = secondsSince(start);
    manifest_->writer.reset();
    return summary_;
}

}  // namespace medvae::jobs
