#pragma once

#include <QObject>

class QAction;
class QActionGroup;
class QMenu;

namespace medvae::ui {

class LanguageSwitcher;

// View ▸ Language: the system's language or one of the translations; a choice applies at once
// (LanguageSwitcher) and is remembered for the next start.
class LanguageMenu : public QObject {
    Q_OBJECT
  public:
    // `languages` may be null: the menu is then disabled.
    LanguageMenu(QMenu* menu, LanguageSwitcher* languages, QObject* parent = nullptr);

    // Checks the entry of `code` ("" for the system's language).
    void setCurrent(const QString& code);
    void retranslate();

  private:
    QMenu* menu_;
    LanguageSwitcher* languages_;
    QActionGroup* group_;
    QAction* system_;
};

}  // namespace medvae::ui
