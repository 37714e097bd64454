#include "language_menu.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>

#include "language_switcher.h"
#include "studio_settings.h"

namespace medvae::ui {

LanguageMenu::LanguageMenu(QMenu* menu, LanguageSwitcher* languages, QObject* parent)
    : QObject(parent), menu_(menu), languages_(languages), group_(new QActionGroup(this)) {
    system_ = menu_->addAction(QString());
    system_->setData(QString());
    system_->setCheckable(true);
    group_->addAction(system_);
    menu_->addSeparator();
    for (const QString& code : QStringList{QStringLiteral("en")} + LanguageSwitcher::languages()) {
        QAction* a = menu_->addAction(LanguageSwitcher::nativeName(code));
        a->setData(code);
        a->setCheckable(true);
        group_->addAction(a);
    }
    connect(group_, &QActionGroup::triggered, this, [this](QAction* a) {
        StudioSettings::rememberLanguage(a->data().toString());
        if (languages_) languages_->apply(a->data().toString());
    });
    menu_->setEnabled(languages_ != nullptr);
    retranslate();
}

void LanguageMenu::setCurrent(const QString& code) {
    for (QAction* a : group_->actions())
        if (a->data().toString() == code) a->setChecked(true);
}

void LanguageMenu::retranslate() {
    menu_->setTitle(tr("&Language"));
    system_->setText(tr("System Default"));
}

}  // namespace medvae::ui
