#pragma once

#include <QCoreApplication>
#include <QImage>
#include <QString>

#include <ATen/core/Tensor.h>

#include <array>
#include <memory>
#include <utility>
#include <vector>

#include "colormap.h"
#include "memory_tally.h"

namespace medvae::ui {

class ScalarMap;
class WindowedImage;

// The latent channels of a result as maps ready to draw, without widgets (the latent panel only
// draws them; the worker thread prepares them): the arrays ([C, h, w] of the latent, stage 2, and
// of z, stage 1), per-channel statistics, the colour range of each map, the rendered maps, a
// false-colour composite of three channels, and the exports.
//
// Ranges: the lowPercent..highPercent percentiles of the finite values (1-99 % by default, since
// min-max saturates), over all channels (shared) or per channel; the diverging map uses the
// symmetric range [-m, m], m = max(|low|, |high|), so white is 0. The composite scales each of
// its three channels to that channel's own percentile range.
class LatentMaps {
    Q_DECLARE_TR_FUNCTIONS(medvae::ui::LatentMaps)

  public:
    enum class Source { Latent, Z };
    enum class RangeMode { Shared, PerChannel };
    struct ChannelStats {
        double min = 0, max = 0, mean = 0, std = 0;  // over finite values; std with ddof 0
        std::size_t nonFinite = 0;
    };
    // How the maps are drawn (what the panel's controls choose).
    struct Settings {
        Source source = Source::Latent;
        ColormapKind colormap = ColormapKind::Viridis;
        RangeMode rangeMode = RangeMode::Shared;
        double lowPercent = 1, highPercent = 99;
        std::array<int, 3> composite = {0, 1, 2};  // channels shown as red, green, blue
        bool compositeVisible = true;
        bool operator==(const Settings& o) const;
        bool operator!=(const Settings& o) const { return !(*this == o); }
    };

    LatentMaps() = default;
    // `latent` and `z`: float tensors [C, h, w] (or [1, C, h, w], or [h, w] for one channel);
    // `z` may be undefined (remote results have none). Copied. A bad shape gives maps that hold
    // nothing and say why (error()).
    static LatentMaps fromTensors(const at::Tensor& latent, const at::Tensor& z,
                                  const Settings& settings);

    bool hasResult() const { return channels_ > 0; }
    QString error() const { return error_; }
    int channelCount() const { return channels_; }
    int width() const { return width_; }
    int height() const { return height_; }
    bool zAvailable() const { return !z_.empty(); }

    const Settings& settings() const { return settings_; }
    // Redraws what the new settings change. Invalid ones are corrected: z without z falls back
    // to the latent, composite channels are clamped, percentiles need 0 <= low < high <= 100
    // (otherwise the old ones stay).
    void setSettings(const Settings& settings);

    // The values shown ([C, h, w] row-major, the current source), or those of `source`.
    const std::vector<float>& values() const { return values(settings_.source); }
    const std::vector<float>& values(Source source) const;
    const float* plane(int c) const;
    std::pair<float, float> channelRange(int c) const;
    ChannelStats channelStats(int c) const;
    std::shared_ptr<const ScalarMap> channelMap(int c) const;
    std::shared_ptr<const WindowedImage> composite() const { return composite_; }

    // The channel / the grid at native resolution (one map pixel per latent value), RGB32.
    QImage channelImage(int c) const;
    QImage gridImage() const;
    // Exports; throw medvae::Error naming the file on failure. Files appear complete or not at all.
    void exportChannelPng(int c, const QString& path) const;
    void exportGridPng(const QString& path) const;
    void exportNpy(const QString& path, Source source) const;

    // Adds what it holds (values, maps, pictures) to `tally`.
    void tally(MemoryTally& tally) const;

  private:
    void render();
    void renderComposite();
    std::pair<float, float> percentileRange(int c) const;

    std::vector<float> latent_, z_;
    int channels_ = 0, width_ = 0, height_ = 0;
    QString error_;
    Settings settings_;
    std::vector<ChannelStats> stats_[2];  // per source
    std::vector<std::pair<float, float>> ranges_;
    std::vector<std::shared_ptr<const ScalarMap>> maps_;
    std::shared_ptr<const WindowedImage> composite_;
};

}  // namespace medvae::ui
