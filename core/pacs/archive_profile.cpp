#include "archive_profile.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QSettings>
#include <QThread>

#include <algorithm>
#include <thread>

#include "error.h"
#include "key_store.h"

namespace medvae::pacs {
namespace {

const QString kGroup = QStringLiteral("pacs/profiles");

QString group(const std::string& name) {
    return kGroup + QLatin1Char('/') + QString::fromStdString(name);
}

template <typename Enum, std::size_t N>
Enum parseName(const QString& text, const char* const (&names)[N], Enum fallback) {
    for (std::size_t i = 0; i < N; ++i)
        if (text == QLatin1String(names[i])) return Enum(i);
    return fallback;
}

const char* const kKindNames[] = {"dicomweb", "dimse"};
const char* const kAuthNames[] = {"none", "basic", "bearer"};

}  // namespace

DimseAddress DimseAddress::parse(const std::string& text) {
    const std::size_t at = text.find('@');
    const std::size_t colon = text.rfind(':');
    const auto bad = [&text](const std::string& why) {
        return Error("'" + text + "' is not a DIMSE archive address AET@HOST:PORT (" + why +
                     "), e.g. ORTHANC@127.0.0.1:4242");
    };
    if (at == std::string::npos || colon == std::string::npos || colon < at)
        throw bad("it needs an '@' and a ':'");
    DimseAddress a;
    a.aet = text.substr(0, at);
    a.host = text.substr(at + 1, colon - at - 1);
    const std::string port = text.substr(colon + 1);
    if (a.aet.empty() || a.aet.size() > 16) throw bad("the AE title takes 1 to 16 characters");
    if (std::any_of(a.aet.begin(), a.aet.end(),
                    [](char c) { return c == '\\' || static_cast<unsigned char>(c) < 0x20; }))
        throw bad("the AE title holds a backslash or a control character");
    if (a.host.empty()) throw bad("the host is missing");
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos)
        throw bad("the port is not a number");
    a.port = std::stoi(port);
    if (a.port < 1 || a.port > 65535) throw bad("the port must be 1 to 65535");
    return a;
}

std::string DimseAddress::text() const {
    return aet + "@" + host + ":" + std::to_string(port);
}

const char* ArchiveProfile::kindName(Kind kind) {
    return kKindNames[int(kind)];
}

const char* ArchiveProfile::authName(Auth auth) {
    return kAuthNames[int(auth)];
}

std::unique_ptr<QSettings> ArchiveProfile::appSettings() {
    return std::make_unique<QSettings>(QStringLiteral("MedVAE Studio"),
                                       QStringLiteral("medvae-studio"));
}

std::optional<ArchiveProfile> ArchiveProfile::load(QSettings& settings, const std::string& name) {
    if (name.empty()) return std::nullopt;
    settings.beginGroup(group(name));
    std::optional<ArchiveProfile> out;
    if (settings.contains(QStringLiteral("address"))) {
        ArchiveProfile p;
        p.name = name;
        p.kind = parseName(settings.value(QStringLiteral("kind")).toString(), kKindNames,
                           Kind::Dicomweb);
        p.address = settings.value(QStringLiteral("address")).toString().toStdString();
        p.callingAet = settings.value(QStringLiteral("callingAet"), QStringLiteral("MEDVAESTUDIO"))
                           .toString()
                           .toStdString();
        p.auth =
            parseName(settings.value(QStringLiteral("auth")).toString(), kAuthNames, Auth::None);
        p.user = settings.value(QStringLiteral("user")).toString().toStdString();
        out = p;
    }
    settings.endGroup();
    return out;
}

std::vector<ArchiveProfile> ArchiveProfile::loadAll(QSettings& settings) {
    settings.beginGroup(kGroup);
    const QStringList names = settings.childGroups();
    settings.endGroup();
    std::vector<ArchiveProfile> out;
    for (const QString& name : names)
        if (auto p = load(settings, name.toStdString())) out.push_back(*p);
    std::sort(out.begin(), out.end(),
              [](const ArchiveProfile& a, const ArchiveProfile& b) { return a.name < b.name; });
    return out;
}

void ArchiveProfile::save(QSettings& settings) const {
    if (name.empty() || name.find_first_of("/\\") != std::string::npos)
        throw Error("an archive profile needs a name without '/' or '\\'");
    if (kind == Kind::Dimse) DimseAddress::parse(address);
    if (kind == Kind::Dicomweb && address.rfind("http://", 0) != 0 &&
        address.rfind("https://", 0) != 0)
        throw Error("the DICOMweb address of the archive profile '" + name +
                    "' must start with http:// or https://");
    settings.remove(group(name));
    settings.beginGroup(group(name));
    settings.setValue(QStringLiteral("kind"), kindName(kind));
    settings.setValue(QStringLiteral("address"), QString::fromStdString(address));
    settings.setValue(QStringLiteral("callingAet"), QString::fromStdString(callingAet));
    settings.setValue(QStringLiteral("auth"), authName(auth));
    settings.setValue(QStringLiteral("user"), QString::fromStdString(user));
    settings.endGroup();
}

void ArchiveProfile::remove(QSettings& settings, const std::string& name) {
    if (!name.empty()) settings.remove(group(name));
}

std::string ArchiveProfile::readSecret(remote::KeyStore* keys) const {
    if (auth == Auth::None || kind == Kind::Dimse) return {};
    remote::KeyStore ownKeys;
    remote::KeyStore& store = keys ? *keys : ownKeys;
    const QString account = QString::fromStdString(keyAccount());
    std::optional<QString> secret;
    std::string failure;
    const auto ask = [&] {
        try {
            secret = store.read(account);
        } catch (const Error& e) {
            failure = e.what();
        }
    };
    QCoreApplication* app = QCoreApplication::instance();
    if (app && QThread::currentThread() == app->thread()) {
        // The keychain answers through the main thread's event loop: ask from a helper thread.
        QEventLoop loop;
        std::thread helper([&] {
            ask();
            QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
        });
        loop.exec();
        helper.join();
    } else {
        ask();
    }
    if (!failure.empty())
        throw Error("cannot read the secret of the archive profile '" + name +
                    "' from the keychain: " + failure);
    if (!secret || secret->isEmpty())
        throw Error("the keychain holds no password or token for the archive profile '" + name +
                    "'; store it again in the app's PACS settings");
    return secret->toStdString();
}

}  // namespace medvae::pacs
