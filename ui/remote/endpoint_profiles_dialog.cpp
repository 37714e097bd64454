#include "endpoint_profiles_dialog.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <thread>
#include <utility>

#include "endpoint_settings.h"
#include "key_store.h"
#include "run_control.h"
#include "scoring_client.h"

namespace medvae::ui {

EndpointProfilesDialog::EndpointProfilesDialog(remote::EndpointSettings& settings,
                                               remote::KeyStore& keys, QWidget* parent)
    : QDialog(parent), settings_(settings), keys_(keys) {
    setWindowTitle(tr("Remote endpoints"));
    list_ = new QListWidget;
    add_ = new QPushButton(tr("&Add"));
    remove_ = new QPushButton(tr("&Remove"));
    active_ = new QPushButton(tr("Use as &active"));
    auto* listButtons = new QHBoxLayout;
    listButtons->addWidget(add_);
    listButtons->addWidget(remove_);
    auto* left = new QVBoxLayout;
    left->addWidget(list_);
    left->addLayout(listButtons);
    left->addWidget(active_);

    save_ = new QPushButton(tr("&Save"));
    test_ = new QPushButton(tr("Test &connection"));
    for (auto [button, name] :
         {std::pair{add_, "add"}, std::pair{remove_, "remove"}, std::pair{active_, "active"},
          std::pair{save_, "save"}, std::pair{test_, "test"}})
        button->setObjectName(QLatin1String(name));
    auto* formButtons = new QHBoxLayout;
    formButtons->addWidget(save_);
    formButtons->addWidget(test_);
    formButtons->addStretch();
    report_ = new QLabel;
    report_->setWordWrap(true);
    report_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    busy_ = new QProgressBar;  // shown while the keychain works; no steps to count
    busy_->setRange(0, 0);
    busy_->setTextVisible(false);
    busy_->hide();
    auto* right = new QVBoxLayout;
    right->addLayout(createForm());
    right->addLayout(formButtons);
    right->addWidget(report_);
    right->addWidget(busy_);
    right->addStretch();

    close_ = new QDialogButtonBox(QDialogButtonBox::Close);
    auto* columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(close_);

    connect(add_, &QPushButton::clicked, this, &EndpointProfilesDialog::addProfile);
    connect(remove_, &QPushButton::clicked, this, &EndpointProfilesDialog::removeProfile);
    connect(active_, &QPushButton::clicked, this, &EndpointProfilesDialog::makeActive);
    connect(save_, &QPushButton::clicked, this, &EndpointProfilesDialog::saveProfile);
    connect(test_, &QPushButton::clicked, this, &EndpointProfilesDialog::testConnection);
    connect(close_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        showProfile(row < 0 ? QString() : list_->item(row)->data(Qt::UserRole).toString());
    });
    reload(settings_.activeId());
}

QFormLayout* EndpointProfilesDialog::createForm() {
    name_ = new QLineEdit;
    uri_ = new QLineEdit;
    uri_->setPlaceholderText(
        QStringLiteral("https://<endpoint>.<region>.inference.ml.azure.com/score"));
    deployment_ = new QLineEdit;
    deployment_->setPlaceholderText(tr("empty: the endpoint's traffic split"));
    key_ = new QLineEdit;
    key_->setEchoMode(QLineEdit::Password);
    key_->setPlaceholderText(tr("stored in the system keychain; leave empty to keep"));
    sendUrls_ = new QCheckBox(tr("Send images opened from web addresses as their URL"));
    timeout_ = new QSpinBox;
    timeout_->setRange(1, 3600);
    timeout_->setSuffix(tr(" s"));
    retries_ = new QSpinBox;
    retries_->setRange(0, 20);
    inFlight_ = new QSpinBox;
    inFlight_->setRange(1, 64);
    name_->setObjectName(QStringLiteral("name"));
    uri_->setObjectName(QStringLiteral("scoringUri"));
    deployment_->setObjectName(QStringLiteral("deployment"));
    key_->setObjectName(QStringLiteral("key"));
    auto* form = new QFormLayout;
    form->addRow(tr("&Name:"), name_);
    form->addRow(tr("Scoring &URI:"), uri_);
    form->addRow(tr("&Deployment:"), deployment_);
    form->addRow(tr("&Key:"), key_);
    form->addRow(QString(), sendUrls_);
    form->addRow(tr("&Timeout per request:"), timeout_);
    form->addRow(tr("Re&tries:"), retries_);
    form->addRow(tr("Requests in &flight:"), inFlight_);
    return form;
}

