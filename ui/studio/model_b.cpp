#include "model_b.h"

#include "endpoint_settings.h"
#include "error.h"
#include "key_store.h"
#include "local_backend.h"
#include "remote_backend.h"

namespace medvae::ui {

ModelB::ModelB(QString label, std::function<std::shared_ptr<jobs::InferenceBackend>()> open,
               bool remote)
    : label_(std::move(label)), open_(std::move(open)), remote_(remote) {}

std::shared_ptr<ModelB> ModelB::local(const QString& checkpointPath, const EngineOptions& options) {
    return std::make_shared<ModelB>(checkpointPath, [path = checkpointPath.toStdString(), options] {
        return std::shared_ptr<jobs::InferenceBackend>(jobs::LocalBackend::open(path, options));
    });
}

std::shared_ptr<ModelB> ModelB::remote(const QString& profileName) {
    // Runs on the worker thread: the keychain read may wait on the Secret Service.
    const auto open = [] {
        remote::EndpointSettings settings;
        remote::KeyStore keys;
        return std::shared_ptr<jobs::InferenceBackend>(
            remote::RemoteBackend::fromActiveProfile(settings, keys));
    };
    return std::make_shared<ModelB>(profileName, open, true);
}

std::shared_ptr<jobs::InferenceBackend> ModelB::backend() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (backend_) return backend_;
    if (!error_.empty()) throw Error(error_);  // not opened again for every image
    try {
        backend_ = open_();
    } catch (const Error& e) {
        error_ = e.what();
        throw;
    }
    return backend_;
}

}  // namespace medvae::ui
