#include "key_store.h"

#include <qt6keychain/keychain.h>
#include <QCoreApplication>
#include <QEventLoop>
#include <QThread>
#include <QTimer>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

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

std::string describe(const QString& action, const QString& account, const Outcome& outcome) {
    QString why;
    switch (outcome.error) {
        case QKeychain::NoBackendAvailable:
            why = QStringLiteral(
                "no keychain is available (on Linux a Secret Service such as GNOME Keyring or "
                "KWallet must be running and unlocked)");
            break;
        case QKeychain::AccessDenied:
        case QKeychain::AccessDeniedByUser:
            why = QStringLiteral("access to the keychain was denied");
            break;
        default:
            why = outcome.errorString;
    }
    return QStringLiteral("Could not %1 the key '%2' in the keychain: %3")
        .arg(action, account, why)
        .toStdString();
}

void requireFinished(const Outcome& outcome, const QString& action, int timeoutMs) {
    if (outcome.finished) return;
    throw Error(QStringLiteral("The keychain did not answer within %1 s when asked to %2 a key "
                               "(is the keychain locked or waiting for a password prompt, or is "
                               "the application's main thread busy?)")
                    .arg(timeoutMs / 1000.0)
                    .arg(action)
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
    if (outcome.error != QKeychain::NoError)
        throw Error(describe(QStringLiteral("store"), account, outcome));
}

std::optional<QString> KeyStore::read(const QString& account) {
    if (account.isEmpty()) return std::nullopt;
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
    if (outcome.error != QKeychain::NoError)
        throw Error(describe(QStringLiteral("read"), account, outcome));
    return outcome.text;
}

void KeyStore::remove(const QString& account) {
    if (account.isEmpty()) return;
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
        throw Error(describe(QStringLiteral("remove"), account, outcome));
}

}  // namespace medvae::remote
