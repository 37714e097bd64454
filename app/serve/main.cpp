// medvae-serve: the Azure ML MedVAE scoring contract on your own machine (see README).
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSocketNotifier>

#include <sys/socket.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "error.h"
#include "local_backend.h"
#include "resource_paths.h"
#include "scoring_server.h"

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(signalPipe[1], &byte, 1);
}

QList<QCommandLineOption> serveOptions() {
    const auto option = [](const char* name, const char* help, const char* value = nullptr,
                           const char* byDefault = nullptr) {
        return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help),
                                  QString::fromLatin1(value), QString::fromLatin1(byDefault));
    };
    return {
        option("model",
               "Checkpoint to serve (default: the bundled demo model, or the one MEDVAE_MODEL "
               "names).",
               "CKPT"),
        option("host", "Address to bind (default 127.0.0.1).", "ADDR", "127.0.0.1"),
        option("port", "Port to listen on (required; 0: any free one, printed).", "P"),
        option("key-file", "File holding the Bearer key.", "F"),
        option("device", "cpu, cuda or cuda:N (default cpu).", "D", "cpu"),
        option("precision",
               "fp32 (default), bf16, or fp16 (CUDA only) for the encoder/decoder bodies.", "P",
               "fp32"),
        option("batch",
               "Waiting requests whose images have one size run through the model together, up "
               "to N (default 1; at most --queue; faster on a GPU).",
               "N", "1"),
        option("max-body-bytes", "Largest request body (default 67108864).", "N", "67108864"),
        option("queue", "Requests admitted at once, running and waiting (default 2); more get 429.",
               "N", "2"),
        option("timeout-s",
               "Per-request timeout from arrival: queueing, fetching, decoding, preprocessing and "
               "inference (default 60); past it 408, and the work is stopped.",
               "S", "60"),
        option("allow-url-fetch",
               "Accept http(s) URLs as image_path and fetch them (off by default)."),
        option("max-connections", "Open connections at most (default 64); more get 503.", "N",
               "64"),
        option("max-connections-per-client",
               "Open connections from one client address at most (default 8; 0: no limit); more "
               "get 429. Raise it behind a reverse proxy, whose connections all come from one "
               "address.",
               "N", "8"),
        option("idle-timeout-s",
               "Time a connection has to start a request, and to start the next one (default 5).",
               "S", "5"),
        option("max-memory-gb",
               "Memory one request's image may take, decoding and model together; larger images "
               "get 413 before decoding (default: 75 % of this machine's memory, or "
               "MEDVAE_MAX_MEMORY_GB).",
               "GB"),
        option("shutdown-grace-s",
               "After SIGTERM or Ctrl+C: time running requests have to finish before they are "
               "stopped (default 3). A second signal stops them at once.",
               "S", "3"),
    };
}

double seconds(const QCommandLineParser& parser, const char* name) {
    bool ok = false;
    const double value = parser.value(QString::fromLatin1(name)).toDouble(&ok);
    if (!ok) throw medvae::Error(std::string("--") + name + " must be a number of seconds");
    return value;
}

long long integer(const QCommandLineParser& parser, const char* name) {
    bool ok = false;
    const long long value = parser.value(QString::fromLatin1(name)).toLongLong(&ok);
    if (!ok) throw medvae::Error(std::string("--") + name + " must be a whole number");
    return value;
}

QString readKey(const QCommandLineParser& parser) {
    if (!parser.isSet(QStringLiteral("key-file")))
        return qEnvironmentVariable("MEDVAE_SERVE_KEY").trimmed();
    QFile file(parser.value(QStringLiteral("key-file")));
    if (!file.open(QIODevice::ReadOnly))
        throw medvae::Error("Cannot read the key file " + file.fileName().toStdString() + ": " +
                            file.errorString().toStdString());
    const QString key = QString::fromUtf8(file.read(4096)).trimmed();
    if (key.isEmpty())
        throw medvae::Error("The key file " + file.fileName().toStdString() + " is empty");
    return key;
}

