#include "studio_settings.h"

#include <QSettings>

namespace medvae::ui {

StudioSettings StudioSettings::read() {
    QSettings s;
    StudioSettings out;
    out.windowGeometry = s.value(QStringLiteral("window/geometry")).toByteArray();
    out.windowState = s.value(QStringLiteral("window/state")).toByteArray();
    out.engine.device = s.value(QStringLiteral("engine/device")).toString() == QLatin1String("cuda")
                            ? DeviceKind::Cuda
                            : DeviceKind::Cpu;
    out.engine.precision =
        s.value(QStringLiteral("engine/precision")).toString() == QLatin1String("bf16")
            ? Precision::BFloat16
            : Precision::Float32;
    out.engine.threads = s.value(QStringLiteral("engine/threads"), 0).toInt();
    out.sample = s.value(QStringLiteral("encode/sample"), false).toBool();
    out.seed = s.value(QStringLiteral("encode/seed"), 0).toULongLong();
    out.padToFactor = s.value(QStringLiteral("view/padToFactor"), false).toBool();
    out.recentSources = s.value(QStringLiteral("recentFiles")).toStringList();
    out.language = s.value(QStringLiteral("ui/language")).toString();
    out.modelPath = s.value(QStringLiteral("model/path")).toString();
    return out;
}

void StudioSettings::write() const {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), windowGeometry);
    s.setValue(QStringLiteral("window/state"), windowState);
    s.setValue(QStringLiteral("engine/device"), QString::fromLatin1(deviceName(engine.device)));
    s.setValue(QStringLiteral("engine/precision"), engine.precision == Precision::BFloat16
                                                       ? QStringLiteral("bf16")
                                                       : QStringLiteral("fp32"));
    s.setValue(QStringLiteral("engine/threads"), engine.threads);
    s.setValue(QStringLiteral("encode/sample"), sample);
    s.setValue(QStringLiteral("encode/seed"), seed);
    s.setValue(QStringLiteral("view/padToFactor"), padToFactor);
    s.setValue(QStringLiteral("recentFiles"), recentSources);
    if (!modelPath.isEmpty()) s.setValue(QStringLiteral("model/path"), modelPath);
}

void StudioSettings::rememberLanguage(const QString& code) {
    QSettings().setValue(QStringLiteral("ui/language"), code);
}

void StudioSettings::rememberModel(const QString& checkpointPath) {
    QSettings().setValue(QStringLiteral("model/path"), checkpointPath);
}

}  // namespace medvae::ui
