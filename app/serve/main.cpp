// medvae-serve: the Azure ML MedVAE scoring contract on your own machine (see README).
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSocketNotifier>

#include <sys/socket.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>

#include "error.h"
#include "local_backend.h"
#include "scoring_server.h"

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(signalPipe[1], &byte, 1);
}

medvae::serve::ServeOptions parse(const QCoreApplication& app) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Serves MedVAE over HTTP with the Azure ML endpoint contract (POST /score).\n"
        "The key comes from --key-file or the MEDVAE_SERVE_KEY environment variable, never "
        "from the command line."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("model"), QStringLiteral("Checkpoint to serve."), QStringLiteral("CKPT")},
        {QStringLiteral("host"), QStringLiteral("Address to bind (default 127.0.0.1)."),
         QStringLiteral("ADDR"), QStringLiteral("127.0.0.1")},
        {QStringLiteral("port"), QStringLiteral("Port (0: any free one, printed)."),
         QStringLiteral("P")},
        {QStringLiteral("key-file"), QStringLiteral("File holding the Bearer key."),
         QStringLiteral("F")},
        {QStringLiteral("device"), QStringLiteral("cpu or cuda (default cpu)."),
         QStringLiteral("D"), QStringLiteral("cpu")},
        {QStringLiteral("max-body-bytes"),
         QStringLiteral("Largest request body (default 67108864)."), QStringLiteral("N"),
         QStringLiteral("67108864")},
        {QStringLiteral("queue"),
         QStringLiteral(
             "Requests admitted at once, running and waiting (default 2); more get 429."),
         QStringLiteral("N"), QStringLiteral("2")},
        {QStringLiteral("timeout-s"),
         QStringLiteral("Per-request timeout, queueing included (default 60); past it 408."),
         QStringLiteral("S"), QStringLiteral("60")},
        {QStringLiteral("allow-url-fetch"),
         QStringLiteral("Accept http(s) URLs as image_path and fetch them (off by default).")},
    });
    parser.process(app);
    medvae::serve::ServeOptions o;
    o.model = parser.value(QStringLiteral("model"));
    if (o.model.isEmpty()) throw medvae::Error("--model CKPT is required");
    if (!parser.isSet(QStringLiteral("port")))
        throw medvae::Error("--port P is required (0: any free port)");
    bool ok = false;
    const uint port = parser.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port > 65535) throw medvae::Error("--port must be 0..65535");
    o.port = quint16(port);
    o.host = parser.value(QStringLiteral("host"));
    o.device = parser.value(QStringLiteral("device"));
    if (o.device != QLatin1String("cpu") && o.device != QLatin1String("cuda"))
        throw medvae::Error("--device must be cpu or cuda");
    o.maxBodyBytes = parser.value(QStringLiteral("max-body-bytes")).toLongLong(&ok);
    if (!ok) throw medvae::Error("--max-body-bytes must be a number of bytes");
    o.queue = parser.value(QStringLiteral("queue")).toInt(&ok);
    if (!ok) throw medvae::Error("--queue must be a number");
    o.timeoutS = parser.value(QStringLiteral("timeout-s")).toDouble(&ok);
    if (!ok) throw medvae::Error("--timeout-s must be a number of seconds");
    o.allowUrlFetch = parser.isSet(QStringLiteral("allow-url-fetch"));
    o.maxDownloadBytes = o.maxBodyBytes;
    if (parser.isSet(QStringLiteral("key-file"))) {
        QFile file(parser.value(QStringLiteral("key-file")));
        if (!file.open(QIODevice::ReadOnly))
            throw medvae::Error("Cannot read the key file " + file.fileName().toStdString() + ": " +
                                file.errorString().toStdString());
        o.key = QString::fromUtf8(file.read(4096)).trimmed();
        if (o.key.isEmpty())
            throw medvae::Error("The key file " + file.fileName().toStdString() + " is empty");
    } else {
        o.key = qEnvironmentVariable("MEDVAE_SERVE_KEY").trimmed();
    }
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
        engine.device = options.device == QLatin1String("cuda") ? medvae::DeviceKind::Cuda
                                                                : medvae::DeviceKind::Cpu;
        auto backend = medvae::jobs::LocalBackend::open(options.model.toStdString(), engine);
        medvae::serve::ScoringServer server(options, backend);
        server.listen();

        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
            throw medvae::Error("Cannot set up signal handling");
        QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
        QObject::connect(&notifier, &QSocketNotifier::activated, &server, [&] {
            char byte;
            [[maybe_unused]] const ssize_t n = ::read(signalPipe[0], &byte, 1);
            std::fprintf(stderr, "medvae-serve: shutting down after the requests in flight\n");
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
        return app.exec();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "medvae-serve: %s\n", e.what());
        return 2;
    }
}
