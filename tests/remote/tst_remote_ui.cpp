// The endpoint profiles dialog and the privacy confirmation, offscreen. Runs twice like
// tst_key_store: with a real Secret Service, and with no keychain at all.
#include <QCheckBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

#include "endpoint_profiles_dialog.h"
#include "endpoint_settings.h"
#include "fault_http_server.h"
#include "key_store.h"
#include "privacy_confirmation.h"
#include "session_key_prompt.h"

using namespace medvae;
using namespace medvae::remote;
using medvae::test::FaultHttpServer;

class TestRemoteUi : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void init();
    void cleanup();
    void addEditSaveKeepsKeyOutOfSettings();
    void testConnectionShowsPreciseReport();
    void closingCancelsARunningTest();
    void activeProfileAndRemoval();
    void keyedProfileWithoutKeychainShowsTheWayForward();
    void sessionKeyPromptKeepsTheKeyInMemoryOnly();
    void privacyConfirmationAsksOncePerProfile();

  private:
    QLineEdit* field(ui::EndpointProfilesDialog& d, int index) {
        static const char* names[] = {"name", "scoringUri", "deployment", "key"};
        return d.findChild<QLineEdit*>(names[index]);
    }
    QTemporaryDir dir_;
    std::unique_ptr<QSettings> qsettings_;
    std::unique_ptr<EndpointSettings> settings_;
    std::unique_ptr<KeyStore> keys_;
    bool keychain_ = !qEnvironmentVariableIsSet("MEDVAE_EXPECT_NO_KEYCHAIN");
};

void TestRemoteUi::init() {
    qsettings_ = std::make_unique<QSettings>(dir_.filePath("s.ini"), QSettings::IniFormat);
    qsettings_->clear();
    settings_ = std::make_unique<EndpointSettings>(qsettings_.get());
    keys_ = std::make_unique<KeyStore>("MedVAE Studio ui test " + QUuid::createUuid().toString(),
                                       10000);
}

void TestRemoteUi::cleanup() {
    settings_.reset();
    qsettings_.reset();
}

void TestRemoteUi::addEditSaveKeepsKeyOutOfSettings() {
    ui::EndpointProfilesDialog dialog(*settings_, *keys_);
    dialog.addProfile();
    QCOMPARE(settings_->profiles().size(), 1);
    field(dialog, 0)->setText("Azure west");
    field(dialog, 1)->setText("https://e.westeurope.inference.ml.azure.com/score");
    field(dialog, 2)->setText("blue");
    field(dialog, 3)->setText("the-secret-key");
    const bool saved = dialog.saveProfile();
    const QString id = dialog.selectedId();
    const EndpointProfile p = *settings_->profile(id);
    QFile ini(dir_.filePath("s.ini"));
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains("the-secret-key"));
    // Saved either way; without a keychain the key is kept for this session only (before, the
    // profile could not be saved at all).
    QVERIFY2(saved, qPrintable(dialog.lastReport()));
    QCOMPARE(p.name, QString("Azure west"));
    QCOMPARE(p.scoringUri, QString("https://e.westeurope.inference.ml.azure.com/score"));
    QCOMPARE(p.deployment, QString("blue"));
    QVERIFY(p.hasKey);
    QCOMPARE(keys_->read(p.keyRef).value(), QString("the-secret-key"));
    QVERIFY(field(dialog, 3)->text().isEmpty());  // the key is never shown back
    QCOMPARE(keys_->hasSessionKey(p.keyRef), !keychain_);
    if (!keychain_)
        QVERIFY2(dialog.lastReport().contains("the key is kept for this session only: in memory, "
                                              "never written"),
                 qPrintable(dialog.lastReport()));
    // A key is refused for plain http to another host, before the keychain is touched.
    field(dialog, 1)->setText("http://gpu-box.lan/score");
    field(dialog, 3)->setText("k");
    QVERIFY(!dialog.saveProfile());
    QVERIFY2(dialog.lastReport().contains("plain http"), qPrintable(dialog.lastReport()));
}

