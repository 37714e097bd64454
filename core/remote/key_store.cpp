#include "key_store.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <utility>

#include "qt_keychain_backend.h"

namespace medvae::remote {

namespace {

using Action = KeychainBackend::Action;
using Job = KeychainBackend::Job;
using Outcome = KeychainBackend::Outcome;
using Reply = KeyStore::Reply;

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

QString verb(Action action) {
    switch (action) {
        case Action::Store:
            return QStringLiteral("store");
        case Action::Remove:
            return QStringLiteral("remove");
        case Action::Read:
            break;
    }
    return QStringLiteral("read");
}

Reply failure(Reply::Status status, const QString& message) {
    Reply reply;
    reply.status = status;
    reply.message = message;
    return reply;
}

// The answer to a job the backend finished: Unavailable when no keychain could do it (no
// backend, or one that failed to answer, as a Secret Service without a D-Bus session does),
// explained, with the library's own words last.
Reply replyOf(const Job& job, const Outcome& outcome) {
    using Status = Outcome::Status;
    Reply reply;
    if (outcome.status == Status::Ok) {
        reply.key = job.action == Action::Read ? outcome.key : QString();
        return reply;
    }
    if (outcome.status == Status::NoEntry && job.action != Action::Store) {
        reply.status = job.action == Action::Read ? Reply::Status::NoEntry : Reply::Status::Ok;
        return reply;
    }
    if (outcome.status == Status::AccessDenied)
        return failure(Reply::Status::Failed,
                       QStringLiteral("Could not %1 the key '%2' in the keychain: access to the "
                                      "keychain was denied (%3)")
                           .arg(verb(job.action), job.account, outcome.detail));
    return failure(
        Reply::Status::Unavailable,
        QStringLiteral("Could not %1 the key '%2': no system keychain is available. On Linux a "
                       "Secret Service (GNOME Keyring or KWallet) must be running and unlocked "
                       "in your desktop session. %3 (Details: %4)")
            .arg(verb(job.action), job.account, kSessionWayForward, outcome.detail));
}

Reply timeoutReply(Action action, int timeoutMs) {
    return failure(
        Reply::Status::Unavailable,
        QStringLiteral("The keychain did not answer within %1 s when asked to %2 a key (is the "
                       "keychain locked or waiting for a password prompt, or is the "
                       "application's main thread busy?). %3")
            .arg(timeoutMs / 1000.0)
            .arg(verb(action), kSessionWayForward));
}

QCoreApplication& application() {
    QCoreApplication* app = QCoreApplication::instance();
    if (!app) throw Error("The keychain needs a running Qt application object");
    return *app;
}

bool onMainThread() {
    return QThread::currentThread() == application().thread();
}

// Starts `job` on the main thread (the caller's) and calls `finish` there exactly once: with the
// backend's answer, or after `timeoutMs` with a timeout; a later answer is dropped.
void runOnMainThread(const std::shared_ptr<KeychainBackend>& backend, const Job& job, int timeoutMs,
                     std::function<void(const Reply&)> finish) {
    auto finished = std::make_shared<bool>(false);
    const QPointer<QTimer> timer = new QTimer(&application());
    auto once = [finished, timer, finish = std::move(finish)](const Reply& reply) {
        if (*finished) return;
        *finished = true;
        if (timer) {
            timer->stop();
            timer->deleteLater();
        }
        finish(reply);
    };
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, timer, [once, action = job.action, timeoutMs] {
        once(timeoutReply(action, timeoutMs));
    });
    timer->start(timeoutMs);
    backend->start(job, [once, job](const Outcome& outcome) { once(replyOf(job, outcome)); });
}

// Hands `reply` to `done` from the main thread's event loop, unless `context` died meanwhile.
void deliver(QObject* context, const KeyStore::Callback& done, const Reply& reply) {
    const QPointer<QObject> guard(context);
    const bool guarded = context != nullptr;
    QMetaObject::invokeMethod(
        guarded ? context : &application(),
        [guard, guarded, done, reply] {
            if (guarded && !guard) return;
            done(reply);
        },
        Qt::QueuedConnection);
}

void requireMainThread() {
    if (!onMainThread())
        throw Error(
            "Asynchronous keychain requests are made on the application's main thread (a bug in "
            "the calling program).");
}

void requireWorkerThread(Action action) {
    if (onMainThread())
        throw Error("The keychain was asked to " + verb(action).toStdString() +
                    " a key on the application's main thread, where waiting for it would freeze "
                    "the window (a bug in the calling program: it must use the asynchronous "
                    "request).");
}

}  // namespace

void KeyStore::Reply::raise() const {
    if (status == Status::Unavailable) throw KeychainUnavailable(message.toStdString());
    throw Error(message.toStdString());
}

