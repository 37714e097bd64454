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
#include "fault_http_server.h"
#include "key_store.h"
#include "remote_backend.h"

using namespace medvae;
using namespace medvae::remote;
using medvae::test::FaultHttpServer;

namespace {

// Files under `dir` that contain `text`.
QStringList filesContaining(const QString& dir, const QByteArray& text) {
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(text)) found << f.fileName();
    }
    return found;
}

// A one-pixel answer, enough for RemoteBackend::run to succeed.
FaultHttpServer::Response okAnswer() {
    FaultHttpServer::Response ok;
    ok.body = "{\"predictions\":[{\"latent\":[[[0.5]]]}]}";
    return ok;
}

Image smallImage() {
    Image image;
    image.width = image.height = 8;
    image.channels = 1;
    image.pixels.assign(64, 1.0f);
    image.pixels[5] = 7.0f;
    return image;
}

}  // namespace

class TestKeyStore : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void keysLiveInTheKeychainOnly();
    void profilesNeverHoldTheKey();
    void keylessProfileNeverTouchesTheKeychain();
    void sessionKeyNeedsNoKeychain();

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
        p.hasKey = true;
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
            QVERIFY_THROWS_EXCEPTION(KeychainUnavailable, keys.store(p.keyRef, secret));
            QVERIFY_THROWS_EXCEPTION(KeychainUnavailable,
                                     RemoteBackend::fromActiveProfile(endpoints, keys));
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
    } catch (const KeychainUnavailable& e) {
        QVERIFY2(QString(e.what()).contains("Could not store the key 'endpoint-x'"), e.what());
        QVERIFY2(!QString(e.what()).contains("must-not-be-written"), e.what());
    }
    // Explained, with the way forward, before the library's own (D-Bus) words. Before, the
    // message was that text alone ("... in the keychain: Could not connect: ...").
    try {
        store.read(QStringLiteral("endpoint-x"));
        QFAIL("reading a key without a keychain must fail");
    } catch (const KeychainUnavailable& e) {
        const QString text = QString::fromUtf8(e.what());
        QVERIFY2(text.startsWith("Could not read the key 'endpoint-x': no system keychain is "
                                 "available. On Linux a Secret Service"),
                 e.what());
        QVERIFY2(text.contains("enter the key for this session only instead: it is kept in "
                               "memory and never written"),
                 e.what());
    }
    // Nothing was written anywhere under the (empty) home directory.
    const QStringList written = filesContaining(home.path(), "must-not-be-written");
    QVERIFY2(written.isEmpty(), qPrintable(written.join(", ")));
}

void TestKeyStore::keylessProfileNeverTouchesTheKeychain() {
    // A loopback server that takes no key, reached with a keyless profile: no keychain is asked
    // (this suite also runs with no D-Bus session at all, where asking fails; before, it was
    // asked anyway, and remote mode failed with "Could not read the key ...").
    FaultHttpServer server;
    server.script({okAnswer()});
    QTemporaryDir dir;
    QSettings settings(dir.filePath("settings.ini"), QSettings::IniFormat);
    EndpointSettings endpoints(&settings);
    EndpointProfile p = EndpointSettings::newProfile(QStringLiteral("medvae-serve here"));
    p.scoringUri = server.url();
    p.consentGiven = true;
    QVERIFY(!p.hasKey);
    endpoints.save(p);
    endpoints.setActiveId(p.id);
    KeyStore keys(QStringLiteral("MedVAE Studio test ") + QUuid::createUuid().toString(), 10000);
    const auto backend = RemoteBackend::fromActiveProfile(endpoints, keys);
    const EncodeResult r = backend->run(smallImage(), EncodeOptions());
    QCOMPARE(r.latent.sizes().vec(), (std::vector<std::int64_t>{1, 1, 1}));
    QCOMPARE(server.requests(), 1);
    QVERIFY(!server.lastHead().toLower().contains("authorization"));
}

void TestKeyStore::sessionKeyNeedsNoKeychain() {
    // The way forward without a keychain: a key for this session only, in memory, sent as the
    // Bearer key, never written, forgotten on remove().
    QTemporaryDir home;
    qputenv("HOME", home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", home.filePath("config").toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath("data").toUtf8());
    FaultHttpServer server;
    server.script({okAnswer()});
    QSettings settings(home.filePath("settings.ini"), QSettings::IniFormat);
    EndpointSettings endpoints(&settings);
    EndpointProfile p = EndpointSettings::newProfile(QStringLiteral("keyed"));
    p.scoringUri = server.url();
    p.consentGiven = true;
    p.hasKey = true;
    endpoints.save(p);
    endpoints.setActiveId(p.id);
    const QString service = QStringLiteral("MedVAE Studio test ") + QUuid::createUuid().toString();
    const QString secret = QStringLiteral("s3ssion-") + QUuid::createUuid().toString(QUuid::Id128);
    KeyStore(service, 10000).keepForSession(p.keyRef, secret);
    KeyStore keys(service, 10000);  // another instance sees it: kept for the whole process
    QVERIFY(keys.hasSessionKey(p.keyRef));
    QCOMPARE(keys.read(p.keyRef).value_or(QString()), secret);
    RemoteBackend::fromActiveProfile(endpoints, keys)->run(smallImage(), EncodeOptions());
    QVERIFY2(server.lastHead().contains("Authorization: Bearer " + secret.toUtf8()),
             server.lastHead().constData());
    settings.sync();
    const QStringList written = filesContaining(home.path(), secret.toUtf8());
    QVERIFY2(written.isEmpty(), qPrintable(written.join(", ")));
    if (qEnvironmentVariableIsSet("MEDVAE_EXPECT_NO_KEYCHAIN"))
        QVERIFY_THROWS_EXCEPTION(KeychainUnavailable, keys.remove(p.keyRef));
    else
        keys.remove(p.keyRef);
    QVERIFY(!keys.hasSessionKey(p.keyRef));
}

QTEST_GUILESS_MAIN(TestKeyStore)
#include "tst_key_store.moc"
