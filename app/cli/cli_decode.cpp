// medvae-cli decode: stage-1 latents (z) back to images; interpolation between two z and edited
// z from a Latent lab recipe.
#include <QDir>
#include <QFileInfo>

#include <ATen/ATen.h>

#include <optional>

#include "cli_commands.h"
#include "cli_output.h"
#include "engine_arguments.h"
#include "error.h"
#include "latent_export.h"
#include "latent_interpolation.h"
#include "latent_recipe.h"
#include "output_claims.h"
#include "output_naming.h"
#include "png_writer.h"
#include "preprocessing.h"
#include "sha256.h"
#include "z_array.h"

namespace medvae::cli {
namespace {

const char* const kDescription =
    "Decode stage-1 latents (z, as written by 'encode' to <stem>_z.npy) back to images: writes "
    "<stem>_decoded.npy (model space [C,H,W]) and <stem>_decoded.png. A z array may be [C,h,w], "
    "[1,C,h,w] or, for 1-channel models, [h,w].\n"
    "z or latent? Decoding takes z (<stem>_z.npy); the stage-2 latent (<stem>_latent.npy) is "
    "the compact input for downstream models and does not decode faithfully.\n"
    "--interpolate A.npy B.npy --steps N [--slerp] writes N decodes from A (t=0) to B (t=1), "
    "named <A>_to_<B>_stepK; --edit RECIPE.json [Z.npy] applies a Latent lab recipe to Z, or to "
    "the z files the recipe names beside itself, and writes what the lab exported.";

// The stem results of `file` are named after: "<stem>_z.npy" gives "<stem>".
std::string zStem(const QString& file) {
    std::string stem = outputStem(str(file));
    if (stem.size() > 7 && stem.compare(stem.size() - 7, 7, "_latent") == 0)
        err() << "medvae-cli: note: " << file
              << " looks like a stage-2 latent; the decoder takes z (the _z.npy file), so the "
                 "result will not be a faithful reconstruction\n";
    if (stem.size() > 2 && stem.compare(stem.size() - 2, 2, "_z") == 0)
        stem.resize(stem.size() - 2);
    return stem;
}

// Decodes z after checking that it fits the memory budget; throws medvae::Error.
at::Tensor decodeChecked(Engine& engine, const EngineArguments::Setup& setup, const at::Tensor& z,
                         const std::string& source, std::string* note = nullptr) {
    ZArray::checkShape(z, engine.info().architecture.embedChannels, source);
    const std::int64_t factor = engine.info().architecture.factor();
    setup.budget.check(source, z.size(2) * factor, z.size(1) * factor,
                       engine.estimateDecodeBytes(z.size(1), z.size(2)));
    return engine.decode(z, nullptr, note);
}

void writeDecoded(const std::string& base, const at::Tensor& decoded, int pngBits) {
    ZArray::write(base + "_decoded.npy", decoded);
    PngWriter::write(base + "_decoded.png", Preprocessing::toPixels(decoded, pngBits));
}

// Decodes one file and writes its results, printing one line; throws medvae::Error.
void decodeFile(Engine& engine, const EngineArguments::Setup& setup, OutputClaims& stems,
                const QString& file) {
    const std::string stem = zStem(file);
    if (std::string refused = stems.claim(stem, str(file)); !refused.empty()) throw Error(refused);
    const at::Tensor z = ZArray::read(str(file), engine.info().architecture.embedChannels);
    std::string note;
    const at::Tensor decoded = decodeChecked(engine, setup, z, str(file), &note);
    writeDecoded(str(QDir(setup.outDir).filePath(QString::fromStdString(stem))), decoded,
                 setup.pngBits);
    out() << file << ": z " << shapeText(z) << " -> decoded " << shapeText(decoded)
          << (note.empty() ? QString() : "; " + QString::fromStdString(note)) << Qt::endl;
}

int decodeFiles(Engine& engine, const EngineArguments::Setup& setup, const QStringList& inputs) {
    int failed = 0;
    OutputClaims stems;
    for (const QString& file : inputs) {
        try {
            decodeFile(engine, setup, stems, file);
        } catch (const Error& e) {
            ++failed;
            reportError(file + ": " + QString::fromStdString(e.what()));
        }
    }
    if (failed)
        err() << "medvae-cli: " << failed << " of " << inputs.size() << " files failed" << Qt::endl;
    return failed ? 1 : 0;
}

// N decodes between two z files; throws medvae::Error.
void interpolate(Engine& engine, const EngineArguments::Setup& setup, const QStringList& files,
                 int steps, LatentInterpolation::Mode mode) {
    const int channels = engine.info().architecture.embedChannels;
    const at::Tensor a = ZArray::read(str(files[0]), channels);
    const at::Tensor b = ZArray::read(str(files[1]), channels);
    const std::string stem = zStem(files[0]) + "_to_" + zStem(files[1]);
    const int digits = int(std::to_string(steps - 1).size());
    for (int k = 0; k < steps; ++k) {
        const double t = LatentInterpolation::stepT(k, steps);
        const at::Tensor z = LatentInterpolation::blend(a, b, t, mode);
        std::string index = std::to_string(k);
        index.insert(0, std::size_t(digits) - index.size(), '0');
        const std::string name = OutputNaming::safeComponent(stem + "_step" + index);
        const std::string base = str(QDir(setup.outDir).filePath(QString::fromStdString(name)));
        const at::Tensor decoded = decodeChecked(engine, setup, z, name);
        ZArray::write(base + "_z.npy", z);
        writeDecoded(base, decoded, setup.pngBits);
        out() << name.c_str() << ": t " << t << " (" << LatentInterpolation::modeName(mode)
              << ") -> decoded " << shapeText(decoded) << Qt::endl;
    }
}

// A recipe applied to `zFile` (or to the recipe's own inputs); throws medvae::Error.
void applyRecipe(Engine& engine, const EngineArguments::Setup& setup, const QString& recipeFile,
                 const QString& zFile) {
    const LatentRecipe recipe = LatentRecipe::read(str(recipeFile));
    recipe.checkModel(str(QFileInfo(setup.model).fileName()), Sha256::ofFile(str(setup.model)));
    const int channels = engine.info().architecture.embedChannels;
    if (!zFile.isEmpty() && recipe.inputs.size() == 2)
        err() << "medvae-cli: note: the recipe's interpolation is not used: its edits apply to "
              << zFile << Qt::endl;
    const at::Tensor z = zFile.isEmpty()
                             ? recipe.inputZ(str(QFileInfo(recipeFile).absolutePath()), channels)
                             : ZArray::read(str(zFile), channels);
    const at::Tensor edited = LatentEditor::apply(z, recipe.edits);
    const at::Tensor decoded = decodeChecked(engine, setup, edited, str(recipeFile));
    const std::string stem = LatentExport::stemOfRecipe(str(recipeFile));
    for (const std::string& path :
         LatentExport::writeResult(str(setup.outDir), stem, edited, decoded, setup.pngBits))
        out() << QString::fromStdString(path) << Qt::endl;
}

}  // namespace

int runDecode(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(kDescription);
    const auto help = parser.addHelpOption();
    EngineArguments engineArgs;
    engineArgs.addTo(parser);
    const QCommandLineOption interpolateOpt(
        "interpolate", "Decode the way between the two z files given (A.npy B.npy).");
    const QCommandLineOption stepsOpt("steps",
                                      "Decodes of --interpolate, both ends included (2-" +
                                          QString::number(LatentInterpolation::kMaxSteps) +
                                          ", default 5).",
                                      "N", "5");
    const QCommandLineOption slerpOpt("slerp", "Spherical instead of linear interpolation.");
    const QCommandLineOption editOpt(
        "edit", "Apply a Latent lab recipe (JSON) to the z given, or to the recipe's own inputs.",
        "RECIPE.json");
    parser.addOptions({interpolateOpt, stepsOpt, slerpOpt, editOpt});
    parser.addPositionalArgument("Z", ".npy files holding z.", "Z.npy...");
    if (!parser.parse(arguments)) return usageError(parser, parser.errorText());
    if (parser.isSet(help)) return out() << parser.helpText(), 0;
    QString error;
    const auto setup = engineArgs.setup(parser, error);
    if (!setup) return usageError(parser, error);
    const QStringList inputs = parser.positionalArguments();
    const bool interpolating = parser.isSet(interpolateOpt), editing = parser.isSet(editOpt);
    bool stepsOk = false;
    const int steps = parser.value(stepsOpt).toInt(&stepsOk);
    if (interpolating && editing)
        return usageError(parser, "--interpolate and --edit exclude each other");
    if (interpolating && inputs.size() != 2)
        return usageError(parser, "--interpolate takes exactly two z files (A.npy B.npy)");
    if (interpolating && (!stepsOk || steps < 2 || steps > LatentInterpolation::kMaxSteps))
        return usageError(parser, "--steps must be a whole number from 2 to " +
                                      QString::number(LatentInterpolation::kMaxSteps));
    if (editing && inputs.size() > 1) return usageError(parser, "--edit takes at most one z file");
    if (!interpolating && !editing && inputs.isEmpty())
        return usageError(parser, "no .npy files given");

    std::optional<Engine> engine = openEngine(*setup);
    if (!engine) return 1;
    out() << "model: " << describeModel(engine->info(), setup->model) << Qt::endl;
    if (!interpolating && !editing) return decodeFiles(*engine, *setup, inputs);
    try {
        if (interpolating)
            interpolate(*engine, *setup, inputs, steps,
                        parser.isSet(slerpOpt) ? LatentInterpolation::Mode::Spherical
                                               : LatentInterpolation::Mode::Linear);
        else
            applyRecipe(*engine, *setup, parser.value(editOpt),
                        inputs.isEmpty() ? QString() : inputs[0]);
    } catch (const Error& e) {
        reportError(QString::fromStdString(e.what()));
        return 1;
    }
    return 0;
}

}  // namespace medvae::cli
