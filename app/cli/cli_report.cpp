// medvae-cli report: a batch's manifests as one self-contained HTML fidelity report.

#include <QCommandLineParser>

#include "cli_commands.h"
#include "cli_output.h"
#include "error.h"
#include "fidelity_report.h"

namespace medvae::cli {

int runReport(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Turn every manifest of a batch's output folder (manifest*.jsonl, shards included) into "
        "one self-contained HTML page that opens offline: the summary (items, failures, model and "
        "SHA-256, settings, throughput), PSNR/SSIM/MAE histograms and per-modality box plots, the "
        "items of lowest PSNR with original | reconstruction | error thumbnails, model A vs B "
        "scatter plots when the batch compared two models, and the failures with their reasons. "
        "Inputs are named by their base name only. Exit status: 0 written, 1 error, 2 usage.");
    const auto help = parser.addHelpOption();
    const QCommandLineOption input{{"i", "input"}, "The batch's output folder.", "OUTDIR"};
    const QCommandLineOption output{
        {"o", "output"}, "The HTML file to write (default: OUTDIR/report.html).", "FILE"};
    const QCommandLineOption worst{"worst", "How many items of lowest PSNR to show (default 12).",
                                   "N", "12"};
    parser.addOptions({input, output, worst});
    if (!parser.parse(arguments)) return usageError(parser, parser.errorText());
    if (parser.isSet(help)) return out() << parser.helpText(), 0;
    if (!parser.isSet(input)) return usageError(parser, "-i OUTDIR is required");
    if (!parser.positionalArguments().isEmpty())
        return usageError(parser, "unexpected argument '" + parser.positionalArguments()[0] + "'");
    bool ok = false;
    const int worstCount = parser.value(worst).toInt(&ok);
    if (!ok || worstCount < 0 || std::size_t(worstCount) > ui::FidelityReport::kMaxWorst)
        return usageError(parser, QString("--worst takes a whole number from 0 to %1")
                                      .arg(ui::FidelityReport::kMaxWorst));
    try {
        const auto written = ui::FidelityReport::write(
            {str(parser.value(input)), str(parser.value(output)), std::size_t(worstCount)});
        out() << "report: " << QString::fromStdString(written.path) << " (" << written.items
              << " items, " << written.failed << " failed, " << written.bytes << " bytes)"
              << Qt::endl;
        return 0;
    } catch (const Error& e) {
        reportError(QString::fromStdString(e.what()));
        return 1;
    }
}

}  // namespace medvae::cli
