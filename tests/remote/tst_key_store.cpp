// Endpoint keys in a real Secret Service (gnome-keyring in a private D-Bus session, see
// tests.cmake); and, run without any keychain, a clear error instead of a plain-text fallback.
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
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
#include "keychain_test_support.h"
#include "remote_backend.h"

using namespace medvae;
using namespace medvae::remote;
using medvae::test::answerOf;
using medvae::test::FakeKeychain;
using medvae::test::FaultHttpServer;
using medvae::test::onWorker;
using Status = KeyStore::Reply::Status;

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
    void asyncRequestsAnswerFromTheEventLoop();
    void unansweredRequestTimesOut();
    void workerWaitsWithoutNestingTheMainLoop();
    void mainThreadNeverWaits();
    void deniedIsNotUnavailable();

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
    // The blocking calls from worker threads (as the app reads keys), the asynchronous ones from
    // this main thread (as the endpoint dialog does).
    KeyStore store(QStringLiteral("MedVAE Studio test ") + QUuid::createUuid().toString());
    const QString account = QStringLiteral("endpoint-a");
    QVERIFY(!onWorker([&] { return store.read(account); }).has_value());
    onWorker([&] { store.store(account, QStringLiteral("first-key")); });
    QCOMPARE(onWorker([&] { return store.read(account); }).value(), QStringLiteral("first-key"));
    const auto stored = answerOf([&](const KeyStore::Callback& done) {
        store.storeAsync(account, QStringLiteral("second-key \u00e9"), nullptr, done);
    });  // replaces; any text
    QVERIFY2(stored.ok(), qPrintable(stored.message));
    QCOMPARE(answerOf([&](const KeyStore::Callback& done) {
                 store.readAsync(account, nullptr, done);
             }).key,
             QStringLiteral("second-key \u00e9"));
    onWorker([&] { store.store(QStringLiteral("endpoint-b"), QStringLiteral("other")); });
    QCOMPARE(onWorker([&] { return store.read(account); }).value(),
             QStringLiteral("second-key \u00e9"));
    // From a worker thread while this (main) thread runs its event loop, as in the app: the job
    // runs on this thread, whose event loop must keep running meanwhile.
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
    onWorker([&] { store.remove(account); });
    QVERIFY(!onWorker([&] { return store.read(account); }).has_value());
    onWorker([&] { store.remove(account); });  // absent: no error
    QCOMPARE(answerOf([&](const KeyStore::Callback& done) {
                 store.readAsync(QStringLiteral("endpoint-b"), nullptr, done);
             }).key,
             QStringLiteral("other"));
    QVERIFY(answerOf([&](const KeyStore::Callback& done) {
                store.removeAsync(QStringLiteral("endpoint-b"), nullptr, done);
            }).ok());
    QCOMPARE(answerOf([&](const KeyStore::Callback& done) {
                 store.readAsync(QStringLiteral("endpoint-b"), nullptr, done);
             }).status,
             Status::NoEntry);
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
            onWorker([&] { keys.store(p.keyRef, secret); });
            QCOMPARE(onWorker([&] { return keys.read(p.keyRef); }).value(), secret);
            QCOMPARE(onWorker([&] { return RemoteBackend::fromActiveProfile(endpoints, keys); })
                         ->describe()
                         .location,
                     p.scoringUri.toStdString());
            onWorker([&] { keys.remove(p.keyRef); });
        } else {
            QVERIFY_THROWS_EXCEPTION(KeychainUnavailable,
                                     onWorker([&] { keys.store(p.keyRef, secret); }));
            QVERIFY_THROWS_EXCEPTION(KeychainUnavailable, onWorker([&] {
                                         return RemoteBackend::fromActiveProfile(endpoints, keys);
                                     }));
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
        onWorker([&] {
            store.store(QStringLiteral("endpoint-x"), QStringLiteral("must-not-be-written"));
        });
        QFAIL("storing a key without a keychain must fail");
    } catch (const KeychainUnavailable& e) {
        QVERIFY2(QString(e.what()).contains("Could not store the key 'endpoint-x'"), e.what());
        QVERIFY2(!QString(e.what()).contains("must-not-be-written"), e.what());
    }
    // Explained, with the way forward, before the library's own (D-Bus) words. Before, the
    // message was that text alone ("... in the keychain: Could not connect: ...").
    try {
        onWorker([&] { return store.read(QStringLiteral("endpoint-x")); });
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
        QVERIFY_THROWS_EXCEPTION(KeychainUnavailable, onWorker([&] { keys.remove(p.keyRef); }));
    else
        onWorker([&] { keys.remove(p.keyRef); });
    QVERIFY(!keys.hasSessionKey(p.keyRef));
}

