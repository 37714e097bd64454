#include "latent_maps.h"

#include <QPainter>

#include <ATen/ATen.h>

#include <opencv2/core/mat.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "error.h"
#include "image.h"
#include "npy_file.h"
#include "png_writer.h"
#include "scalar_map.h"
#include "windowed_image.h"

namespace medvae::ui {

namespace {

constexpr int kMaxChannels = 256;
constexpr int kGridGap = 2;  // pixels between the maps of an exported grid

// [C, h, w] float32 values of a tensor, or a (translated) reason why not.
QString toPlanes(const at::Tensor& t, std::vector<float>& out, int& c, int& h, int& w) {
    if (!t.defined()) return LatentMaps::tr("no array");
    at::Tensor x = t;
    if (x.dim() == 4 && x.size(0) == 1) x = x.squeeze(0);
    if (x.dim() == 2) x = x.unsqueeze(0);
    if (x.dim() != 3)
        return LatentMaps::tr("expected an array of shape [C, h, w], got %1 dimensions")
            .arg(t.dim());
    if (x.size(0) < 1 || x.size(1) < 1 || x.size(2) < 1)
        return LatentMaps::tr("the array is empty");
    if (x.size(0) > kMaxChannels || x.size(1) > 65536 || x.size(2) > 65536)
        return LatentMaps::tr("the array is too large to show (%1 × %2 × %3)")
            .arg(x.size(0))
            .arg(x.size(1))
            .arg(x.size(2));
    if (!x.is_floating_point()) return LatentMaps::tr("the array is not floating point");
    x = x.to(at::kCPU, at::kFloat).contiguous();
    c = int(x.size(0));
    h = int(x.size(1));
    w = int(x.size(2));
    out.assign(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
    return {};
}

LatentMaps::ChannelStats statsOf(const float* p, std::size_t n) {
    LatentMaps::ChannelStats s;
    double sum = 0;
    std::size_t count = 0;
    s.min = std::numeric_limits<double>::infinity();
    s.max = -s.min;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(p[i])) {
            ++s.nonFinite;
            continue;
        }
        sum += p[i];
        ++count;
        s.min = std::min(s.min, double(p[i]));
        s.max = std::max(s.max, double(p[i]));
    }
    if (count == 0) return LatentMaps::ChannelStats{0, 0, 0, 0, s.nonFinite};
    s.mean = sum / double(count);
    double sq = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(p[i])) sq += (p[i] - s.mean) * (p[i] - s.mean);
    s.std = std::sqrt(sq / double(count));
    return s;
}

void writePng(const QString& path, const QImage& image) {
    QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    cv::Mat mat(rgb.height(), rgb.width(), CV_8UC3);
    for (int y = 0; y < rgb.height(); ++y)
        std::copy_n(rgb.constScanLine(y), std::size_t(rgb.width()) * 3, mat.ptr<std::uint8_t>(y));
    PngWriter::write(path.toStdString(), mat);
}

}  // namespace

bool LatentMaps::Settings::operator==(const Settings& o) const {
    return source == o.source && colormap == o.colormap && rangeMode == o.rangeMode &&
           lowPercent == o.lowPercent && highPercent == o.highPercent && composite == o.composite &&
           compositeVisible == o.compositeVisible;
}

LatentMaps LatentMaps::fromTensors(const at::Tensor& latent, const at::Tensor& z,
                                   const Settings& settings) {
    LatentMaps maps;
    maps.settings_ = settings;
    std::vector<float> l, zz;
    int c = 0, h = 0, w = 0;
    QString problem = toPlanes(latent, l, c, h, w);
    if (!problem.isEmpty()) {
        maps.error_ = tr("Cannot show the latent: %1.").arg(problem);
        return maps;
    }
    if (z.defined()) {
        int zc = 0, zh = 0, zw = 0;
        problem = toPlanes(z, zz, zc, zh, zw);
        if (problem.isEmpty() && (zc != c || zh != h || zw != w))
            problem = tr("its shape differs from the latent's");
        if (!problem.isEmpty()) {
            maps.error_ = tr("Cannot show z: %1.").arg(problem);
            return maps;
        }
    }
    maps.latent_ = std::move(l);
    maps.z_ = std::move(zz);
    maps.channels_ = c;
    maps.height_ = h;
    maps.width_ = w;
    const std::size_t n = std::size_t(w) * std::size_t(h);
    for (int s = 0; s < 2; ++s) {
        const std::vector<float>& v = s == 0 ? maps.latent_ : maps.z_;
        if (v.empty()) continue;
        for (int k = 0; k < c; ++k)
            maps.stats_[s].push_back(statsOf(v.data() + std::size_t(k) * n, n));
    }
    maps.setSettings(settings);
    return maps;
}

void LatentMaps::setSettings(const Settings& wanted) {
    Settings s = wanted;
    if (s.source == Source::Z && !zAvailable()) s.source = Source::Latent;
    if (!(s.lowPercent >= 0 && s.highPercent <= 100 && s.lowPercent < s.highPercent)) {
        s.lowPercent = settings_.lowPercent;
        s.highPercent = settings_.highPercent;
    }
    for (int& k : s.composite)
        k = std::max(0, channels_ > 0 ? std::min(k, channels_ - 1) : k);
    settings_ = s;
    render();
}

