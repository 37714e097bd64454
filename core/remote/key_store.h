#pragma once

#include <QString>

#include <functional>
#include <memory>
#include <optional>

#include "error.h"
#include "keychain_backend.h"

class QObject;

namespace medvae::remote {

// No keychain could be reached (no Secret Service or D-Bus session, or no answer in time). The
// message says so in words and names the way forward: the key for this session only
// (KeyStore::keepForSession).
class KeychainUnavailable : public Error {
  public:
    using Error::Error;
};

// Endpoint keys in the operating system's keychain (Secret Service on Linux, Keychain on macOS,
// Credential Store on Windows) through a KeychainBackend (QtKeychain unless one is given). There
// is no plain-text fallback: when no keychain answers, requests fail as Unavailable, and a key
// can instead be kept for this session only, in memory (keepForSession).
//
// Keychain jobs are asynchronous and all run on the application's main thread (QCoreApplication
// must exist). The GUI asks with readAsync/storeAsync/removeAsync and gets the answer through a
// callback from the event loop, so no event loop is ever nested on the GUI thread. Worker threads
// may use read/store/remove, which hand the job to the main thread and block on a condition
// until it answers. Every request is bounded by `timeoutMs`: a keychain that never answers (or a
// main thread too busy to ask it) gives an Unavailable answer, not a hang. Keys never appear in
// messages. Copies share the backend.
class KeyStore {
  public:
    // What a request came to.
    struct Reply {
        enum class Status {
            Ok,           // done (read: `key` holds the key)
            NoEntry,      // read: the keychain has no such entry
            Unavailable,  // no keychain answered: `message` names the session-only way forward
            Failed,       // the keychain refused (access denied): `message` says so
        };
        Status status = Status::Ok;
        QString key;
        QString message;

        bool ok() const { return status == Status::Ok || status == Status::NoEntry; }
        [[noreturn]] void raise() const;  // KeychainUnavailable or Error with `message`
    };
    using Callback = std::function<void(const Reply&)>;

    explicit KeyStore(QString service = QStringLiteral("MedVAE Studio"), int timeoutMs = 15000,
                      std::shared_ptr<KeychainBackend> backend = nullptr);

    // Asynchronous, for the main (GUI) thread only (medvae::Error elsewhere). `done` runs on the
    // main thread from its event loop, never inside the call, exactly once, unless `context`
    // (optional) is destroyed first. A key kept for this session answers a read without asking
    // the keychain; remove also forgets it.
    void readAsync(const QString& account, QObject* context, Callback done);
    void storeAsync(const QString& account, const QString& key, QObject* context,
                    Callback done);  // replaces
    void removeAsync(const QString& account, QObject* context, Callback done);

    // Blocking, for worker threads: each waits for the main thread to run the job. On the main
    // thread they throw medvae::Error whenever the keychain would have to be asked (waiting there
    // would freeze the interface or nest an event loop). Failures throw KeychainUnavailable or
    // medvae::Error.
    void store(const QString& account, const QString& key);  // replaces
    // A key kept for this session is returned without asking the keychain. nullopt: no entry.
    std::optional<QString> read(const QString& account);
    void remove(const QString& account);  // also forgets a session key; no error when absent

    // Keeps `key` for `account` in this process's memory only, never written anywhere, for every
    // KeyStore of this service, until the process ends or remove(): for desktops without a
    // keychain. An empty key stands for "no key" (read() returns it, so nothing is asked).
    void keepForSession(const QString& account, const QString& key);
    bool hasSessionKey(const QString& account) const;

  private:
    KeychainBackend::Job job(KeychainBackend::Action action, const QString& account,
                             const QString& key = QString()) const;
    void startAsync(const KeychainBackend::Job& job, QObject* context, Callback done) const;
    Reply await(const KeychainBackend::Job& job) const;
    std::optional<QString> sessionKey(const QString& account) const;
    void forgetSessionKey(const QString& account) const;

    QString service_;
    int timeoutMs_;
    std::shared_ptr<KeychainBackend> backend_;
};

}  // namespace medvae::remote
