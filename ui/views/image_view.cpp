#include "image_view.h"

#include <QEvent>
#include <QFontMetrics>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

#include "error.h"
#include "scalar_map.h"
#include "windowed_image.h"

namespace medvae::ui {

namespace {

constexpr double kMinScale = 1.0 / 64;
constexpr double kMaxScale = 64;
// Images above this many pixels are painted through another window than their prepared one by
// rendering only the part on screen at screen resolution (a full rendering of a 13.6 MP
// mammogram takes longer than a frame).
constexpr std::int64_t kRegionRenderPixels = std::int64_t(2048) * 2048;

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

ImageView::ImageView(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    // The right button zooms; a context menu of a parent must not pop up at the end of a drag.
    setContextMenuPolicy(Qt::PreventContextMenu);
}

int ImageView::colourChannels() const {
    return mode_ == Mode::Window ? windowed_->colourChannels() : 1;
}

const Image& ImageView::image() const {
    static const Image kNone;
    if (mode_ == Mode::Window) return windowed_->image();
    if (mode_ == Mode::Colormap) return map_->field();
    return kNone;
}

void ImageView::setWindowedImage(std::shared_ptr<const WindowedImage> image) {
    if (!image) {
        clear();
        return;
    }
    windowed_ = std::move(image);
    map_.reset();
    mode_ = Mode::Window;
    error_.clear();
    notice_.clear();
    readout_.clear();
    center_ = windowed_->initialCenter();
    width_ = windowed_->initialWidth();
    view_ = ViewState{};
    render();
    Q_EMIT viewStateChanged(view_);
    Q_EMIT windowChanged(center_, width_);
}

void ImageView::setImage(const Image& image) {
    std::shared_ptr<const WindowedImage> prepared;
    try {
        prepared = std::make_shared<const WindowedImage>(std::make_shared<const Image>(image));
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        return;
    }
    setWindowedImage(std::move(prepared));
}

void ImageView::setScalarMap(std::shared_ptr<const ScalarMap> map) {
    if (!map) {
        showError(tr("Nothing to show: the map is empty."));
        return;
    }
    const bool sameSize =
        mode_ != Mode::Empty && map->width() == image().width && map->height() == image().height;
    map_ = std::move(map);
    windowed_.reset();
    mode_ = Mode::Colormap;
    error_.clear();
    notice_.clear();
    if (!sameSize) {
        view_ = ViewState{};
        readout_.clear();
        Q_EMIT viewStateChanged(view_);
    }
    render();
}

void ImageView::setScalarField(const float* values, int width, int height, ColormapKind kind,
                               float lo, float hi) {
    if (!values || width <= 0 || height <= 0) {
        showError(tr("Nothing to show: the map is empty."));
        return;
    }
    setScalarMap(std::make_shared<const ScalarMap>(
        std::vector<float>(values, values + std::size_t(width) * std::size_t(height)), width,
        height, kind, lo, hi));
}

void ImageView::clear() {
    mode_ = Mode::Empty;
    windowed_.reset();
    map_.reset();
    rendered_ = QImage();
    error_.clear();
    notice_.clear();
    readout_.clear();
    update();
}

void ImageView::showError(const QString& message) {
    clear();
    error_ = message;
    update();
}

void ImageView::showNotice(const QString& text) {
    clear();
    notice_ = text;
    update();
}

void ImageView::defaultWindow() {
    if (mode_ != Mode::Window) return;
    center_ = windowed_->defaultCenter();
    width_ = windowed_->defaultWidth();
}

void ImageView::setWindow(double center, double width) {
    if (!std::isfinite(center) || !std::isfinite(width) || width <= 0) return;
    center_ = center;
    width_ = width;
    if (mode_ == Mode::Window) render();
    Q_EMIT windowChanged(center_, width_);
}

double ImageView::windowStep() const {
    return mode_ == Mode::Window ? windowed_->windowStep() : 1.0 / 256.0;
}

QVector<WindowPreset> ImageView::windowPresets() const {
    return mode_ == Mode::Window ? windowed_->presets() : QVector<WindowPreset>();
}

QStringList ImageView::windowPresetNames() const {
    return mode_ == Mode::Window ? windowed_->presetNames() : QStringList();
}

void ImageView::applyWindowPreset(int index) {
    const auto presets = windowPresets();
    if (index >= 0 && index < presets.size())
        setWindow(presets[index].center, presets[index].width);
}

void ImageView::render() {
    renderPending_ = true;
    update();
}

const QImage& ImageView::renderedImage() const {
    renderNow();
    return rendered_;
}

bool ImageView::showsRegion() const {
    return mode_ == Mode::Window && !windowIsPrepared() &&
           std::int64_t(image().width) * image().height > kRegionRenderPixels;
}

bool ImageView::windowIsPrepared() const {
    return center_ == windowed_->initialCenter() && width_ == windowed_->initialWidth();
}

void ImageView::renderNow() const {
    if (!renderPending_) return;
    renderPending_ = false;
    if (mode_ == Mode::Colormap) {
        rendered_ = map_->rendered();
    } else if (mode_ == Mode::Window) {
        // The prepared picture while the window is the one it was made for.
        rendered_ =
            windowIsPrepared() ? windowed_->initialRendering() : windowed_->render(center_, width_);
    } else {
        rendered_ = QImage();
    }
}

double ImageView::effectiveScale() const {
    if (!view_.fit || mode_ == Mode::Empty) return view_.scale;
    const double s = std::min(double(width()) / image().width, double(height()) / image().height);
    return std::clamp(s, kMinScale, kMaxScale);
}

QPointF ImageView::effectiveCenter() const {
    if (!view_.fit || mode_ == Mode::Empty) return view_.center;
    return {image().width / 2.0, image().height / 2.0};
}

QPointF ImageView::mapToImage(const QPointF& widgetPos) const {
    const double s = effectiveScale();
    const QPointF mid(width() / 2.0, height() / 2.0);
    return effectiveCenter() + (widgetPos - mid) / s;
}

QPointF ImageView::mapFromImage(const QPointF& imagePos) const {
    const double s = effectiveScale();
    const QPointF mid(width() / 2.0, height() / 2.0);
    return mid + (imagePos - effectiveCenter()) * s;
}

void ImageView::setViewState(const ViewState& state) {
    ViewState s = state;
    s.scale = std::clamp(s.scale, kMinScale, kMaxScale);
    if (!std::isfinite(s.center.x()) || !std::isfinite(s.center.y())) return;
    view_ = s;
    update();
    Q_EMIT viewStateChanged(view_);
}

void ImageView::fitToWindow() {
    setViewState(ViewState{});
}

void ImageView::oneToOne() {
    setViewState({false, 1.0, effectiveCenter()});
}

void ImageView::reset() {
    if (mode_ == Mode::Window) {
        defaultWindow();
        render();
        Q_EMIT windowChanged(center_, width_);
    }
    fitToWindow();
}

void ImageView::zoomBy(double factor, const QPointF& anchor) {
    if (mode_ == Mode::Empty || !(factor > 0)) return;
    const QPointF fixed = mapToImage(anchor);
    const double s = std::clamp(effectiveScale() * factor, kMinScale, kMaxScale);
    // Keep the image point under the anchor where it is.
    const QPointF mid(width() / 2.0, height() / 2.0);
    setViewState({false, s, fixed - (anchor - mid) / s});
}

void ImageView::setOverlayVisible(bool visible) {
    if (visible == overlayVisible_) return;
    overlayVisible_ = visible;
    update();
    Q_EMIT overlayVisibleChanged(visible);
}

void ImageView::setWindowTextVisible(bool visible) {
    windowTextVisible_ = visible;
    update();
}

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

void ImageView::mousePressEvent(QMouseEvent* event) {
    pressPos_ = event->position();
    pressCenter_ = center_;
    pressWidth_ = width_;
    pressView_ = {false, effectiveScale(), effectiveCenter()};
    pressImagePos_ = mapToImage(pressPos_);
    if (event->button() == Qt::LeftButton && mode_ == Mode::Window)
        drag_ = Drag::Window;
    else if (event->button() == Qt::MiddleButton)
        drag_ = Drag::Pan;
    else if (event->button() == Qt::RightButton)
        drag_ = Drag::Zoom;
    else
        drag_ = Drag::None;
    event->accept();
}

void ImageView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF d = event->position() - pressPos_;
    switch (drag_) {
        case Drag::Window:
            setWindow(pressCenter_ + d.y() * windowStep(),
                      std::max(windowStep(), pressWidth_ + d.x() * windowStep()));
            break;
        case Drag::Pan:
            if (mode_ != Mode::Empty)
                setViewState({false, pressView_.scale, pressView_.center - d / pressView_.scale});
            break;
        case Drag::Zoom:
            if (mode_ != Mode::Empty) {
                // 100 screen pixels upwards double the magnification, about the pressed point.
                const double s = std::clamp(pressView_.scale * std::pow(2.0, -d.y() / 100.0),
                                            kMinScale, kMaxScale);
                const QPointF mid(width() / 2.0, height() / 2.0);
                setViewState({false, s, pressImagePos_ - (pressPos_ - mid) / s});
            }
            break;
        case Drag::None:
            break;
    }
    updateReadout(event->position());
}

void ImageView::mouseReleaseEvent(QMouseEvent* event) {
    drag_ = Drag::None;
    event->accept();
}

void ImageView::mouseDoubleClickEvent(QMouseEvent* event) {
    drag_ = Drag::None;
    reset();
    event->accept();
}

void ImageView::setSlice(int index, int count) {
    if (index == sliceIndex_ && count == sliceCount_) return;
    sliceIndex_ = index;
    sliceCount_ = count;
    wheelRemainder_ = 0;
    update();
}

QString ImageView::sliceText() const {
    return sliceCount_ > 1 ? tr("Slice %1/%2").arg(sliceIndex_ + 1).arg(sliceCount_) : QString();
}

void ImageView::requestSlice(int index) {
    if (sliceCount_ <= 1) return;
    index = std::clamp(index, 0, sliceCount_ - 1);
    if (index != sliceIndex_) Q_EMIT sliceRequested(index);
}

int ImageView::sliceTarget(int key) const {
    switch (key) {
        case Qt::Key_Up:
        case Qt::Key_PageUp:
            return sliceIndex_ - 1;
        case Qt::Key_Down:
        case Qt::Key_PageDown:
            return sliceIndex_ + 1;
        case Qt::Key_Home:
            return 0;
        case Qt::Key_End:
            return sliceCount_ - 1;
        default:
            return sliceIndex_;
    }
}

void ImageView::wheelEvent(QWheelEvent* event) {
    if (sliceCount_ > 1 && !(event->modifiers() & Qt::ControlModifier)) {
        wheelRemainder_ += event->angleDelta().y();
        const int notches = wheelRemainder_ / 120;
        wheelRemainder_ -= notches * 120;
        if (notches) requestSlice(sliceIndex_ - notches);  // wheel down (negative): next slice
        event->accept();
        return;
    }
    const double notches = event->angleDelta().y() / 120.0;
    if (notches != 0) zoomBy(std::pow(1.25, notches), event->position());
    event->accept();
}

void ImageView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_R:
            reset();
            break;
        case Qt::Key_F:
            fitToWindow();
            break;
        case Qt::Key_1:
            oneToOne();
            break;
        case Qt::Key_I:
            setOverlayVisible(!overlayVisible_);
            break;
        case Qt::Key_Up:
        case Qt::Key_PageUp:
        case Qt::Key_Down:
        case Qt::Key_PageDown:
        case Qt::Key_Home:
        case Qt::Key_End:
            if (sliceCount_ <= 1) {
                QWidget::keyPressEvent(event);
                return;
            }
            requestSlice(sliceTarget(event->key()));
            break;
        default:
            QWidget::keyPressEvent(event);
            return;
    }
    event->accept();
}

void ImageView::leaveEvent(QEvent* event) {
    if (!readout_.isEmpty()) {
        readout_.clear();
        update();
        Q_EMIT hoverLeft();
    }
    QWidget::leaveEvent(event);
}

void ImageView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) update();
    QWidget::changeEvent(event);
}

}  // namespace medvae::ui
