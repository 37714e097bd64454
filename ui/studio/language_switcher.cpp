#include "language_switcher.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace medvae::ui {

LanguageSwitcher::LanguageSwitcher(QObject* parent)
    : QObject(parent), app_(new QTranslator(this)), qt_(new QTranslator(this)) {}

QStringList LanguageSwitcher::languages() {
    return {QStringLiteral("de"), QStringLiteral("fr"), QStringLiteral("es"),
            QStringLiteral("zh_CN")};
}

QString LanguageSwitcher::nativeName(const QString& code) {
    if (code == QLatin1String("en")) return QStringLiteral("English");
    if (code == QLatin1String("zh_CN")) return QStringLiteral("简体中文");
    const QLocale locale(code);
    QString name = locale.nativeLanguageName();
    if (!name.isEmpty()) name[0] = name[0].toUpper();
    return name;
}

QString LanguageSwitcher::systemLanguage() {
    for (const QString& ui : QLocale::system().uiLanguages()) {
        const QLocale locale(ui);
        if (locale.language() == QLocale::Chinese) {
            if (locale.script() == QLocale::SimplifiedChineseScript ||
                locale.territory() == QLocale::China || locale.territory() == QLocale::Singapore)
                return QStringLiteral("zh_CN");
            continue;
        }
        if (locale.language() == QLocale::English) return QString();
        const QString code = locale.name().section(QLatin1Char('_'), 0, 0);
        if (languages().contains(code)) return code;
    }
    return QString();
}

QString LanguageSwitcher::apply(const QString& code) {
    const QString wanted = code.isEmpty() ? systemLanguage() : code;
    QCoreApplication::removeTranslator(app_);
    QCoreApplication::removeTranslator(qt_);
    current_ = QStringLiteral("en");
    if (wanted.isEmpty() || wanted == QLatin1String("en") || !languages().contains(wanted)) {
        QLocale::setDefault(QLocale(QLocale::English));
        return current_;
    }
    if (app_->load(QStringLiteral(":/i18n/medvae_studio_%1.qm").arg(wanted))) {
        QCoreApplication::installTranslator(app_);
        current_ = wanted;
        QLocale::setDefault(QLocale(wanted));
    }
    if (qt_->load(QStringLiteral("qtbase_%1").arg(wanted),
                  QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt_);
    return current_;
}

}  // namespace medvae::ui
