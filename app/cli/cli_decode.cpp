// medvae-cli decode: stage-1 latents (z) back to images.
#include <QDir>

#include <ATen/ATen.h>

#include <cmath>
#include <optional>

#include "cli_commands.h"
#include "cli_output.h"
#include "engine_arguments.h"
#include "error.h"
#include "npy_file.h"
#include "output_claims.h"
#include "output_naming.h"
#include "png_writer.h"
#include "preprocessing.h"
#include "state_dict.h"

namespace medvae::cli {
namespace {

// The stem results of `file` are named after: "<stem>_z.npy" gives "<stem>".
std::string zStem(const QString& file) {
    std::string stem = outputStem(str(file));
    if (stem.size() > 7 && stem.compare(stem.size() - 7, 7, "_latent") == 0)
        err() << "medvae-cli: note: " << file
              << " looks like a stage-2 latent; the decoder takes z (the _z.npy file), so "
                 "the "
                 "result will not be a faithful reconstruction\n";
    if (stem.size() > 2 && stem.compare(stem.size() - 2, 2, "_z") == 0)
        stem.resize(stem.size() - 2);
    return stem;
}

// z as [C, h, w] for a model with `channels` latent channels; throws medvae::Error when the file
// holds another shape or values that are not finite.
at::Tensor readZ(const QString& file, int channels) {
    NpyArray array = NpyFile::read(str(file));
    std::vector<std::int64_t> shape = array.shape;
    if (shape.size() == 4 && shape[0] == 1) shape.erase(shape.begin());
    if (shape.size() == 2 && channels == 1) shape.insert(shape.begin(), 1);
    if (shape.size() != 3 || shape[0] != channels)
        throw Error("z must be [" + std::to_string(channels) +
                    ", h, w] for this model; the file holds " + shapeString(array.shape));
    for (float v : array.data)
        if (!std::isfinite(v)) throw Error("z contains NaN or infinite values");
    return at::from_blob(array.data.data(), shape, at::kFloat).clone();  // [C, h, w]
}

// Decodes one file and writes its results, printing one line; throws medvae::Error.
void decodeFile(Engine& engine, const EngineArguments::Setup& setup, OutputClaims& stems,
                const QString& file) {
    const std::string stem = zStem(file);
    if (std::string refused = stems.claim(stem, str(file)); !refused.empty()) throw Error(refused);
    const at::Tensor z = readZ(file, engine.info().architecture.embedChannels);
    const std::int64_t factor = engine.info().architecture.factor();
    setup.budget.check(str(file), z.size(2) * factor, z.size(1) * factor,
                       engine.estimateDecodeBytes(z.size(1), z.size(2)));
    const at::Tensor decoded = engine.decode(z);
    const std::string base = str(QDir(setup.outDir).filePath(QString::fromStdString(stem)));
    writeNpy(base + "_decoded.npy", decoded);
    PngWriter::write(base + "_decoded.png", Preprocessing::toPixels(decoded, setup.pngBits));
    out() << file << ": z " << shapeText(z) << " -> decoded " << shapeText(decoded) << Qt::endl;
}

}  // namespace

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
    int failed = 0;
    OutputClaims stems;
    for (const QString& file : inputs) {
        try {
            decodeFile(*engine, *setup, stems, file);
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
