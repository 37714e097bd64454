#include <QApplication>
#include <QTextStream>

#include <cstring>
#include <memory>

#include "cli_commands.h"

namespace {

const char* const kUsage =
    "Usage: medvae-cli <command> [options]\n"
    "\n"
    "Commands:\n"
    "  info CKPT              describe a MedVAE checkpoint (variant, size, dtype, keys)\n"
    "  encode -o DIR IMAGE... encode images to latents (and reconstructions with --decode)\n"
    "  decode -o DIR Z.npy... decode stage-1 latents (z) back to images\n"
    "  batch -i IN... -o DIR  encode files, folders and URL lists with a manifest (resumable)\n"
    "  manifest merge -i DIR  read a batch's shard manifests as one table (missing, duplicated)\n"
    "  report -i DIR          one self-contained HTML fidelity report of a batch's manifests\n"
    "  pacs add|list|remove|echo  saved archive (PACS) profiles for batch --pacs NAME\n"
    "\n"
    "Run 'medvae-cli <command> --help' for the options of a command.\n";

}  // namespace

int main(int argc, char** argv) {
    // report draws its plots with Qt Charts, which needs a QApplication; without a display
    // (a server, a cluster node) the offscreen platform draws them.
    const bool report = argc > 1 && std::strcmp(argv[1], "report") == 0;
    if (report && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> app(report ? new QApplication(argc, argv)
                                                 : new QCoreApplication(argc, argv));
    QCoreApplication::setApplicationName("medvae-cli");
    QCoreApplication::setApplicationVersion(MEDVAE_VERSION);
    QStringList args = QCoreApplication::arguments();
    const QString command = args.size() > 1 ? args.at(1) : QString();
    if (command == "--version" || command == "-v") {
        QTextStream(stdout) << "medvae-cli " << MEDVAE_VERSION << "\n";
        return 0;
    }
    if (command.isEmpty() || command == "--help" || command == "-h" || command == "help") {
        QTextStream(command.isEmpty() ? stderr : stdout) << kUsage;
        return command.isEmpty() ? 2 : 0;
    }
    args.removeAt(1);
    args[0] = "medvae-cli " + command;
    if (command == "info") return medvae::cli::runInfo(args);
    if (command == "encode") return medvae::cli::runEncode(args);
    if (command == "decode") return medvae::cli::runDecode(args);
    if (command == "batch") return medvae::cli::runBatch(args);
    if (command == "manifest") return medvae::cli::runManifest(args);
    if (command == "report") return medvae::cli::runReport(args);
    if (command == "pacs") return medvae::cli::runPacs(args);
    QTextStream(stderr) << "medvae-cli: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
}
