#include "job_status_bar.h"

#include <QEvent>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace medvae::ui {
namespace {

// A label whose text never sets the window's minimum width: it takes what the bar leaves.
QLabel* elidingLabel(const QString& name, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    label->setMinimumWidth(0);
    return label;
}

void showIn(QLabel* label, const QString& text, int width) {
    const QString shown = label->fontMetrics().elidedText(text, Qt::ElideMiddle, width);
    label->setText(shown);
    label->setToolTip(shown == text ? QString() : text);
}

}  // namespace

JobStatusBar::JobStatusBar(QAction* cancel, QWidget* parent)
    : QStatusBar(parent),
      status_(elidingLabel(QStringLiteral("jobLabel"), this)),
      progress_(new QProgressBar(this)),
      timing_(elidingLabel(QStringLiteral("timingLabel"), this)),
      clockLabel_(new QLabel(this)),
      tick_(new QTimer(this)) {
    progress_->setMaximumWidth(180);
    progress_->setVisible(false);
    clockLabel_->setObjectName(QStringLiteral("clockLabel"));
    clockLabel_->setVisible(false);
    tick_->setInterval(1000);
    connect(tick_, &QTimer::timeout, this, &JobStatusBar::showClock);
    addWidget(status_, 3);
    addWidget(clockLabel_);
    auto* cancelButton = new QToolButton(this);
    cancelButton->setDefaultAction(cancel);
    cancelButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    addPermanentWidget(progress_);
    addPermanentWidget(cancelButton);
    addPermanentWidget(timing_, 2);
    status_->installEventFilter(this);
    timing_->installEventFilter(this);
}

void JobStatusBar::setStatus(const QString& text) {
    statusText_ = text;
    showElided();
}

void JobStatusBar::setTiming(const QString& text) {
    timingText_ = text;
    showElided();
}

void JobStatusBar::setProgress(bool running, int done, int total) {
    progress_->setVisible(running);
    progress_->setRange(0, std::max(0, total));
    progress_->setValue(total > 0 ? done : 0);
    if (!running) {
        clock_.stop();
        tick_->stop();
    } else if (!clock_.running() || (done == 0 && total == 0)) {
        clock_.start();
        tick_->start();
    }
    if (running && total > 0) clock_.step(done, total);
    showClock();
}

void JobStatusBar::setClock(ProgressClock::Clock clock) {
    clock_ = ProgressClock(std::move(clock));
    showClock();
}

QString JobStatusBar::durationText(qint64 ms) {
    const qint64 s = (std::max<qint64>(0, ms) + 500) / 1000;
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString JobStatusBar::clockText() const {
    if (!clock_.running()) return QString();
    const qint64 left = clock_.remainingMs();
    return tr("%1 elapsed").arg(durationText(clock_.elapsedMs())) + QStringLiteral(" · ") +
           (left < 0 ? tr("estimating…") : tr("about %1 left").arg(durationText(left)));
}

void JobStatusBar::showClock() {
    clockLabel_->setText(clockText());
    clockLabel_->setVisible(clock_.running());
}

bool JobStatusBar::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Resize && (watched == status_ || watched == timing_)) showElided();
    return QStatusBar::eventFilter(watched, event);
}

void JobStatusBar::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) showClock();
    QStatusBar::changeEvent(event);
}

void JobStatusBar::showElided() {
    // The labels' widths are those the layout gave them; the margin keeps the last glyph clear.
    const int margin = 2 * status_->margin() + 4;
    showIn(status_, statusText_, std::max(0, status_->width() - margin));
    showIn(timing_, timingText_, std::max(0, timing_->width() - margin));
}

}  // namespace medvae::ui
