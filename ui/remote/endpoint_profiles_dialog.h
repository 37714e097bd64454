#pragma once

#include <QDialog>
#include <QString>

#include <atomic>
#include <memory>
#include <thread>

#include "endpoint_profile.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace medvae::remote {
class EndpointSettings;
class KeyStore;
}  // namespace medvae::remote

namespace medvae::ui {

// Endpoint profiles: add, edit, remove, choose the active one, and test a connection. Keys typed
// here go to the OS keychain (KeyStore), never to the settings; without a keychain they are kept
// for this session only, in memory. The key field stays empty for a stored key ("leave empty to
// keep"). A profile without a key never touches the keychain. Test connection runs on a background
// thread and shows ScoringClient's precise report (DNS, refused, TLS, 401, 404, ... or "OK ...").
// `settings` and `keys` are not owned and must outlive the dialog.
class EndpointProfilesDialog : public QDialog {
    Q_OBJECT
  public:
    EndpointProfilesDialog(remote::EndpointSettings& settings, remote::KeyStore& keys,
                           QWidget* parent = nullptr);
    ~EndpointProfilesDialog() override;  // cancels a running connection test and joins it

    QString selectedId() const;
    QString lastReport() const;  // text of the last connection test
    bool testRunning() const { return testRunning_; }

  public Q_SLOTS:
    void addProfile();
    void removeProfile();
    bool saveProfile();  // false (with a message in the report line) when invalid
    void makeActive();
    void testConnection();

  Q_SIGNALS:
    void activeProfileChanged(const QString& id);
    void connectionTested(bool ok, const QString& report);

  private:
    void reload(const QString& select);
    void showProfile(const QString& id);
    remote::EndpointProfile fromForm() const;

    remote::EndpointSettings& settings_;
    remote::KeyStore& keys_;
    QString currentId_;
    bool testRunning_ = false;
    std::thread testThread_;
    std::shared_ptr<std::atomic<bool>> stopTest_ = std::make_shared<std::atomic<bool>>(false);

    QListWidget* list_;
    QLineEdit* name_;
    QLineEdit* uri_;
    QLineEdit* deployment_;
    QLineEdit* key_;
    QCheckBox* sendUrls_;
    QSpinBox* timeout_;
    QSpinBox* retries_;
    QSpinBox* inFlight_;
    QLabel* report_;
    QPushButton* test_;
    QPushButton* active_;
};

}  // namespace medvae::ui