EndpointProfilesDialog::~EndpointProfilesDialog() {
    // Cancellation is polled every 50 ms, so the join is short.
    stopTest_->store(true);
    if (testThread_.joinable()) testThread_.join();
}

QString EndpointProfilesDialog::selectedId() const {
    return currentId_;
}

QString EndpointProfilesDialog::lastReport() const {
    return report_->text();
}

void EndpointProfilesDialog::reload(const QString& select) {
    const QSignalBlocker block(list_);
    list_->clear();
    const QString active = settings_.activeId();
    int row = -1;
    for (const remote::EndpointProfile& p : settings_.profiles()) {
        auto* item = new QListWidgetItem(p.id == active ? tr("%1 (active)").arg(p.name) : p.name);
        item->setData(Qt::UserRole, p.id);
        list_->addItem(item);
        if (p.id == select) row = list_->count() - 1;
    }
    if (row < 0 && list_->count() > 0) row = 0;
    list_->setCurrentRow(row);
    showProfile(row < 0 ? QString() : list_->item(row)->data(Qt::UserRole).toString());
}

void EndpointProfilesDialog::showProfile(const QString& id) {
    currentId_ = id;
    const auto p = settings_.profile(id);
    const remote::EndpointProfile shown = p ? *p : remote::EndpointProfile();
    name_->setText(shown.name);
    uri_->setText(shown.scoringUri);
    deployment_->setText(shown.deployment);
    key_->clear();
    sendUrls_->setChecked(shown.sendUrls);
    timeout_->setValue(shown.timeoutS);
    retries_->setValue(shown.maxRetries);
    inFlight_->setValue(shown.maxInFlight);
    report_->clear();
    updateEnabled();
}

// One place decides what may be used: the form needs a profile; nothing that could start another
// keychain request, or change what one is working on, while one runs.
void EndpointProfilesDialog::updateEnabled() {
    const bool idle = !keychainBusy_;
    const bool editable = idle && settings_.profile(currentId_).has_value();
    for (QWidget* w : std::initializer_list<QWidget*>{name_, uri_, deployment_, key_, sendUrls_,
                                                      timeout_, retries_, inFlight_, active_})
        w->setEnabled(editable);
    test_->setEnabled(editable && !testRunning_);
    for (QWidget* w : std::initializer_list<QWidget*>{list_, add_, remove_, save_, close_})
        w->setEnabled(idle);
    busy_->setVisible(keychainBusy_);
}

void EndpointProfilesDialog::setKeychainBusy(bool busy, const QString& doing) {
    keychainBusy_ = busy;
    if (busy) report_->setText(doing);
    updateEnabled();
}

void EndpointProfilesDialog::reject() {
    if (keychainBusy_) return;  // the answer is on its way (bounded by the keychain timeout)
    QDialog::reject();
}

remote::EndpointProfile EndpointProfilesDialog::fromForm() const {
    remote::EndpointProfile p = settings_.profile(currentId_).value_or(remote::EndpointProfile());
    p.name = name_->text().trimmed();
    p.scoringUri = uri_->text().trimmed();
    p.deployment = deployment_->text().trimmed();
    p.sendUrls = sendUrls_->isChecked();
    p.timeoutS = timeout_->value();
    p.maxRetries = retries_->value();
    p.maxInFlight = inFlight_->value();
    return p;
}

void EndpointProfilesDialog::addProfile() {
    if (keychainBusy_) return;
    remote::EndpointProfile p = remote::EndpointSettings::newProfile(tr("New endpoint"));
    p.scoringUri = QStringLiteral("https://");
    settings_.save(p);
    reload(p.id);
    name_->setFocus();
    name_->selectAll();
}

void EndpointProfilesDialog::removeProfile() {
    if (keychainBusy_) return;
    const auto p = settings_.profile(currentId_);
    if (!p) return;
    if (!p->hasKey) {  // a keyless profile never asks the keychain
        finishRemove(p->id, QString());
        return;
    }
    setKeychainBusy(true, tr("Removing the key from the system keychain…"));
    keys_.removeAsync(p->keyRef, this, [this, id = p->id](const remote::KeyStore::Reply& reply) {
        setKeychainBusy(false);
        using Status = remote::KeyStore::Reply::Status;
        if (reply.status == Status::Unavailable) {
            // Nothing can be removed from a keychain that is not there: the profile goes anyway.
            finishRemove(id, tr("The profile was removed; its key could not be removed from the "
                                "keychain: %1")
                                 .arg(reply.message));
        } else if (!reply.ok()) {
            report_->setText(reply.message);
            Q_EMIT profileRemoved(false, reply.message);
        } else {
            finishRemove(id, QString());
        }
    });
}

