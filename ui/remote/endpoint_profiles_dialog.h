#pragma once

#include <QDialog>
#include <QString>

#include <atomic>
#include <memory>
#include <thread>

#include "endpoint_profile.h"

class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
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
//
// Keychain requests are asynchronous (no event loop is nested while the keychain works): while
// one runs, the dialog shows a busy bar and disables everything that could start another request
// or change the profile being saved, Close included; the slots refuse as well. Saving and
// removing report their outcome through profileSaved() and profileRemoved(), at once when no
// keychain is involved.
class EndpointProfilesDialog : public QDialog {
    Q_OBJECT
  public:
    EndpointProfilesDialog(remote::EndpointSettings& settings, remote::KeyStore& keys,
                           QWidget* parent = nullptr);
    ~EndpointProfilesDialog() override;  // cancels a running connection test and joins it

    QString selectedId() const;
    QString lastReport() const;  // text of the report line (last test, save, or progress)
    bool testRunning() const { return testRunning_; }
    bool keychainBusy() const { return keychainBusy_; }

  public Q_SLOTS:
    void addProfile();
    void removeProfile();  // a keyed profile's key is removed from the keychain first
    // False (with a message in the report line) when the form is invalid or a keychain request
    // runs; true when saving started: profileSaved() tells how it ended.
    bool saveProfile();
    void makeActive();
    void testConnection();
    void reject() override;  // ignored while a keychain request runs

  Q_SIGNALS:
    void activeProfileChanged(const QString& id);
    void connectionTested(bool ok, const QString& report);
    void profileSaved(bool ok, const QString& report);
    void profileRemoved(bool ok, const QString& report);

  private:
    QFormLayout* createForm();  // the profile's fields
    void reload(const QString& select);
    void showProfile(const QString& id);
    void updateEnabled();
    void setKeychainBusy(bool busy, const QString& doing = QString());
    remote::EndpointProfile fromForm() const;
    void finishSave(const remote::EndpointProfile& p, const QString& report);
    void finishRemove(const QString& id, const QString& note);
    void startTest(const remote::EndpointProfile& p, const QString& key);

    remote::EndpointSettings& settings_;
    remote::KeyStore& keys_;
    QString currentId_;
    bool testRunning_ = false;
    bool keychainBusy_ = false;
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
    QProgressBar* busy_;
    QPushButton* add_;
    QPushButton* remove_;
    QPushButton* save_;
    QPushButton* test_;
    QPushButton* active_;
    QDialogButtonBox* close_;
};

}  // namespace medvae::ui
