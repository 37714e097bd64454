#include "image_view.h"

#include <QEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

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
