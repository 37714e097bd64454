#include "engine_arguments.h"

#include <QFileInfo>

#include <filesystem>

#include "cli_output.h"
#include "error.h"
#include "resource_paths.h"

namespace medvae::cli {

void EngineArguments::addTo(QCommandLineParser& parser) {
    parser.addOptions({model, device, precision, threads, outDir, pngBits, maxMemory});
    tiles.addTo(parser);
}

bool TileArguments::apply(const QCommandLineParser& parser, EngineOptions& options,
                          QString& error) const {
    if (!parser.isSet(tiled)) {
        if (parser.isSet(tileSize) || parser.isSet(tileOverlap))
            return error = "--tile-size and --tile-overlap need --tiled", false;
        return true;
    }
    bool sizeOk = false, overlapOk = false;
    options.tileSize = parser.value(tileSize).toLongLong(&sizeOk);
    options.tileOverlap = parser.value(tileOverlap).toLongLong(&overlapOk);
    if (!sizeOk || options.tileSize <= 0)
        return error = "--tile-size takes a positive number of pixels", false;
    if (!overlapOk || options.tileOverlap < 0)
        return error = "--tile-overlap takes a number of pixels", false;
    return true;
}

std::optional<EngineArguments::Setup> EngineArguments::setup(const QCommandLineParser& parser,
                                                             QString& error) const {
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
    // The engine fits its bands and attention chunks to the budget (smaller ones for a large
    // image: slower, same numbers), so an image is refused only when even the smallest do not fit.
    s.options.maxMemoryBytes = s.budget.bytes();
    return s;
}

std::optional<EngineOptions> EngineArguments::options(const QCommandLineParser& parser,
                                                      QString& error) const {
    EngineOptions o;
    try {
        parseDevice(parser.value(device).toLower().toStdString(), o);
        o.precision = parsePrecision(parser.value(precision).toLower().toStdString());
    } catch (const Error& e) {
        return error = QString::fromUtf8(e.what()), std::nullopt;
    }
    bool ok = false;
    o.threads = parser.value(threads).toInt(&ok);
    if (!ok || o.threads < 0) return error = "--threads takes a whole number", std::nullopt;
    if (!tiles.apply(parser, o, error)) return std::nullopt;
    return o;
}

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

}  // namespace medvae::cli
