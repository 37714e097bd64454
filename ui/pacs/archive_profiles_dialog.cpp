#include "archive_profiles_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include <initializer_list>
#include <utility>

#include "archive_jobs.h"
#include "error.h"

namespace medvae::ui {

ArchiveProfilesDialog::ArchiveProfilesDialog(QSettings& settings, remote::KeyStore keys,
                                             jobs::ArchiveJobs& jobs, QWidget* parent)
    : QDialog(parent), settings_(settings), keys_(std::move(keys)), jobs_(jobs) {
    setWindowTitle(tr("PACS servers"));
    setObjectName(QStringLiteral("archiveProfilesDialog"));
    list_ = new QListWidget;
    add_ = new QPushButton(tr("&Add"));
    remove_ = new QPushButton(tr("&Remove"));
    save_ = new QPushButton(tr("&Save"));
    test_ = new QPushButton(tr("Test &connection"));
    for (auto [button, name] : {std::pair{add_, "add"}, std::pair{remove_, "remove"},
                                std::pair{save_, "save"}, std::pair{test_, "test"}})
        button->setObjectName(QLatin1String(name));
    auto* listButtons = new QHBoxLayout;
    listButtons->addWidget(add_);
    listButtons->addWidget(remove_);
    auto* left = new QVBoxLayout;
    left->addWidget(list_);
    left->addLayout(listButtons);

    auto* formButtons = new QHBoxLayout;
    formButtons->addWidget(save_);
    formButtons->addWidget(test_);
    formButtons->addStretch();
    report_ = new QLabel;
    report_->setObjectName(QStringLiteral("report"));
    report_->setWordWrap(true);
    report_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    busyBar_ = new QProgressBar;  // the keychain or a connection test works; no steps to count
    busyBar_->setRange(0, 0);
    busyBar_->setTextVisible(false);
    busyBar_->hide();
    auto* right = new QVBoxLayout;
    right->addLayout(createForm());
    right->addLayout(formButtons);
    right->addWidget(report_);
    right->addWidget(busyBar_);
    right->addStretch();

    close_ = new QDialogButtonBox(QDialogButtonBox::Close);
    auto* columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(close_);

    connect(add_, &QPushButton::clicked, this, &ArchiveProfilesDialog::addProfile);
    connect(remove_, &QPushButton::clicked, this, &ArchiveProfilesDialog::removeProfile);
    connect(save_, &QPushButton::clicked, this, &ArchiveProfilesDialog::saveProfile);
    connect(test_, &QPushButton::clicked, this, &ArchiveProfilesDialog::testConnection);
    connect(close_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(list_, &QListWidget::currentRowChanged, this,
            [this](int row) { showProfile(row < 0 ? QString() : list_->item(row)->text()); });
    connect(kind_, &QComboBox::currentIndexChanged, this, &ArchiveProfilesDialog::updateEnabled);
    connect(auth_, &QComboBox::currentIndexChanged, this, &ArchiveProfilesDialog::updateEnabled);
    connect(&jobs_, &jobs::ArchiveJobs::verified, this, [this](bool ok, const QString& message) {
        if (!testing_) return;
        testing_ = false;
        report_->setText(message);
        updateEnabled();
        Q_EMIT connectionTested(ok, message);
    });
    reload(QString());
}

QFormLayout* ArchiveProfilesDialog::createForm() {
    name_ = new QLineEdit;
    kind_ = new QComboBox;
    kind_->addItem(QStringLiteral("DICOMweb"));
    kind_->addItem(QStringLiteral("DIMSE"));
    address_ = new QLineEdit;
    address_->setPlaceholderText(tr("DICOMweb: http://host:8042/dicom-web   DIMSE: AET@host:port"));
    callingAet_ = new QLineEdit;
    callingAet_->setMaxLength(16);
    auth_ = new QComboBox;
    auth_->addItems({tr("None"), tr("User and password (Basic)"), tr("Token (Bearer)")});
    user_ = new QLineEdit;
    secret_ = new QLineEdit;
    secret_->setEchoMode(QLineEdit::Password);
    secret_->setPlaceholderText(tr("stored in the system keychain; leave empty to keep"));
    for (auto [w, name] : {std::pair<QWidget*, const char*>{name_, "name"},
                           {kind_, "kind"},
                           {address_, "address"},
                           {callingAet_, "callingAet"},
                           {auth_, "auth"},
                           {user_, "user"},
                           {secret_, "secret"}})
        w->setObjectName(QLatin1String(name));
    auto* form = new QFormLayout;
    form->addRow(tr("&Name:"), name_);
    form->addRow(tr("&Kind:"), kind_);
    form->addRow(tr("A&ddress:"), address_);
    form->addRow(tr("Calling &AE title (DIMSE):"), callingAet_);
    form->addRow(tr("A&uthentication (DICOMweb):"), auth_);
    form->addRow(tr("&User:"), user_);
    form->addRow(tr("&Password or token:"), secret_);
    return form;
}

QString ArchiveProfilesDialog::lastReport() const {
    return report_->text();
}

void ArchiveProfilesDialog::reload(const QString& select) {
    const QSignalBlocker block(list_);
    list_->clear();
    int row = -1;
    for (const pacs::ArchiveProfile& p : pacs::ArchiveProfile::loadAll(settings_)) {
        list_->addItem(QString::fromStdString(p.name));
        if (QString::fromStdString(p.name) == select) row = list_->count() - 1;
    }
    if (row < 0 && list_->count() > 0) row = 0;
    list_->setCurrentRow(row);
    showProfile(row < 0 ? QString() : list_->item(row)->text());
}

void ArchiveProfilesDialog::showProfile(const QString& name) {
    current_ = name;
    const pacs::ArchiveProfile shown =
        pacs::ArchiveProfile::load(settings_, name.toStdString()).value_or(pacs::ArchiveProfile());
    name_->setText(QString::fromStdString(shown.name));
    kind_->setCurrentIndex(int(shown.kind));
    address_->setText(QString::fromStdString(shown.address));
    callingAet_->setText(QString::fromStdString(shown.callingAet));
    auth_->setCurrentIndex(int(shown.auth));
    user_->setText(QString::fromStdString(shown.user));
    secret_->clear();
    report_->clear();
    updateEnabled();
}

// One place decides what may be used: the form needs a profile; nothing that could start
// another request while the keychain works.
void ArchiveProfilesDialog::updateEnabled() {
    const bool idle = !keychainBusy_;
    const bool editable = idle && !current_.isEmpty();
    const bool dicomweb = kind_->currentIndex() == int(pacs::ArchiveProfile::Kind::Dicomweb);
    const auto auth = pacs::ArchiveProfile::Auth(auth_->currentIndex());
    for (QWidget* w : std::initializer_list<QWidget*>{name_, kind_, address_})
        w->setEnabled(editable);
    callingAet_->setEnabled(editable && !dicomweb);
    auth_->setEnabled(editable && dicomweb);
    user_->setEnabled(editable && dicomweb && auth == pacs::ArchiveProfile::Auth::Basic);
    secret_->setEnabled(editable && dicomweb && auth != pacs::ArchiveProfile::Auth::None);
    test_->setEnabled(editable && !testing_);
    for (QWidget* w : std::initializer_list<QWidget*>{list_, add_, remove_, save_, close_})
        w->setEnabled(idle);
    busyBar_->setVisible(keychainBusy_ || testing_);
}

void ArchiveProfilesDialog::setKeychainBusy(bool busy, const QString& doing) {
    keychainBusy_ = busy;
    if (busy) report_->setText(doing);
    updateEnabled();
}

void ArchiveProfilesDialog::reject() {
    if (keychainBusy_) return;  // the answer is on its way (bounded by the keychain's timeout)
    QDialog::reject();
}

pacs::ArchiveProfile ArchiveProfilesDialog::fromForm() const {
    pacs::ArchiveProfile p;
    p.name = name_->text().trimmed().toStdString();
    p.kind = pacs::ArchiveProfile::Kind(kind_->currentIndex());
    p.address = address_->text().trimmed().toStdString();
    p.callingAet = callingAet_->text().trimmed().toStdString();
    p.auth = p.kind == pacs::ArchiveProfile::Kind::Dicomweb
                 ? pacs::ArchiveProfile::Auth(auth_->currentIndex())
                 : pacs::ArchiveProfile::Auth::None;
    p.user = p.auth == pacs::ArchiveProfile::Auth::Basic ? user_->text().trimmed().toStdString()
                                                         : std::string();
    return p;
}

void ArchiveProfilesDialog::addProfile() {
    if (keychainBusy_) return;
    QString name = tr("New archive");
    for (int n = 2; pacs::ArchiveProfile::load(settings_, name.toStdString()); ++n)
        name = tr("New archive %1").arg(n);
    pacs::ArchiveProfile p;
    p.name = name.toStdString();
    p.address = "http://";
    p.save(settings_);
    reload(name);
    Q_EMIT profilesChanged();
    name_->setFocus();
    name_->selectAll();
}

void ArchiveProfilesDialog::removeProfile() {
    if (keychainBusy_ || current_.isEmpty()) return;
    const auto p = pacs::ArchiveProfile::load(settings_, current_.toStdString());
    pacs::ArchiveProfile::remove(settings_, current_.toStdString());
    if (p && p->auth != pacs::ArchiveProfile::Auth::None) {  // its secret goes with it
        setKeychainBusy(true, tr("Removing the password or token from the system keychain…"));
        keys_.removeAsync(QString::fromStdString(p->keyAccount()), this,
                          [this](const remote::KeyStore::Reply& reply) {
                              setKeychainBusy(false);
                              reload(QString());
                              if (!reply.ok()) report_->setText(reply.message);
                              Q_EMIT profilesChanged();
                          });
        return;
    }
    reload(QString());
    Q_EMIT profilesChanged();
}

bool ArchiveProfilesDialog::saveProfile() {
    if (current_.isEmpty() || keychainBusy_) return false;
    const pacs::ArchiveProfile p = fromForm();
    const QString secret = secret_->text();
    const bool needsSecret = p.auth != pacs::ArchiveProfile::Auth::None;
    const bool renamed = QString::fromStdString(p.name) != current_;
    if (needsSecret && secret.isEmpty() && renamed) {
        report_->setText(tr("A renamed profile needs its password or token typed again."));
        return false;
    }
    try {
        if (renamed && pacs::ArchiveProfile::load(settings_, p.name)) {
            report_->setText(tr("Another profile has that name."));
            return false;
        }
        p.save(settings_);  // checks the name and the address first
    } catch (const Error& e) {
        report_->setText(QString::fromUtf8(e.what()));
        return false;
    }
    if (renamed) {
        const auto old = pacs::ArchiveProfile::load(settings_, current_.toStdString());
        pacs::ArchiveProfile::remove(settings_, current_.toStdString());
        // The old name's secret is replaced by the one typed for the new name.
        if (old && old->auth != pacs::ArchiveProfile::Auth::None)
            keys_.removeAsync(QString::fromStdString(old->keyAccount()), this,
                              [](const remote::KeyStore::Reply&) {});
    }
    current_ = QString::fromStdString(p.name);
    if (!needsSecret || secret.isEmpty()) {
        finishSave(p, tr("Saved."));
        return true;
    }
    setKeychainBusy(true, tr("Storing the password or token in the system keychain…"));
    const QString account = QString::fromStdString(p.keyAccount());
    keys_.storeAsync(account, secret, this,
                     [this, p, account, secret](const remote::KeyStore::Reply& reply) {
                         setKeychainBusy(false);
                         QString saved = tr("Saved.");
                         if (reply.status == remote::KeyStore::Reply::Status::Unavailable) {
                             keys_.keepForSession(account, secret);
                             saved =
                                 tr("Saved. No system keychain is available, so the "
                                    "password or token is kept for this session only, in "
                                    "memory.");
                         } else if (!reply.ok()) {
                             report_->setText(reply.message);
                             Q_EMIT profileSaved(false, reply.message);
                             return;
                         }
                         finishSave(p, saved);
                     });
    return true;
}

void ArchiveProfilesDialog::finishSave(const pacs::ArchiveProfile& profile, const QString& report) {
    secret_->clear();
    reload(QString::fromStdString(profile.name));
    report_->setText(report);
    Q_EMIT profilesChanged();
    Q_EMIT profileSaved(true, report);
}

void ArchiveProfilesDialog::testConnection() {
    if (current_.isEmpty() || testing_ || keychainBusy_) return;
    const pacs::ArchiveProfile p = fromForm();
    const QString typed = secret_->text();
    testing_ = true;
    report_->setText(tr("Testing the connection…"));
    updateEnabled();
    // A typed secret is tried as it is; otherwise the saved one is read from the keychain.
    if (typed.isEmpty())
        jobs_.verify(p);
    else
        jobs_.verify(p, typed.toStdString());
}

}  // namespace medvae::ui
