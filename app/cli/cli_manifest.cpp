// medvae-cli manifest merge: the manifests of a batch's shards read as one table.

#include <QCommandLineParser>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>

#include "cli_commands.h"
#include "cli_output.h"
#include "error.h"
#include "manifest_table.h"

namespace medvae::cli {
namespace {

constexpr std::size_t kListed = 20;  // items named one by one before "and N more"

QString indexList(const std::vector<int>& indices, long long total) {
    QStringList s;
    for (int i : indices)
        s << QString::number(i);
    if (total > (long long)indices.size()) s << QString("and %1 more").arg(total - indices.size());
    return s.join(", ");
}

// "item 3", or "item 3 frame 2" for a frame of a multi-frame input.
QString itemName(const jobs::ManifestTable::Key& key) {
    return key.second < 0 ? QString("item %1").arg(key.first)
                          : QString("item %1 frame %2").arg(key.first).arg(key.second);
}

void printSummary(const jobs::ManifestTable& t) {
    out() << "manifests: " << t.manifests().size() << " (" << QString::fromStdString([&t] {
        std::string s;
        for (const auto& m : t.manifests())
            s += (s.empty() ? "" : ", ") + m;
        return s;
    }()) << ")\n";
    const long long missing = t.missingCount();
    const int recorded = t.recordedItems();
    out() << "items: " << recorded << " recorded"
          << (t.batchItems() > 0 ? QString(" of %1 in the batch").arg(t.batchItems())
                                 : QString(" (the batch's size is not recorded: counted up to "
                                           "the highest index)"))
          << "; " << t.completeItems() << " complete, " << recorded - t.completeItems()
          << " failed, " << missing << " missing, " << t.duplicated().size() << " duplicated\n";
    const auto frames = std::count_if(t.entries().begin(), t.entries().end(),
                                      [](const auto& e) { return e.first.second >= 0; });
    if (frames)
        out() << "frames of multi-frame inputs: " << frames << " recorded (a record each), "
              << t.missingFrames() << " missing\n";
    if (missing)
        out() << "missing items (by index): " << indexList(t.missing(kListed), missing) << "\n";
    for (const auto& [key, manifests] : t.duplicated()) {
        QStringList names;
        for (const auto& m : manifests)
            names << QString::fromStdString(m);
        out() << "duplicated: " << itemName(key) << " ("
              << QString::fromStdString(t.entries().at(key).input) << ") in " << names.join(", ")
              << "\n";
    }
    for (const auto& [key, e] : t.entries())
        if (e.status == "failed")
            out() << "failed: " << itemName(key) << " (" << QString::fromStdString(e.input)
                  << "): " << QString::fromStdString(e.error) << "\n";
    for (const auto& p : t.problems())
        out() << "note: " << QString::fromStdString(p) << "\n";
    out().flush();
}

bool writeMerged(const jobs::ManifestTable& t, const QString& path) {
    QSaveFile f(path);  // complete or not at all
    const std::string merged = t.mergedJsonl();
    if (!f.open(QIODevice::WriteOnly) ||
        f.write(merged.data(), qint64(merged.size())) != qint64(merged.size()) || !f.commit()) {
        reportError("cannot write '" + path + "': " + f.errorString());
        return false;
    }
    out() << "merged: " << path << " (" << t.entries().size() << " records)" << Qt::endl;
    return true;
}

// Whether a file written at `output` would be one of the folder's manifest*.jsonl.
bool readAsManifest(const QString& folder, const QString& output) {
    const QFileInfo o(output);
    return QFileInfo(o.absolutePath()).canonicalFilePath() ==
               QFileInfo(folder).canonicalFilePath() &&
           o.fileName().startsWith("manifest") && o.fileName().endsWith(".jsonl");
}

int runMerge(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Read every manifest of a batch's output folder (manifest.jsonl and the shards' "
        "manifest-shard-I-of-N.jsonl) as one table: the latest record of each item, the items "
        "no manifest records (missing), and the items more than one manifest records "
        "(duplicated). Exit status: 0 every item recorded once and complete, 1 some missing, "
        "duplicated or failed, 2 usage error.");
    const auto help = parser.addHelpOption();
    const QCommandLineOption input{{"i", "input"}, "The batch's output folder.", "OUTDIR"};
    const QCommandLineOption output{
        {"o", "output"},
        "Write the merged table as JSON Lines (one record per item, and per frame of a "
        "multi-frame input, ordered by index then frame).",
        "FILE"};
    parser.addOptions({input, output});
    if (!parser.parse(arguments)) return usageError(parser, parser.errorText());
    if (parser.isSet(help)) return out() << parser.helpText(), 0;
    if (!parser.isSet(input)) return usageError(parser, "-i OUTDIR is required");
    if (!parser.positionalArguments().isEmpty())
        return usageError(parser, "unexpected argument '" + parser.positionalArguments()[0] + "'");
    if (parser.isSet(output) && readAsManifest(parser.value(input), parser.value(output)))
        return usageError(parser, "-o " + parser.value(output) +
                                      " would be read as one more manifest of the batch by the "
                                      "next merge or --resume; choose a name not starting with "
                                      "'manifest'");
    try {
        const jobs::ManifestTable table = jobs::ManifestTable::read(str(parser.value(input)));
        printSummary(table);
        if (parser.isSet(output) && !writeMerged(table, parser.value(output))) return 1;
        const bool whole = table.missingCount() == 0 && table.duplicated().empty() &&
                           table.failed() == 0 && table.problems().empty();
        if (!whole)
            err() << "medvae-cli: the manifests do not record every item once and complete"
                  << Qt::endl;
        return whole ? 0 : 1;
    } catch (const Error& e) {
        reportError(QString::fromStdString(e.what()));
        return 1;
    }
}

}  // namespace

int runManifest(const QStringList& arguments) {
    const QString sub = arguments.size() > 1 ? arguments[1] : QString();
    if (sub == "merge") {
        QStringList rest = arguments;
        rest.removeAt(1);
        rest[0] = arguments[0] + " merge";
        return runMerge(rest);
    }
    const char* usage = "Usage: medvae-cli manifest merge -i OUTDIR [-o merged.jsonl]\n";
    if (sub == "--help" || sub == "-h") return out() << usage, 0;
    if (!sub.isEmpty()) err() << "medvae-cli manifest: unknown subcommand '" << sub << "'\n";
    err() << usage;
    return 2;
}

}  // namespace medvae::cli