void TestKeyStore::asyncRequestsAnswerFromTheEventLoop() {
    auto fake = std::make_shared<FakeKeychain>();
    fake->autoAnswer = true;
    KeyStore keys(QStringLiteral("svc"), 10000, fake);
    int calls = 0;
    KeyStore::Reply last;
    const KeyStore::Callback record = [&](const KeyStore::Reply& r) {
        ++calls;
        last = r;
    };
    keys.storeAsync(QStringLiteral("a"), QStringLiteral("s3cret"), nullptr, record);
    QCOMPARE(calls, 0);  // never inside the call
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 10000);
    QVERIFY(last.ok());
    QCOMPARE(fake->entries[QStringLiteral("a")], QStringLiteral("s3cret"));
    keys.readAsync(QStringLiteral("a"), nullptr, record);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 2, 10000);
    QCOMPARE(last.key, QStringLiteral("s3cret"));
    keys.removeAsync(QStringLiteral("a"), nullptr, record);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 3, 10000);
    QVERIFY(last.ok());
    keys.readAsync(QStringLiteral("a"), nullptr, record);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 4, 10000);
    QCOMPARE(last.status, Status::NoEntry);
    QCOMPARE(fake->started.size(), std::size_t(4));
    QVERIFY(fake->allOnMainThread);
    // A session key answers without the keychain, still from the event loop.
    keys.keepForSession(QStringLiteral("b"), QStringLiteral("mem"));
    keys.readAsync(QStringLiteral("b"), nullptr, record);
    QCOMPARE(calls, 4);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 5, 10000);
    QCOMPARE(last.key, QStringLiteral("mem"));
    QCOMPARE(fake->started.size(), std::size_t(4));
    // The answer to a request whose context is gone is dropped.
    fake->autoAnswer = false;
    auto context = std::make_unique<QObject>();
    keys.readAsync(QStringLiteral("a"), context.get(), record);
    context.reset();
    QVERIFY(fake->answerNext());
    QCoreApplication::processEvents();
    QCOMPARE(calls, 5);
    keys.keepForSession(QStringLiteral("b"), QString());
    keys.removeAsync(QStringLiteral("b"), nullptr, record);  // forgets the session key
    QVERIFY(!keys.hasSessionKey(QStringLiteral("b")));
    fake->answerAll();
    QTRY_COMPARE_WITH_TIMEOUT(calls, 6, 10000);
}

void TestKeyStore::unansweredRequestTimesOut() {
    auto fake = std::make_shared<FakeKeychain>();  // answers only when told: here, too late
    KeyStore keys(QStringLiteral("svc"), 200, fake);
    int calls = 0;
    KeyStore::Reply last;
    QElapsedTimer clock;
    clock.start();
    keys.readAsync(QStringLiteral("slow"), nullptr, [&](const KeyStore::Reply& r) {
        ++calls;
        last = r;
    });
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 10000);
    QVERIFY(clock.elapsed() >= 190);
    QCOMPARE(last.status, Status::Unavailable);
    QVERIFY2(last.message.startsWith("The keychain did not answer within 0.2 s when asked to "
                                     "read a key") &&
                 last.message.contains("for this session only"),
             qPrintable(last.message));
    QVERIFY(fake->answerNext());  // the late answer is dropped
    QCoreApplication::processEvents();
    QCOMPARE(calls, 1);
    // A worker waits no longer either.
    try {
        onWorker([&] { return keys.read(QStringLiteral("slow")); });
        QFAIL("an unanswered read must fail");
    } catch (const KeychainUnavailable& e) {
        QVERIFY2(QString(e.what()).contains("did not answer within 0.2 s"), e.what());
    }
}

