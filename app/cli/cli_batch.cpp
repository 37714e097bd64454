// medvae-cli batch: the batch pipeline without a window, for scripts and clusters.

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "archive_inputs.h"
#include "archive_store.h"
#include "batch_console.h"
#include "batch_inputs.h"
#include "batch_pipeline.h"
#include "cli_commands.h"
#include "cli_output.h"
#include "engine_arguments.h"
#include "error.h"
#include "hf_cache.h"
#include "image_loader.h"
#include "interrupt_watch.h"
#include "local_backend.h"
#include "resource_paths.h"
#include "shard_lock.h"

namespace medvae::cli {
namespace {

// Upstream medvae_inference spells its options with one dash; map them onto ours.
QStringList normaliseUpstreamSpelling(const QStringList& arguments, bool& upstream) {
    QStringList a;
    upstream = false;
    for (const QString& arg : arguments) {
        if (arg == "-model_name") {
            a << "--model-name";
            upstream = true;
        } else if (arg == "-modality") {
            a << "--modality";
            upstream = true;
        } else if (arg == "-ckpt_path") {
            a << "--model";
            upstream = true;
        } else if (arg == "-device") {
            a << "--device";
        } else {
            a << arg;
        }
    }
    return a;
}

// The options of batch.
struct BatchArguments {
    QCommandLineOption input{
        {"i", "input"}, "Input file, folder, list file or URL (repeatable).", "INPUT"};
    QCommandLineOption output{{"o", "output"}, "Output folder (created when missing).", "OUTDIR"};
    QCommandLineOption model{
        {"m", "model"}, "Checkpoint file (default: the bundled demo model).", "CKPT"};
    QCommandLineOption modelName{
        "model-name", "Published model to take from the Hugging Face cache (medvae_8_4_2d, ...).",
        "NAME"};
    QCommandLineOption compareModel{
        "compare-model",
        "Model B: a second checkpoint every item also runs through, for an A/B comparison. Its "
        "files carry _b before the extension (<stem>_latent_b.npy, ...); the manifest records its "
        "metrics under \"compare\" (CSV: psnr_db_b, ...). Same input channels as --model.",
        "CKPT"};
    QCommandLineOption modality{"modality", "xray, ct or mri (upstream option; 2D models only).",
                                "M"};
    QCommandLineOption decode{"decode", "Also reconstruct and measure (PSNR, SSIM, MAE)."};
    QCommandLineOption formats{"formats",
                               "Comma-separated outputs: npy,z,png,error,nii (default npy; npy,png "
                               "with --decode). png and error imply --decode.",
                               "LIST"};
    QCommandLineOption workers{"workers", "Reading and writing threads each (default 2).", "N",
                               "2"};
    QCommandLineOption resume{"resume",
                              "Skip items already complete in OUTDIR for the same model and "
                              "settings; redo unfinished ones."};
    QCommandLineOption shard{"shard",
                             "Process only shard I (0-based) of N: items whose index modulo N is "
                             "I (for job arrays). A run holds OUTDIR/manifest-shard-I-of-N.lock: a "
                             "second run of the same shard stops naming the first.",
                             "I/N"};
    QCommandLineOption device{"device", "cpu, cuda or cuda:N (default cpu).", "DEVICE", "cpu"};
    QCommandLineOption threads{"threads", "CPU threads for inference (default: all cores).", "N",
                               "0"};
    QCommandLineOption precision{
        "precision", "fp32 (default), bf16, or fp16 (CUDA only) for the encoder/decoder bodies.",
        "P", "fp32"};
    QCommandLineOption batch{"batch",
                             "Images of one size encoded together in one pass (default 1; faster "
                             "on a GPU, N times the memory; results as one by one).",
                             "N", "1"};
    QCommandLineOption include{"include", "Only files matching this glob (repeatable).", "GLOB"};
    QCommandLineOption exclude{"exclude", "Skip files matching this glob (repeatable).", "GLOB"};
    QCommandLineOption pngBits{"png-bits", "Bits per sample of PNG outputs: 8 (default) or 16.",
                               "BITS", "8"};
    QCommandLineOption progress{"progress", "Progress display: auto (default), bar or lines.",
                                "MODE", "auto"};
    QCommandLineOption measureEngine{
        "measure-engine",
        "Measure only: load every image first, then time the inference backend alone on them "
        "(images/s), writing nothing; compare with a normal run's rate."};
    QCommandLineOption maxMemory{
        "max-memory-gb",
        "Memory one image may take, decoding and model together; larger images fail before "
        "decoding (default: 75 % of this machine's memory, or MEDVAE_MAX_MEMORY_GB).",
        "GB"};

