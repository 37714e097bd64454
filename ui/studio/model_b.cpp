#include "model_b.h"

#include <QDateTime>
#include <QFileInfo>
#include <QStringList>

#include "error.h"
#include "key_store.h"
#include "local_backend.h"
#include "remote_backend.h"

namespace medvae::ui {

ModelB::ModelB(QString label, QString identity,
               std::function<std::shared_ptr<jobs::InferenceBackend>()> open, bool remote)
    : label_(std::move(label)),
      identity_(std::move(identity)),
      open_(std::move(open)),
      remote_(remote) {}

std::shared_ptr<ModelB> ModelB::local(const QString& checkpointPath, const EngineOptions& options) {
    // A checkpoint replaced at the same path is another model B (stat only: hashing a large
    // checkpoint here would hold the GUI thread).
    const QFileInfo file(checkpointPath);
    const QString identity = QStringList({QStringLiteral("checkpoint"), file.absoluteFilePath(),
                                          QString::number(file.size()),
                                          QString::number(file.lastModified().toMSecsSinceEpoch())})
                                 .join(QLatin1Char('\x1f'));
    return std::make_shared<ModelB>(
        checkpointPath, identity, [path = checkpointPath.toStdString(), options] {
            return std::shared_ptr<jobs::InferenceBackend>(jobs::LocalBackend::open(path, options));
        });
}

std::shared_ptr<ModelB> ModelB::remote(const remote::EndpointProfile& profile) {
    // Runs on the worker thread: the keychain read may wait on the Secret Service.
    const auto open = [profile] {
        remote::KeyStore keys;
        return std::shared_ptr<jobs::InferenceBackend>(
            remote::RemoteBackend::fromProfile(profile, keys));
    };
    const QString identity = QStringList({QStringLiteral("endpoint"), profile.id,
                                          profile.scoringUri, profile.deployment})
                                 .join(QLatin1Char('\x1f'));
    return std::make_shared<ModelB>(profile.name, identity, open, true);
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
