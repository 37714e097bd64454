#include "qt_keychain_backend.h"

#include <qt6keychain/keychain.h>

#include <utility>

namespace medvae::remote {
namespace {

QKeychain::Job* makeJob(const KeychainBackend::Job& job) {
    switch (job.action) {
        case KeychainBackend::Action::Store: {
            auto* write = new QKeychain::WritePasswordJob(job.service);
            write->setKey(job.account);
            write->setTextData(job.key);
            return write;
        }
        case KeychainBackend::Action::Remove: {
            auto* remove = new QKeychain::DeletePasswordJob(job.service);
            remove->setKey(job.account);
            return remove;
        }
        case KeychainBackend::Action::Read:
            break;
    }
    auto* read = new QKeychain::ReadPasswordJob(job.service);
    read->setKey(job.account);
    return read;
}

KeychainBackend::Outcome outcomeOf(QKeychain::Job* job) {
    using Status = KeychainBackend::Outcome::Status;
    KeychainBackend::Outcome outcome;
    switch (job->error()) {
        case QKeychain::NoError:
            outcome.status = Status::Ok;
            if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(job))
                outcome.key = read->textData();
            break;
        case QKeychain::EntryNotFound:
            outcome.status = Status::NoEntry;
            break;
        case QKeychain::AccessDenied:
        case QKeychain::AccessDeniedByUser:
            outcome.status = Status::AccessDenied;
            break;
        default:  // no backend, or one that failed to answer (a Secret Service without D-Bus)
            outcome.status = Status::Failed;
            break;
    }
    if (outcome.status != Status::Ok) outcome.detail = job->errorString();
    return outcome;
}

}  // namespace

void QtKeychainBackend::start(const Job& job, Done done) {
    QKeychain::Job* keychainJob = makeJob(job);
    keychainJob->setAutoDelete(false);
    keychainJob->setInsecureFallback(false);  // never a plain-text file
    QObject::connect(keychainJob, &QKeychain::Job::finished, keychainJob,
                     [keychainJob, done = std::move(done)] {
                         const Outcome outcome = outcomeOf(keychainJob);
                         keychainJob->deleteLater();
                         done(outcome);
                     });
    keychainJob->start();
}

}  // namespace medvae::remote
