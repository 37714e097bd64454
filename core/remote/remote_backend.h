#pragma once

#include <QString>

#include <memory>

#include "inference_backend.h"
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

    jobs::BackendDescription describe() const override;
    // Throws medvae::Error when the user has not confirmed that this profile may receive images
    // (EndpointProfile::consentGiven), and on every failure ScoringClient reports.
    EncodeResult run(const Image& image, const EncodeOptions& options,
                     const RunControl* control = nullptr) override;

    EndpointStatus status() const { return client_.status(); }
    ScoringClient& client() { return client_; }

  private:
    ScoringClient client_;
    jobs::BackendDescription description_;
};

}  // namespace medvae::remote
