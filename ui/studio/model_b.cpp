#include "model_b.h"

#include "error.h"
#include "local_backend.h"

namespace medvae::ui {

ModelB::ModelB(QString label, std::function<std::shared_ptr<jobs::InferenceBackend>()> open)
    : label_(std::move(label)), open_(std::move(open)) {}

std::shared_ptr<ModelB> ModelB::local(const QString& checkpointPath, const EngineOptions& options) {
    return std::make_shared<ModelB>(checkpointPath, [path = checkpointPath.toStdString(), options] {
        return std::shared_ptr<jobs::InferenceBackend>(jobs::LocalBackend::open(path, options));
    });
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
