#include "key_store.h"

#include <qt6keychain/keychain.h>
#include <QEventLoop>
#include <QTimer>

#include <memory>

#include "error.h"

namespace medvae::remote {

namespace {

struct JobDeleter {
    void operator()(QKeychain::Job* job) const { job->deleteLater(); }
};

// Runs `job` to completion or until the time limit; true when it finished.
bool runJob(QKeychain::Job* job, int timeoutMs) {
    job->setAutoDelete(false);
    job->setInsecureFallback(false);
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    job->start();
    if (!finished) loop.exec();
    return finished;
}

std::string describe(const QString& action, const QString& account, QKeychain::Job* job) {
    QString why;
    switch (job->error()) {
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
            why = job->errorString();
    }
    return QStringLiteral("Could not %1 the key '%2' in the keychain: %3")
        .arg(action, account, why)
        .toStdString();
}

void timedOut(const QString& action, int timeoutMs) {
    throw Error(QStringLiteral("The keychain did not answer within %1 s when asked to %2 a key "
                               "(is the keychain locked or waiting for a password prompt?)")
                    .arg(timeoutMs / 1000.0)
                    .arg(action)
                    .toStdString());
}

}  // namespace

KeyStore::KeyStore(QString service, int timeoutMs)
    : service_(std::move(service)), timeoutMs_(timeoutMs) {}

void KeyStore::store(const QString& account, const QString& key) {
    if (account.isEmpty()) throw Error("A key needs a keychain entry name.");
    std::unique_ptr<QKeychain::WritePasswordJob, JobDeleter> job(
        new QKeychain::WritePasswordJob(service_));
    job->setKey(account);
    job->setTextData(key);
    if (!runJob(job.get(), timeoutMs_)) timedOut(QStringLiteral("store"), timeoutMs_);
    if (job->error() != QKeychain::NoError)
        throw Error(describe(QStringLiteral("store"), account, job.get()));
}

std::optional<QString> KeyStore::read(const QString& account) {
    if (account.isEmpty()) return std::nullopt;
    std::unique_ptr<QKeychain::ReadPasswordJob, JobDeleter> job(
        new QKeychain::ReadPasswordJob(service_));
    job->setKey(account);
    if (!runJob(job.get(), timeoutMs_)) timedOut(QStringLiteral("read"), timeoutMs_);
    if (job->error() == QKeychain::EntryNotFound) return std::nullopt;
    if (job->error() != QKeychain::NoError)
        throw Error(describe(QStringLiteral("read"), account, job.get()));
    return job->textData();
}

void KeyStore::remove(const QString& account) {
    if (account.isEmpty()) return;
    std::unique_ptr<QKeychain::DeletePasswordJob, JobDeleter> job(
        new QKeychain::DeletePasswordJob(service_));
    job->setKey(account);
    if (!runJob(job.get(), timeoutMs_)) timedOut(QStringLiteral("remove"), timeoutMs_);
    if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
        throw Error(describe(QStringLiteral("remove"), account, job.get()));
}

}  // namespace medvae::remote
