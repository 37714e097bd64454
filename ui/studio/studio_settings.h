#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include "engine.h"

namespace medvae::ui {

// The app's settings as stored with QSettings (~/.config/MedVAE Studio/medvae-studio.conf), read
// at start and written at close: the one place that names their keys.
struct StudioSettings {
    QByteArray windowGeometry, windowState;
    EngineOptions engine;  // device ("cpu", "cuda:N"), precision, threads, tile size (0: off)
    bool sample = false;   // z sampled from the posterior with `seed` (else its mean)
    quint64 seed = 0;
    bool padToFactor = false;
    QStringList recentSources;
    QString language;          // "" follows the system
    QString modelPath;         // the checkpoint last loaded; empty: the bundled demo model
    bool windowLinked = true;  // one window/level for the original and the reconstruction

    static StudioSettings read();
    // Everything but the language and the model, which are remembered when they change.
    void write() const;
    static void rememberLanguage(const QString& code);
    static void rememberModel(const QString& checkpointPath);
};

}  // namespace medvae::ui
