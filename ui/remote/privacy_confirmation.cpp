#include "privacy_confirmation.h"

#include <QMessageBox>
#include <QUrl>

#include "endpoint_settings.h"

namespace medvae::ui {

QString PrivacyConfirmation::question(const remote::EndpointProfile& profile) {
    const QString host = QUrl(profile.scoringUri).host();
    return QObject::tr(
               "Images will be sent to the endpoint \"%1\" at %2 for encoding.\n\n"
               "Only pixels leave this machine, re-encoded as PNG: no DICOM header, no file "
               "names, no patient data fields. Whoever runs %2 can see the images.%3\n\n"
               "Send images to this endpoint?")
        .arg(profile.name, host,
             profile.sendUrls ? QObject::tr(" Images opened from a web address are sent as that "
                                            "address, and the endpoint downloads them itself.")
                              : QString());
}

bool PrivacyConfirmation::confirm(QWidget* parent, remote::EndpointSettings& settings,
                                  remote::EndpointProfile& profile,
                                  const std::function<bool(const QString&)>& ask) {
    if (profile.consentGiven) return true;
    const QString text = question(profile);
    const bool yes = ask ? ask(text)
                         : QMessageBox::question(parent, QObject::tr("Send images to an endpoint?"),
                                                 text, QMessageBox::Yes | QMessageBox::No,
                                                 QMessageBox::No) == QMessageBox::Yes;
    if (!yes) return false;
    profile.consentGiven = true;
    settings.setConsent(profile.id, true);
    return true;
}

}  // namespace medvae::ui