const std::vector<float>& LatentMaps::values(Source source) const {
    return source == Source::Z ? z_ : latent_;
}

const float* LatentMaps::plane(int c) const {
    return values().data() + std::size_t(c) * std::size_t(width_) * std::size_t(height_);
}

std::pair<float, float> LatentMaps::percentileRange(int c) const {
    const std::size_t n = std::size_t(width_) * std::size_t(height_);
    try {
        return c < 0 ? Colormap::percentiles(values().data(), n * std::size_t(channels_),
                                             settings_.lowPercent, settings_.highPercent)
                     : Colormap::percentiles(plane(c), n, settings_.lowPercent,
                                             settings_.highPercent);
    } catch (const Error&) {
        return {0.0f, 0.0f};  // no finite value: drawn flat
    }
}

void LatentMaps::render() {
    ranges_.clear();
    maps_.clear();
    composite_.reset();
    if (!hasResult()) return;
    const std::size_t n = std::size_t(width_) * std::size_t(height_);
    const auto shared = percentileRange(-1);
    for (int c = 0; c < channels_; ++c) {
        auto r = settings_.rangeMode == RangeMode::Shared ? shared : percentileRange(c);
        if (settings_.colormap == ColormapKind::Diverging) {
            const float m = std::max(std::abs(r.first), std::abs(r.second));
            r = {-m, m};
        }
        ranges_.push_back(r);
        maps_.push_back(
            std::make_shared<const ScalarMap>(std::vector<float>(plane(c), plane(c) + n), width_,
                                              height_, settings_.colormap, r.first, r.second));
    }
    renderComposite();
}

void LatentMaps::renderComposite() {
    if (!settings_.compositeVisible) return;
    auto rgb = std::make_shared<Image>();
    rgb->width = width_;
    rgb->height = height_;
    rgb->channels = 3;
    const std::size_t n = std::size_t(width_) * std::size_t(height_);
    rgb->pixels.resize(3 * n);
    for (int k = 0; k < 3; ++k) {
        const int c = std::clamp(settings_.composite[std::size_t(k)], 0, channels_ - 1);
        const auto r = percentileRange(c);
        const float* p = plane(c);
        const double span = double(r.second) - double(r.first);
        for (std::size_t i = 0; i < n; ++i) {
            const double t = span > 0 ? (double(p[i]) - r.first) / span : 0.0;
            rgb->pixels[std::size_t(k) * n + i] =
                std::isnan(p[i]) ? 0.0f : float(std::clamp(t, 0.0, 1.0));
        }
    }
    rgb->meta.windows.push_back({0.5, 1.0, "composite"});
    composite_ = std::make_shared<const WindowedImage>(std::move(rgb));
}

std::pair<float, float> LatentMaps::channelRange(int c) const {
    if (c < 0 || c >= int(ranges_.size())) return {0.0f, 0.0f};
    return ranges_[std::size_t(c)];
}

LatentMaps::ChannelStats LatentMaps::channelStats(int c) const {
    const auto& stats = stats_[settings_.source == Source::Z ? 1 : 0];
    if (c < 0 || c >= int(stats.size())) return {};
    return stats[std::size_t(c)];
}

std::shared_ptr<const ScalarMap> LatentMaps::channelMap(int c) const {
    if (c < 0 || c >= int(maps_.size())) return nullptr;
    return maps_[std::size_t(c)];
}

QImage LatentMaps::channelImage(int c) const {
    const auto map = channelMap(c);
    return map ? map->rendered() : QImage();
}

QImage LatentMaps::gridImage() const {
    if (!hasResult()) return {};
    const int columns = std::max(1, int(std::ceil(std::sqrt(double(channels_)))));
    const int rows = (channels_ + columns - 1) / columns;
    QImage grid(columns * width_ + (columns - 1) * kGridGap, rows * height_ + (rows - 1) * kGridGap,
                QImage::Format_RGB32);
    grid.fill(Qt::black);
    QPainter p(&grid);
    for (int c = 0; c < channels_; ++c)
        p.drawImage(
            QPoint((c % columns) * (width_ + kGridGap), (c / columns) * (height_ + kGridGap)),
            channelImage(c));
    p.end();
    return grid;
}

void LatentMaps::exportChannelPng(int c, const QString& path) const {
    if (c < 0 || c >= channels_)
        throw Error("there is no channel " + std::to_string(c) + " to export");
    writePng(path, channelImage(c));
}

void LatentMaps::exportGridPng(const QString& path) const {
    if (!hasResult()) throw Error("there is no latent to export");
    writePng(path, gridImage());
}

void LatentMaps::exportNpy(const QString& path, Source source) const {
    const std::vector<float>& v = values(source);
    if (v.empty())
        throw Error(source == Source::Z ? "z is not available for this result"
                                        : "there is no latent to export");
    NpyFile::write(path.toStdString(), v.data(), {channels_, height_, width_});
}

void LatentMaps::tally(MemoryTally& tally) const {
    tally.add(latent_.data(), latent_.size() * sizeof(float));
    tally.add(z_.data(), z_.size() * sizeof(float));
    for (const auto& map : maps_)
        if (map) map->tally(tally);
    if (composite_) composite_->tally(tally);
}

}  // namespace medvae::ui
