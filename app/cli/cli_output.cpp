#include "cli_output.h"

namespace medvae::cli {

QTextStream& out() {
    static QTextStream s(stdout);
    return s;
}

QTextStream& err() {
    static QTextStream s(stderr);
    return s;
}

int usageError(const QCommandLineParser& parser, const QString& message) {
    err() << "medvae-cli: " << message << "\n\n" << parser.helpText();
    err().flush();
    return 2;
}

}  // namespace medvae::cli
