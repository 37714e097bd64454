#pragma once

#include <QString>

#include <functional>
#include <optional>

#include "endpoint_profile.h"

class QWidget;

namespace medvae::remote {
class KeyStore;
}

namespace medvae::ui {

// When a profile's key is in a keychain that cannot be reached (no Secret Service on this
// desktop), asks for the key for this session only: it is kept in memory
// (KeyStore::keepForSession), never written, and asked again after a restart.
class SessionKeyPrompt {
  public:
    // The text shown: why the keychain cannot be used, and what happens to the key.
    static QString question(const remote::EndpointProfile& profile, const QString& why);
    // True when a key was entered and kept (an empty one: the endpoint takes no key); false when
    // the user cancelled. `askUser` replaces the dialog (tests): it gets question() and returns the
    // key, or nullopt for cancel.
    static bool ask(QWidget* parent, remote::KeyStore& keys, const remote::EndpointProfile& profile,
                    const QString& why,
                    const std::function<std::optional<QString>(const QString&)>& askUser = {});
};

}  // namespace medvae::ui
