#pragma once

#include <QString>

#include <functional>

#include "endpoint_profile.h"

class QWidget;

namespace medvae::remote {
class EndpointSettings;
}

namespace medvae::ui {

// The first time a profile would send images off this machine, the user confirms it; the answer
// is stored with the profile (EndpointSettings::setConsent), so later sends do not ask again.
class PrivacyConfirmation {
  public:
    // The question shown: where images go and what leaves (pixels as PNG, no DICOM header).
    static QString question(const remote::EndpointProfile& profile);
    // True when images may be sent: consent stored earlier, or given now. `ask` replaces the
    // message box (tests); it gets question() and returns the answer.
    static bool confirm(QWidget* parent, remote::EndpointSettings& settings,
                        remote::EndpointProfile& profile,
                        const std::function<bool(const QString&)>& ask = {});
};

}  // namespace medvae::ui
