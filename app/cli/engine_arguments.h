#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

#include <optional>

#include "engine.h"
#include "memory_budget.h"

namespace medvae::cli {

// Tiled mode (an approximation for images whose exact run does not fit), for every command
// that runs the network.
struct TileArguments {
    QCommandLineOption tiled{
        "tiled",
        "Compute images larger than the tile size in overlapping tiles: less memory, but an "
        "approximation of the exact result (each result says how far its tiles disagreed). "
        "Off by default."};
    QCommandLineOption tileSize{"tile-size", "Tile side in pixels with --tiled (default 1024).",
                                "PX", "1024"};
    QCommandLineOption tileOverlap{
        "tile-overlap", "Overlap of neighbouring tiles in pixels with --tiled (default 128).", "PX",
        "128"};

    void addTo(QCommandLineParser& parser) { parser.addOptions({tiled, tileSize, tileOverlap}); }
    // Sets the tile size and overlap when --tiled is given; false with the reason in `error` when
    // a value is malformed or given without --tiled.
    bool apply(const QCommandLineParser& parser, EngineOptions& options, QString& error) const;
};

// Options shared by the commands that run the network (encode, decode).
struct EngineArguments {
    QCommandLineOption model{
        {"m", "model"}, "MedVAE checkpoint (.ckpt, .pt, .safetensors).", "CKPT"};
    QCommandLineOption device{"device", "cpu, cuda or cuda:N (default cpu).", "DEVICE", "cpu"};
    QCommandLineOption precision{
        "precision", "fp32 (default), bf16, or fp16 (CUDA only) for the encoder/decoder bodies.",
        "P", "fp32"};
    QCommandLineOption threads{"threads", "CPU threads (default: all cores).", "N", "0"};
    QCommandLineOption outDir{
        {"o", "output"}, "Folder for the results (created when missing).", "DIR"};
    QCommandLineOption pngBits{"png-bits", "Bits per sample of PNG outputs: 8 (default) or 16.",
                               "BITS", "8"};
    QCommandLineOption maxMemory{
        "max-memory-gb",
        "Memory one image may take, decoding and model together: the engine runs large images "
        "in smaller bands to fit it, and images that cannot fit are refused before decoding "
        "(default: 75 % of this machine's memory, or MEDVAE_MAX_MEMORY_GB).",
        "GB"};
    TileArguments tiles;

    void addTo(QCommandLineParser& parser);

    // Everything a command that runs the network needs, checked.
    struct Setup {
        EngineOptions options;
        QString model, outDir;
        int pngBits = 8;
        MemoryBudget budget;
    };
    // Empty with the reason in `error` when an option is missing or malformed.
    std::optional<Setup> setup(const QCommandLineParser& parser, QString& error) const;
    std::optional<EngineOptions> options(const QCommandLineParser& parser, QString& error) const;
};

// Creates the output folder and loads the model; reports failures and returns nothing then.
std::optional<Engine> openEngine(const EngineArguments::Setup& setup);

}  // namespace medvae::cli