medvae::serve::ServeOptions parse(const QCoreApplication& app) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Serves MedVAE over HTTP with the Azure ML endpoint contract (POST /score).\n"
        "The key comes from --key-file or the MEDVAE_SERVE_KEY environment variable, never "
        "from the command line."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions(serveOptions());
    parser.process(app);
    medvae::serve::ServeOptions o;
    // As medvae-cli and the app: without --model, the bundled demo model.
    o.model = parser.isSet(QStringLiteral("model"))
                  ? parser.value(QStringLiteral("model"))
                  : QString::fromStdString(medvae::ResourcePaths::demoModel());
    if (o.model.isEmpty())
        throw medvae::Error("--model CKPT is required (no bundled demo model was found)");
    if (!parser.isSet(QStringLiteral("port")))
        throw medvae::Error("--port P is required (0: any free port)");
    const long long port = integer(parser, "port");
    if (port < 0 || port > 65535) throw medvae::Error("--port must be 0..65535");
    o.port = quint16(port);
    o.host = parser.value(QStringLiteral("host"));
    o.device = parser.value(QStringLiteral("device"));
    medvae::EngineOptions device;
    medvae::parseDevice(o.device.toStdString(), device);  // throws for a malformed one
    o.precision = parser.value(QStringLiteral("precision"));
    medvae::parsePrecision(o.precision.toLower().toStdString());  // likewise
    o.batch = int(integer(parser, "batch"));
    o.maxBodyBytes = integer(parser, "max-body-bytes");
    o.queue = int(integer(parser, "queue"));
    o.timeoutS = seconds(parser, "timeout-s");
    o.allowUrlFetch = parser.isSet(QStringLiteral("allow-url-fetch"));
    o.maxDownloadBytes = o.maxBodyBytes;
    o.maxConnections = int(integer(parser, "max-connections"));
    o.maxConnectionsPerClient = int(integer(parser, "max-connections-per-client"));
    o.idleTimeoutS = seconds(parser, "idle-timeout-s");
    o.shutdownGraceS = seconds(parser, "shutdown-grace-s");
    if (parser.isSet(QStringLiteral("max-memory-gb"))) {
        bool ok = false;
        o.maxMemoryGb = parser.value(QStringLiteral("max-memory-gb")).toDouble(&ok);
        if (!ok || !(o.maxMemoryGb > 0))
            throw medvae::Error("--max-memory-gb must be a positive number");
    }
    o.key = readKey(parser);
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("medvae-serve"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MEDVAE_VERSION));
    try {
        const medvae::serve::ServeOptions options = parse(app);
        // Refuse an unsafe bind before spending time on the model.
        if (options.key.isEmpty() && !medvae::serve::ScoringServer::isLoopbackHost(options.host))
            throw medvae::Error("Refusing to serve on " + options.host.toStdString() +
                                " without a key (--key-file or MEDVAE_SERVE_KEY); loopback "
                                "addresses may run without one");
        medvae::Engine::configureCpuKernels();
        medvae::EngineOptions engine;
        medvae::parseDevice(options.device.toStdString(), engine);
        engine.precision = medvae::parsePrecision(options.precision.toLower().toStdString());
        auto backend = medvae::jobs::LocalBackend::open(options.model.toStdString(), engine);
        medvae::serve::ScoringServer server(options, backend);
        server.listen();

        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
            throw medvae::Error("Cannot set up signal handling");
        QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
        int signalCount = 0;
        QObject::connect(&notifier, &QSocketNotifier::activated, &server, [&] {
            char byte;
            [[maybe_unused]] const ssize_t n = ::read(signalPipe[0], &byte, 1);
            if (++signalCount == 1)
                std::fprintf(stderr,
                             "medvae-serve: shutting down: running requests have %g s to finish, "
                             "then they are stopped (a second signal stops them now)\n",
                             options.shutdownGraceS);
            else
                std::fprintf(stderr, "medvae-serve: stopping the running requests now\n");
            server.shutdown();
        });
        QObject::connect(&server, &medvae::serve::ScoringServer::drained, &app,
                         &QCoreApplication::quit);
        struct sigaction action {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        sigaction(SIGTERM, &action, nullptr);
        sigaction(SIGINT, &action, nullptr);

        const auto d = backend->describe();
        std::printf("medvae-serve %s: %s (%s, %s) on http://%s:%u/score%s%s\n", MEDVAE_VERSION,
                    d.model.c_str(), d.device.c_str(), d.demoModel ? "demo model" : "weights",
                    qPrintable(options.host), unsigned(server.port()),
                    options.key.isEmpty() ? ", no key" : ", key required",
                    options.allowUrlFetch ? ", URL fetching on" : "");
        std::fflush(stdout);
        const int status = app.exec();
        if (!server.workStopped()) {
            // The worker is inside one step it cannot leave; waiting for it would make the exit
            // unbounded. Its answer has been given (503) already.
            std::fprintf(stderr,
                         "medvae-serve: the running request did not stop within %d ms; exiting "
                         "without waiting for it\n",
                         medvae::serve::ScoringServer::kStopBoundMs);
            std::fflush(nullptr);
            std::_Exit(status);
        }
        return status;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "medvae-serve: %s\n", e.what());
        return 2;
    }
}
