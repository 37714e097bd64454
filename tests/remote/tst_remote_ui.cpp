// The endpoint profiles dialog and the privacy confirmation, offscreen. Runs twice like
// tst_key_store: with a real Secret Service, and with no keychain at all.
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
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
#include "keychain_test_support.h"
#include "privacy_confirmation.h"
#include "session_key_prompt.h"

using namespace medvae;
using namespace medvae::remote;
using medvae::test::FakeKeychain;
using medvae::test::FaultHttpServer;
using medvae::test::onWorker;

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
    void keychainWaitNeitherNestsNorReenters();
    void removingAKeyedProfileWaitsForTheKeychain();
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
    QSignalSpy savedSpy(&dialog, &ui::EndpointProfilesDialog::profileSaved);
    QVERIFY2(dialog.saveProfile(), qPrintable(dialog.lastReport()));  // started
    QVERIFY(savedSpy.wait(30000));                                    // the keychain answered
    const bool saved = savedSpy.at(0).at(0).toBool();
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
    QCOMPARE(onWorker([&] { return keys_->read(p.keyRef); }).value(), QString("the-secret-key"));
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
        QVERIFY(tested.wait(30000));
        QCOMPARE(tested.count(), 1);  // with the way forward, no raw D-Bus error first
        QVERIFY(!tested.at(0).at(0).toBool());
        QVERIFY2(dialog.lastReport().contains("no system keychain is available") &&
                     dialog.lastReport().contains("Type the key in the Key field and save"),
                 qPrintable(dialog.lastReport()));
    }
    // The key typed and saved (in the keychain, or for this session) is the one sent.
    field(dialog, 3)->setText("typed-key");
    QSignalSpy saved(&dialog, &ui::EndpointProfilesDialog::profileSaved);
    QVERIFY2(dialog.saveProfile(), qPrintable(dialog.lastReport()));
    QVERIFY(saved.wait(30000));
    QVERIFY2(saved.at(0).at(0).toBool(), qPrintable(dialog.lastReport()));
    dialog.testConnection();
    QVERIFY(tested.wait(30000));
    QVERIFY2(tested.last().at(0).toBool(), qPrintable(dialog.lastReport()));
    QVERIFY2(server.lastHead().contains("Authorization: Bearer typed-key"),
             server.lastHead().constData());
}

