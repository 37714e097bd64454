#include "endpoint_settings.h"

#include <QSettings>
#include <QUuid>

#include <algorithm>

#include "error.h"

namespace medvae::remote {

namespace {
const QString kGroup = QStringLiteral("remote/profiles");
const QString kActive = QStringLiteral("remote/active");
}  // namespace

EndpointSettings::EndpointSettings(QSettings* settings) : settings_(settings) {
    if (!settings_) {
        settings_ = new QSettings;
        owned_ = true;
    }
}

EndpointSettings::~EndpointSettings() {
    if (owned_) delete settings_;
}

EndpointProfile EndpointSettings::newProfile(const QString& name) {
    EndpointProfile p;
    p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.name = name;
    p.keyRef = QStringLiteral("endpoint-") + p.id;
    return p;
}

QList<EndpointProfile> EndpointSettings::profiles() const {
    QList<EndpointProfile> out;
    settings_->beginGroup(kGroup);
    const QStringList ids = settings_->childGroups();
    settings_->endGroup();
    for (const QString& id : ids)
        if (auto p = profile(id)) out.append(*p);
    std::sort(out.begin(), out.end(), [](const EndpointProfile& a, const EndpointProfile& b) {
        return a.name.localeAwareCompare(b.name) < 0;
    });
    return out;
}

std::optional<EndpointProfile> EndpointSettings::profile(const QString& id) const {
    if (id.isEmpty()) return std::nullopt;
    settings_->beginGroup(kGroup + QLatin1Char('/') + id);
    std::optional<EndpointProfile> out;
    if (settings_->contains(QStringLiteral("scoringUri"))) {
        EndpointProfile p;
        p.id = id;
        p.name = settings_->value(QStringLiteral("name")).toString();
        p.scoringUri = settings_->value(QStringLiteral("scoringUri")).toString();
        p.deployment = settings_->value(QStringLiteral("deployment")).toString();
        p.keyRef = settings_->value(QStringLiteral("keyRef")).toString();
        // Profiles saved before "hasKey" existed may have a key wherever they name an entry.
        p.hasKey = settings_->value(QStringLiteral("hasKey"), !p.keyRef.isEmpty()).toBool();
        p.sendUrls = settings_->value(QStringLiteral("sendUrls"), false).toBool();
        p.timeoutS = settings_->value(QStringLiteral("timeoutS"), p.timeoutS).toInt();
        p.maxRetries = settings_->value(QStringLiteral("maxRetries"), p.maxRetries).toInt();
        p.maxInFlight = settings_->value(QStringLiteral("maxInFlight"), p.maxInFlight).toInt();
        p.consentGiven = settings_->value(QStringLiteral("consentGiven"), false).toBool();
        out = p;
    }
    settings_->endGroup();
    return out;
}

void EndpointSettings::save(const EndpointProfile& p) {
    if (p.id.isEmpty() || p.id.contains(QLatin1Char('/')))
        throw Error("An endpoint profile needs an id without '/'.");
    settings_->beginGroup(kGroup + QLatin1Char('/') + p.id);
    settings_->setValue(QStringLiteral("name"), p.name);
    settings_->setValue(QStringLiteral("scoringUri"), p.scoringUri);
    settings_->setValue(QStringLiteral("deployment"), p.deployment);
    settings_->setValue(QStringLiteral("keyRef"), p.keyRef);
    settings_->setValue(QStringLiteral("hasKey"), p.hasKey);
    settings_->setValue(QStringLiteral("sendUrls"), p.sendUrls);
    settings_->setValue(QStringLiteral("timeoutS"), p.timeoutS);
    settings_->setValue(QStringLiteral("maxRetries"), p.maxRetries);
    settings_->setValue(QStringLiteral("maxInFlight"), p.maxInFlight);
    settings_->setValue(QStringLiteral("consentGiven"), p.consentGiven);
    settings_->endGroup();
    settings_->sync();
}

void EndpointSettings::remove(const QString& id) {
    if (id.isEmpty()) return;
    settings_->remove(kGroup + QLatin1Char('/') + id);
    if (activeId() == id) settings_->remove(kActive);
    settings_->sync();
}

QString EndpointSettings::activeId() const {
    return settings_->value(kActive).toString();
}

void EndpointSettings::setActiveId(const QString& id) {
    if (!id.isEmpty() && !profile(id))
        throw Error("There is no endpoint profile '" + id.toStdString() + "'.");
    settings_->setValue(kActive, id);
    settings_->sync();
}

std::optional<EndpointProfile> EndpointSettings::active() const {
    return profile(activeId());
}

void EndpointSettings::setConsent(const QString& id, bool given) {
    auto p = profile(id);
    if (!p) throw Error("There is no endpoint profile '" + id.toStdString() + "'.");
    p->consentGiven = given;
    save(*p);
}

}  // namespace medvae::remote
