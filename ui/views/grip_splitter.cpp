#include "grip_splitter.h"

#include <QPainter>
#include <QSplitterHandle>

namespace medvae::ui {

namespace {

// Draws a groove and five dots across its middle, in the palette's mid and dark colours so that
// it shows in light and dark themes.
class GripHandle : public QSplitterHandle {
  public:
    GripHandle(Qt::Orientation orientation, QSplitter* parent)
        : QSplitterHandle(orientation, parent) {}

  protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        const bool vertical = orientation() == Qt::Vertical;  // panels above and below
        const QRect r = rect();
        p.fillRect(r, palette().window());
        const QPoint mid = r.center();
        constexpr int kDots = 5, kGap = 6, kDot = 3;
        p.setPen(Qt::NoPen);
        p.setBrush(palette().dark());
        for (int i = 0; i < kDots; ++i) {
            const int offset = (i - kDots / 2) * kGap;
            const QPoint at =
                vertical ? QPoint(mid.x() + offset, mid.y()) : QPoint(mid.x(), mid.y() + offset);
            p.drawEllipse(QRect(at.x() - kDot / 2, at.y() - kDot / 2, kDot, kDot));
        }
        p.setPen(palette().mid().color());
        if (vertical) {
            p.drawLine(r.left(), r.top(), r.right(), r.top());
            p.drawLine(r.left(), r.bottom(), r.right(), r.bottom());
        } else {
            p.drawLine(r.left(), r.top(), r.left(), r.bottom());
            p.drawLine(r.right(), r.top(), r.right(), r.bottom());
        }
    }
};

}  // namespace

GripSplitter::GripSplitter(Qt::Orientation orientation, QWidget* parent)
    : QSplitter(orientation, parent) {
    setHandleWidth(kHandleWidth);
    setChildrenCollapsible(false);
}

QSplitterHandle* GripSplitter::createHandle() {
    return new GripHandle(orientation(), this);
}

}  // namespace medvae::ui
