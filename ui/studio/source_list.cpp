#include "source_list.h"

#include <QPixmap>

#include "rendered_result.h"
#include "source_opener.h"

namespace medvae::ui {
namespace {
constexpr int kSide = RenderedResult::kThumbnailSide;
constexpr int kSourceRole = Qt::UserRole + 1;
}  // namespace

SourceList::SourceList(QWidget* parent) : QListWidget(parent) {
    setObjectName(QStringLiteral("imageList"));
    setViewMode(QListView::IconMode);
    setIconSize(QSize(kSide, kSide));
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setWordWrap(true);
    setGridSize(QSize(kSide + 24, kSide + 36));
    setMinimumWidth(kSide + 40);
    connect(this, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (item) Q_EMIT sourceSelected(sourceOf(item));
    });
}

QString SourceList::sourceOf(const QListWidgetItem* item) {
    return item ? item->data(kSourceRole).toString() : QString();
}

QListWidgetItem* SourceList::itemFor(const QString& source) const {
    for (int i = 0; i < count(); ++i)
        if (sourceOf(item(i)) == source) return item(i);
    return nullptr;
}

QListWidgetItem* SourceList::add(const QString& source) {
    if (QListWidgetItem* existing = itemFor(source)) return existing;
    auto* item = new QListWidgetItem(SourceOpener::displayName(source), this);
    item->setData(kSourceRole, source);
    item->setToolTip(source.size() > 300 ? source.left(300) + QStringLiteral("…") : source);
    QPixmap blank(kSide, kSide);
    blank.fill(QColor(40, 40, 40));
    item->setIcon(QIcon(blank));
    return item;
}

void SourceList::setThumbnail(const QString& source, const QImage& thumbnail) {
    if (QListWidgetItem* item = itemFor(source))
        item->setIcon(QIcon(QPixmap::fromImage(thumbnail)));
}

void SourceList::setFrames(const QString& source, int frame, int frames) {
    if (QListWidgetItem* item = itemFor(source)) {
        const QString name = SourceOpener::displayName(source);
        item->setText(frames > 1 ? QStringLiteral("%1  %2/%3").arg(name).arg(frame + 1).arg(frames)
                                 : name);
    }
}

void SourceList::setFailed(const QString& source, const QString& error) {
    if (QListWidgetItem* item = itemFor(source)) {
        item->setIcon(QIcon::fromTheme(QStringLiteral("dialog-error"), item->icon()));
        item->setToolTip(error);
    }
}

}  // namespace medvae::ui
