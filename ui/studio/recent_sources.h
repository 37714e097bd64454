#pragma once

#include <QObject>
#include <QStringList>

class QAction;
class QMenu;

namespace medvae::ui {

// The Open Recent menu: the last sources opened, newest first, at most kMax (inline images are
// not remembered: they can be huge). Choosing one asks to open it again.
class RecentSources : public QObject {
    Q_OBJECT
  public:
    static constexpr int kMax = 10;

    RecentSources(QMenu* menu, QObject* parent = nullptr);

    void setSources(const QStringList& sources);
    QStringList sources() const { return sources_; }
    void add(const QString& source);
    void clear();
    // Re-labels the menu (after a language change).
    void retranslate();

  Q_SIGNALS:
    void openRequested(const QString& source);

  private:
    void rebuild();

    QMenu* menu_;
    QAction* clear_;
    QStringList sources_;
};

}  // namespace medvae::ui
