#include "session_key_prompt.h"

#include <QCoreApplication>
#include <QInputDialog>
#include <QLineEdit>

#include "key_store.h"

namespace medvae::ui {

QString SessionKeyPrompt::question(const remote::EndpointProfile& profile, const QString& why) {
    return QCoreApplication::translate(
               "SessionKeyPrompt",
               "The key of the endpoint \"%1\" cannot be read from the system keychain:\n%2\n\n"
               "Enter the key to use it for this session only: it is kept in memory and never "
               "written, and asked for again after a restart. Leave the field empty if the "
               "endpoint takes no key.")
        .arg(profile.name, why);
}

bool SessionKeyPrompt::ask(QWidget* parent, remote::KeyStore& keys,
                           const remote::EndpointProfile& profile, const QString& why,
                           const std::function<std::optional<QString>(const QString&)>& askUser) {
    const QString text = question(profile, why);
    std::optional<QString> key;
    if (askUser) {
        key = askUser(text);
    } else {
        bool ok = false;
        const QString typed = QInputDialog::getText(
            parent, QCoreApplication::translate("SessionKeyPrompt", "Key for this session"), text,
            QLineEdit::Password, QString(), &ok);
        if (ok) key = typed;
    }
    if (!key) return false;
    keys.keepForSession(profile.keyRef, key->trimmed());
    return true;
}

}  // namespace medvae::ui