    void addTo(QCommandLineParser& parser) {
        parser.addOptions({input,   output,  model,   modelName, modality,      decode,    formats,
                           workers, resume,  shard,   device,    threads,       precision, batch,
                           include, exclude, pngBits, progress,  measureEngine, maxMemory});
        parser.addOption(compareModel);
        parser.addOption(frames);
        archive.addTo(parser);
        tiles.addTo(parser);
    }
    TileArguments tiles;
    QCommandLineOption frames{
        "frames",
        "Frames of multi-frame DICOM inputs: all (default; each frame its own item, "
        "<stem>/frame_0000_latent.npy, ..., its manifest record with frame and frame_count) or "
        "first (frame 0 only, named as the input).",
        "WHICH", "all"};
    ArchiveInputs::Arguments archive;  // --dicomweb, --pacs, --dimse and what they select
};

bool readFrames(const QCommandLineParser& parser, const BatchArguments& a,
                jobs::BatchSettings& settings, QString& error) {
    const QString which = parser.value(a.frames).toLower();
    if (which != "all" && which != "first") return error = "--frames must be all or first", false;
    settings.everyFrame = which == "all";
    return true;
}

// What the options ask for, checked.
struct BatchPlan {
    QStringList inputs;
    ArchiveInputs::Plan archive;
    jobs::BatchSettings settings;
    EngineOptions engineOptions;
    int shardIndex = 0, shardCount = 1;
    bool bar = false;  // a progress bar redrawn in place, instead of a line per item
};

// Each reader below checks some options in the order the usage errors are reported; false with
// the reason in `error` when an option is missing, malformed or contradicts another.
bool readInputs(const QCommandLineParser& parser, const BatchArguments& a, BatchPlan& plan,
                QString& error) {
    plan.inputs = parser.values(a.input) + parser.positionalArguments();
    const bool archive = parser.isSet(a.archive.dicomweb) || parser.isSet(a.archive.pacs) ||
                         parser.isSet(a.archive.dimse);
    if (plan.inputs.isEmpty() && !archive)
        return error = "no inputs given (-i INPUT, or an archive: --dicomweb, --pacs, --dimse)",
               false;
    if (!parser.isSet(a.output) && !parser.isSet(a.measureEngine))
        return error = "-o OUTDIR is required", false;
    if (parser.isSet(a.model) && parser.isSet(a.modelName))
        return error = "--model and --model-name exclude each other", false;
    if (parser.isSet(a.modality)) {
        const QString m = parser.value(a.modality).toLower();
        if (m != "xray" && m != "ct" && m != "mri")
            return error = "--modality must be xray, ct or mri", false;
        if (m != "xray" && parser.isSet(a.modelName) && parser.value(a.modelName).endsWith("_3d"))
            return error = "3D models are not supported; use a 2D model", false;
    }
    return true;
}

bool readFormats(const QCommandLineParser& parser, const BatchArguments& a, bool upstream,
                 jobs::BatchSettings& settings, QString& error) {
    // The names --formats accepts, and the output each switches on.
    static const std::pair<const char*, bool jobs::BatchSettings::*> kFormats[] = {
        {"npy", &jobs::BatchSettings::latentNpy},
        {"latent", &jobs::BatchSettings::latentNpy},
        {"z", &jobs::BatchSettings::zNpy},
        {"png", &jobs::BatchSettings::decodedPng},
        {"decoded", &jobs::BatchSettings::decodedPng},
        {"error", &jobs::BatchSettings::errorPng},
        {"nii", &jobs::BatchSettings::nifti},
        {"nifti", &jobs::BatchSettings::nifti}};
    QString formatList = parser.value(a.formats);
    if (formatList.isEmpty()) formatList = upstream ? "nii" : (settings.decode ? "npy,png" : "npy");
    settings.latentNpy = false;
    for (const QString& f : formatList.split(',', Qt::SkipEmptyParts)) {
        const QString t = f.trimmed().toLower();
        const auto known = std::find_if(std::begin(kFormats), std::end(kFormats),
                                        [&t](const auto& format) { return t == format.first; });
        if (known == std::end(kFormats))
            return error = "unknown format '" + t + "' (known: npy, z, png, error, nii)", false;
        settings.*(known->second) = true;
    }
    if (settings.formats().empty()) return error = "--formats names no output", false;
    if (upstream && !parser.isSet(a.formats)) settings.niftiSuffix = ".nii.gz";
    // Upstream's <stem>.nii.gz leaves model B no name that could never be another item's.
    if (upstream && parser.isSet(a.compareModel))
        return error =
                   "--compare-model does not go with the upstream spelling; use --model-name "
                   "and --formats",
               false;
    return true;
}

bool readPipeline(const QCommandLineParser& parser, const BatchArguments& a,
                  jobs::BatchSettings& settings, QString& error) {
    bool ok = false;
    settings.pngBits = parser.value(a.pngBits).toInt(&ok);
    if (!ok || (settings.pngBits != 8 && settings.pngBits != 16))
        return error = "--png-bits must be 8 or 16", false;
    const int workerCount = parser.value(a.workers).toInt(&ok);
    if (!ok || workerCount < 1 || workerCount > 64)
        return error = "--workers takes a number from 1 to 64", false;
    settings.decodeThreads = settings.writeThreads = workerCount;
    if (parser.isSet(a.maxMemory)) {
        const double gb = parser.value(a.maxMemory).toDouble(&ok);
        if (!ok || !(gb > 0)) return error = "--max-memory-gb takes a positive number", false;
        settings.memory = MemoryBudget::fromGigabytes(gb);
    }
    settings.queueDepth = std::max(2, workerCount * 2);
    settings.resume = parser.isSet(a.resume);
    return true;
}

bool readShard(const QCommandLineParser& parser, const BatchArguments& a, BatchPlan& plan,
               QString& error) {
    if (!parser.isSet(a.shard)) return true;
    const QStringList parts = parser.value(a.shard).split('/');
    bool okI = false, okN = false;
    if (parts.size() == 2) {
        plan.shardIndex = parts[0].toInt(&okI);
        plan.shardCount = parts[1].toInt(&okN);
    }
    if (!okI || !okN || plan.shardCount < 1 || plan.shardIndex < 0 ||
        plan.shardIndex >= plan.shardCount)
        return error = "--shard takes I/N with 0 <= I < N (e.g. 0/4)", false;
    if (plan.shardCount > 1)
        plan.settings.manifestName = QString("manifest-shard-%1-of-%2")
                                         .arg(plan.shardIndex)
                                         .arg(plan.shardCount)
                                         .toStdString();
    return true;
}

bool readEngineAndDisplay(const QCommandLineParser& parser, const BatchArguments& a,
                          BatchPlan& plan, QString& error) {
    try {
        parseDevice(parser.value(a.device).toLower().toStdString(), plan.engineOptions);
        plan.engineOptions.precision =
            parsePrecision(parser.value(a.precision).toLower().toStdString());
    } catch (const Error& e) {
        return error = QString::fromUtf8(e.what()), false;
    }
    bool ok = false;
    plan.engineOptions.threads = parser.value(a.threads).toInt(&ok);
    if (!ok || plan.engineOptions.threads < 0)
        return error = "--threads takes a whole number", false;
    if (!a.tiles.apply(parser, plan.engineOptions, error)) return false;
    plan.settings.batchSize = parser.value(a.batch).toInt(&ok);
    if (!ok || plan.settings.batchSize < 1 || plan.settings.batchSize > 256)
        return error = "--batch takes a whole number from 1 to 256", false;
    const QString mode = parser.value(a.progress);
    if (mode != "auto" && mode != "bar" && mode != "lines")
        return error = "--progress must be auto, bar or lines", false;
    plan.bar = mode == "bar" || (mode == "auto" && ::isatty(STDOUT_FILENO));
    return true;
}

std::optional<BatchPlan> planOf(const QCommandLineParser& parser, const BatchArguments& a,
                                bool upstream, QString& error) {
    BatchPlan plan;
    jobs::BatchSettings& settings = plan.settings;
    if (!readInputs(parser, a, plan, error)) return std::nullopt;
    settings.outputDir = str(parser.value(a.output));
    settings.appVersion = MEDVAE_VERSION;
    settings.decode = parser.isSet(a.decode);
    if (!readFormats(parser, a, upstream, settings, error) ||
        !readPipeline(parser, a, settings, error) || !readShard(parser, a, plan, error) ||
        !readEngineAndDisplay(parser, a, plan, error) || !readFrames(parser, a, settings, error))
        return std::nullopt;
    // The engine fits its bands and attention chunks to the same budget (EngineOptions).
    plan.engineOptions.maxMemoryBytes = settings.memory.bytes();
    return plan;
}

// The model: a file, a published model from the Hugging Face cache, or the demo model; nothing
// (the error reported) when there is none.
std::optional<std::string> locateCheckpoint(const QCommandLineParser& parser,
                                            const BatchArguments& a) {
    std::string checkpoint;
    try {
        if (parser.isSet(a.model))
            checkpoint = str(parser.value(a.model));
        else if (parser.isSet(a.modelName))
            checkpoint =
                HuggingFaceCache::locate(HuggingFaceCache::root(), str(parser.value(a.modelName)));
        else
            checkpoint = ResourcePaths::demoModel();
    } catch (const Error& e) {
        err() << "medvae-cli: error: " << e.what() << Qt::endl;
        return std::nullopt;
    }
    if (checkpoint.empty()) {
        err() << "medvae-cli: error: no model given and no bundled demo model was found; use "
                 "--model CKPT or --model-name NAME"
              << Qt::endl;
        return std::nullopt;
    }
    return checkpoint;
}

// The lock on this shard's outputs (see ShardLock); nothing (the error reported) when another
// run holds it.
std::unique_ptr<jobs::ShardLock> lockShard(const jobs::BatchSettings& settings) {
    try {
        auto lock = std::make_unique<jobs::ShardLock>(settings.outputDir, settings.manifestName);
        if (!lock->staleHolder().empty())
            err() << "medvae-cli: taking over the stale lock "
                  << QString::fromStdString(lock->path()) << " left by "
                  << QString::fromStdString(lock->staleHolder()) << Qt::endl;
        return lock;
    } catch (const Error& e) {
        err() << "medvae-cli: error: " << e.what() << Qt::endl;
        return nullptr;
    }
}

// The items of this shard; nothing (the error reported) when an input cannot be listed.
std::optional<std::vector<jobs::BatchItem>> collectItems(const QCommandLineParser& parser,
                                                         const BatchArguments& a, BatchPlan& plan) {
    try {
        jobs::BatchInputOptions inputOptions;
        for (const QString& g : parser.values(a.include))
            inputOptions.include.push_back(str(g));
        for (const QString& g : parser.values(a.exclude))
            inputOptions.exclude.push_back(str(g));
        inputOptions.skipDir = plan.settings.outputDir;
        std::vector<std::string> in;
        for (const QString& s : plan.inputs)
            in.push_back(str(s));
        std::vector<jobs::BatchItem> all;
        if (!in.empty()) all = jobs::BatchInputs::collect(in, inputOptions);
        if (plan.archive.used) {
            std::vector<jobs::BatchItem> archived =
                ArchiveInputs::collect(plan.archive, int(all.size()));
            all.insert(all.end(), archived.begin(), archived.end());
        }
        plan.settings.batchItems = int(all.size());
        return jobs::BatchInputs::shard(all, plan.shardIndex, plan.shardCount);
    } catch (const Error& e) {
        err() << "medvae-cli: error: " << e.what() << Qt::endl;
        return std::nullopt;
    }
}

void printModelAndItems(const jobs::BackendDescription& desc, const std::string& checkpoint,
                        std::size_t items, const BatchPlan& plan) {
    printModel("model: ", desc, checkpoint);
    out() << "items: " << items
          << (plan.shardCount > 1
                  ? QString(" (shard %1 of %2)").arg(plan.shardIndex).arg(plan.shardCount)
                  : QString())
          << Qt::endl;
}

// Pure engine throughput on the same images: decode everything first, then time only the
// backend's calls. Returns the exit status.
int measureEngineOnly(jobs::LocalBackend& backend, const std::vector<jobs::BatchItem>& items,
                      const jobs::BatchSettings& settings) {
    std::vector<Image> images;
    for (const auto& item : items) {
        if (!item.duplicateOf.empty() || !item.error.empty()) continue;
        try {
            images.push_back(jobs::BatchInputs::load(item, settings.load));
        } catch (const Error&) {
        }
    }
    if (images.empty()) {
        err() << "medvae-cli: error: no readable image to measure" << Qt::endl;
        return 1;
    }
    EncodeOptions eo = settings.encode;
    eo.decode = settings.decodes();
    // On a thread of its own, as the batch's inference stage runs (LibTorch's OpenMP settings
    // are per thread), after one warm-up call as the batch's first item also is.
    double s = 0;
    std::string failure;
    std::thread measure([&] {
        try {
            backend.run(images.front(), eo);
            QElapsedTimer timer;
            timer.start();
            for (const Image& image : images)
                backend.run(image, eo);
            s = timer.nsecsElapsed() * 1e-9;
        } catch (const Error& e) {
            failure = e.what();
        }
    });
    measure.join();
    if (!failure.empty()) {
        err() << "medvae-cli: error: " << QString::fromStdString(failure) << Qt::endl;
        return 1;
    }
    out() << QString("engine only: %1 images in %2 s = %3 images/s (after one warm-up call)")
                 .arg(images.size())
                 .arg(s, 0, 'f', 3)
                 .arg(images.size() / s, 0, 'f', 3)
          << Qt::endl;
    return 0;
}

}  // namespace

int runBatch(const QStringList& rawArguments) {
    bool upstream = false;
    const QStringList arguments = normaliseUpstreamSpelling(rawArguments, upstream);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Encode every image of files, folders (recursively; DICOM folders included) and list "
        "files (*.txt, *.urls, *.list: one path or URL per line) into OUTDIR, mirroring each "
        "input's path below its folder. Per image: <stem>_latent.npy (float32 [C,h,w]) and, as "
        "--formats asks, <stem>_z.npy, <stem>_decoded.png, <stem>_error.png (|original - "
        "reconstruction| heatmap), <stem>_latent.nii.gz (as upstream medvae_inference). "
        "manifest.csv and manifest.jsonl record every item. Exit status: 0 all done, 1 some items "
        "failed or the batch stopped, 2 usage error, 130 cancelled (Ctrl+C).\n"
        "Upstream spelling is accepted: -i IN -o OUT -model_name NAME -modality xray|ct|mri "
        "(model from the Hugging Face cache, writes <stem>.nii.gz).");
    const auto help = parser.addHelpOption();
    BatchArguments args;
    args.addTo(parser);
    parser.addPositionalArgument("INPUT", "More inputs.", "[INPUT...]");
    if (!parser.parse(arguments)) return usageError(parser, parser.errorText());
    if (parser.isSet(help)) return out() << parser.helpText(), 0;
    QString error;
    std::optional<BatchPlan> plan = planOf(parser, args, upstream, error);
    if (!plan) return usageError(parser, error);
    bool usage = true;
    if (!ArchiveInputs::read(parser, args.archive, plan->archive, error, usage)) {
        if (usage) return usageError(parser, error);
        err() << "medvae-cli: error: " << error << Qt::endl;
        return 1;
    }
    if (plan->archive.storeDerived && !plan->inputs.isEmpty())
        return usageError(parser,
                          "--store-derived stores only archive items (files have no archive to "
                          "file into): leave out -i, or run the files in a batch of their own");
    plan->settings.decode = plan->settings.decode || plan->archive.storeDerived;

