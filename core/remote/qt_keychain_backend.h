#pragma once

#include "keychain_backend.h"

namespace medvae::remote {

// The system keychain through QtKeychain: Secret Service on Linux, Keychain on macOS, Credential
// Store on Windows; never QtKeychain's plain-text fallback. QtKeychain keeps one job queue per
// process in the thread of its first job, which is why KeyStore starts every job on the main
// thread.
class QtKeychainBackend : public KeychainBackend {
  public:
    void start(const Job& job, Done done) override;
};

}  // namespace medvae::remote
