#include "screenshot.h"

#include <QCoreApplication>
#include <QTimer>

#include "main_window.h"

namespace medvae::ui {

Screenshot::Screenshot(MainWindow* window, const QString& path)
    : QObject(window), window_(window), path_(path) {
    connect(window_, &MainWindow::resultShown, this, &Screenshot::take);
    connect(window_, &MainWindow::modelLoaded, this, [this](bool ok, const QString& message) {
        if (ok || done_) return;
        // Nothing will be computed: the run ends now instead of at its timeout.
        done_ = true;
        qWarning("Model not loaded: %s", qPrintable(message));
        QCoreApplication::exit(1);
    });
    QTimer::singleShot(kTimeoutMs, this, [this] {
        if (done_) return;
        done_ = true;
        qWarning("No result within %d s; no screenshot taken.", kTimeoutMs / 1000);
        QCoreApplication::exit(2);
    });
}

void Screenshot::take() {
    if (done_) return;
    done_ = true;
    // Let the views lay out and paint the new result first.
    QTimer::singleShot(500, this, [this] {
        const bool saved = window_->grab().save(path_);
        if (!saved) qWarning("Cannot write the screenshot %s", qPrintable(path_));
        QCoreApplication::exit(saved ? 0 : 1);
    });
}

}  // namespace medvae::ui
