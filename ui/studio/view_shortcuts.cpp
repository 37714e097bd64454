#include "view_shortcuts.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QShortcut>
#include <QTabWidget>
#include <QTextEdit>

#include "image_view.h"

namespace medvae::ui {
namespace {

bool takesText(const QWidget* w) {
    if (!w) return false;
    if (qobject_cast<const QLineEdit*>(w) || qobject_cast<const QAbstractSpinBox*>(w)) return true;
    if (const auto* combo = qobject_cast<const QComboBox*>(w)) return combo->isEditable();
    if (const auto* text = qobject_cast<const QTextEdit*>(w)) return !text->isReadOnly();
    if (const auto* plain = qobject_cast<const QPlainTextEdit*>(w)) return !plain->isReadOnly();
    return false;
}

}  // namespace

ViewShortcuts::ViewShortcuts(QWidget* window, QTabWidget* tabs, QWidget* inspectPage,
                             std::function<QList<ImageView*>()> views)
    : QObject(window),
      window_(window),
      tabs_(tabs),
      inspectPage_(inspectPage),
      views_(std::move(views)) {
    add(Qt::Key_F, [](ImageView* v) { v->fitToWindow(); });
    add(Qt::Key_1, [](ImageView* v) { v->oneToOne(); });
    add(Qt::Key_R, [](ImageView* v) { v->reset(); });
    // Paging a stack; arrow keys page only in a view that has the focus (elsewhere they move
    // through lists and fields).
    for (const int key : {Qt::Key_PageUp, Qt::Key_PageDown, Qt::Key_Home, Qt::Key_End})
        add(key, [key](ImageView* v) { v->requestSlice(v->sliceTarget(key)); });
    // One toggle for all: the views keep showing the same state.
    shortcuts_.append(new QShortcut(QKeySequence(Qt::Key_I), window_));
    shortcuts_.last()->setContext(Qt::WindowShortcut);
    connect(shortcuts_.last(), &QShortcut::activated, this, [this] {
        const QList<ImageView*> views = targets();
        if (views.isEmpty()) return;
        const bool show = !views.first()->overlayVisible();
        for (ImageView* v : views)
            v->setOverlayVisible(show);
    });
    connect(tabs_, &QTabWidget::currentChanged, this, &ViewShortcuts::updateEnabled);
    connect(qApp, &QApplication::focusChanged, this, &ViewShortcuts::updateEnabled);
    updateEnabled();
}

void ViewShortcuts::add(int key, std::function<void(ImageView*)> action) {
    auto* shortcut = new QShortcut(QKeySequence(key), window_);
    shortcut->setContext(Qt::WindowShortcut);
    connect(shortcut, &QShortcut::activated, this, [this, action = std::move(action)] {
        for (ImageView* v : targets())
            action(v);
    });
    shortcuts_.append(shortcut);
}

QList<ImageView*> ViewShortcuts::targets() const {
    if (auto* focused = qobject_cast<ImageView*>(QApplication::focusWidget()))
        if (window_->isAncestorOf(focused)) return {focused};
    return views_();
}

bool ViewShortcuts::enabled() const {
    return !shortcuts_.isEmpty() && shortcuts_.first()->isEnabled();
}

void ViewShortcuts::updateEnabled() {
    const bool on =
        tabs_->currentWidget() == inspectPage_ && !takesText(QApplication::focusWidget());
    for (QShortcut* s : shortcuts_)
        s->setEnabled(on);
}

}  // namespace medvae::ui
