#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QTranslator;

namespace medvae::ui {

// Installs the app's translation (embedded .qm files under :/i18n) and Qt's own for a language.
// Installing sends LanguageChange to every widget, so windows that retranslate in changeEvent
// switch at once.
class LanguageSwitcher : public QObject {
    Q_OBJECT
  public:
    explicit LanguageSwitcher(QObject* parent = nullptr);

    // Language codes with a translation: de, fr, es, zh_CN (English is the source language).
    static QStringList languages();
    // The language's own name ("Deutsch", "简体中文"), for menus.
    static QString nativeName(const QString& code);
    // The code the system locale selects (empty: English).
    static QString systemLanguage();

    // "" follows the system locale; "en" is English; otherwise one of languages(). Returns the
    // language now in effect ("en" when no translation applies).
    QString apply(const QString& code);
    QString current() const { return current_; }

  private:
    QTranslator* app_;
    QTranslator* qt_;
    QString current_ = QStringLiteral("en");
};

}  // namespace medvae::ui
