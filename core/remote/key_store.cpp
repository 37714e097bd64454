#include "key_store.h"

#include <qt6keychain/keychain.h>
#include <QCoreApplication>
#include <QEventLoop>
#include <QThread>
#include <QTimer>

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "error.h"

namespace medvae::remote {

namespace {

struct Outcome {
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString text;  // read jobs
};

// The state a job shares with the thread waiting for it; outlives either side.
struct Pending {
    std::mutex mutex;
    std::condition_variable done;
    Outcome outcome;
};

// Starts the job made by `make` on the application's main thread and reports its end into
// `pending`. QtKeychain keeps one job queue per process in the thread of its first job, so every
// job is created, run and deleted there; a job that outlives a timed-out caller cleans up alone.
void startOnMainThread(const std::function<QKeychain::Job*()>& make,
                       const std::shared_ptr<Pending>& pending) {
    QKeychain::Job* job = make();
    job->setAutoDelete(false);
    job->setInsecureFallback(false);  // never a plain-text file
    QObject::connect(job, &QKeychain::Job::finished, job, [job, pending] {
        {
            std::lock_guard<std::mutex> lock(pending->mutex);
            pending->outcome.finished = true;
            pending->outcome.error = job->error();
            pending->outcome.errorString = job->errorString();
            if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(job))
                pending->outcome.text = read->textData();
        }
        pending->done.notify_all();
        job->deleteLater();
    });
    job->start();
}

Outcome execute(const std::function<QKeychain::Job*()>& make, int timeoutMs) {
    QCoreApplication* app = QCoreApplication::instance();
    if (!app) throw Error("The keychain needs a running Qt application object");
    auto pending = std::make_shared<Pending>();
    if (QThread::currentThread() == app->thread()) {
        // On the main thread: wait in a local event loop, so the job's replies arrive.
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        QTimer poll;  // the job reports through `pending`; look at it often
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            std::lock_guard<std::mutex> lock(pending->mutex);
            if (pending->outcome.finished) loop.quit();
        });
        startOnMainThread(make, pending);
        timer.start(timeoutMs);
        poll.start(10);
        {
            std::lock_guard<std::mutex> lock(pending->mutex);
            if (pending->outcome.finished) return pending->outcome;
        }
        loop.exec();
    } else {
        // Elsewhere: hand the job to the main thread and block here, bounded.
        QMetaObject::invokeMethod(
            app, [make, pending] { startOnMainThread(make, pending); }, Qt::QueuedConnection);
        std::unique_lock<std::mutex> lock(pending->mutex);
        pending->done.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                               [&] { return pending->outcome.finished; });
    }
    std::lock_guard<std::mutex> lock(pending->mutex);
    return pending->outcome;
}

const QString kSessionWayForward = QStringLiteral(
    "You can enter the key for this session only instead: it is kept in memory and never "
    "written.");

// Keys kept for this session, by (service, account): process-wide, so that every KeyStore of a
// service sees them, whichever part of the application made it.
struct SessionKeys {
    std::mutex mutex;
    std::map<std::pair<QString, QString>, QString> keys;
};

SessionKeys& sessionKeys() {
    static SessionKeys keys;
    return keys;
}

// Throws the error of a failed job: KeychainUnavailable when no keychain could do the job (no
// backend, or one that failed to answer, as a Secret Service without a D-Bus session does), with
// the library's own words last.
[[noreturn]] void fail(const QString& action, const QString& account, const Outcome& outcome) {
    if (outcome.error == QKeychain::AccessDenied || outcome.error == QKeychain::AccessDeniedByUser)
        throw Error(QStringLiteral("Could not %1 the key '%2' in the keychain: access to the "
                                   "keychain was denied (%3)")
                        .arg(action, account, outcome.errorString)
                        .toStdString());
    throw KeychainUnavailable(
        QStringLiteral("Could not %1 the key '%2': no system keychain is available. On Linux a "
                       "Secret Service (GNOME Keyring or KWallet) must be running and unlocked "
                       "in your desktop session. %3 (Details: %4)")
            .arg(action, account, kSessionWayForward, outcome.errorString)
            .toStdString());
}

void requireFinished(const Outcome& outcome, const QString& action, int timeoutMs) {
    if (outcome.finished) return;
    throw KeychainUnavailable(
        QStringLiteral("The keychain did not answer within %1 s when asked to %2 a key (is the "
                       "keychain locked or waiting for a password prompt, or is the "
                       "application's main thread busy?). %3")
            .arg(timeoutMs / 1000.0)
            .arg(action, kSessionWayForward)
            .toStdString());
}

}  // namespace

KeyStore::KeyStore(QString service, int timeoutMs)
    : service_(std::move(service)), timeoutMs_(timeoutMs) {}

void KeyStore::store(const QString& account, const QString& key) {
    if (account.isEmpty()) throw Error("A key needs a keychain entry name.");
    const QString service = service_;
    const Outcome outcome = execute(
        [service, account, key] {
            auto* job = new QKeychain::WritePasswordJob(service);
            job->setKey(account);
            job->setTextData(key);
            return job;
        },
        timeoutMs_);
    requireFinished(outcome, QStringLiteral("store"), timeoutMs_);
    if (outcome.error != QKeychain::NoError) fail(QStringLiteral("store"), account, outcome);
}

std::optional<QString> KeyStore::read(const QString& account) {
    if (account.isEmpty()) return std::nullopt;
    {
        SessionKeys& session = sessionKeys();
        std::lock_guard<std::mutex> lock(session.mutex);
        const auto it = session.keys.find({service_, account});
        if (it != session.keys.end()) return it->second;
    }
    const QString service = service_;
    const Outcome outcome = execute(
        [service, account] {
            auto* job = new QKeychain::ReadPasswordJob(service);
            job->setKey(account);
            return job;
        },
        timeoutMs_);
    requireFinished(outcome, QStringLiteral("read"), timeoutMs_);
    if (outcome.error == QKeychain::EntryNotFound) return std::nullopt;
    if (outcome.error != QKeychain::NoError) fail(QStringLiteral("read"), account, outcome);
    return outcome.text;
}

void KeyStore::keepForSession(const QString& account, const QString& key) {
    if (account.isEmpty()) throw Error("A key needs a keychain entry name.");
    SessionKeys& session = sessionKeys();
    std::lock_guard<std::mutex> lock(session.mutex);
    session.keys[{service_, account}] = key;
}

bool KeyStore::hasSessionKey(const QString& account) const {
    SessionKeys& session = sessionKeys();
    std::lock_guard<std::mutex> lock(session.mutex);
    return session.keys.count({service_, account}) > 0;
}

void KeyStore::remove(const QString& account) {
    if (account.isEmpty()) return;
    {
        SessionKeys& session = sessionKeys();
        std::lock_guard<std::mutex> lock(session.mutex);
        session.keys.erase({service_, account});
    }
    const QString service = service_;
    const Outcome outcome = execute(
        [service, account] {
            auto* job = new QKeychain::DeletePasswordJob(service);
            job->setKey(account);
            return job;
        },
        timeoutMs_);
    requireFinished(outcome, QStringLiteral("remove"), timeoutMs_);
    if (outcome.error != QKeychain::NoError && outcome.error != QKeychain::EntryNotFound)
        fail(QStringLiteral("remove"), account, outcome);
}

}  // namespace medvae::remote
