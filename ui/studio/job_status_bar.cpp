#include "job_status_bar.h"

#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

#include <algorithm>

namespace medvae::ui {

JobStatusBar::JobStatusBar(QAction* cancel, QWidget* parent)
    : QStatusBar(parent),
      status_(new QLabel(this)),
      progress_(new QProgressBar(this)),
      timing_(new QLabel(this)) {
    status_->setObjectName(QStringLiteral("jobLabel"));
    progress_->setMaximumWidth(180);
    progress_->setVisible(false);
    timing_->setObjectName(QStringLiteral("timingLabel"));
    addWidget(status_, 1);
    auto* cancelButton = new QToolButton(this);
    cancelButton->setDefaultAction(cancel);
    cancelButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    addPermanentWidget(progress_);
    addPermanentWidget(cancelButton);
    addPermanentWidget(timing_);
}

QString JobStatusBar::status() const {
    return status_->text();
}

void JobStatusBar::setStatus(const QString& text) {
    status_->setText(text);
}

void JobStatusBar::setTiming(const QString& text) {
    timing_->setText(text);
}

void JobStatusBar::setProgress(bool running, int done, int total) {
    progress_->setVisible(running);
    progress_->setRange(0, std::max(0, total));
    progress_->setValue(total > 0 ? done : 0);
}

}  // namespace medvae::ui
