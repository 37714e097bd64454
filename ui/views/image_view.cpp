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

namespace medvae::ui {

namespace {

constexpr double kMinScale = 1.0 / 64;
constexpr double kMaxScale = 64;

// The usual CT windows (width / level, Hounsfield units), as OHIF and most PACS offer them.
struct CtPreset {
    const char* name;
    double width, center;
};
constexpr CtPreset kCtPresets[] = {
    {QT_TRANSLATE_NOOP("medvae::ui::ImageView", "Soft tissue"), 400, 40},
    {QT_TRANSLATE_NOOP("medvae::ui::ImageView", "Lung"), 1500, -600},
    {QT_TRANSLATE_NOOP("medvae::ui::ImageView", "Liver"), 150, 90},
    {QT_TRANSLATE_NOOP("medvae::ui::ImageView", "Bone"), 2500, 480},
    {QT_TRANSLATE_NOOP("medvae::ui::ImageView", "Brain"), 80, 40},
};

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
    return image_.channels >= 3 ? 3 : 1;
}

void ImageView::takeImage(const Image& image) {
    if (image.width <= 0 || image.height <= 0 || image.channels < 1 || image.channels > 4 ||
        image.pixels.size() !=
            std::size_t(image.width) * std::size_t(image.height) * std::size_t(image.channels))
        throw Error("the image to show has an invalid shape");
    image_ = image;
    const std::size_t n =
        std::size_t(image_.width) * std::size_t(image_.height) * std::size_t(colourChannels());
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (std::size_t i = 0; i < n; ++i) {
        const float v = image_.pixels[i];
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    if (!(lo <= hi)) lo = hi = 0;
    dataMin_ = lo;
    dataMax_ = hi;
    try {
        const auto range = Colormap::percentiles(image_.pixels.data(), n, 0.1, 99.9);
        autoCenter_ = (double(range.first) + double(range.second)) / 2;
        autoWidth_ = double(range.second) - double(range.first);
    } catch (const Error&) {
        autoCenter_ = 0;
        autoWidth_ = 1;
    }
    if (!(autoWidth_ > 0)) autoWidth_ = 1;
    error_.clear();
}

void ImageView::setImage(const Image& image) {
    try {
        takeImage(image);
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        return;
    }
    mode_ = Mode::Window;
    readout_.clear();
    defaultWindow();
    view_ = ViewState{};
    render();
    Q_EMIT viewStateChanged(view_);
    Q_EMIT windowChanged(center_, width_);
}

void ImageView::replaceImage(const Image& image) {
    if (mode_ != Mode::Window || image.width != image_.width || image.height != image_.height) {
        setImage(image);
        return;
    }
    try {
        takeImage(image);
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        return;
    }
    render();
}

void ImageView::setScalarField(const float* values, int width, int height, ColormapKind kind,
                               float lo, float hi) {
    if (!values || width <= 0 || height <= 0) {
        showError(tr("Nothing to show: the map is empty."));
        return;
    }
    const bool sameSize = mode_ != Mode::Empty && width == image_.width && height == image_.height;
    Image field;
    field.width = width;
    field.height = height;
    field.channels = 1;
    field.pixels.assign(values, values + std::size_t(width) * std::size_t(height));
    takeImage(field);
    mode_ = Mode::Colormap;
    colormap_ = kind;
    cmLo_ = lo;
    cmHi_ = hi;
    if (!sameSize) {
        view_ = ViewState{};
        readout_.clear();
        Q_EMIT viewStateChanged(view_);
    }
    render();
}

void ImageView::setColormap(ColormapKind kind, float lo, float hi) {
    colormap_ = kind;
    cmLo_ = lo;
    cmHi_ = hi;
    if (mode_ == Mode::Colormap) render();
}

void ImageView::setMetadata(const ImageMetadata& meta) {
    image_.meta = meta;
    update();
}

void ImageView::clear() {
    mode_ = Mode::Empty;
    image_ = Image{};
    rendered_ = QImage();
    error_.clear();
    readout_.clear();
    update();
}

void ImageView::showError(const QString& message) {
    clear();
    error_ = message;
    update();
}

void ImageView::defaultWindow() {
    if (!image_.meta.windows.empty() && image_.meta.windows.front().width > 0 &&
        !image_.meta.windowed) {
        center_ = image_.meta.windows.front().center;
        width_ = image_.meta.windows.front().width;
    } else {
        center_ = autoCenter_;
        width_ = autoWidth_;
    }
}

void ImageView::setWindow(double center, double width) {
    if (!std::isfinite(center) || !std::isfinite(width) || width <= 0) return;
    center_ = center;
    width_ = width;
    if (mode_ == Mode::Window) render();
    Q_EMIT windowChanged(center_, width_);
}

double ImageView::windowStep() const {
    const double range = double(dataMax_) - double(dataMin_);
    return (range > 0 ? range : 1.0) / 256.0;
}

QVector<WindowPreset> ImageView::windowPresets() const {
    QVector<WindowPreset> presets;
    // Pixels already windowed by the loader are in [0, 1]: the file's windows no longer apply.
    if (!image_.meta.windowed)
        for (const auto& w : image_.meta.windows)
            if (w.width > 0) {
                WindowPreset p = w;
                if (p.name.empty())
                    p.name = tr("File window %1").arg(presets.size() + 1).toStdString();
                presets.push_back(p);
            }
    if ((image_.meta.modality == "CT" || image_.meta.rescaleType == "HU") && !image_.meta.windowed)
        for (const auto& ct : kCtPresets)
            presets.push_back({ct.center, ct.width, tr(ct.name).toStdString()});
    presets.push_back({autoCenter_, autoWidth_, tr("Full range (0.1-99.9 %)").toStdString()});
    return presets;
}

QStringList ImageView::windowPresetNames() const {
    QStringList names;
    for (const auto& p : windowPresets())
        names << tr("%1 (W %2 / L %3)")
                     .arg(QString::fromStdString(p.name), number(p.width), number(p.center));
    return names;
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

void ImageView::renderNow() const {
    if (!renderPending_) return;
    renderPending_ = false;
    if (mode_ == Mode::Empty) {
        rendered_ = QImage();
        return;
    }
    const int w = image_.width, h = image_.height;
    // RGB32 is the raster engine's native format: scaled blits of it are exact nearest-neighbour
    // copies (an RGB888 source goes through a conversion that can be off by one).
    if (rendered_.width() != w || rendered_.height() != h ||
        rendered_.format() != QImage::Format_RGB32)
        rendered_ = QImage(w, h, QImage::Format_RGB32);
    const std::size_t plane = std::size_t(w) * std::size_t(h);
    if (mode_ == Mode::Colormap) {
        std::vector<std::uint8_t> rgb(plane * 3);
        Colormap::apply(colormap_, image_.pixels.data(), plane, cmLo_, cmHi_, rgb.data());
        for (int y = 0; y < h; ++y) {
            auto* line = reinterpret_cast<QRgb*>(rendered_.scanLine(y));
            const std::uint8_t* src = rgb.data() + std::size_t(y) * std::size_t(w) * 3;
            for (int x = 0; x < w; ++x)
                line[x] = qRgb(src[3 * x], src[3 * x + 1], src[3 * x + 2]);
        }
    } else {
        const double lo = center_ - width_ / 2, scale = 255.0 / width_;
        const int nc = colourChannels();
        // round() of the window formula, written out: this loop runs on every window change.
        const auto grey = [lo, scale](float v) {
            const double g = (double(v) - lo) * scale;
            if (!(g > 0))  // also NaN
                return 0;
            return g >= 254.5 ? 255 : int(g + 0.5);
        };
        for (int y = 0; y < h; ++y) {
            auto* line = reinterpret_cast<QRgb*>(rendered_.scanLine(y));
            const std::size_t row = std::size_t(y) * std::size_t(w);
            for (int x = 0; x < w; ++x) {
                if (nc == 3) {
                    line[x] =
                        qRgb(grey(image_.pixels[row + x]), grey(image_.pixels[plane + row + x]),
                             grey(image_.pixels[2 * plane + row + x]));
                } else {
                    const int g = grey(image_.pixels[row + x]);
                    line[x] = qRgb(g, g, g);
                }
            }
        }
    }
}

double ImageView::effectiveScale() const {
    if (!view_.fit || mode_ == Mode::Empty) return view_.scale;
    const double s = std::min(double(width()) / image_.width, double(height()) / image_.height);
    return std::clamp(s, kMinScale, kMaxScale);
}

QPointF ImageView::effectiveCenter() const {
    if (!view_.fit || mode_ == Mode::Empty) return view_.center;
    return {image_.width / 2.0, image_.height / 2.0};
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
            .arg(QString::fromUtf8(Colormap::name(colormap_)), number(cmLo_), number(cmHi_));
    return {};
}

QString ImageView::scaleBarText() const {
    if (mode_ == Mode::Empty) return {};
    const double spacing = image_.meta.pixelSpacing[1];  // mm between columns
    if (!(spacing > 0) || !std::isfinite(spacing)) return {};
    const double maxMm = 0.25 * width() * spacing / effectiveScale();
    const double mm = niceBelow(maxMm);
    const std::string& kind = image_.meta.spacingKind;
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
    const auto& m = image_.meta;
    if (!m.modality.empty()) lines << tr("Modality: %1").arg(QString::fromStdString(m.modality));
    if (!m.studyDescription.empty())
        lines << tr("Study: %1").arg(QString::fromStdString(m.studyDescription));
    if (!m.seriesDescription.empty())
        lines << tr("Series: %1").arg(QString::fromStdString(m.seriesDescription));
    lines << tr("Size: %1 × %2").arg(image_.width).arg(image_.height);
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
    p.drawImage(QPointF(0, 0), renderedImage());
    p.restore();

    if (overlayVisible_)
        drawShadowedText(p, inner, Qt::AlignLeft | Qt::AlignTop, overlayLines().join('\n'));
    if (!readout_.isEmpty()) drawShadowedText(p, inner, Qt::AlignLeft | Qt::AlignBottom, readout_);
    if (windowTextVisible_)
        drawShadowedText(p, inner, Qt::AlignRight | Qt::AlignBottom, windowText());

    const QString bar = scaleBarText();
    if (!bar.isEmpty()) {
        const double spacing = image_.meta.pixelSpacing[1];
        const double mm = niceBelow(0.25 * width() * spacing / s);
        const int length = int(std::lround(mm / spacing * s));
        const QFontMetrics fm(font());
        // Above the bottom line of text (readout, window), with its label above the bar.
        const int y = height() - fm.height() - 14;
        const int x0 = (width() - length) / 2;
        p.fillRect(QRect(x0, y - 1, length, 4), QColor(0, 0, 0, 200));
        p.fillRect(QRect(x0, y, length, 2), QColor(255, 255, 160));
        p.fillRect(QRect(x0, y - 4, 2, 8), QColor(255, 255, 160));
        p.fillRect(QRect(x0 + length - 2, y - 4, 2, 8), QColor(255, 255, 160));
        drawShadowedText(p, QRect(0, y - 6 - fm.height(), width(), fm.height()),
                         Qt::AlignHCenter | Qt::AlignBottom, bar);
    }
}

void ImageView::updateReadout(const QPointF& widgetPos) {
    if (mode_ == Mode::Empty) return;
    const QPointF ip = mapToImage(widgetPos);
    const int x = int(std::floor(ip.x())), y = int(std::floor(ip.y()));
    if (x < 0 || y < 0 || x >= image_.width || y >= image_.height) {
        if (!readout_.isEmpty()) {
            readout_.clear();
            update();
            Q_EMIT hoverLeft();
        }
        return;
    }
    QVector<float> values;
    const std::size_t plane = std::size_t(image_.width) * std::size_t(image_.height);
    for (int c = 0; c < colourChannels(); ++c)
        values << image_.pixels[std::size_t(c) * plane + std::size_t(y) * image_.width + x];
    QStringList parts;
    for (float v : values)
        parts << number(v);
    QString unit;
    if (!image_.meta.rescaleType.empty() && !image_.meta.windowed)
        unit = QStringLiteral(" ") + QString::fromStdString(image_.meta.rescaleType);
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

void ImageView::wheelEvent(QWheelEvent* event) {
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
