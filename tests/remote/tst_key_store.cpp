// Endpoint keys in a real Secret Service (gnome-keyring in a private D-Bus session, see
// tests.cmake); and, run without any keychain, a clear error instead of a plain-text fallback.
#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QUuid>
#include <QtTest>

#include "endpoint_settings.h"
#include "error.h"
#include "key_store.h"
#include "remote_backend.h"

using namespace medvae;
using namespace medvae::remote;

class TestKeyStore : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void keysLiveInTheKeychainOnly();
    void profilesNeverHoldTheKey();

  private:
    void roundTripInSecretService();
    void noKeychainIsAnErrorNotAFallback();
};

// Run by CTest twice (see tests.cmake): with a Secret Service, and with no session bus at all.
void TestKeyStore::keysLiveInTheKeychainOnly() {
    if (qEnvironmentVariableIsSet("MEDVAE_EXPECT_NO_KEYCHAIN"))
        noKeychainIsAnErrorNotAFallback();
    else
        roundTripInSecretService();
}

void TestKeyStore::roundTripInSecretService() {
    KeyStore store(QStringLiteral("MedVAE Studio test ") + QUuid::createUuid().toString());
    const QString account = QStringLiteral("endpoint-a");
    QVERIFY(!store.read(account).has_value());
    store.store(account, QStringLiteral("first-key"));
    QCOMPARE(store.read(account).value(), QStringLiteral("first-key"));
    store.store(account, QStringLiteral("second-key \u00e9"));  // replaces; any text
    QCOMPARE(store.read(account).value(), QStringLiteral("second-key \u00e9"));
    store.store(QStringLiteral("endpoint-b"), QStringLiteral("other"));
    QCOMPARE(store.read(account).value(), QStringLiteral("second-key \u00e9"));
    // From a worker thread (as the app reads a key off the GUI thread): the job runs on this
    // (main) thread, whose event loop must keep running meanwhile.
    QString fromThread;
    QThread* thread = QThread::create([&] {
        try {
            fromThread = KeyStore(store).read(account).value_or(QStringLiteral("<none>"));
        } catch (const Error& e) {
            fromThread = QString::fromStdString(e.what());
        }
    });
    QEventLoop loop;
    connect(thread, &QThread::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    thread->start();
    loop.exec();
    QVERIFY(thread->wait(1000));
    delete thread;
    QCOMPARE(fromThread, QStringLiteral("second-key \u00e9"));
    store.remove(account);
    QVERIFY(!store.read(account).has_value());
    store.remove(account);  // absent: no error
    QCOMPARE(store.read(QStringLiteral("endpoint-b")).value(), QStringLiteral("other"));
    store.remove(QStringLiteral("endpoint-b"));
}

void TestKeyStore::profilesNeverHoldTheKey() {
    const bool keychain = !qEnvironmentVariableIsSet("MEDVAE_EXPECT_NO_KEYCHAIN");
    QTemporaryDir dir;
    const QString ini = dir.filePath("settings.ini");
    const QString secret = QStringLiteral("k3y-") + QUuid::createUuid().toString(QUuid::Id128);
    {
        QSettings settings(ini, QSettings::IniFormat);
        EndpointSettings endpoints(&settings);
        EndpointProfile p = EndpointSettings::newProfile(QStringLiteral("Azure"));
        p.scoringUri = QStringLiteral("https://e.westeurope.inference.ml.azure.com/score");
        endpoints.save(p);
        KeyStore keys(QStringLiteral("MedVAE Studio test"));
        QVERIFY_THROWS_EXCEPTION(Error,
                                 RemoteBackend::fromActiveProfile(endpoints, keys));  // none active
        endpoints.setActiveId(p.id);
        if (keychain) {
            keys.store(p.keyRef, secret);
            QCOMPARE(keys.read(p.keyRef).value(), secret);
            QCOMPARE(RemoteBackend::fromActiveProfile(endpoints, keys)->describe().location,
                     p.scoringUri.toStdString());
            keys.remove(p.keyRef);
        } else {
            QVERIFY_THROWS_EXCEPTION(Error, keys.store(p.keyRef, secret));
            QVERIFY_THROWS_EXCEPTION(Error, RemoteBackend::fromActiveProfile(endpoints, keys));
        }
    }
    QFile file(ini);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("scoringUri"));
    QVERIFY(!text.contains(secret.toUtf8()));
}

void TestKeyStore::noKeychainIsAnErrorNotAFallback() {
    QTemporaryDir home;
    qputenv("HOME", home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", home.filePath("config").toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath("data").toUtf8());
    KeyStore store(QStringLiteral("MedVAE Studio test"), 10000);
    try {
        store.store(QStringLiteral("endpoint-x"), QStringLiteral("must-not-be-written"));
        QFAIL("storing a key without a keychain must fail");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("Could not store the key 'endpoint-x' in the keychain"),
                 e.what());
        QVERIFY2(!QString(e.what()).contains("must-not-be-written"), e.what());
    }
    // Nothing was written anywhere under the (empty) home directory.
    QDirIterator it(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains("must-not-be-written"), qPrintable(f.fileName()));
    }
}

QTEST_GUILESS_MAIN(TestKeyStore)
#include "tst_key_store.moc"