void TestRemoteUi::keychainWaitNeitherNestsNorReenters() {
    // A keychain that answers only when told, as a locked keyring waiting for its password does.
    // While it works, nothing in the dialog may start a second request or close the dialog, and
    // the GUI thread keeps running its one event loop: no loop is nested inside it.
    auto slow = std::make_shared<FakeKeychain>();
    KeyStore keys(QStringLiteral("MedVAE Studio slow keychain"), 2000, slow);
    EndpointProfile p = EndpointSettings::newProfile("Azure");
    p.scoringUri = "https://e.westeurope.inference.ml.azure.com/score";
    settings_->save(p);
    ui::EndpointProfilesDialog dialog(*settings_, keys);
    dialog.show();
    field(dialog, 3)->setText("k-1");
    auto* save = dialog.findChild<QPushButton*>("save");
    auto* test = dialog.findChild<QPushButton*>("test");
    auto* close = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Close);
    auto* busy = dialog.findChild<QProgressBar*>();
    QVERIFY(save && test && close && busy);
    const QList<QWidget*> guarded = {save,
                                     test,
                                     close,
                                     dialog.findChild<QPushButton*>("remove"),
                                     dialog.findChild<QPushButton*>("add"),
                                     dialog.findChild<QPushButton*>("active"),
                                     dialog.findChild<QListWidget*>(),
                                     field(dialog, 0),
                                     field(dialog, 1),
                                     field(dialog, 3)};
    QSignalSpy saved(&dialog, &ui::EndpointProfilesDialog::profileSaved);

    int clickLevel = -1;
    bool waitingAfterClick = false;
    std::vector<int> levelsWhileWaiting;
    QStringList enabledWhileWaiting;
    bool busyShown = false, secondSave = true, visibleAfterReject = false;
    QString reportWhileWaiting;
    std::size_t jobsAfterAttempts = 0;
    slow->onStart = [&](const KeychainBackend::Job&) {
        if (slow->started.size() > 1) return;  // a second request: the failure under test
        // The next events, as a user clicking on would make them: every way back in.
        QTimer::singleShot(0, &dialog, [&] {
            levelsWhileWaiting.push_back(QThread::currentThread()->loopLevel());
            busyShown = busy->isVisible();
            reportWhileWaiting = dialog.lastReport();
            for (QWidget* w : guarded)
                if (w->isEnabled()) enabledWhileWaiting << w->objectName();
            QTest::mouseClick(save, Qt::LeftButton);
            QTest::mouseClick(test, Qt::LeftButton);
            QTest::mouseClick(close, Qt::LeftButton);
            secondSave = dialog.saveProfile();  // the slots refuse as well
            dialog.testConnection();
            dialog.removeProfile();
            dialog.addProfile();
            dialog.makeActive();
            dialog.reject();  // Escape, or the window's close button
            visibleAfterReject = dialog.isVisible();
            jobsAfterAttempts = slow->started.size();
            QTimer::singleShot(0, qApp, [&] { slow->answerNext(); });  // now it answers
        });
    };
    // The click comes from the event loop, as in the running application.
    QTimer::singleShot(0, &dialog, [&] {
        clickLevel = QThread::currentThread()->loopLevel();
        QTest::mouseClick(save, Qt::LeftButton);
        waitingAfterClick = dialog.keychainBusy() && slow->waiting() == 1;
    });
    QVERIFY(saved.wait(30000));

    QCOMPARE(clickLevel, 1);
    QVERIFY2(waitingAfterClick, "the click returned only once the keychain had answered");
    QCOMPARE(slow->startLoopLevels, std::vector<int>{1});
    QCOMPARE(levelsWhileWaiting, std::vector<int>{1});  // the app's own loop, nothing nested
    QCOMPARE(jobsAfterAttempts, std::size_t(1));        // no second keychain request
    QVERIFY(!secondSave);
    QVERIFY2(enabledWhileWaiting.isEmpty(), qPrintable(enabledWhileWaiting.join(", ")));
    QVERIFY(busyShown);
    QVERIFY2(reportWhileWaiting.contains("keychain"), qPrintable(reportWhileWaiting));
    QVERIFY(visibleAfterReject);
    QCOMPARE(settings_->profiles().size(), 1);  // not added
    QVERIFY(settings_->activeId().isEmpty());   // not made active
    // The one request finished the save.
    QCOMPARE(saved.count(), 1);
    QVERIFY2(saved.at(0).at(0).toBool(), qPrintable(dialog.lastReport()));
    QCOMPARE(dialog.lastReport(), QStringLiteral("Saved."));
    QCOMPARE(slow->entries[p.keyRef], QStringLiteral("k-1"));
    QVERIFY(settings_->profile(p.id)->hasKey);
    QVERIFY(!busy->isVisible());
    for (QWidget* w : guarded)
        QVERIFY2(w->isEnabled(), qPrintable(w->objectName()));
    dialog.reject();  // closes again
    QVERIFY(!dialog.isVisible());
}

void TestRemoteUi::removingAKeyedProfileWaitsForTheKeychain() {
    auto slow = std::make_shared<FakeKeychain>();
    KeyStore keys(QStringLiteral("MedVAE Studio slow keychain"), 10000, slow);
    EndpointProfile p = EndpointSettings::newProfile("Keyed");
    p.scoringUri = "https://e.westeurope.inference.ml.azure.com/score";
    p.hasKey = true;
    settings_->save(p);
    slow->entries[p.keyRef] = QStringLiteral("old");
    ui::EndpointProfilesDialog dialog(*settings_, keys);
    QSignalSpy removed(&dialog, &ui::EndpointProfilesDialog::profileRemoved);
    dialog.removeProfile();
    QVERIFY(dialog.keychainBusy());
    QCOMPARE(removed.count(), 0);
    QCOMPARE(settings_->profiles().size(), 1);  // not before the keychain has answered
    QVERIFY(slow->answerNext());
    QVERIFY(removed.wait(10000));
    QVERIFY(removed.at(0).at(0).toBool());
    QCOMPARE(settings_->profiles().size(), 0);
    QVERIFY(slow->entries.empty());
    QVERIFY(!dialog.keychainBusy());
    // Without a keychain the profile goes anyway, with a note.
    settings_->save(p);
    slow->failWith = KeychainBackend::Outcome::Status::Failed;
    slow->autoAnswer = true;
    ui::EndpointProfilesDialog again(*settings_, keys);
    QCOMPARE(again.selectedId(), p.id);
    QSignalSpy removedAgain(&again, &ui::EndpointProfilesDialog::profileRemoved);
    again.removeProfile();
    QVERIFY(removedAgain.wait(10000));
    QVERIFY(removedAgain.at(0).at(0).toBool());
    QVERIFY(!settings_->profile(p.id));
    QVERIFY2(again.lastReport().startsWith("The profile was removed; its key could not be "
                                           "removed from the keychain: Could not remove"),
             qPrintable(again.lastReport()));
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
