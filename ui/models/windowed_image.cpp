#include "windowed_image.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "colormap.h"
#include "error.h"
#include "picture_tally.h"

namespace medvae::ui {

namespace {

// The usual CT windows (width / level, Hounsfield units), as OHIF and most PACS offer them.
struct CtPreset {
    const char* name;
    double width, center;
};
constexpr CtPreset kCtPresets[] = {
    {QT_TRANSLATE_NOOP("medvae::ui::WindowedImage", "Soft tissue"), 400, 40},
    {QT_TRANSLATE_NOOP("medvae::ui::WindowedImage", "Lung"), 1500, -600},
    {QT_TRANSLATE_NOOP("medvae::ui::WindowedImage", "Liver"), 150, 90},
    {QT_TRANSLATE_NOOP("medvae::ui::WindowedImage", "Bone"), 2500, 480},
    {QT_TRANSLATE_NOOP("medvae::ui::WindowedImage", "Brain"), 80, 40},
};

QString number(double v) {
    return QString::number(v, 'g', 6);
}

}  // namespace

WindowedImage::WindowedImage(std::shared_ptr<const Image> image) : image_(std::move(image)) {
    measure();
    initialCenter_ = defaultCenter();
    initialWidth_ = defaultWidth();
    initial_ = render(initialCenter_, initialWidth_);
}

WindowedImage::WindowedImage(std::shared_ptr<const Image> image, double center, double width)
    : image_(std::move(image)) {
    measure();
    const bool usable = std::isfinite(center) && std::isfinite(width) && width > 0;
    initialCenter_ = usable ? center : defaultCenter();
    initialWidth_ = usable ? width : defaultWidth();
    initial_ = render(initialCenter_, initialWidth_);
}

void WindowedImage::measure() {
    const Image* im = image_.get();
    if (!im || im->width <= 0 || im->height <= 0 || im->channels < 1 || im->channels > 4 ||
        im->pixels.size() !=
            std::size_t(im->width) * std::size_t(im->height) * std::size_t(im->channels))
        throw Error("the image to show has an invalid shape");
    const std::size_t n =
        std::size_t(im->width) * std::size_t(im->height) * std::size_t(colourChannels());
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (std::size_t i = 0; i < n; ++i) {
        const float v = im->pixels[i];
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    if (!(lo <= hi)) lo = hi = 0;
    dataMin_ = lo;
    dataMax_ = hi;
    try {
        const auto range = Colormap::percentiles(im->pixels.data(), n, 0.1, 99.9);
        autoCenter_ = (double(range.first) + double(range.second)) / 2;
        autoWidth_ = double(range.second) - double(range.first);
    } catch (const Error&) {
        autoCenter_ = 0;
        autoWidth_ = 1;
    }
    if (!(autoWidth_ > 0)) autoWidth_ = 1;
}

double WindowedImage::defaultCenter() const {
    const ImageMetadata& m = image_->meta;
    if (!m.windows.empty() && m.windows.front().width > 0 && !m.windowed)
        return m.windows.front().center;
    return autoCenter_;
}

double WindowedImage::defaultWidth() const {
    const ImageMetadata& m = image_->meta;
    if (!m.windows.empty() && m.windows.front().width > 0 && !m.windowed)
        return m.windows.front().width;
    return autoWidth_;
}

double WindowedImage::windowStep() const {
    const double range = double(dataMax_) - double(dataMin_);
    return (range > 0 ? range : 1.0) / 256.0;
}

QVector<WindowPreset> WindowedImage::presets() const {
    QVector<WindowPreset> presets;
    const ImageMetadata& m = image_->meta;
    // Pixels already windowed by the loader are in [0, 1]: the file's windows no longer apply.
    if (!m.windowed)
        for (const auto& w : m.windows)
            if (w.width > 0) {
                WindowPreset p = w;
                if (p.name.empty())
                    p.name = tr("File window %1").arg(presets.size() + 1).toStdString();
                presets.push_back(p);
            }
    if ((m.modality == "CT" || m.rescaleType == "HU") && !m.windowed)
        for (const auto& ct : kCtPresets)
            presets.push_back({ct.center, ct.width, tr(ct.name).toStdString()});
    presets.push_back({autoCenter_, autoWidth_, tr("Full range (0.1-99.9 %)").toStdString()});
    return presets;
}

QStringList WindowedImage::presetNames() const {
    QStringList names;
    for (const auto& p : presets())
        names << tr("%1 (W %2 / L %3)")
                     .arg(QString::fromStdString(p.name), number(p.width), number(p.center));
    return names;
}

namespace {

// round() of the window formula, written out: it runs for every pixel on a window change.
struct Grey {
    double lo, scale;
    Grey(double center, double width) : lo(center - width / 2), scale(255.0 / width) {}
    int operator()(double v) const {
        const double g = (v - lo) * scale;
        if (!(g > 0))  // also NaN
            return 0;
        return g >= 254.5 ? 255 : int(g + 0.5);
    }
};

}  // namespace

QImage WindowedImage::renderRegion(double center, double width, const QRect& source,
                                   int step) const {
    const QRect area = source & QRect(0, 0, image_->width, image_->height);
    step = std::max(1, step);
    if (area.isEmpty()) return QImage();
    const int ow = (area.width() + step - 1) / step, oh = (area.height() + step - 1) / step;
    QImage out(ow, oh, QImage::Format_RGB32);
    const std::size_t w = std::size_t(image_->width);
    const std::size_t plane = w * std::size_t(image_->height);
    const Grey grey(center, width);
    const int nc = colourChannels();
    const float* px = image_->pixels.data();
    // Sample offsets inside a block: its centre, or four points at its quarters.
    const int a = step > 1 ? step / 4 : 0, b = step > 1 ? (3 * step) / 4 : 0;
    for (int oy = 0; oy < oh; ++oy) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(oy));
        const int y0 = area.y() + oy * step, yLast = area.y() + area.height() - 1;
        const std::size_t ra = std::size_t(std::min(y0 + a, yLast)) * w;
        const std::size_t rb = std::size_t(std::min(y0 + b, yLast)) * w;
        for (int ox = 0; ox < ow; ++ox) {
            const int x0 = area.x() + ox * step, xLast = area.x() + area.width() - 1;
            const std::size_t ca = std::size_t(std::min(x0 + a, xLast));
            const std::size_t cb = std::size_t(std::min(x0 + b, xLast));
            int g[3];
            for (int c = 0; c < nc; ++c) {
                const float* p = px + std::size_t(c) * plane;
                g[c] = grey(0.25 * (double(p[ra + ca]) + p[ra + cb] + p[rb + ca] + p[rb + cb]));
            }
            line[ox] = nc == 3 ? qRgb(g[0], g[1], g[2]) : qRgb(g[0], g[0], g[0]);
        }
    }
    return out;
}

QImage WindowedImage::render(double center, double width) const {
    const int w = image_->width, h = image_->height;
    // RGB32 is the raster engine's native format: scaled blits of it are exact nearest-neighbour
    // copies (an RGB888 source goes through a conversion that can be off by one).
    QImage out(w, h, QImage::Format_RGB32);
    const std::size_t plane = std::size_t(w) * std::size_t(h);
    const int nc = colourChannels();
    const float* px = image_->pixels.data();
    const Grey grey(center, width);
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(y));
        const std::size_t row = std::size_t(y) * std::size_t(w);
        for (int x = 0; x < w; ++x) {
            if (nc == 3) {
                line[x] = qRgb(grey(px[row + x]), grey(px[plane + row + x]),
                               grey(px[2 * plane + row + x]));
            } else {
                const int g = grey(px[row + x]);
                line[x] = qRgb(g, g, g);
            }
        }
    }
    return out;
}

void WindowedImage::tally(MemoryTally& tally) const {
    tally.add(*image_);
    tallyPicture(tally, initial_);
}

}  // namespace medvae::ui