void EndpointProfilesDialog::finishRemove(const QString& id, const QString& note) {
    settings_.remove(id);
    reload(settings_.activeId());
    if (!note.isEmpty()) report_->setText(note);
    Q_EMIT profileRemoved(true, report_->text());
}

bool EndpointProfilesDialog::saveProfile() {
    if (currentId_.isEmpty() || keychainBusy_) return false;
    remote::EndpointProfile p = fromForm();
    if (p.name.isEmpty()) {
        report_->setText(tr("A profile needs a name."));
        return false;
    }
    const QString key = key_->text();
    QString why;
    if (!key.isEmpty() && !remote::ScoringClient::keyAllowedFor(p.scoringUri, &why)) {
        report_->setText(why);
        return false;
    }
    if (key.isEmpty()) {
        finishSave(p, tr("Saved."));
        return true;
    }
    setKeychainBusy(true, tr("Storing the key in the system keychain…"));
    keys_.storeAsync(p.keyRef, key, this, [this, p, key](const remote::KeyStore::Reply& reply) {
        setKeychainBusy(false);
        QString saved = tr("Saved.");
        if (reply.status == remote::KeyStore::Reply::Status::Unavailable) {
            // No keychain on this desktop: the key serves this session, in memory only.
            keys_.keepForSession(p.keyRef, key);
            saved =
                tr("Saved. No system keychain is available, so the key is kept for this "
                   "session only: in memory, never written. You will be asked for it again "
                   "after a restart.");
        } else if (!reply.ok()) {
            report_->setText(reply.message);
            Q_EMIT profileSaved(false, reply.message);
            return;
        }
        remote::EndpointProfile keyed = p;
        keyed.hasKey = true;
        finishSave(keyed, saved);
    });
    return true;
}

void EndpointProfilesDialog::finishSave(const remote::EndpointProfile& p, const QString& report) {
    settings_.save(p);
    key_->clear();
    reload(p.id);
    report_->setText(report);
    Q_EMIT profileSaved(true, report);
}

void EndpointProfilesDialog::makeActive() {
    if (currentId_.isEmpty() || keychainBusy_) return;
    settings_.setActiveId(currentId_);
    const QString id = currentId_;
    reload(id);
    Q_EMIT activeProfileChanged(id);
}

void EndpointProfilesDialog::testConnection() {
    if (currentId_.isEmpty() || testRunning_ || keychainBusy_) return;
    const remote::EndpointProfile p = fromForm();
    const QString typed = key_->text();
    if (!typed.isEmpty() || !p.hasKey) {  // a keyless profile never asks the keychain
        startTest(p, typed);
        return;
    }
    setKeychainBusy(true, tr("Reading the key from the system keychain…"));
    keys_.readAsync(p.keyRef, this, [this, p](const remote::KeyStore::Reply& reply) {
        setKeychainBusy(false);
        if (reply.status == remote::KeyStore::Reply::Status::Unavailable) {
            report_->setText(reply.message + QLatin1Char(' ') +
                             tr("Type the key in the Key field and save: it is then kept for this "
                                "session only."));
            Q_EMIT connectionTested(false, report_->text());
        } else if (!reply.ok()) {
            report_->setText(reply.message);
            Q_EMIT connectionTested(false, report_->text());
        } else {
            startTest(p, reply.key);
        }
    });
}

void EndpointProfilesDialog::startTest(const remote::EndpointProfile& p, const QString& key) {
    testRunning_ = true;
    updateEnabled();
    report_->setText(tr("Testing %1 ...").arg(p.scoringUri));
    // The client blocks; run it off the GUI thread and bring the report back as a value.
    if (testThread_.joinable()) testThread_.join();  // the previous one has reported already
    QPointer<EndpointProfilesDialog> self(this);
    const std::shared_ptr<std::atomic<bool>> stop = stopTest_;
    testThread_ = std::thread([self, p, key, stop] {
        RunControl control;
        control.cancelled = [stop] { return stop->load(); };
        const remote::ScoringClient::ConnectionReport report =
            remote::ScoringClient(p, key).testConnection(&control);
        if (stop->load()) return;  // the dialog is closing
        QMetaObject::invokeMethod(
            qApp,
            [self, report] {
                if (!self) return;
                self->testRunning_ = false;
                self->updateEnabled();
                self->report_->setText(report.message);
                Q_EMIT self->connectionTested(report.ok, report.message);
            },
            Qt::QueuedConnection);
    });
}

}  // namespace medvae::ui
