#pragma once

#include <QStatusBar>

class QAction;
class QLabel;
class QProgressBar;

namespace medvae::ui {

// The main window's status bar: what the current job (or the last one) is doing, its progress,
// a button for `cancel`, and the timings of the result shown.
class JobStatusBar : public QStatusBar {
    Q_OBJECT
  public:
    JobStatusBar(QAction* cancel, QWidget* parent = nullptr);

    QString status() const;

  public Q_SLOTS:
    void setStatus(const QString& text);
    void setTiming(const QString& text);
    // `total` 0: running, amount unknown (a busy indicator).
    void setProgress(bool running, int done, int total);

  private:
    QLabel* status_;
    QProgressBar* progress_;
    QLabel* timing_;
};

}  // namespace medvae::ui
