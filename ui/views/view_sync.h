#pragma once

#include <QObject>
#include <QPointer>
#include <QVector>

#include "image_view.h"

namespace medvae::ui {

// Keeps zoom and pan identical across several ImageViews: a zoom or pan in one moves the others.
// Window/level stays per view. Views are not owned; a destroyed view drops out by itself.
class ViewSync : public QObject {
    Q_OBJECT

  public:
    explicit ViewSync(QObject* parent = nullptr);

    void addView(ImageView* view);
    void removeView(ImageView* view);
    void clearViews();
    int viewCount() const;
    // Whether changes propagate (on by default).
    void setEnabled(bool enabled) { enabled_ = enabled; }
    bool isEnabled() const { return enabled_; }

  private:
    void propagate(ImageView* from, const ViewState& state);

    QVector<QPointer<ImageView>> views_;
    bool enabled_ = true;
    bool busy_ = false;  // set while applying a state, so the followers' echoes are ignored
};

}  // namespace medvae::ui