void TestKeyStore::workerWaitsWithoutNestingTheMainLoop() {
    // The main thread runs its event loop (as QApplication::exec does); a worker asks for a key.
    // The job starts and is answered from that loop, with no loop nested inside it, while the
    // worker blocks on a condition.
    auto fake = std::make_shared<FakeKeychain>();
    fake->entries[QStringLiteral("k")] = QStringLiteral("value");
    int deepest = 0;
    fake->onStart = [&](const KeychainBackend::Job&) {
        // Answer from the same loop, after looking at how deep it runs.
        QTimer::singleShot(0, qApp, [&] {
            deepest = std::max(deepest, QThread::currentThread()->loopLevel());
            fake->answerNext();
        });
    };
    KeyStore keys(QStringLiteral("svc"), 10000, fake);
    QString got;
    QThread* worker = QThread::create([&] { got = keys.read(QStringLiteral("k")).value_or("-"); });
    QEventLoop loop;
    connect(worker, &QThread::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    worker->start();
    loop.exec();
    QVERIFY(worker->wait(1000));
    delete worker;
    QCOMPARE(got, QStringLiteral("value"));
    QCOMPARE(fake->startLoopLevels, std::vector<int>{1});
    QCOMPARE(deepest, 1);
    QVERIFY(fake->allOnMainThread);
}

void TestKeyStore::mainThreadNeverWaits() {
    auto fake = std::make_shared<FakeKeychain>();
    fake->autoAnswer = true;
    KeyStore keys(QStringLiteral("svc"), 10000, fake);
    for (const auto& call : std::vector<std::function<void()>>{
             [&] { keys.store(QStringLiteral("m"), QStringLiteral("x")); },
             [&] { keys.read(QStringLiteral("m")); }, [&] { keys.remove(QStringLiteral("m")); }}) {
        try {
            call();
            QFAIL("a blocking keychain call on the main thread must be refused");
        } catch (const KeychainUnavailable&) {
            QFAIL("refused as a programming error, not as a missing keychain");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("on the application's main thread"), e.what());
        }
    }
    QVERIFY(fake->started.empty());
    // What needs no keychain works anywhere.
    keys.keepForSession(QStringLiteral("m"), QStringLiteral("session"));
    QCOMPARE(keys.read(QStringLiteral("m")).value_or(QString()), QStringLiteral("session"));
    QCOMPARE(keys.read(QString()), std::optional<QString>());
    QVERIFY(fake->started.empty());
    QVERIFY_THROWS_EXCEPTION(Error, onWorker([&] {
                                 keys.readAsync(QStringLiteral("m"), nullptr,
                                                [](const KeyStore::Reply&) {});
                             }));
}

void TestKeyStore::deniedIsNotUnavailable() {
    auto fake = std::make_shared<FakeKeychain>();
    fake->autoAnswer = true;
    KeyStore keys(QStringLiteral("svc"), 10000, fake);
    fake->failWith = KeychainBackend::Outcome::Status::AccessDenied;
    try {
        onWorker([&] { keys.store(QStringLiteral("d"), QStringLiteral("never-shown")); });
        QFAIL("a denied store must fail");
    } catch (const KeychainUnavailable& e) {
        QFAIL(e.what());  // a session key is not the way forward when access was denied
    } catch (const Error& e) {
        QCOMPARE(QString(e.what()), QStringLiteral("Could not store the key 'd' in the keychain: "
                                                   "access to the keychain was denied (fake "
                                                   "keychain says no)"));
    }
    fake->failWith = KeychainBackend::Outcome::Status::Failed;
    const KeyStore::Reply reply = answerOf([&](const KeyStore::Callback& done) {
        keys.readAsync(QStringLiteral("d"), nullptr, done);
    });
    QCOMPARE(reply.status, Status::Unavailable);
    QVERIFY2(reply.message.startsWith("Could not read the key 'd': no system keychain is "
                                      "available.") &&
                 reply.message.endsWith("(Details: fake keychain says no)"),
             qPrintable(reply.message));
}

QTEST_GUILESS_MAIN(TestKeyStore)
#include "tst_key_store.moc"
