#pragma once

#include <QString>

#include <optional>

namespace medvae::remote {

// Endpoint keys in the operating system's keychain (Secret Service on Linux, Keychain on macOS,
// Credential Store on Windows) through QtKeychain. There is no plain-text fallback: when no
// keychain answers, every call fails with a clear error.
//
// QtKeychain's jobs are asynchronous; each call here runs one job and waits for it in a local
// event loop, at most `timeoutMs`. Call from a thread whose own event loop is not needed
// meanwhile (a worker thread, or a dialog's button handler). Keys never appear in messages.
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
