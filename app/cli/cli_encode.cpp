// medvae-cli encode: images to latents (and reconstructions), one set of files per image.
#include <QDir>

#include <ATen/ATen.h>

#include <algorithm>
#include <optional>

#include "cli_commands.h"
#include "cli_output.h"
#include "engine_arguments.h"
#include "error.h"
#include "image_loader.h"
#include "output_claims.h"
#include "output_naming.h"
#include "png_writer.h"
#include "preprocessing.h"

namespace medvae::cli {
namespace {

// The options of encode beyond the engine's.
struct EncodeArguments {
    QCommandLineOption decode{"decode", "Also reconstruct each image from z."};
    QCommandLineOption sample{"sample", "Sample z from the posterior instead of taking its mean."};
    QCommandLineOption seed{"seed", "Seed of the posterior sample (default 0).", "N", "0"};
    QCommandLineOption saveInput{"save-input", "Also save the model input as <stem>_input.npy."};
    QCommandLineOption frame{"frame", "Frame of multi-frame DICOM files (0-based, default 0).", "N",
                             "0"};
    QCommandLineOption voi{
        "voi", "Apply the DICOM file's VOI window number N (0-based) before normalising.", "N"};
    QCommandLineOption window{
        "window", "Apply this VOI window (modality units) before normalising.", "CENTER,WIDTH"};
    QCommandLineOption timeout{"timeout", "Seconds allowed for each URL download (default 30).",
                               "S", "30"};
    QCommandLineOption maxDownload{"max-download-mb", "Largest download accepted (default 512).",
                                   "MB", "512"};
    QCommandLineOption maxPixels{"max-megapixels", "Largest image accepted (default 100).", "MP",
                                 "100"};

    void addTo(QCommandLineParser& parser) {
        parser.addOptions(
            {decode, sample, seed, saveInput, frame, voi, window, timeout, maxDownload, maxPixels});
    }

    // How every image is loaded; empty with the reason in `error` when an option is malformed.
    std::optional<LoadOptions> loadOptions(const QCommandLineParser& parser, QString& error) const {
        LoadOptions load;
        bool ok = false;
        load.frame = parser.value(frame).toInt(&ok);
        if (!ok || load.frame < 0) return error = "--frame takes a whole number", std::nullopt;
        if (!readWindow(parser, load, error) || !readLimits(parser, load, error))
            return std::nullopt;
        return load;
    }

    bool readWindow(const QCommandLineParser& parser, LoadOptions& load, QString& error) const {
        if (parser.isSet(voi) && parser.isSet(window))
            return error = "--voi and --window exclude each other", false;
        bool ok = false;
        if (parser.isSet(voi)) {
            load.window = LoadOptions::Window::FromFile;
            load.windowIndex = parser.value(voi).toInt(&ok);
            if (!ok || load.windowIndex < 0) return error = "--voi takes a whole number", false;
        }
        if (parser.isSet(window)) {
            const QStringList cw = parser.value(window).split(',');
            bool okC = false, okW = false;
            if (cw.size() == 2) {
                load.windowCenter = cw[0].toDouble(&okC);
                load.windowWidth = cw[1].toDouble(&okW);
            }
            if (!okC || !okW || !(load.windowWidth > 0))
                return error = "--window takes CENTER,WIDTH with a positive width", false;
            load.window = LoadOptions::Window::Custom;
        }
        return true;
    }