void TestRemoteUi::testConnectionShowsPreciseReport() {
    FaultHttpServer server;
    FaultHttpServer::Response ok;
    ok.body = "{\"predictions\":[{\"latent\":[[[0.5]]]}]}";
    server.script({ok});
    EndpointProfile p = EndpointSettings::newProfile("loopback");
    p.scoringUri = server.url();
    settings_->save(p);
    ui::EndpointProfilesDialog dialog(*settings_, *keys_);
    QSignalSpy tested(&dialog, &ui::EndpointProfilesDialog::connectionTested);
    // A profile without a key: no keychain is asked, so this works without one (before, the
    // keychain was read and the test failed with "Could not read the key ...").
    dialog.testConnection();
    QVERIFY(tested.wait(30000));
    QVERIFY2(tested.at(0).at(0).toBool(), qPrintable(dialog.lastReport()));
    QVERIFY2(dialog.lastReport().startsWith("OK: HTTP 200"), qPrintable(dialog.lastReport()));
    QVERIFY(!server.lastHead().toLower().contains("authorization"));
    // Nothing listening: the report says so.
    quint16 closed;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closed = probe.serverPort();
    }
    field(dialog, 1)->setText(QStringLiteral("http://127.0.0.1:%1/score").arg(closed));
    dialog.testConnection();
    QVERIFY(tested.wait(30000));
    QVERIFY(!tested.at(1).at(0).toBool());
    QVERIFY2(dialog.lastReport().contains("Connection refused"), qPrintable(dialog.lastReport()));
}

void TestRemoteUi::closingCancelsARunningTest() {
    FaultHttpServer server;
    FaultHttpServer::Response silent;
    silent.body = "{}";
    silent.stallAfter = 0;  // headers, then nothing: the test would wait for its timeout
    server.script({silent});
    EndpointProfile p = EndpointSettings::newProfile("silent");
    p.scoringUri = server.url();
    settings_->save(p);
    QElapsedTimer clock;
    clock.start();
    {
        auto dialog = std::make_unique<ui::EndpointProfilesDialog>(*settings_, *keys_);
        dialog->testConnection();
        QVERIFY(dialog->testRunning());
        QTRY_COMPARE_WITH_TIMEOUT(server.requests(), 1, 10000);
    }  // destroyed while the test runs: cancelled and joined
    QVERIFY(clock.elapsed() < 10000);
}

void TestRemoteUi::activeProfileAndRemoval() {
    EndpointProfile a = EndpointSettings::newProfile("A");
    a.scoringUri = "https://a.example/score";
    EndpointProfile b = EndpointSettings::newProfile("B");
    b.scoringUri = "https://b.example/score";
    settings_->save(a);
    settings_->save(b);
    ui::EndpointProfilesDialog dialog(*settings_, *keys_);
    QSignalSpy changed(&dialog, &ui::EndpointProfilesDialog::activeProfileChanged);
    auto* list = dialog.findChild<QListWidget*>();
    list->setCurrentRow(1);
    QCOMPARE(dialog.selectedId(), b.id);
    dialog.makeActive();
    QCOMPARE(settings_->activeId(), b.id);
    QCOMPARE(changed.count(), 1);
    QVERIFY(list->item(1)->text().contains("(active)"));
    // Keyless profiles are removed without asking the keychain, so also without one (before,
    // the profile stayed: "Could not remove the key ...").
    dialog.removeProfile();
    QCOMPARE(settings_->profiles().size(), 1);
    QVERIFY(settings_->activeId().isEmpty());
}

