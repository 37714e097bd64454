#pragma once

#include <QString>

#include <optional>

namespace medvae::remote {

// Endpoint keys in the operating system's keychain (Secret Service on Linux, Keychain on macOS,
// Credential Store on Windows) through QtKeychain. There is no plain-text fallback: when no
// keychain answers, every call fails with a clear error.
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
    std::optional<QString> read(const QString& account);     // nullopt: no such entry
    void remove(const QString& account);                     // no error when absent

  private:
    QString service_;
    int timeoutMs_;
};

}  // namespace medvae::remote
