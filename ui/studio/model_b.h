#pragma once

#include <QString>

#include <functional>
#include <memory>
#include <mutex>

#include "endpoint_profile.h"
#include "engine.h"
#include "inference_backend.h"

namespace medvae::ui {

// The second model of an A/B comparison in the Inspect tab (model B). It is opened on the worker
// thread by the first image job that needs it, never on the GUI thread, and kept for the next
// ones; only the worker thread runs it (as the loaded model A), one call at a time.
class ModelB {
  public:
    // `open` runs on the worker thread and throws medvae::Error when the model cannot be opened.
    // `identity` names what answers (for the result cache): two ModelB with the same identity
    // give the same results.
    ModelB(QString label, QString identity,
           std::function<std::shared_ptr<jobs::InferenceBackend>()> open, bool remote = false);
    // A checkpoint opened with the local engine.
    static std::shared_ptr<ModelB> local(const QString& checkpointPath,
                                         const EngineOptions& options);
    // An endpoint profile as it is now (later edits of the profile make another ModelB), opened
    // as the app's remote mode opens it (its key from the keychain or the session when B is
    // first used). Sending images must have been confirmed for the profile (PrivacyConfirmation).
    static std::shared_ptr<ModelB> remote(const remote::EndpointProfile& profile);

    // The checkpoint's path (or the endpoint's name): what the user chose, for the panel and the
    // result cache.
    QString label() const { return label_; }
    // What answers, for the result cache: the checkpoint's path, size and modification time, or
    // the endpoint's profile id, scoring URI and deployment.
    QString identity() const { return identity_; }
    // An endpoint rather than a checkpoint: it does not follow model A's engine settings.
    bool isRemote() const { return remote_; }
    // The backend, opened at the first call; throws medvae::Error (the same one again on later
    // calls) when it cannot be opened.
    std::shared_ptr<jobs::InferenceBackend> backend() const;

  private:
    QString label_, identity_;
    std::function<std::shared_ptr<jobs::InferenceBackend>()> open_;
    bool remote_;
    mutable std::mutex mutex_;
    mutable std::shared_ptr<jobs::InferenceBackend> backend_;
    mutable std::string error_;
};

}  // namespace medvae::ui
