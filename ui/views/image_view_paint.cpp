// ImageView's painting and the texts it shows: the picture, overlay lines, slice number,
// window, readout and scale bar.

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>

#include "image_view.h"
#include "scalar_map.h"
#include "windowed_image.h"

namespace medvae::ui {
namespace {

QString number(double v) {
    return QString::number(v, 'g', 6);
}

// A "nice" length (1, 2 or 5 times a power of ten) not above `limit`.
double niceBelow(double limit) {
    const double p = std::pow(10.0, std::floor(std::log10(limit)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= limit) return m * p;
    return p;
}

void drawShadowedText(QPainter& p, const QRect& rect, int flags, const QString& text) {
    p.setPen(QColor(0, 0, 0, 200));
    p.drawText(rect.translated(1, 1), flags, text);
    p.setPen(QColor(255, 255, 160));
    p.drawText(rect, flags, text);
}

}  // namespace

QString ImageView::windowText() const {
    if (mode_ == Mode::Window) return tr("W %1  L %2").arg(number(width_), number(center_));
    if (mode_ == Mode::Colormap)
        return tr("%1  %2 to %3")
            .arg(QString::fromUtf8(Colormap::name(map_->kind())), number(map_->low()),
                 number(map_->high()));
    return {};
}

QString ImageView::scaleBarText() const {
    if (mode_ == Mode::Empty) return {};
    const double spacing = image().meta.pixelSpacing[1];  // mm between columns
    if (!(spacing > 0) || !std::isfinite(spacing)) return {};
    const double maxMm = 0.25 * width() * spacing / effectiveScale();
    const double mm = niceBelow(maxMm);
    const std::string& kind = image().meta.spacingKind;
    QString what;
    if (kind.rfind("calibrated", 0) == 0)
        what = tr("calibrated");
    else if (kind.rfind("at the detector", 0) == 0)
        what = tr("detector spacing");
    else
        what = tr("spacing of unknown kind");
    return tr("%1 mm (%2)").arg(number(mm), what);
}

QStringList ImageView::overlayLines() const {
    QStringList lines;
    if (mode_ == Mode::Empty) return lines;
    const auto& m = image().meta;
    if (!m.modality.empty()) lines << tr("Modality: %1").arg(QString::fromStdString(m.modality));
    if (!m.studyDescription.empty())
        lines << tr("Study: %1").arg(QString::fromStdString(m.studyDescription));
    if (!m.seriesDescription.empty())
        lines << tr("Series: %1").arg(QString::fromStdString(m.seriesDescription));
    lines << tr("Size: %1 × %2").arg(image().width).arg(image().height);
    if (m.frames > 1) lines << tr("Frame %1 of %2").arg(m.frame + 1).arg(m.frames);
    if (!m.format.empty())
        lines << tr("Format: %1 %2")
                     .arg(QString::fromStdString(m.format), QString::fromStdString(m.colorModel));
    return lines;
}

void ImageView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), Qt::black);
    const QRect inner = rect().adjusted(6, 4, -6, -4);
    if (mode_ == Mode::Empty) {
        if (!error_.isEmpty()) {
            p.setPen(QColor(255, 120, 100));
            p.drawText(inner, Qt::AlignCenter | Qt::TextWordWrap, error_);
        } else if (!notice_.isEmpty()) {
            p.setPen(QColor(200, 200, 200));
            p.drawText(inner, Qt::AlignCenter | Qt::TextWordWrap, notice_);
        }
        return;
    }
    const double s = effectiveScale();
    p.save();
    // Pixels stay pixels when magnified; minified images are filtered to avoid aliasing.
    p.setRenderHint(QPainter::SmoothPixmapTransform, s < 1.0);
    p.translate(width() / 2.0, height() / 2.0);
    p.scale(s, s);
    p.translate(-effectiveCenter());
    if (showsRegion()) {
        // A large image through a window other than its prepared one: only the part on screen,
        // at about screen resolution, rendered for this paint.
        const QRectF seen(mapToImage(QPointF(0, 0)), mapToImage(QPointF(width(), height())));
        const QRect source = seen.toAlignedRect() & QRect(0, 0, image().width, image().height);
        const int step = s < 1.0 ? std::max(1, int(1.0 / s)) : 1;
        const QImage part = windowed_->renderRegion(center_, width_, source, step);
        p.setClipRect(source);
        p.drawImage(QRectF(source.x(), source.y(), double(part.width()) * step,
                           double(part.height()) * step),
                    part);
    } else {
        p.drawImage(QPointF(0, 0), renderedImage());
    }
    p.restore();

    if (overlayVisible_)
        drawShadowedText(p, inner, Qt::AlignLeft | Qt::AlignTop, overlayLines().join('\n'));
    if (sliceCount_ > 1) drawShadowedText(p, inner, Qt::AlignRight | Qt::AlignTop, sliceText());
    const BottomTexts bottom = bottomTexts();
    if (!bottom.readout.isEmpty())
        drawShadowedText(p, bottom.readout, Qt::AlignLeft | Qt::AlignVCenter, bottom.readoutText);
    if (!bottom.window.isEmpty())
        drawShadowedText(p, bottom.window, Qt::AlignRight | Qt::AlignVCenter, bottom.windowText);

    const QString bar = scaleBarText();
    if (!bar.isEmpty()) {
        const double spacing = image().meta.pixelSpacing[1];
        const double mm = niceBelow(0.25 * width() * spacing / s);
        const int length = int(std::lround(mm / spacing * s));
        const QFontMetrics fm(font());
        // Above the bottom lines of text (readout, window), with its label above the bar.
        int textTop = height() - fm.height() - 4;
        for (const QRect& r : {bottom.readout, bottom.window})
            if (!r.isEmpty()) textTop = std::min(textTop, r.top());
        const int y = textTop - 10;
        const int x0 = (width() - length) / 2;
        p.fillRect(QRect(x0, y - 1, length, 4), QColor(0, 0, 0, 200));
        p.fillRect(QRect(x0, y, length, 2), QColor(255, 255, 160));
        p.fillRect(QRect(x0, y - 4, 2, 8), QColor(255, 255, 160));
        p.fillRect(QRect(x0 + length - 2, y - 4, 2, 8), QColor(255, 255, 160));
        drawShadowedText(p, QRect(0, y - 6 - fm.height(), width(), fm.height()),
                         Qt::AlignHCenter | Qt::AlignBottom, bar);
    }
}

