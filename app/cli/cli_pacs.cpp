// medvae-cli pacs: the saved archive (PACS) profiles that the app and `batch --pacs NAME` share.
// Settings go to the app's settings file (ArchiveProfile), secrets to the OS keychain only.

#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "archive_factory.h"
#include "archive_profile.h"
#include "cli_commands.h"
#include "cli_output.h"
#include "error.h"

namespace medvae::cli {
namespace {

using pacs::ArchiveProfile;

const char* const kPacsUsage =
    "Usage: medvae-cli pacs <add|list|remove|echo> ...\n"
    "  pacs add NAME --dicomweb URL [--auth none|basic|bearer] [--user U] [--ca-cert FILE]\n"
    "  pacs add NAME --dimse AET@HOST:PORT [--calling-aet AET]\n"
    "  pacs list\n"
    "  pacs remove NAME\n"
    "  pacs echo NAME\n"
    "The password (basic) or token (bearer) comes from MEDVAE_DICOMWEB_PASSWORD or\n"
    "MEDVAE_DICOMWEB_TOKEN, or is asked for without echo on a terminal, and goes to the OS\n"
    "keychain; the profile (never the secret) goes to the settings the app shares.\n";

// A line read from the terminal without echo; empty when stdin is no terminal.
std::string promptHidden(const std::string& question) {
    if (!::isatty(STDIN_FILENO)) return {};
    std::fprintf(stderr, "%s", question.c_str());
    std::fflush(stderr);
    termios old{};
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::string line;
    std::getline(std::cin, line);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");
    return line;
}

// The secret the profile's authentication needs: from the environment or a hidden prompt.
std::string secretFor(const ArchiveProfile& p) {
    if (p.auth == ArchiveProfile::Auth::None) return {};
    const bool basic = p.auth == ArchiveProfile::Auth::Basic;
    const char* variable = basic ? "MEDVAE_DICOMWEB_PASSWORD" : "MEDVAE_DICOMWEB_TOKEN";
    std::string secret = qgetenv(variable).toStdString();
    if (secret.empty())
        secret = promptHidden(basic ? "Password of " + p.user + " for " + p.name + ": "
                                    : "Token for " + p.name + ": ");
    if (secret.empty())
        throw Error(std::string("the profile '") + p.name + "' needs a " +
                    (basic ? "password" : "token") + ": set " + variable +
                    " or run on a terminal to be asked");
    return secret;
}

std::unique_ptr<QSettings> settings() {
    return ArchiveProfile::appSettings();
}

// The saved profile NAME; throws naming the saved ones when there is none.
ArchiveProfile savedProfile(QSettings& s, const std::string& name) {
    if (auto p = ArchiveProfile::load(s, name)) return *p;
    std::string known;
    for (const ArchiveProfile& p : ArchiveProfile::loadAll(s))
        known += (known.empty() ? "" : ", ") + p.name;
    throw Error("no archive profile '" + name + "' is saved" +
                (known.empty() ? std::string(" (none is)") : " (saved: " + known + ")"));
}

void writeSettings(QSettings& s) {
    s.sync();
    if (s.status() != QSettings::NoError)
        throw Error("cannot write the settings file " + s.fileName().toStdString());
}

struct AddArguments {
    QCommandLineOption dicomweb{"dicomweb", "The archive's DICOMweb root URL.", "URL"};
    QCommandLineOption dimse{"dimse", "The archive's DIMSE address.", "AET@HOST:PORT"};
    QCommandLineOption auth{"auth", "none, basic or bearer (default: basic with --user).", "AUTH"};
    QCommandLineOption user{"user", "User name for basic authentication.", "U"};
    QCommandLineOption caCert{"ca-cert", "PEM file of a certificate authority to trust (https).",
                              "FILE"};
    QCommandLineOption callingAet{"calling-aet", "Our AE title (DIMSE; default MEDVAESTUDIO).",
                                  "AET", "MEDVAESTUDIO"};
};

// The profile the options of `pacs add NAME` describe; false with the reason (a usage error).
bool profileOf(const QCommandLineParser& parser, const AddArguments& a, ArchiveProfile& p,
               QString& error) {
    if (parser.positionalArguments().size() != 1) return error = "pacs add takes one NAME", false;
    p.name = str(parser.positionalArguments().first());
    if (parser.isSet(a.dicomweb) == parser.isSet(a.dimse))
        return error = "give either --dicomweb URL or --dimse AET@HOST:PORT", false;
    if (parser.isSet(a.dimse)) {
        if (parser.isSet(a.auth) || parser.isSet(a.user) || parser.isSet(a.caCert))
            return error = "--auth, --user and --ca-cert go with --dicomweb", false;
        p.kind = ArchiveProfile::Kind::Dimse;
        p.address = str(parser.value(a.dimse));
        p.callingAet = str(parser.value(a.callingAet));
        return true;
    }
    p.address = str(parser.value(a.dicomweb));
    p.user = str(parser.value(a.user));
    const QString auth =
        parser.isSet(a.auth) ? parser.value(a.auth) : (parser.isSet(a.user) ? "basic" : "none");
    if (auth == "none")
        p.auth = ArchiveProfile::Auth::None;
    else if (auth == "basic")
        p.auth = ArchiveProfile::Auth::Basic;
    else if (auth == "bearer")
        p.auth = ArchiveProfile::Auth::Bearer;
    else
        return error = "--auth takes none, basic or bearer", false;
    if (p.auth == ArchiveProfile::Auth::Basic && p.user.empty())
        return error = "--auth basic needs --user", false;
    if (parser.isSet(a.caCert))
        p.caCertificate = str(QFileInfo(parser.value(a.caCert)).absoluteFilePath());
    return true;
}

int add(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Save an archive profile (replacing one of the same name).");
    parser.addHelpOption();
    AddArguments a;
    parser.addOptions({a.dicomweb, a.dimse, a.auth, a.user, a.caCert, a.callingAet});
    parser.addPositionalArgument("NAME", "The profile's name.");
    if (!parser.parse(arguments)) return usageError(parser, parser.errorText());
    if (parser.isSet("help")) return out() << parser.helpText(), 0;
    ArchiveProfile p;
    QString error;
    if (!profileOf(parser, a, p, error)) return usageError(parser, error);
    try {
        const std::string secret = secretFor(p);
        pacs::openArchive(p, secret);  // checks the address (and CA file) before anything is kept
        const auto s = settings();
        const std::optional<ArchiveProfile> old = ArchiveProfile::load(*s, p.name);
        // The secret first: when the keychain fails, nothing is saved.
        if (!secret.empty() || (old && old->auth != ArchiveProfile::Auth::None))
            p.writeSecret(secret);
        p.save(*s);
        writeSettings(*s);
        out() << (old ? "replaced" : "saved") << " archive profile '"
              << QString::fromStdString(p.name) << "' (" << ArchiveProfile::kindName(p.kind) << " "
              << QString::fromStdString(p.address) << ")"
              << (secret.empty() ? "" : "; its secret is in the keychain") << Qt::endl;
    } catch (const Error& e) {
        err() << "medvae-cli: error: " << e.what() << Qt::endl;
        return 1;
    }
    return 0;
}

int list() {
    const auto s = settings();
    const std::vector<ArchiveProfile> all = ArchiveProfile::loadAll(*s);
    if (all.empty()) out() << "no archive profile is saved (medvae-cli pacs add)" << Qt::endl;
    for (const ArchiveProfile& p : all) {
        QString line = QString("%1\t%2\t%3")
                           .arg(QString::fromStdString(p.name), ArchiveProfile::kindName(p.kind),
                                QString::fromStdString(p.address));
        if (p.kind == ArchiveProfile::Kind::Dimse)
            line += "\tcalling AET " + QString::fromStdString(p.callingAet);
        else
            line +=
                QString("\tauth %1").arg(ArchiveProfile::authName(p.auth)) +
                (p.user.empty() ? QString() : " (user " + QString::fromStdString(p.user) + ")") +
                (p.caCertificate.empty() ? QString()
                                         : "\tCA file " + QString::fromStdString(p.caCertificate));
        out() << line << Qt::endl;
    }
    return 0;
}

int remove(const std::string& name) {
    const auto s = settings();
    const ArchiveProfile p = savedProfile(*s, name);
    ArchiveProfile::remove(*s, name);
    writeSettings(*s);
    out() << "removed archive profile '" << QString::fromStdString(name) << "'" << Qt::endl;
    if (p.auth != ArchiveProfile::Auth::None) p.writeSecret({});
    return 0;
}

int echo(const std::string& name) {
    const auto s = settings();
    const ArchiveProfile p = savedProfile(*s, name);
    const auto archive = pacs::openArchive(p, p.readSecret());
    archive->verify();
    out() << QString::fromStdString(name) << ": the archive "
          << QString::fromStdString(archive->describe()) << " answered ("
          << (p.kind == ArchiveProfile::Kind::Dimse ? "C-ECHO" : "a QIDO-RS study query") << ")"
          << Qt::endl;
    return 0;
}

// list, remove and echo: no options, at most one NAME.
int simple(const QString& command, const QStringList& arguments) {
    QCommandLineParser parser;
    parser.addHelpOption();
    if (command != "list") parser.addPositionalArgument("NAME", "The profile's name.");
    if (!parser.parse(arguments)) return usageError(parser, parser.errorText());
    if (parser.isSet("help")) return out() << kPacsUsage, 0;
    const QStringList names = parser.positionalArguments();
    if (names.size() != (command == "list" ? 0 : 1))
        return usageError(parser, command == "list" ? "pacs list takes no NAME"
                                                    : "pacs " + command + " takes one NAME");
    try {
        if (command == "list") return list();
        if (command == "remove") return remove(str(names.first()));
        return echo(str(names.first()));
    } catch (const Error& e) {
        err() << "medvae-cli: error: " << e.what() << Qt::endl;
        return 1;
    }
}

}  // namespace

int runPacs(const QStringList& arguments) {
    const QString command = arguments.size() > 1 ? arguments.at(1) : QString();
    QStringList rest = arguments;
    if (!command.isEmpty()) {
        rest.removeAt(1);
        rest[0] = arguments[0] + " " + command;
    }
    if (command == "add") return add(rest);
    if (command == "list" || command == "remove" || command == "echo") return simple(command, rest);
    if (command == "--help" || command == "-h") return out() << kPacsUsage, 0;
    err() << "medvae-cli pacs: "
          << (command.isEmpty() ? QString("a subcommand is needed")
                                : "unknown subcommand '" + command + "'")
          << "\n\n"
          << kPacsUsage;
    return 2;
}

}  // namespace medvae::cli
