#include "view_sync.h"

namespace medvae::ui {

ViewSync::ViewSync(QObject* parent) : QObject(parent) {}

void ViewSync::addView(ImageView* view) {
    if (!view) return;
    for (const auto& v : views_)
        if (v == view) return;
    views_.push_back(view);
    connect(view, &ImageView::viewStateChanged, this,
            [this, view](const ViewState& state) { propagate(view, state); });
}

void ViewSync::removeView(ImageView* view) {
    for (int i = views_.size() - 1; i >= 0; --i)
        if (views_[i] == view || views_[i].isNull()) views_.removeAt(i);
    if (view) disconnect(view, &ImageView::viewStateChanged, this, nullptr);
}

void ViewSync::clearViews() {
    for (const auto& v : views_)
        if (v) disconnect(v, &ImageView::viewStateChanged, this, nullptr);
    views_.clear();
}

int ViewSync::viewCount() const {
    int n = 0;
    for (const auto& v : views_)
        n += v.isNull() ? 0 : 1;
    return n;
}

void ViewSync::propagate(ImageView* from, const ViewState& state) {
    if (busy_ || !enabled_) return;
    busy_ = true;
    for (const auto& v : views_)
        if (v && v != from) v->setViewState(state);
    busy_ = false;
}

}  // namespace medvae::ui
