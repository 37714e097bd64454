#pragma once

#include <QString>

#include <optional>

#include "error.h"

namespace medvae::remote {

// No keychain could be reached (no Secret Service or D-Bus session, or no answer in time). The
// message says so in words and names the way forward: the key for this session only
// (KeyStore::keepForSession).
class KeychainUnavailable : public Error {
  public:
    using Error::Error;
};

// Endpoint keys in the operating system's keychain (Secret Service on Linux, Keychain on macOS,
// Credential Store on Windows) through QtKeychain. There is no plain-text fallback: when no
// keychain answers, calls fail with KeychainUnavailable, and a key can instead be kept for this
// session only, in memory (keepForSession).
//
// QtKeychain's jobs are asynchronous and must all run on one thread: every job here is run on
// the application's main thread (QCoreApplication must exist). Callers on the main thread wait
// in a local event loop; callers on other threads block until the main thread has run the job.
// Either way the wait is bounded by `timeoutMs`, so a worker waiting for a main thread that is
// itself blocked gets a timeout error, not a hang. Keys never appear in messages.
class KeyStore {
  public:
    explicit KeyStore(QString service = QStringLiteral("MedVAE Studio"), int timeoutMs = 15000);

    void store(const QString& account, const QString& key);  // replaces; throws medvae::Error
    // A key kept for this session is returned without asking the keychain. nullopt: no entry.
    std::optional<QString> read(const QString& account);
    void remove(const QString& account);  // also forgets a session key; no error when absent

    // Keeps `key` for `account` in this process's memory only, never written anywhere, for every
    // KeyStore of this service, until the process ends or remove(): for desktops without a
    // keychain. An empty key stands for "no key" (read() returns it, so nothing is asked).
    void keepForSession(const QString& account, const QString& key);
    bool hasSessionKey(const QString& account) const;

  private:
    QString service_;
    int timeoutMs_;
};

}  // namespace medvae::remote