void TestRemoteUi::keyedProfileWithoutKeychainShowsTheWayForward() {
    FaultHttpServer server;
    FaultHttpServer::Response ok;
    ok.body = "{\"predictions\":[{\"latent\":[[[0.5]]]}]}";
    server.script({ok});
    EndpointProfile p = EndpointSettings::newProfile("keyed loopback");
    p.scoringUri = server.url();
    p.hasKey = true;  // its key is in a keychain (or should be)
    settings_->save(p);
    ui::EndpointProfilesDialog dialog(*settings_, *keys_);
    QSignalSpy tested(&dialog, &ui::EndpointProfilesDialog::connectionTested);
    dialog.testConnection();
    if (keychain_) {
        QVERIFY(tested.wait(30000));  // no entry in the keychain: tested without a key
        QVERIFY2(tested.at(0).at(0).toBool(), qPrintable(dialog.lastReport()));
    } else {
        QCOMPARE(tested.count(), 1);  // at once, with the way forward, no raw D-Bus error first
        QVERIFY(!tested.at(0).at(0).toBool());
        QVERIFY2(dialog.lastReport().contains("no system keychain is available") &&
                     dialog.lastReport().contains("Type the key in the Key field and save"),
                 qPrintable(dialog.lastReport()));
    }
    // The key typed and saved (in the keychain, or for this session) is the one sent.
    field(dialog, 3)->setText("typed-key");
    QVERIFY2(dialog.saveProfile(), qPrintable(dialog.lastReport()));
    dialog.testConnection();
    QVERIFY(tested.wait(30000));
    QVERIFY2(tested.last().at(0).toBool(), qPrintable(dialog.lastReport()));
    QVERIFY2(server.lastHead().contains("Authorization: Bearer typed-key"),
             server.lastHead().constData());
}

void TestRemoteUi::sessionKeyPromptKeepsTheKeyInMemoryOnly() {
    EndpointProfile p = EndpointSettings::newProfile("GPU box");
    p.hasKey = true;
    const QString why = QStringLiteral("Could not read the key: no system keychain is available.");
    QString asked;
    QVERIFY(!ui::SessionKeyPrompt::ask(nullptr, *keys_, p, why, [&](const QString& text) {
        asked = text;
        return std::optional<QString>();  // cancelled
    }));
    QVERIFY(!keys_->hasSessionKey(p.keyRef));
    QVERIFY(asked.contains("\"GPU box\"") && asked.contains(why));
    QVERIFY(asked.contains("for this session only: it is kept in memory and never written"));
    QVERIFY(ui::SessionKeyPrompt::ask(nullptr, *keys_, p, why, [](const QString&) {
        return std::optional<QString>(QStringLiteral(" k3y "));
    }));
    QCOMPARE(keys_->read(p.keyRef).value_or(QString()), QStringLiteral("k3y"));  // no keychain read
    QFile ini(dir_.filePath("s.ini"));
    QVERIFY(!ini.open(QIODevice::ReadOnly) || !ini.readAll().contains("k3y"));
    keys_->keepForSession(p.keyRef, QString());  // "no key": nothing is asked either
    QCOMPARE(keys_->read(p.keyRef).value_or(QStringLiteral("<none>")), QString());
}

void TestRemoteUi::privacyConfirmationAsksOncePerProfile() {
    EndpointProfile p = EndpointSettings::newProfile("Azure");
    p.scoringUri = "https://e.westeurope.inference.ml.azure.com/score";
    settings_->save(p);
    int asked = 0;
    QString text;
    const auto no = [&](const QString& t) {
        ++asked;
        text = t;
        return false;
    };
    const auto yes = [&](const QString&) {
        ++asked;
        return true;
    };
    QVERIFY(!ui::PrivacyConfirmation::confirm(nullptr, *settings_, p, no));
    QVERIFY(text.contains("e.westeurope.inference.ml.azure.com"));
    QVERIFY(text.contains("no DICOM header"));
    QVERIFY(!settings_->profile(p.id)->consentGiven);
    QVERIFY(ui::PrivacyConfirmation::confirm(nullptr, *settings_, p, yes));
    QVERIFY(settings_->profile(p.id)->consentGiven);
    QVERIFY(p.consentGiven);
    EndpointProfile again = *settings_->profile(p.id);
    QVERIFY(ui::PrivacyConfirmation::confirm(nullptr, *settings_, again, no));
    QCOMPARE(asked, 2);  // not asked the third time
}

QTEST_MAIN(TestRemoteUi)
#include "tst_remote_ui.moc"
