#pragma once

#include <QStatusBar>

#include "progress_clock.h"

class QAction;
class QLabel;
class QProgressBar;
class QTimer;

namespace medvae::ui {

// The main window's status bar: what the current job (or the last one) is doing, its progress,
// the time it has taken and an estimate of the time left, a button for `cancel`, and the timings of
// the result shown. Long texts (an endpoint's error, a path) are elided with the whole text in the
// tooltip: they never widen the window.
class JobStatusBar : public QStatusBar {
    Q_OBJECT
  public:
    JobStatusBar(QAction* cancel, QWidget* parent = nullptr);

    // The whole texts, as set (the labels may show them elided).
    QString status() const { return statusText_; }
    QString timing() const { return timingText_; }
    // "1:05 elapsed · about 3:10 left" while a job runs ("estimating…" before its rate is known).
    QString clockText() const;
    // Tests drive the clock (milliseconds, monotonic); by default the steady clock.
    void setClock(ProgressClock::Clock clock);
    // "m:ss", or "h:mm:ss" from an hour on.
    static QString durationText(qint64 ms);

  public Q_SLOTS:
    void setStatus(const QString& text);
    void setTiming(const QString& text);
    // `total` 0: running, amount unknown (a busy indicator). (true, 0, 0) announces a new job.
    void setProgress(bool running, int done, int total);

  protected:
    // The labels' resizes (the window's, or the progress bar shown or hidden) re-elide them.
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void showElided();
    void showClock();

    QLabel* status_;
    QProgressBar* progress_;
    QLabel* timing_;
    QLabel* clockLabel_;
    QTimer* tick_;  // refreshes the elapsed time and the countdown while a job runs
    ProgressClock clock_;
    QString statusText_, timingText_;
};

}  // namespace medvae::ui
