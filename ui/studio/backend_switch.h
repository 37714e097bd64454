#pragma once

#include <QObject>
#include <QString>

#include <optional>

#include "endpoint_profile.h"
#include "inference_job.h"

class QWidget;

namespace medvae::jobs {
class InferenceWorker;
}

namespace medvae::ui {

class BatchPanel;
class ModelPanel;

// Which backend the app runs on, and opening backends through the worker: a checkpoint with the
// local engine (at start the remembered one, else the bundled demo model), or the active
// endpoint profile (images leave the machine only after the user agreed for that profile; when
// no keychain answers, the key can be given for this session). It keeps the model panel and the
// batch panel on the active backend and says what happens in the status bar.
class BackendSwitch : public QObject {
    Q_OBJECT
  public:
    // `dialogParent`: the window the confirmation and key dialogs belong to.
    BackendSwitch(jobs::InferenceWorker* worker, ModelPanel* models, BatchPanel* batch,
                  QWidget* dialogParent);

    // Opens `checkpointPath` with the model panel's engine settings; on success it becomes the
    // active backend and is remembered for the next start. The newest of several loads wins.
    void loadModel(const QString& checkpointPath);
    void loadDefaultModel();
    void useLocal();
    void useRemote();

    // The active backend's description; nullptr when none is open.
    const jobs::BackendDescription* active() const;
    bool remoteActive() const { return remoteActive_; }
    QString checkpointPath() const { return checkpointPath_; }

  Q_SIGNALS:
    // A model load ended (not sent for loads superseded by a newer one).
    void modelLoaded(bool ok, const QString& message);
    void backendChanged();  // see active()
    void remoteChanged(bool remote);
    void statusChanged(const QString& text);

  private:
    void onBackendOpened(const jobs::BackendOutcome& outcome);
    void onModelOpened(const jobs::BackendOutcome& outcome);
    void onEndpointOpened(const jobs::BackendOutcome& outcome);
    void activate(bool remote);

    jobs::InferenceWorker* worker_;
    ModelPanel* models_;
    BatchPanel* batch_;
    QWidget* dialogParent_;
    QString checkpointPath_;
    std::optional<jobs::BackendDescription> local_, remote_;
    qint64 localParameters_ = 0;
    bool remoteActive_ = false;
    std::optional<remote::EndpointProfile> connecting_;
};

}  // namespace medvae::ui
