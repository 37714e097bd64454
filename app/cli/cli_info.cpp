// medvae-cli info: a checkpoint described without running it.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "cli_commands.h"
#include "cli_output.h"
#include "engine.h"
#include "error.h"
#include "sha256.h"

namespace medvae::cli {
namespace {

template <class Strings>
QJsonArray jsonStrings(const Strings& strings) {
    QJsonArray array;
    for (const auto& s : strings)
        array.append(QString::fromStdString(s));
    return array;
}

// Everything `info --json` prints (the text form shows the same values).
QJsonObject infoJson(const QString& path, const ModelInfo& info) {
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
    o["unexpected_keys"] = jsonStrings(info.unexpectedKeys);
    o["other_entries"] = jsonStrings(info.otherEntries);
    o["unexpected_globals"] = jsonStrings(info.unexpectedGlobals);
    QJsonObject meta;
    for (const auto& [k, v] : info.metadata)
        meta[QString::fromStdString(k)] = QString::fromStdString(v);
    o["metadata"] = meta;
    o["sha256"] = QString::fromStdString(Sha256::ofFile(path.toStdString()));
    return o;
}

// The fixed part of the text form: file, format, sizes, channels, architecture.
void printSummary(const QString& path, const ModelInfo& info, const QJsonObject& o) {
    const Architecture& a = info.architecture;
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
          << (info.keyPrefix.empty() ? QString()
                                     : ", key prefix '" + o["key_prefix"].toString() + "' removed")
          << "\n"
          << "parameters:      " << info.parameters << " (" << info.storedParameters << " stored"
          << (info.loraMerged ? QString(", %1 LoRA adapters merged").arg(info.loraMerged)
                              : QString())
          << ")\n"
          << "stored dtype:    " << o["stored_dtype"].toString() << "\n"
          << "factor:          " << a.factor() << " per side (" << a.factor() * a.factor()
          << "x fewer pixels)\n"
          << "channels:        image " << a.inChannels << " -> latent " << a.embedChannels << " (z "
          << a.zChannels << ") -> image " << a.outChannels << "\n"
          << "architecture:    " << o["architecture"].toString() << "\n"
          << "stage-2 head:    "
          << (a.stage2Head ? "channel_ds + channel_proj" : "none (latent = z)") << "\n";
}

// The lists of the text form: unexpected keys, metadata, other entries; and a warning on stderr
// about Python objects that do not belong in a checkpoint.
void printEntries(const QString& path, const ModelInfo& info) {
    out() << "unexpected keys: " << info.unexpectedKeys.size() << "\n";
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
        const QJsonObject o = infoJson(path, info);
        if (parser.isSet(json)) {
            out() << QJsonDocument(o).toJson(QJsonDocument::Compact) << "\n";
            return 0;
        }
        printSummary(path, info, o);
        printEntries(path, info);
        return 0;
    } catch (const Error& e) {
        reportError(QString::fromStdString(e.what()));
        return 1;
    }
}

}  // namespace medvae::cli
