#include "cli_commands.h"
#include "cli_output.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <ATen/ATen.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>

#include "engine.h"
#include "error.h"
#include "image_loader.h"
#include "memory_budget.h"
#include "npy_file.h"
#include "output_naming.h"
#include "png_writer.h"
#include "preprocessing.h"
#include "resource_paths.h"
#include "sha256.h"

namespace medvae::cli {
namespace {

void reportError(const QString& what) {
    err() << "medvae-cli: error: " << what << Qt::endl;
}

// Options shared by the commands that run the network.
struct EngineArguments {
    QCommandLineOption model{
        {"m", "model"}, "MedVAE checkpoint (.ckpt, .pt, .safetensors).", "CKPT"};
    QCommandLineOption device{"device", "cpu or cuda (default cpu).", "DEVICE", "cpu"};
    QCommandLineOption precision{
        "precision", "fp32 (default) or bf16 for the encoder/decoder bodies.", "P", "fp32"};
    QCommandLineOption threads{"threads", "CPU threads (default: all cores).", "N", "0"};
    QCommandLineOption outDir{
        {"o", "output"}, "Folder for the results (created when missing).", "DIR"};
    QCommandLineOption pngBits{"png-bits", "Bits per sample of PNG outputs: 8 (default) or 16.",
                               "BITS", "8"};
    QCommandLineOption maxMemory{
        "max-memory-gb",
        "Memory one image may take, decoding and model together; larger images are refused "
        "before decoding (default: 75 % of this machine's memory, or MEDVAE_MAX_MEMORY_GB).",
        "GB"};

    void addTo(QCommandLineParser& parser) {
        parser.addOptions({model, device, precision, threads, outDir, pngBits, maxMemory});
    }

    // Everything a command that runs the network needs, checked; empty with the reason in
    // `error` when an option is missing or malformed.
    struct Setup {
        EngineOptions options;
        QString model, outDir;
        int pngBits = 8;
        MemoryBudget budget;
    };
    std::optional<Setup> setup(const QCommandLineParser& parser, QString& error) const {
        Setup s;
        auto o = options(parser, error);
        if (!o) return std::nullopt;
        s.options = *o;
        s.model = parser.isSet(model) ? parser.value(model)
                                      : QString::fromStdString(ResourcePaths::demoModel());
        if (s.model.isEmpty())
            return error = "--model is required (no bundled demo model was found)", std::nullopt;
        if (!parser.isSet(outDir)) return error = "-o/--output is required", std::nullopt;
        s.outDir = parser.value(outDir);
        s.pngBits = parser.value(pngBits).toInt();
        if (s.pngBits != 8 && s.pngBits != 16)
            return error = "--png-bits must be 8 or 16", std::nullopt;
        if (parser.isSet(maxMemory)) {
            bool ok = false;
            const double gb = parser.value(maxMemory).toDouble(&ok);
            if (!ok || !(gb > 0))
                return error = "--max-memory-gb takes a positive number", std::nullopt;
            s.budget = MemoryBudget::fromGigabytes(gb);
        }
        return s;
    }

