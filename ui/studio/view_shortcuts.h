#pragma once

#include <QList>
#include <QObject>

#include <functional>

class QShortcut;
class QTabWidget;
class QWidget;

namespace medvae::ui {

class ImageView;

// The image views' keys (F fit, 1 one-to-one, R reset, I overlay; Page Up/Down, Home and End
// page through a stack) for the whole window while the Inspect tab is shown, not only after a
// click into a view. They act on the view that has the focus, else on `views()` (the
// comparison's views). Disabled on other tabs and while a text field has the focus, so typing
// there is not taken.
class ViewShortcuts : public QObject {
    Q_OBJECT
  public:
    ViewShortcuts(QWidget* window, QTabWidget* tabs, QWidget* inspectPage,
                  std::function<QList<ImageView*>()> views);

    bool enabled() const;

  private:
    void add(int key, std::function<void(ImageView*)> action);
    QList<ImageView*> targets() const;
    void updateEnabled();

    QWidget* window_;
    QTabWidget* tabs_;
    QWidget* inspectPage_;
    std::function<QList<ImageView*>()> views_;
    QList<QShortcut*> shortcuts_;
};

}  // namespace medvae::ui
