#pragma once

#include <QString>

#include <memory>
#include <mutex>

#include "endpoint_settings.h"
#include "inference_backend.h"
#include "key_store.h"
#include "scoring_client.h"

namespace medvae::remote {

// Inference on a remote scoring endpoint (Azure ML or medvae-serve), behind the same interface as
// the local engine, so the app and the batch pipeline use it unchanged. run() sends the image's
// pixels as a lossless PNG (or its URL, when the profile says so and the image came from one)
// and returns latent [C,h,w] and decoded [C,H,W] in model space; z is undefined.
//
// run() may be called from any thread that runs no event loop of its own (the inference worker,
// batch workers); requests on the wire are limited by the profile's maxInFlight.
class RemoteBackend : public jobs::InferenceBackend {
  public:
    RemoteBackend(EndpointProfile profile, QString key, ScoringClient::Options options = {});
    static std::shared_ptr<RemoteBackend> create(const EndpointProfile& profile, const QString& key,
                                                 ScoringClient::Options options = {});
    // The active profile of `settings` with its key from `keys` (no key when the profile has none,
    // without asking the keychain, or when the keychain has no entry). Throws medvae::Error when
    // there is no active profile, KeychainUnavailable when the profile's key is in a keychain that
    // cannot be reached. May read the keychain, waiting for the main thread to ask it: call it
    // on a worker thread, never on the main thread (KeyStore refuses to wait there).
    static std::shared_ptr<RemoteBackend> fromActiveProfile(EndpointSettings& settings,
                                                            KeyStore& keys);
    // The same for a given profile (as it was when read), whether active or not.
    static std::shared_ptr<RemoteBackend> fromProfile(const EndpointProfile& profile,
                                                      KeyStore& keys);

    jobs::BackendDescription describe() const override;
    // Factor and channels are unknown until the first answer, then read off it.
    // Throws medvae::Error when the user has not confirmed that this profile may receive images
    // (EndpointProfile::consentGiven), and on every failure ScoringClient reports.
    EncodeResult run(const Image& image, const EncodeOptions& options,
                     const RunControl* control = nullptr) override;

    EndpointStatus status() const { return client_.status(); }
    ScoringClient& client() { return client_; }

  private:
    ScoringClient client_;
    mutable std::mutex mutex_;
    jobs::BackendDescription description_;
};

}  // namespace medvae::remote
