#pragma once

#include <QDialog>
#include <QString>

#include <memory>

#include "archive_profile.h"
#include "key_store.h"

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSettings;

namespace medvae::ui {}  // namespace medvae::ui
namespace medvae::jobs {
class ArchiveJobs;
}  // namespace medvae::jobs
namespace medvae::ui {

// Archive (PACS) profiles: add, edit, remove, and test a connection. The same profiles
// medvae-cli --pacs reads (ArchiveProfile, in the app's settings); a DICOMweb password or token
// goes to the OS keychain under the profile's keyAccount(), never to the settings, and the
// secret field stays empty for a stored one ("leave empty to keep"). Keychain requests are
// asynchronous, as in the endpoint profiles dialog: while one runs, the dialog shows a busy bar
// and refuses what could start another. Test connection runs ArchiveClient::verify off the GUI
// thread and shows its answer in words. `settings` and `jobs` are not owned.
class ArchiveProfilesDialog : public QDialog {
    Q_OBJECT
  public:
    ArchiveProfilesDialog(QSettings& settings, remote::KeyStore keys, jobs::ArchiveJobs& jobs,
                          QWidget* parent = nullptr);

    QString selectedName() const { return current_; }
    QString lastReport() const;
    bool busy() const { return keychainBusy_ || testing_; }

  public Q_SLOTS:
    void addProfile();
    void removeProfile();
    // False (with the reason in the report line) when the form is invalid or the keychain is
    // busy; true when saving started: profileSaved() tells how it ended.
    bool saveProfile();
    void testConnection();
    void reject() override;  // ignored while a keychain request runs

  Q_SIGNALS:
    void profilesChanged();
    void profileSaved(bool ok, const QString& report);
    void connectionTested(bool ok, const QString& report);

  private:
    QFormLayout* createForm();
    void reload(const QString& select);
    void showProfile(const QString& name);
    void updateEnabled();
    void setKeychainBusy(bool busy, const QString& doing = QString());
    pacs::ArchiveProfile fromForm() const;
    void finishSave(const pacs::ArchiveProfile& profile, const QString& report);

    QSettings& settings_;
    remote::KeyStore keys_;
    jobs::ArchiveJobs& jobs_;
    QString current_;
    bool keychainBusy_ = false;
    bool testing_ = false;

    QListWidget* list_;
    QLineEdit* name_;
    QComboBox* kind_;
    QLineEdit* address_;
    QLineEdit* callingAet_;
    QComboBox* auth_;
    QLineEdit* user_;
    QLineEdit* secret_;
    QLabel* report_;
    QProgressBar* busyBar_;
    QPushButton* add_;
    QPushButton* remove_;
    QPushButton* save_;
    QPushButton* test_;
    QDialogButtonBox* close_;
};

}  // namespace medvae::ui
