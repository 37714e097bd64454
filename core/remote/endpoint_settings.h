#pragma once

#include <QList>
#include <QString>

#include <optional>

#include "endpoint_profile.h"

class QSettings;

namespace medvae::remote {

// Endpoint profiles in QSettings, group "remote": several profiles, one active. Keys are never
// written here (see KeyStore); a profile only names its keychain entry.
class EndpointSettings {
  public:
    // `settings` is not owned and must outlive this object; nullptr: the application's QSettings.
    explicit EndpointSettings(QSettings* settings = nullptr);
    ~EndpointSettings();
    EndpointSettings(const EndpointSettings&) = delete;
    EndpointSettings& operator=(const EndpointSettings&) = delete;

    // A new profile with a fresh id and keyRef "endpoint-<id>", without a key; not saved yet.
    static EndpointProfile newProfile(const QString& name);

    QList<EndpointProfile> profiles() const;  // sorted by name
    std::optional<EndpointProfile> profile(const QString& id) const;
    void save(const EndpointProfile& profile);  // adds or replaces by id; throws on an empty id
    void remove(const QString& id);             // also clears the active id when it was active
    QString activeId() const;                   // empty when none
    void setActiveId(const QString& id);        // throws when no such profile
    std::optional<EndpointProfile> active() const;
    void setConsent(const QString& id, bool given);

  private:
    QSettings* settings_;
    bool owned_ = false;
};

}  // namespace medvae::remote
