#include "archive_profile.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QSettings>
#include <QThread>

#include <algorithm>
#include <functional>
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

// Runs `ask` (a blocking keychain call) where the keychain can answer it: from the main thread,
// on a helper thread while the main thread's event loop runs; elsewhere, right here. Returns
// the message of the medvae::Error it threw, empty when none.
std::string askKeychain(const std::function<void()>& ask) {
    std::string failure;
    const auto guarded = [&] {
        try {
            ask();
        } catch (const Error& e) {
            failure = e.what();
        }
    };
    QCoreApplication* app = QCoreApplication::instance();
    if (app && QThread::currentThread() == app->thread()) {
        QEventLoop loop;
        std::thread helper([&] {
            guarded();
            QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
        });
        loop.exec();
        helper.join();
    } else {
        guarded();
    }
    return failure;
}

}  // namespace

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
        p.caCertificate = settings.value(QStringLiteral("caCertificate")).toString().toStdString();
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
    if (!caCertificate.empty())
        settings.setValue(QStringLiteral("caCertificate"), QString::fromStdString(caCertificate));
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
    const std::string failure = askKeychain([&] { secret = store.read(account); });
    if (!failure.empty())
        throw Error("cannot read the secret of the archive profile '" + name +
                    "' from the keychain: " + failure);
    if (!secret || secret->isEmpty())
        throw Error("the keychain holds no password or token for the archive profile '" + name +
                    "'; store it again in the app's PACS settings");
    return secret->toStdString();
}

void ArchiveProfile::writeSecret(const std::string& secret, remote::KeyStore* keys) const {
    remote::KeyStore ownKeys;
    remote::KeyStore& store = keys ? *keys : ownKeys;
    const QString account = QString::fromStdString(keyAccount());
    const std::string failure = askKeychain([&] {
        if (secret.empty())
            store.remove(account);
        else
            store.store(account, QString::fromStdString(secret));
    });
    if (!failure.empty())
        throw Error("cannot " + std::string(secret.empty() ? "remove" : "keep") +
                    " the secret of the archive profile '" + name +
                    "' in the keychain: " + failure);
}

}  // namespace medvae::pacs
