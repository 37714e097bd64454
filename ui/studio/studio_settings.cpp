#include "studio_settings.h"

#include <QSettings>

#include <algorithm>

#include "error.h"

namespace medvae::ui {

StudioSettings StudioSettings::read() {
    QSettings s;
    StudioSettings out;
    out.windowGeometry = s.value(QStringLiteral("window/geometry")).toByteArray();
    out.windowState = s.value(QStringLiteral("window/state")).toByteArray();
    // A value this version does not know (edited by hand, or from a newer one) leaves the default.
    try {
        parseDevice(s.value(QStringLiteral("engine/device"), QStringLiteral("cpu"))
                        .toString()
                        .toStdString(),
                    out.engine);
    } catch (const Error&) {
        out.engine.device = DeviceKind::Cpu;
        out.engine.deviceIndex = 0;
    }
    try {
        out.engine.precision =
            parsePrecision(s.value(QStringLiteral("engine/precision"), QStringLiteral("fp32"))
                               .toString()
                               .toStdString());
    } catch (const Error&) {
        out.engine.precision = Precision::Float32;
    }
    out.engine.threads = s.value(QStringLiteral("engine/threads"), 0).toInt();
    out.engine.tileSize = std::max(0, s.value(QStringLiteral("engine/tileSize"), 0).toInt());
    out.sample = s.value(QStringLiteral("encode/sample"), false).toBool();
    out.seed = s.value(QStringLiteral("encode/seed"), 0).toULongLong();
    out.padToFactor = s.value(QStringLiteral("view/padToFactor"), false).toBool();
    out.recentSources = s.value(QStringLiteral("recentFiles")).toStringList();
    out.language = s.value(QStringLiteral("ui/language")).toString();
    out.modelPath = s.value(QStringLiteral("model/path")).toString();
    out.windowLinked = s.value(QStringLiteral("view/windowLinked"), true).toBool();
    return out;
}

void StudioSettings::write() const {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), windowGeometry);
    s.setValue(QStringLiteral("window/state"), windowState);
    s.setValue(QStringLiteral("engine/device"),
               QString::fromStdString(deviceLabel(engine.device, engine.deviceIndex)));
    s.setValue(QStringLiteral("engine/precision"),
               QString::fromLatin1(precisionFlag(engine.precision)));
    s.setValue(QStringLiteral("engine/threads"), engine.threads);
    s.setValue(QStringLiteral("engine/tileSize"), qint64(engine.tileSize));
    s.setValue(QStringLiteral("encode/sample"), sample);
    s.setValue(QStringLiteral("encode/seed"), seed);
    s.setValue(QStringLiteral("view/padToFactor"), padToFactor);
    s.setValue(QStringLiteral("view/windowLinked"), windowLinked);
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