    bool readLimits(const QCommandLineParser& parser, LoadOptions& load, QString& error) const {
        bool ok = false;
        const double seconds = parser.value(timeout).toDouble(&ok);
        if (!ok || !(seconds > 0))
            return error = "--timeout takes a positive number of seconds", false;
        load.timeoutMs = int(std::min(seconds, 3600.0) * 1000);
        const double downloadMb = parser.value(maxDownload).toDouble(&ok);
        if (!ok || !(downloadMb > 0))
            return error = "--max-download-mb takes a positive number", false;
        load.maxDownloadBytes = std::uint64_t(downloadMb * 1024 * 1024);
        const double megapixels = parser.value(maxPixels).toDouble(&ok);
        if (!ok || !(megapixels > 0))
            return error = "--max-megapixels takes a positive number", false;
        load.maxPixels = std::uint64_t(megapixels * 1e6);
        return true;
    }
};

// What every image of one encode run shares.
struct EncodeRun {
    Engine& engine;
    const EngineArguments::Setup& setup;
    LoadOptions load;
    EncodeOptions encode;
    bool saveInput = false;
    OutputClaims stems;
    int inlineCount = 0;
};

// Encodes one image and writes its results, printing one line; throws medvae::Error. `label` is
// how the image is named in messages (inline data by its number, not its content).
void encodeImage(EncodeRun& run, const QString& image, QString& label) {
    std::string stem = outputStem(ImageLoader::sourceName(str(image)));
    if (stem == "inline-image") {  // numbered by position, so several never collide
        ++run.inlineCount;
        stem += "-" + std::to_string(run.inlineCount);
        label = QString("inline image %1 (%2 characters)").arg(run.inlineCount).arg(image.size());
    }
    if (std::string refused = run.stems.claim(stem, str(label)); !refused.empty())
        throw Error(refused);
    const std::string base = str(QDir(run.setup.outDir).filePath(QString::fromStdString(stem)));
    const Image img = ImageLoader::load(str(image), run.load);
    const at::Tensor input =
        Preprocessing::toModelInput(img, run.engine.info().architecture.inChannels);
    EncodeResult r = run.engine.encode(input, run.encode);
    writeNpy(base + "_latent.npy", r.latent);
    writeNpy(base + "_z.npy", r.z);
    if (run.saveInput) writeNpy(base + "_input.npy", input);
    QString line = label + ": " + describeImage(img) + " -> latent " + shapeText(r.latent) +
                   ", z " + shapeText(r.z) +
                   QString(", encode %1 s").arg(r.encodeSeconds, 0, 'f', 3);
    if (run.encode.decode) {
        writeNpy(base + "_decoded.npy", r.decoded);
        PngWriter::write(base + "_decoded.png",
                         Preprocessing::toPixels(r.decoded, run.setup.pngBits));
        line += ", decoded " + shapeText(r.decoded) +
                QString(", decode %1 s").arg(r.decodeSeconds, 0, 'f', 3);
    }
    if (!r.note.empty()) line += "; " + QString::fromStdString(r.note);  // e.g. tiled
    out() << line << Qt::endl;
}

}  // namespace

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
    EncodeArguments encodeArgs;
    encodeArgs.addTo(parser);
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
    const std::uint64_t seedValue = parser.value(encodeArgs.seed).toULongLong(&ok);
    if (!ok) return usageError(parser, "--seed takes a whole number");
    if (parser.isSet(encodeArgs.sample) && setup->options.tileSize > 0)
        return usageError(parser, "--sample needs the exact run: it cannot be used with --tiled");
    if (parser.isSet(encodeArgs.seed) && !parser.isSet(encodeArgs.sample))
        err() << "medvae-cli: note: --seed has no effect without --sample\n";
    const std::optional<LoadOptions> load = encodeArgs.loadOptions(parser, error);
    if (!load) return usageError(parser, error);

    std::optional<Engine> engine = openEngine(*setup);
    if (!engine) return 1;
    out() << "model: " << describeModel(engine->info(), setup->model) << " ["
          << deviceName(setup->options.device) << ", " << precisionName(setup->options.precision)
          << "]" << Qt::endl;
    EncodeRun run{*engine, *setup, *load, {}, parser.isSet(encodeArgs.saveInput), {}, 0};
    run.encode.decode = parser.isSet(encodeArgs.decode);
    run.encode.sample = parser.isSet(encodeArgs.sample);
    run.encode.seed = seedValue;
    run.load = setup->budget.guard(run.load, [&](std::int64_t width, std::int64_t height) {
        return engine->estimateEncodeBytes(height, width, run.encode.decode);
    });
    int failed = 0;
    for (const QString& image : images) {
        QString label = image;
        try {
            encodeImage(run, image, label);
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

}  // namespace medvae::cli