KeyStore::KeyStore(QString service, int timeoutMs, std::shared_ptr<KeychainBackend> backend)
    : service_(std::move(service)),
      timeoutMs_(timeoutMs),
      backend_(backend ? std::move(backend) : std::make_shared<QtKeychainBackend>()) {}

KeychainBackend::Job KeyStore::job(Action action, const QString& account,
                                   const QString& key) const {
    Job job;
    job.action = action;
    job.service = service_;
    job.account = account;
    job.key = key;
    return job;
}

void KeyStore::startAsync(const Job& job, QObject* context, Callback done) const {
    const QPointer<QObject> guard(context);
    const bool guarded = context != nullptr;
    runOnMainThread(backend_, job, timeoutMs_, [guard, guarded, done](const Reply& reply) {
        if (!guarded || guard) deliver(guard.data(), done, reply);
    });
}

void KeyStore::readAsync(const QString& account, QObject* context, Callback done) {
    requireMainThread();
    if (account.isEmpty()) return deliver(context, done, failure(Reply::Status::NoEntry, {}));
    if (const auto key = sessionKey(account)) {
        Reply reply;
        reply.key = *key;
        return deliver(context, done, reply);
    }
    startAsync(job(Action::Read, account), context, std::move(done));
}

void KeyStore::storeAsync(const QString& account, const QString& key, QObject* context,
                          Callback done) {
    requireMainThread();
    if (account.isEmpty())
        return deliver(
            context, done,
            failure(Reply::Status::Failed, QStringLiteral("A key needs a keychain entry name.")));
    startAsync(job(Action::Store, account, key), context, std::move(done));
}

void KeyStore::removeAsync(const QString& account, QObject* context, Callback done) {
    requireMainThread();
    if (account.isEmpty()) return deliver(context, done, Reply());
    forgetSessionKey(account);
    startAsync(job(Action::Remove, account), context, std::move(done));
}

// Hands the job to the main thread and blocks on a condition until it answers, bounded.
KeyStore::Reply KeyStore::await(const Job& job) const {
    requireWorkerThread(job.action);
    struct Pending {
        std::mutex mutex;
        std::condition_variable answered;
        std::optional<Reply> reply;
    };
    auto pending = std::make_shared<Pending>();
    QMetaObject::invokeMethod(
        &application(),
        [backend = backend_, job, timeoutMs = timeoutMs_, pending] {
            runOnMainThread(backend, job, timeoutMs, [pending](const Reply& reply) {
                {
                    std::lock_guard<std::mutex> lock(pending->mutex);
                    pending->reply = reply;
                }
                pending->answered.notify_all();
            });
        },
        Qt::QueuedConnection);
    std::unique_lock<std::mutex> lock(pending->mutex);
    if (!pending->answered.wait_for(lock, std::chrono::milliseconds(timeoutMs_),
                                    [&] { return pending->reply.has_value(); }))
        return timeoutReply(job.action, timeoutMs_);
    return *pending->reply;
}

void KeyStore::store(const QString& account, const QString& key) {
    if (account.isEmpty()) throw Error("A key needs a keychain entry name.");
    const Reply reply = await(job(Action::Store, account, key));
    if (!reply.ok()) reply.raise();
}

std::optional<QString> KeyStore::read(const QString& account) {
    if (account.isEmpty()) return std::nullopt;
    if (const auto key = sessionKey(account)) return key;
    const Reply reply = await(job(Action::Read, account));
    if (reply.status == Reply::Status::NoEntry) return std::nullopt;
    if (!reply.ok()) reply.raise();
    return reply.key;
}

void KeyStore::remove(const QString& account) {
    if (account.isEmpty()) return;
    requireWorkerThread(Action::Remove);
    forgetSessionKey(account);
    const Reply reply = await(job(Action::Remove, account));
    if (!reply.ok()) reply.raise();
}

void KeyStore::keepForSession(const QString& account, const QString& key) {
    if (account.isEmpty()) throw Error("A key needs a keychain entry name.");
    SessionKeys& session = sessionKeys();
    std::lock_guard<std::mutex> lock(session.mutex);
    session.keys[{service_, account}] = key;
}

bool KeyStore::hasSessionKey(const QString& account) const {
    return sessionKey(account).has_value();
}

std::optional<QString> KeyStore::sessionKey(const QString& account) const {
    SessionKeys& session = sessionKeys();
    std::lock_guard<std::mutex> lock(session.mutex);
    const auto it = session.keys.find({service_, account});
    if (it == session.keys.end()) return std::nullopt;
    return it->second;
}

void KeyStore::forgetSessionKey(const QString& account) const {
    SessionKeys& session = sessionKeys();
    std::lock_guard<std::mutex> lock(session.mutex);
    session.keys.erase({service_, account});
}

}  // namespace medvae::remote
