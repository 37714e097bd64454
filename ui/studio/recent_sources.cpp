#include "recent_sources.h"

#include <QAction>
#include <QMenu>

#include "source_opener.h"

namespace medvae::ui {

RecentSources::RecentSources(QMenu* menu, QObject* parent)
    : QObject(parent), menu_(menu), clear_(new QAction(this)) {
    connect(clear_, &QAction::triggered, this, &RecentSources::clear);
    retranslate();
}

void RecentSources::setSources(const QStringList& sources) {
    sources_ = sources.mid(0, kMax);
    rebuild();
}

void RecentSources::add(const QString& source) {
    if (source.startsWith(QLatin1String("data:"), Qt::CaseInsensitive) || source.size() > 2048)
        return;
    sources_.removeAll(source);
    sources_.prepend(source);
    while (sources_.size() > kMax)
        sources_.removeLast();
    rebuild();
}

void RecentSources::clear() {
    sources_.clear();
    rebuild();
}

void RecentSources::retranslate() {
    menu_->setTitle(tr("Open &Recent"));
    clear_->setText(tr("Clear Recent"));
}

void RecentSources::rebuild() {
    menu_->clear();
    for (const QString& source : sources_) {
        QAction* a = menu_->addAction(SourceOpener::displayName(source));
        a->setToolTip(source);
        a->setStatusTip(source);
        connect(a, &QAction::triggered, this, [this, source] { Q_EMIT openRequested(source); });
    }
    menu_->addSeparator();
    menu_->addAction(clear_);
    clear_->setEnabled(!sources_.isEmpty());
    menu_->setEnabled(!sources_.isEmpty());
}

}  // namespace medvae::ui
