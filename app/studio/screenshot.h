#pragma once

#include <QObject>
#include <QString>

namespace medvae::ui {

class MainWindow;

// `medvae-studio --screenshot FILE`: saves the window to FILE once the first result (or error) is
// shown, then quits the app (status 0 when saved, 1 when not or when no model loads, 2 when
// nothing was shown within the time limit). For the README's picture and visual checks.
class Screenshot : public QObject {
    Q_OBJECT
  public:
    static constexpr int kTimeoutMs = 300000;

    // Owned by `window`.
    Screenshot(MainWindow* window, const QString& path);

  private:
    void take();

    MainWindow* window_;
    QString path_;
    bool done_ = false;
};

}  // namespace medvae::ui