    // Empty optional with the reason in `error` when an option is malformed.
    std::optional<EngineOptions> options(const QCommandLineParser& parser, QString& error) const {
        EngineOptions o;
        const QString d = parser.value(device).toLower();
        if (d == "cuda" || d == "gpu")
            o.device = DeviceKind::Cuda;
        else if (d != "cpu")
            return error = "--device must be cpu or cuda", std::nullopt;
        const QString p = parser.value(precision).toLower();
        if (p == "bf16" || p == "bfloat16")
            o.precision = Precision::BFloat16;
        else if (p != "fp32" && p != "float32")
            return error = "--precision must be fp32 or bf16", std::nullopt;
        bool ok = false;
        o.threads = parser.value(threads).toInt(&ok);
        if (!ok || o.threads < 0) return error = "--threads takes a whole number", std::nullopt;
        return o;
    }
};

// One line naming the model, saying plainly when it is the demo model and not MedVAE's weights.
QString describeModel(const ModelInfo& info, const QString& path) {
    QString line = QString::fromStdString(info.variant) +
                   QString(" (%1 parameters) from ").arg(info.parameters) + path;
    auto kind = info.metadata.find("kind");
    if (kind != info.metadata.end() && kind->second == "demo model")
        line = "DEMO MODEL trained by MedVAE Studio, not MedVAE's published weights: " + line +
               ", sha256 " + QString::fromStdString(Sha256::ofFile(path.toStdString()));
    return line;
}

// "DICOM CT 512x512 gray, frame 2/3" — what was read, without patient identifiers.
QString describeImage(const Image& image) {
    QString d = QString::fromStdString(image.meta.format);
    if (!image.meta.modality.empty()) d += " " + QString::fromStdString(image.meta.modality);
    d += QString(" %1x%2 %3")
             .arg(image.width)
             .arg(image.height)
             .arg(QString::fromStdString(image.meta.colorModel));
    if (image.meta.frames > 1)
        d += QString(", frame %1/%2").arg(image.meta.frame + 1).arg(image.meta.frames);
    if (image.meta.windowed)
        d += QString(", window %1/%2")
                 .arg(image.meta.appliedWindow.center)
                 .arg(image.meta.appliedWindow.width);
    return d;
}

// Creates the output folder and loads the model; reports failures and returns nothing then.
std::optional<Engine> openEngine(const EngineArguments::Setup& setup) {
    std::error_code ec;
    std::filesystem::create_directories(str(setup.outDir), ec);
    if (ec || !QFileInfo(setup.outDir).isDir()) {
        reportError("cannot create the output folder '" + setup.outDir +
                    "': " + QString::fromStdString(ec.message()));
        return std::nullopt;
    }
    try {
        return Engine::fromFile(str(setup.model), setup.options);
    } catch (const Error& e) {
        reportError(QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

// Results are named after the input's stem: refuse a second input that would overwrite them.
void claimStem(std::map<std::string, QString>& stems, const std::string& stem,
               const QString& input) {
    auto [it, fresh] = stems.emplace(stem, input);
    if (!fresh)
        throw Error("its results would overwrite those of '" + str(it->second) + "' (same name '" +
                    stem + "'); write them into different folders");
}

std::vector<std::int64_t> shapeOf(const at::Tensor& t) {
    return t.sizes().vec();
}

void writeNpy(const std::string& path, const at::Tensor& t) {
    const at::Tensor c = t.to(at::kFloat).contiguous();
    NpyFile::write(path, c.data_ptr<float>(), shapeOf(c));
}

QString shapeText(const at::Tensor& t) {
    QStringList dims;
    for (auto d : t.sizes())
        dims << QString::number(d);
    return "[" + dims.join(",") + "]";
}

}  // namespace

int runInfo(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Describe a MedVAE checkpoint without running it.");
    const auto help = parser.addHelpOption();
    QCommandLineOption json("json", "Print one JSON object.");
    parser.addOption(json);
    parser.addPositionalArgument("CKPT", "Checkpoint file.");
    if (!parser.parse(arguments)) return usageError(parser, parser.errorText());
    if (parser.isSet(help)) return out() << parser.helpText(), 0;
    if (parser.positionalArguments().size() != 1)
        return usageError(parser, "info takes one checkpoint");
    const QString path = parser.positionalArguments().first();
    try {
        Engine engine = Engine::fromFile(str(path));
        const ModelInfo& info = engine.info();
        const Architecture& a = info.architecture;
        QJsonObject o;
        o["file"] = path;
        o["variant"] = QString::fromStdString(info.variant);
        o["format"] = QString::fromStdString(info.format);
        o["layout"] = QString::fromStdString(info.layout);
        o["key_prefix"] = QString::fromStdString(info.keyPrefix);
        o["stored_dtype"] = QString::fromStdString(info.storedDType);
        o["parameters"] = double(info.parameters);
        o["stored_parameters"] = double(info.storedParameters);
        o["lora_merged"] = info.loraMerged;
        o["factor"] = a.factor();
        o["image_channels"] = a.inChannels;
        o["output_channels"] = a.outChannels;
        o["latent_channels"] = a.embedChannels;
        o["z_channels"] = a.zChannels;
        o["base_channels"] = a.ch;
        QJsonArray mult;
        for (int m : a.chMult)
            mult.append(m);
        o["ch_mult"] = mult;
        o["res_blocks"] = a.numResBlocks;
        o["stage2_head"] = a.stage2Head;
        o["architecture"] = QString::fromStdString(a.summary());
        QJsonArray unexpected, others;
        for (const auto& k : info.unexpectedKeys)
            unexpected.append(QString::fromStdString(k));
        for (const auto& k : info.otherEntries)
            others.append(QString::fromStdString(k));
        o["unexpected_keys"] = unexpected;
        o["other_entries"] = others;
        QJsonArray globals;
        for (const auto& g : info.unexpectedGlobals)
            globals.append(QString::fromStdString(g));
        o["unexpected_globals"] = globals;
        QJsonObject meta;
        for (const auto& [k, v] : info.metadata)
            meta[QString::fromStdString(k)] = QString::fromStdString(v);
        o["metadata"] = meta;
        o["sha256"] = QString::fromStdString(Sha256::ofFile(path.toStdString()));
        if (parser.isSet(json)) {
            out() << QJsonDocument(o).toJson(QJsonDocument::Compact) << "\n";
            return 0;
        }
        if (info.metadata.count("kind") && info.metadata.at("kind") == "demo model")
            out() << "NOTE:            this is the DEMO MODEL trained by MedVAE Studio, not "
                     "MedVAE's published weights\n";
        out() << "file:            " << path << "\n"
              << "sha256:          " << o["sha256"].toString() << "\n"
              << "variant:         " << o["variant"].toString()
              << (info.variant == "custom" ? "" : " (layout of the published model of that name)")
              << "\n"
              << "format:          " << o["format"].toString() << ", weights in '"
              << o["layout"].toString() << "'"
              << (info.keyPrefix.empty()
                      ? QString()
                      : ", key prefix '" + o["key_prefix"].toString() + "' removed")
              << "\n"
              << "parameters:      " << info.parameters << " (" << info.storedParameters
              << " stored"
              << (info.loraMerged ? QString(", %1 LoRA adapters merged").arg(info.loraMerged)
                                  : QString())
              << ")\n"
              << "stored dtype:    " << o["stored_dtype"].toString() << "\n"
              << "factor:          " << a.factor() << " per side (" << a.factor() * a.factor()
              << "x fewer pixels)\n"
              << "channels:        image " << a.inChannels << " -> latent " << a.embedChannels
              << " (z " << a.zChannels << ") -> image " << a.outChannels << "\n"
              << "architecture:    " << o["architecture"].toString() << "\n"
              << "stage-2 head:    "
              << (a.stage2Head ? "channel_ds + channel_proj" : "none (latent = z)") << "\n"
              << "unexpected keys: " << info.unexpectedKeys.size() << "\n";
        for (const auto& k : info.unexpectedKeys)
            out() << "  " << QString::fromStdString(k) << "\n";
        for (const auto& [k, v] : info.metadata)
            out() << QString("%1 %2\n")
                         .arg(QString::fromStdString(k + ":"), -16)
                         .arg(QString::fromStdString(v));
        if (!info.otherEntries.empty()) {
            QStringList names;
            for (const auto& k : info.otherEntries)
                names << QString::fromStdString(k);
            out() << "other entries:   " << names.join(", ") << "\n";
        }
        if (!info.unexpectedGlobals.empty()) {
            QStringList names;
            for (const auto& g : info.unexpectedGlobals)
                names << QString::fromStdString(g);
            err() << "medvae-cli: warning: " << path
                  << " references Python objects that do not belong in a checkpoint: "
                  << names.join(", ")
                  << ". They were not run here, but Python's torch.load runs them unless "
                     "weights_only=True: do not open this file in Python otherwise unless you "
                     "trust where it came from.\n";
        }
        return 0;
    } catch (const Error& e) {
        reportError(QString::fromStdString(e.what()));
        return 1;
    }
}

int runEncode(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Encode images with a MedVAE model. For each IMAGE writes <stem>_latent.npy (stage-2 "
        "latent) and "
        "<stem>_z.npy (stage-1 latent, what the decoder takes), float32 [C,h,w]; with --decode "
        "also "
        "<stem>_decoded.npy (model space [C,H,W]) and <stem>_decoded.png; with --save-input the "
        "exact "
        "model input as <stem>_input.npy.");
    const auto help = parser.addHelpOption();
    EngineArguments engineArgs;
    engineArgs.addTo(parser);
    QCommandLineOption decode("decode", "Also reconstruct each image from z.");
    QCommandLineOption sample("sample", "Sample z from the posterior instead of taking its mean.");
    QCommandLineOption seed("seed", "Seed of the posterior sample (default 0).", "N", "0");
    QCommandLineOption saveInput("save-input", "Also save the model input as <stem>_input.npy.");
    QCommandLineOption frame("frame", "Frame of multi-frame DICOM files (0-based, default 0).", "N",
                             "0");
    QCommandLineOption voi(
        "voi", "Apply the DICOM file's VOI window number N (0-based) before normalising.", "N");
    QCommandLineOption window(
        "window", "Apply this VOI window (modality units) before normalising.", "CENTER,WIDTH");
    QCommandLineOption timeout("timeout", "Seconds allowed for each URL download (default 30).",
                               "S", "30");
    QCommandLineOption maxDownload("max-download-mb", "Largest download accepted (default 512).",
                                   "MB", "512");
    QCommandLineOption maxPixels("max-megapixels", "Largest image accepted (default 100).", "MP",
                                 "100");
    parser.addOptions(
        {decode, sample, seed, saveInput, frame, voi, window, timeout, maxDownload, maxPixels});
    parser.addPositionalArgument(
        "IMAGE",
        "Image files (DICOM, PNG, JPEG, TIFF, BMP, WebP, PNM), http(s):// or file:// URLs, "
        "data: URIs or base64 strings.",
        "IMAGE...");
    if (!parser.parse(arguments)) return usageError(parser, parser.errorText());
    if (parser.isSet(help)) return out() << parser.helpText(), 0;
    QString error;
    const auto setup = engineArgs.setup(parser, error);
    if (!setup) return usageError(parser, error);
    const QStringList images = parser.positionalArguments();
    if (images.isEmpty()) return usageError(parser, "no images given");
    bool ok = false;
    const std::uint64_t seedValue = parser.value(seed).toULongLong(&ok);
    if (!ok) return usageError(parser, "--seed takes a whole number");
    if (parser.isSet(seed) && !parser.isSet(sample))
        err() << "medvae-cli: note: --seed has no effect without --sample\n";
    LoadOptions loadOptions;
    loadOptions.frame = parser.value(frame).toInt(&ok);
    if (!ok || loadOptions.frame < 0) return usageError(parser, "--frame takes a whole number");
    if (parser.isSet(voi) && parser.isSet(window))
        return usageError(parser, "--voi and --window exclude each other");
    if (parser.isSet(voi)) {
        loadOptions.window = LoadOptions::Window::FromFile;
        loadOptions.windowIndex = parser.value(voi).toInt(&ok);
        if (!ok || loadOptions.windowIndex < 0)
            return usageError(parser, "--voi takes a whole number");
    }
    if (parser.isSet(window)) {
        const QStringList cw = parser.value(window).split(',');
        bool okC = false, okW = false;
        if (cw.size() == 2) {
            loadOptions.windowCenter = cw[0].toDouble(&okC);
            loadOptions.windowWidth = cw[1].toDouble(&okW);
        }
        if (!okC || !okW || !(loadOptions.windowWidth > 0))
            return usageError(parser, "--window takes CENTER,WIDTH with a positive width");
        loadOptions.window = LoadOptions::Window::Custom;
    }
    const double seconds = parser.value(timeout).toDouble(&ok);
    if (!ok || !(seconds > 0))
        return usageError(parser, "--timeout takes a positive number of seconds");
    loadOptions.timeoutMs = int(std::min(seconds, 3600.0) * 1000);
    const double downloadMb = parser.value(maxDownload).toDouble(&ok);
    if (!ok || !(downloadMb > 0))
        return usageError(parser, "--max-download-mb takes a positive number");
    loadOptions.maxDownloadBytes = std::uint64_t(downloadMb * 1024 * 1024);
    const double megapixels = parser.value(maxPixels).toDouble(&ok);
    if (!ok || !(megapixels > 0))
        return usageError(parser, "--max-megapixels takes a positive number");
    loadOptions.maxPixels = std::uint64_t(megapixels * 1e6);

    std::optional<Engine> engine = openEngine(*setup);
    if (!engine) return 1;
    const ModelInfo& info = engine->info();
    out() << "model: " << describeModel(info, setup->model) << " ["
          << deviceName(setup->options.device) << ", " << precisionName(setup->options.precision)
          << "]" << Qt::endl;

    EncodeOptions encodeOptions;
    encodeOptions.decode = parser.isSet(decode);
    encodeOptions.sample = parser.isSet(sample);
    encodeOptions.seed = seedValue;
    loadOptions = setup->budget.guard(loadOptions, [&](std::int64_t width, std::int64_t height) {
        return engine->estimateEncodeBytes(height, width, encodeOptions.decode);
    });
    int failed = 0;
    std::map<std::string, QString> stems;  // stem -> the input that claimed it
    int inlineCount = 0;
    for (const QString& image : images) {
        QString label = image;
        try {
            std::string stem = outputStem(ImageLoader::sourceName(str(image)));
            if (stem == "inline-image") {  // numbered by position, so several never collide
                ++inlineCount;
                stem += "-" + std::to_string(inlineCount);
                label =
                    QString("inline image %1 (%2 characters)").arg(inlineCount).arg(image.size());
            }
            claimStem(stems, stem, label);
            const std::string base =
                str(QDir(setup->outDir).filePath(QString::fromStdString(stem)));
            const Image img = ImageLoader::load(str(image), loadOptions);
            const at::Tensor input = Preprocessing::toModelInput(img, info.architecture.inChannels);
            EncodeResult r = engine->encode(input, encodeOptions);
            writeNpy(base + "_latent.npy", r.latent);
            writeNpy(base + "_z.npy", r.z);
            if (parser.isSet(saveInput)) writeNpy(base + "_input.npy", input);
            QString line = label + ": " + describeImage(img) + " -> latent " + shapeText(r.latent) +
                           ", z " + shapeText(r.z) +
                           QString(", encode %1 s").arg(r.encodeSeconds, 0, 'f', 3);
            if (encodeOptions.decode) {
                writeNpy(base + "_decoded.npy", r.decoded);
                PngWriter::write(base + "_decoded.png",
                                 Preprocessing::toPixels(r.decoded, setup->pngBits));
                line += ", decoded " + shapeText(r.decoded) +
                        QString(", decode %1 s").arg(r.decodeSeconds, 0, 'f', 3);
            }
            out() << line << Qt::endl;
        } catch (const Error& e) {
            ++failed;
            reportError(label + ": " + QString::fromStdString(e.what()));
        }
    }
    if (failed)
        err() << "medvae-cli: " << failed << " of " << images.size() << " images failed"
              << Qt::endl;
    return failed ? 1 : 0;
}

int runDecode(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Decode stage-1 latents (z, as written by 'encode' to <stem>_z.npy) back to images: writes "
        "<stem>_decoded.npy (model space [C,H,W]) and <stem>_decoded.png. A z array may be "
        "[C,h,w], "
        "[1,C,h,w] or, for 1-channel models, [h,w].");
    const auto help = parser.addHelpOption();
    EngineArguments engineArgs;
    engineArgs.addTo(parser);
    parser.addPositionalArgument("Z", ".npy files holding z.", "Z.npy...");
    if (!parser.parse(arguments)) return usageError(parser, parser.errorText());
    if (parser.isSet(help)) return out() << parser.helpText(), 0;
    QString error;
    const auto setup = engineArgs.setup(parser, error);
    if (!setup) return usageError(parser, error);
    const QStringList inputs = parser.positionalArguments();
    if (inputs.isEmpty()) return usageError(parser, "no .npy files given");

    std::optional<Engine> engine = openEngine(*setup);
    if (!engine) return 1;
    out() << "model: " << describeModel(engine->info(), setup->model) << Qt::endl;
    const int channels = engine->info().architecture.embedChannels;
    int failed = 0;
    std::map<std::string, QString> stems;
    for (const QString& file : inputs) {
        try {
            std::string stem = outputStem(str(file));
            if (stem.size() > 7 && stem.compare(stem.size() - 7, 7, "_latent") == 0)
                err() << "medvae-cli: note: " << file
                      << " looks like a stage-2 latent; the decoder takes z (the _z.npy file), so "
                         "the "
                         "result will not be a faithful reconstruction\n";
            if (stem.size() > 2 && stem.compare(stem.size() - 2, 2, "_z") == 0)
                stem.resize(stem.size() - 2);
            claimStem(stems, stem, file);
            NpyArray array = NpyFile::read(str(file));
            std::vector<std::int64_t> shape = array.shape;
            if (shape.size() == 4 && shape[0] == 1) shape.erase(shape.begin());
            if (shape.size() == 2 && channels == 1) shape.insert(shape.begin(), 1);
            if (shape.size() != 3 || shape[0] != channels)
                throw Error("z must be [" + std::to_string(channels) +
                            ", h, w] for this model; the file holds " + shapeString(array.shape));
            for (float v : array.data)
                if (!std::isfinite(v)) throw Error("z contains NaN or infinite values");
            const std::int64_t factor = engine->info().architecture.factor();
            setup->budget.check(str(file), shape[2] * factor, shape[1] * factor,
                                engine->estimateDecodeBytes(shape[1], shape[2]));
            const at::Tensor z = at::from_blob(array.data.data(), shape, at::kFloat).clone();
            const at::Tensor decoded = engine->decode(z);
            const std::string base =
                str(QDir(setup->outDir).filePath(QString::fromStdString(stem)));
            writeNpy(base + "_decoded.npy", decoded);
            PngWriter::write(base + "_decoded.png",
                             Preprocessing::toPixels(decoded, setup->pngBits));
            out() << file << ": z " << shapeText(z) << " -> decoded " << shapeText(decoded)
                  << Qt::endl;
        } catch (const Error& e) {
            ++failed;
            reportError(file + ": " + QString::fromStdString(e.what()));
        }
    }
    if (failed)
        err() << "medvae-cli: " << failed << " of " << inputs.size() << " files failed" << Qt::endl;
    return failed ? 1 : 0;
}

}  // namespace medvae::cli
