#include "backend_switch.h"

#include <QFileInfo>

#include "batch_panel.h"
#include "endpoint_settings.h"
#include "error_wording.h"
#include "inference_worker.h"
#include "key_store.h"
#include "model_panel.h"
#include "privacy_confirmation.h"
#include "remote_backend.h"
#include "resource_paths.h"
#include "session_key_prompt.h"
#include "studio_settings.h"

namespace medvae::ui {

BackendSwitch::BackendSwitch(jobs::InferenceWorker* worker, ModelPanel* models, BatchPanel* batch,
                             QWidget* dialogParent)
    : QObject(dialogParent),
      worker_(worker),
      models_(models),
      batch_(batch),
      dialogParent_(dialogParent) {
    connect(worker_, &jobs::InferenceWorker::backendOpened, this, &BackendSwitch::onBackendOpened);
}

const jobs::BackendDescription* BackendSwitch::active() const {
    const auto& d = remoteActive_ ? remote_ : local_;
    return d ? &*d : nullptr;
}

void BackendSwitch::loadDefaultModel() {
    const QString remembered = StudioSettings::read().modelPath;
    if (!remembered.isEmpty() && QFileInfo::exists(remembered)) {
        loadModel(remembered);
        return;
    }
    const QString demo = QString::fromStdString(ResourcePaths::demoModel());
    if (demo.isEmpty()) {
        models_->setLoadError(tr("The bundled demo model was not found; load a checkpoint."));
        return;
    }
    loadModel(demo);
}

void BackendSwitch::loadModel(const QString& checkpointPath) {
    models_->setLoading(checkpointPath);
    Q_EMIT statusChanged(tr("Loading model %1…").arg(QFileInfo(checkpointPath).fileName()));
    worker_->open(jobs::BackendRequest::localModel(checkpointPath, models_->engineOptions()));
}

void BackendSwitch::useLocal() {
    if (!worker_->useLocalBackend()) {
        Q_EMIT remoteChanged(false);
        Q_EMIT statusChanged(tr("No local model is loaded; load a checkpoint."));
        return;
    }
    connecting_.reset();
    if (remoteActive_) activate(false);
}

void BackendSwitch::useRemote() {
    remote::EndpointSettings settings;
    std::optional<remote::EndpointProfile> profile = settings.active();
    if (!profile) {
        Q_EMIT remoteChanged(remoteActive_);
        Q_EMIT statusChanged(
            tr("No active endpoint profile: choose one in Run ▸ Endpoint Profiles."));
        return;
    }
    // Images leave the machine only after the user agreed for this profile.
    if (!PrivacyConfirmation::confirm(dialogParent_, settings, *profile)) {
        Q_EMIT remoteChanged(remoteActive_);
        Q_EMIT statusChanged(tr("Staying with the local engine."));
        return;
    }
    Q_EMIT statusChanged(tr("Connecting to %1…").arg(profile->name));
    connecting_ = profile;
    jobs::BackendRequest request;
    request.kind = jobs::JobKind::ConnectEndpoint;
    request.label = profile->name;
    // On the worker thread: the keychain read may wait on the Secret Service.
    request.open = [](qint64& parameters) -> std::shared_ptr<jobs::InferenceBackend> {
        parameters = 0;
        remote::EndpointSettings settings;
        remote::KeyStore keys;
        try {
            return remote::RemoteBackend::fromActiveProfile(settings, keys);
        } catch (const remote::KeychainUnavailable& e) {
            throw jobs::CredentialsMissing(e.what());
        }
    };
    worker_->open(std::move(request));
}

void BackendSwitch::onBackendOpened(const jobs::BackendOutcome& outcome) {
    if (outcome.superseded) return;  // a newer request of its kind follows
    if (outcome.kind == jobs::JobKind::ConnectEndpoint)
        onEndpointOpened(outcome);
    else
        onModelOpened(outcome);
}

void BackendSwitch::onModelOpened(const jobs::BackendOutcome& outcome) {
    if (!outcome.ok) {
        models_->setLoadError(ErrorWording::wording(outcome.error));
        Q_EMIT statusChanged(tr("Model not loaded: %1").arg(ErrorWording::wording(outcome.error)));
        Q_EMIT modelLoaded(false, outcome.error);
        return;
    }
    checkpointPath_ = outcome.label;
    local_ = outcome.backend;
    localParameters_ = outcome.parameters;
    StudioSettings::rememberModel(outcome.label);
    Q_EMIT statusChanged(tr("Model loaded: %1").arg(QFileInfo(outcome.label).fileName()));
    activate(false);
    Q_EMIT modelLoaded(true, QString());
}

void BackendSwitch::onEndpointOpened(const jobs::BackendOutcome& outcome) {
    const std::optional<remote::EndpointProfile> profile = std::exchange(connecting_, {});
    if (!outcome.ok) {
        Q_EMIT remoteChanged(remoteActive_);
        // No keychain on this desktop: the key for this session, then again.
        remote::KeyStore keys;
        if (outcome.credentialsMissing && profile &&
            SessionKeyPrompt::ask(dialogParent_, keys, *profile, outcome.error)) {
            useRemote();
            return;
        }
        Q_EMIT statusChanged(
            tr("Remote endpoint not available: %1").arg(ErrorWording::wording(outcome.error)));
        return;
    }
    remote_ = outcome.backend;
    activate(true);
    Q_EMIT statusChanged(
        tr("Using the remote endpoint %1.").arg(QString::fromStdString(outcome.backend.location)));
}

void BackendSwitch::activate(bool remote) {
    remoteActive_ = remote;
    const jobs::BackendDescription* d = active();
    models_->setModel(d ? *d : jobs::BackendDescription(), remote ? 0 : localParameters_);
    batch_->setBackend(worker_->backend(jobs::EngineGate::Priority::Batch));
    Q_EMIT remoteChanged(remote);
    Q_EMIT backendChanged();
}

}  // namespace medvae::ui
