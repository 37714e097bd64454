#pragma once

#include <QString>

#include <functional>

namespace medvae::remote {

// Where KeyStore keeps keys: the operating system's keychain (QtKeychainBackend), or a fake in
// tests. A backend only runs jobs; sessions keys, timeouts, threads and messages are KeyStore's.
//
// Threading: start() is called on the application's main thread and must not block; `done` is
// called on that thread too, later, at most once (it may never be: KeyStore gives up after its
// timeout and ignores a late answer).
class KeychainBackend {
  public:
    enum class Action { Read, Store, Remove };
    struct Job {
        Action action = Action::Read;
        QString service;  // the application's entry group ("MedVAE Studio")
        QString account;  // the entry ("endpoint-<id>")
        QString key;      // Store: the secret
    };
    struct Outcome {
        enum class Status { Ok, NoEntry, AccessDenied, Failed } status = Status::Ok;
        QString key;     // Read, Ok: the secret
        QString detail;  // the backend's own words when it failed
    };
    using Done = std::function<void(const Outcome&)>;

    virtual ~KeychainBackend() = default;
    virtual void start(const Job& job, Done done) = 0;
};

}  // namespace medvae::remote