    const std::optional<std::string> checkpoint = locateCheckpoint(parser, args);
    if (!checkpoint) return 1;
    const std::optional<std::vector<jobs::BatchItem>> items = collectItems(parser, args, *plan);
    if (!items) return 1;
    std::shared_ptr<jobs::LocalBackend> backend;
    try {
        backend = jobs::LocalBackend::open(*checkpoint, plan->engineOptions);
    } catch (const Error& e) {
        err() << "medvae-cli: error: " << e.what() << Qt::endl;
        return 1;
    }
    printModelAndItems(backend->describe(), *checkpoint, items->size(), *plan);
    if (parser.isSet(args.measureEngine))
        return measureEngineOnly(*backend, *items, plan->settings);

    std::shared_ptr<jobs::LocalBackend> compareBackend;
    if (parser.isSet(args.compareModel)) {
        const std::string compareCheckpoint = str(parser.value(args.compareModel));
        try {
            compareBackend = jobs::LocalBackend::open(compareCheckpoint, plan->engineOptions);
        } catch (const Error& e) {
            err() << "medvae-cli: error: model B: " << e.what() << Qt::endl;
            return 1;
        }
        printModel("compared with model B: ", compareBackend->describe(), compareCheckpoint);
    }
    try {  // --store-derived: each item's derived objects go back to its archive
        const jobs::BackendDescription desc = backend->describe();
        if (plan->archive.storeDerived)
            plan->settings.storeResult = ArchiveStore::hook(
                plan->archive.profile, plan->archive.secret, {desc.model, desc.modelSha256});
    } catch (const Error& e) {
        err() << "medvae-cli: error: " << e.what() << Qt::endl;
        return 1;
    }
    std::unique_ptr<jobs::BatchPipeline> pipelineOwner;
    try {  // before the lock: a refused pair of models writes nothing
        pipelineOwner =
            std::make_unique<jobs::BatchPipeline>(backend, plan->settings, compareBackend);
    } catch (const Error& e) {
        err() << "medvae-cli: error: " << e.what() << Qt::endl;
        return 1;
    }
    jobs::BatchPipeline& pipeline = *pipelineOwner;
    const std::unique_ptr<jobs::ShardLock> lock = lockShard(plan->settings);
    if (!lock) return 1;
    ProgressDisplay display;
    display.bar = plan->bar;
    display.total = int(items->size());
    display.timer.start();
    pipeline.onItem = [&display](const jobs::BatchItemResult& r) { display.item(r); };
    jobs::BatchSummary s;
    {
        const InterruptWatch interrupt([&pipeline] { pipeline.cancel(); });
        s = pipeline.run(*items);
    }
    if (plan->bar) out() << "\n";
    return reportSummary(s, plan->settings);
}

}  // namespace medvae::cli
