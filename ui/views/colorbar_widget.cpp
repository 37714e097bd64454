#include "colorbar_widget.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace medvae::ui {

namespace {
constexpr int kTicks = 5;
constexpr int kRampWidth = 16;
constexpr int kCaptionWidth = 90;
}  // namespace

ColorbarWidget::ColorbarWidget(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
}

void ColorbarWidget::setScale(ColormapKind kind, double low, double high, const QString& unit) {
    valid_ = std::isfinite(low) && std::isfinite(high);
    kind_ = kind;
    low_ = low;
    high_ = high;
    unit_ = unit;
    lowClipped_ = highClipped_ = false;
    caption_.clear();
    setToolTip(QString());
    updateGeometry();
    update();
}

void ColorbarWidget::setClipping(bool lowClipped, bool highClipped, const QString& caption,
                                 const QString& explanation) {
    lowClipped_ = lowClipped;
    highClipped_ = highClipped;
    caption_ = caption;
    setToolTip(explanation);
    updateGeometry();
    update();
}

void ColorbarWidget::clearScale() {
    valid_ = false;
    update();
}

QStringList ColorbarWidget::tickLabels() const {
    QStringList labels;
    if (!valid_) return labels;
    for (int i = 0; i < kTicks; ++i) {
        const double v = low_ + (high_ - low_) * i / (kTicks - 1);
        QString label = QString::number(
            std::abs(v) < 1e-12 * std::max(1.0, std::abs(high_ - low_)) ? 0.0 : v, 'g', 4);
        if (i == 0 && lowClipped_) label.prepend(QStringLiteral("≤ "));
        if (i == kTicks - 1 && highClipped_) label.prepend(QStringLiteral("≥ "));
        labels << label;
    }
    return labels;
}

QRect ColorbarWidget::rampRect() const {
    const QFontMetrics fm(font());
    const int top = fm.height() + 4;  // room for the unit
    const int bottom = captionRect().height() + fm.height() / 2 + 4;
    return QRect(4, top, kRampWidth, std::max(8, height() - top - bottom));
}

QRect ColorbarWidget::captionRect() const {
    if (caption_.isEmpty()) return {};
    const QFontMetrics fm(font());
    const QRect text = fm.boundingRect(QRect(0, 0, width(), 1000), Qt::TextWordWrap, caption_);
    return QRect(0, height() - text.height(), width(), text.height());
}

QSize ColorbarWidget::sizeHint() const {
    const QFontMetrics fm(font());
    int labelWidth = fm.horizontalAdvance(unit_);
    for (const auto& l : tickLabels())
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(l));
    // The caption wraps; it widens the bar up to a short line's width.
    const int captionWidth = std::min(fm.horizontalAdvance(caption_), kCaptionWidth);
    return {std::max(kRampWidth + 14 + labelWidth, captionWidth), 200};
}

QSize ColorbarWidget::minimumSizeHint() const {
    return {sizeHint().width(), 80};
}

void ColorbarWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    if (!valid_) return;
    const QRect ramp = rampRect();
    const QFontMetrics fm(font());
    for (int row = 0; row < ramp.height(); ++row) {
        // Bottom row is t = 0, top row t = 1, sampled at row centres.
        const double t =
            ramp.height() > 1 ? double(ramp.height() - 1 - row) / (ramp.height() - 1) : 0;
        const auto c = Colormap::color(kind_, t);
        p.fillRect(QRect(ramp.left(), ramp.top() + row, ramp.width(), 1), QColor(c[0], c[1], c[2]));
    }
    p.setPen(palette().color(QPalette::WindowText));
    p.drawRect(ramp.adjusted(0, 0, -1, -1));
    if (!unit_.isEmpty())
        p.drawText(QRect(0, 0, width(), fm.height() + 2), Qt::AlignLeft | Qt::AlignVCenter, unit_);
    const QStringList labels = tickLabels();
    for (int i = 0; i < labels.size(); ++i) {
        const int y =
            ramp.bottom() - int(std::lround(double(ramp.height() - 1) * i / (kTicks - 1)));
        p.drawLine(ramp.right() + 1, y, ramp.right() + 4, y);
        p.drawText(QRect(ramp.right() + 7, y - fm.height() / 2, width(), fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, labels[i]);
    }
    if (!caption_.isEmpty())
        p.drawText(captionRect(), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, caption_);
}

}  // namespace medvae::ui
