#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

class QSettings;

#include "dimse_address.h"

namespace medvae::remote {
class KeyStore;
}

namespace medvae::pacs {

// One archive (PACS) as the user configured it, stored in QSettings (group "pacs/profiles/<name>",
// the app's settings, shared with medvae-cli --pacs). The password or token never is: it lives in
// the OS keychain under keyAccount().
struct ArchiveProfile {
    enum class Kind { Dicomweb, Dimse };
    enum class Auth { None, Basic, Bearer };  // DICOMweb only

    std::string name;  // shown to the user, and the profile's key ('/' and '\\' not allowed)
    Kind kind = Kind::Dicomweb;
    std::string address;                      // DICOMweb: the root URL; DIMSE: AET@HOST:PORT
    std::string callingAet = "MEDVAESTUDIO";  // DIMSE: our AE title
    Auth auth = Auth::None;
    std::string user;  // Basic
    // DICOMweb over https: a PEM file of the certificate authorities trusted besides the
    // system's (a hospital's own CA), as an absolute path; empty: the system's alone.
    std::string caCertificate;

    // The keychain entry of the profile's secret.
    std::string keyAccount() const { return "pacs-" + name; }
    // The secret from the keychain (empty when the profile needs none). Blocks until the keychain
    // answers (bounded); from the main thread the question is asked from a helper thread while
    // the main thread's event loop runs. Throws medvae::Error when the keychain cannot be
    // reached or holds no secret for a profile that needs one. `keys` nullptr: the app's.
    std::string readSecret(remote::KeyStore* keys = nullptr) const;
    // Stores `secret` in the keychain under keyAccount(), replacing what was there; an empty
    // secret removes the entry. Blocks as readSecret does. Throws medvae::Error when the keychain
    // cannot be reached or refuses (the secret is then kept nowhere).
    void writeSecret(const std::string& secret, remote::KeyStore* keys = nullptr) const;

    static const char* kindName(Kind kind);  // "dicomweb", "dimse"
    static const char* authName(Auth auth);  // "none", "basic", "bearer"

    // The settings the app and medvae-cli share (organisation "MedVAE Studio", application
    // "medvae-studio").
    static std::unique_ptr<QSettings> appSettings();
    static std::vector<ArchiveProfile> loadAll(QSettings& settings);  // sorted by name
    static std::optional<ArchiveProfile> load(QSettings& settings, const std::string& name);
    // Throws medvae::Error when the name is empty or holds '/' or '\\', or the address is not
    // valid for the kind.
    void save(QSettings& settings) const;
    static void remove(QSettings& settings, const std::string& name);
};

}  // namespace medvae::pacs