ImageView::BottomTexts ImageView::bottomTexts() const {
    BottomTexts t;
    if (mode_ == Mode::Empty) return t;
    const QRect inner = rect().adjusted(6, 4, -6, -4);
    const QFontMetrics fm(font());
    const int line = fm.height();
    const int gap = fm.horizontalAdvance(QStringLiteral("  "));
    const QString window = windowTextVisible_ ? windowText() : QString();
    const int readoutWidth = fm.horizontalAdvance(readout_);
    const int windowWidth = fm.horizontalAdvance(window);
    const bool oneLine =
        readout_.isEmpty() || window.isEmpty() || readoutWidth + gap + windowWidth <= inner.width();
    t.windowText = fm.elidedText(window, Qt::ElideMiddle, inner.width());
    t.readoutText = fm.elidedText(readout_, Qt::ElideMiddle, inner.width());
    const int bottom = inner.bottom() + 1;
    if (!t.windowText.isEmpty()) {
        const int w = std::min(inner.width(), fm.horizontalAdvance(t.windowText));
        t.window = QRect(inner.right() + 1 - w, bottom - line, w, line);
    }
    if (!t.readoutText.isEmpty()) {
        const int w = std::min(inner.width(), fm.horizontalAdvance(t.readoutText));
        t.readout = QRect(inner.left(), bottom - (oneLine ? 1 : 2) * line, w, line);
    }
    return t;
}

void ImageView::updateReadout(const QPointF& widgetPos) {
    if (mode_ == Mode::Empty) return;
    const QPointF ip = mapToImage(widgetPos);
    const int x = int(std::floor(ip.x())), y = int(std::floor(ip.y()));
    if (x < 0 || y < 0 || x >= image().width || y >= image().height) {
        if (!readout_.isEmpty()) {
            readout_.clear();
            update();
            Q_EMIT hoverLeft();
        }
        return;
    }
    QVector<float> values;
    const std::size_t plane = std::size_t(image().width) * std::size_t(image().height);
    if (mode_ == Mode::Colormap)
        values << map_->value(x, y);
    else
        for (int c = 0; c < colourChannels(); ++c)
            values << image().pixels[std::size_t(c) * plane + std::size_t(y) * image().width + x];
    QStringList parts;
    for (float v : values)
        parts << number(v);
    QString unit;
    if (!image().meta.rescaleType.empty() && !image().meta.windowed)
        unit = QStringLiteral(" ") + QString::fromStdString(image().meta.rescaleType);
    readout_ =
        tr("x %1  y %2  value %3%4").arg(x).arg(y).arg(parts.join(QStringLiteral(" / ")), unit);
    update();
    Q_EMIT pixelHovered(x, y, values);
}

QString ImageView::sliceText() const {
    return sliceCount_ > 1 ? tr("Slice %1/%2").arg(sliceIndex_ + 1).arg(sliceCount_) : QString();
}

}  // namespace medvae::ui
