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
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <thread>

#include "endpoint_settings.h"
#include "error.h"
#include "key_store.h"
#include "run_control.h"
#include "scoring_client.h"

namespace medvae::ui {

EndpointProfilesDialog::EndpointProfilesDialog(remote::EndpointSettings& settings,
                                               remote::KeyStore& keys, QWidget* parent)
    : QDialog(parent), settings_(settings), keys_(keys) {
    setWindowTitle(tr("Remote endpoints"));
    list_ = new QListWidget;
    auto* add = new QPushButton(tr("&Add"));
    auto* remove = new QPushButton(tr("&Remove"));
    active_ = new QPushButton(tr("Use as &active"));
    auto* listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    auto* left = new QVBoxLayout;
    left->addWidget(list_);
    left->addLayout(listButtons);
    left->addWidget(active_);

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
    auto* save = new QPushButton(tr("&Save"));
    test_ = new QPushButton(tr("Test &connection"));
    auto* formButtons = new QHBoxLayout;
    formButtons->addWidget(save);
    formButtons->addWidget(test_);
    formButtons->addStretch();
    report_ = new QLabel;
    report_->setWordWrap(true);
    report_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* right = new QVBoxLayout;
    right->addLayout(form);
    right->addLayout(formButtons);
    right->addWidget(report_);
    right->addStretch();

    auto* close = new QDialogButtonBox(QDialogButtonBox::Close);
    auto* columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(close);

    connect(add, &QPushButton::clicked, this, &EndpointProfilesDialog::addProfile);
    connect(remove, &QPushButton::clicked, this, &EndpointProfilesDialog::removeProfile);
    connect(active_, &QPushButton::clicked, this, &EndpointProfilesDialog::makeActive);
    connect(save, &QPushButton::clicked, this, &EndpointProfilesDialog::saveProfile);
    connect(test_, &QPushButton::clicked, this, &EndpointProfilesDialog::testConnection);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        showProfile(row < 0 ? QString() : list_->item(row)->data(Qt::UserRole).toString());
    });
    reload(settings_.activeId());
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
    for (QWidget* w :
         std::initializer_list<QWidget*>{name_, uri_, deployment_, key_, sendUrls_, timeout_,
                                         retries_, inFlight_, test_, active_})
        w->setEnabled(p.has_value());
    report_->clear();
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
    remote::EndpointProfile p = remote::EndpointSettings::newProfile(tr("New endpoint"));
    p.scoringUri = QStringLiteral("https://");
    settings_.save(p);
    reload(p.id);
    name_->setFocus();
    name_->selectAll();
}

void EndpointProfilesDialog::removeProfile() {
    const auto p = settings_.profile(currentId_);
    if (!p) return;
    QString note;
    if (p->hasKey) {  // a keyless profile never asks the keychain
        try {
            keys_.remove(p->keyRef);
        } catch (const remote::KeychainUnavailable& e) {
            // Nothing can be removed from a keychain that is not there: the profile goes anyway.
            note = tr("The profile was removed; its key could not be removed from the keychain: "
                      "%1")
                       .arg(QString::fromStdString(e.what()));
        } catch (const Error& e) {
            report_->setText(QString::fromStdString(e.what()));
            return;
        }
    }
    settings_.remove(p->id);
    reload(settings_.activeId());
    if (!note.isEmpty()) report_->setText(note);
}

bool EndpointProfilesDialog::saveProfile() {
    if (currentId_.isEmpty()) return false;
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
    QString saved = tr("Saved.");
    if (!key.isEmpty()) {
        try {
            keys_.store(p.keyRef, key);
        } catch (const remote::KeychainUnavailable&) {
            // No keychain on this desktop: the key serves this session, in memory only.
            keys_.keepForSession(p.keyRef, key);
            saved =
                tr("Saved. No system keychain is available, so the key is kept for this "
                   "session only: in memory, never written. You will be asked for it again "
                   "after a restart.");
        } catch (const Error& e) {
            report_->setText(QString::fromStdString(e.what()));
            return false;
        }
        p.hasKey = true;
    }
    settings_.save(p);
    key_->clear();
    reload(p.id);
    report_->setText(saved);
    return true;
}

void EndpointProfilesDialog::makeActive() {
    if (currentId_.isEmpty()) return;
    settings_.setActiveId(currentId_);
    const QString id = currentId_;
    reload(id);
    Q_EMIT activeProfileChanged(id);
}

void EndpointProfilesDialog::testConnection() {
    if (currentId_.isEmpty() || testRunning_) return;
    const remote::EndpointProfile p = fromForm();
    QString key = key_->text();
    if (key.isEmpty() && p.hasKey) {  // a keyless profile never asks the keychain
        try {
            key = keys_.read(p.keyRef).value_or(QString());
        } catch (const remote::KeychainUnavailable& e) {
            report_->setText(QString::fromStdString(e.what()) + QLatin1Char(' ') +
                             tr("Type the key in the Key field and save: it is then kept for this "
                                "session only."));
            Q_EMIT connectionTested(false, report_->text());
            return;
        } catch (const Error& e) {
            report_->setText(QString::fromStdString(e.what()));
            Q_EMIT connectionTested(false, report_->text());
            return;
        }
    }
    testRunning_ = true;
    test_->setEnabled(false);
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
                self->test_->setEnabled(true);
                self->report_->setText(report.message);
                Q_EMIT self->connectionTested(report.ok, report.message);
            },
            Qt::QueuedConnection);
    });
}

}  // namespace medvae::ui
