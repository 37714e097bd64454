#pragma once

#include <QImage>
#include <QString>
#include <QVector>
#include <QWidget>

#include <ATen/core/Tensor.h>

#include <utility>
#include <vector>

#include "colormap.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QWidget;

namespace medvae::ui {

class ImageView;
class ViewSync;

// One colour-mapped map per channel of a latent ([C, h, w]) in a grid, with per-channel
// statistics, the value under the cursor, a false-colour composite of three channels, and export
// of a channel or the grid as PNG and of the arrays as .npy. Shows either the latent (stage 2,
// what the model card's endpoint returns) or z (stage 1, what decode takes).
//
// Ranges: the lowPercent..highPercent percentiles of the finite values (1-99 % by default, since
// min-max saturates), over all channels (shared) or per channel; the diverging map uses the
// symmetric range [-m, m], m = max(|low|, |high|), so white is 0. The composite scales each of
// its three channels to that channel's own percentile range.
class LatentPanel : public QWidget {
    Q_OBJECT

  public:
    enum class Source { Latent, Z };
    enum class RangeMode { Shared, PerChannel };
    struct ChannelStats {
        double min = 0, max = 0, mean = 0, std = 0;  // over finite values; std with ddof 0
        std::size_t nonFinite = 0;
    };

    explicit LatentPanel(QWidget* parent = nullptr);

    // `latent` and `z`: float tensors [C, h, w] (or [1, C, h, w], or [h, w] for one channel);
    // `z` may be undefined (remote results have none). Copied; bad shapes show an error.
    void setResult(const at::Tensor& latent, const at::Tensor& z = at::Tensor());
    void clear();
    void showError(const QString& message);

    void setSource(Source source);
    Source source() const { return source_; }
    bool zAvailable() const { return !z_.empty(); }
    void setColormap(ColormapKind kind);
    ColormapKind colormap() const { return colormap_; }
    void setRangeMode(RangeMode mode);
    RangeMode rangeMode() const { return rangeMode_; }
    // Percentiles in 0..100 with low < high; others are ignored.
    void setPercentiles(double lowPercent, double highPercent);
    double lowPercent() const { return lowPercent_; }
    double highPercent() const { return highPercent_; }
    void setCompositeChannels(int red, int green, int blue);
    void setCompositeVisible(bool visible);
    bool compositeVisible() const { return compositeVisible_; }

    bool hasResult() const { return channels_ > 0; }
    int channelCount() const { return channels_; }
    int mapWidth() const { return width_; }
    int mapHeight() const { return height_; }
    // The values shown ([C, h, w] row-major, the current source).
    const std::vector<float>& values() const { return source_ == Source::Z ? z_ : latent_; }
    // The colour range drawn for channel c.
    std::pair<float, float> channelRange(int c) const;
    ChannelStats channelStats(int c) const;
    ImageView* channelView(int c) const;
    ImageView* compositeView() const { return composite_; }
    ViewSync* viewSync() const { return sync_; }
    QString explanation() const;
    QString hoverText() const;
    QString errorText() const;
    QString sourceToolTip(Source source) const;
    bool sourceSelectable(Source source) const;

    // The channel / the grid at native resolution (one map pixel per latent value), Format_RGB32.
    QImage channelImage(int c) const;
    QImage gridImage() const;
    // Exports; throw medvae::Error naming the file on failure. Files appear complete or not at all.
    void exportChannelPng(int c, const QString& path) const;
    void exportGridPng(const QString& path) const;
    // The current source's (or the given source's) array, float32 [C, h, w].
    void exportNpy(const QString& path) const;
    void exportNpy(const QString& path, Source source) const;

  Q_SIGNALS:
    void sourceChanged(medvae::ui::LatentPanel::Source source);
    // (channel, x, y, value) under the cursor; channel -1 for the composite.
    void valueHovered(int channel, int x, int y, float value);

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void retranslate();
    void rebuildGrid();
    void refresh();
    void updateComposite();
    void updateStatsLabels();
    void onHover(int channel, int x, int y);
    void askExportChannel();
    void askExportGrid();
    void askExportNpy();
    const float* plane(int c) const;
    std::pair<float, float> percentileRange(int c) const;

    std::vector<float> latent_, z_;
    int channels_ = 0, width_ = 0, height_ = 0;
    Source source_ = Source::Latent;
    ColormapKind colormap_ = ColormapKind::Viridis;
    RangeMode rangeMode_ = RangeMode::Shared;
    double lowPercent_ = 1, highPercent_ = 99;
    int compositeChannels_[3] = {0, 1, 2};
    bool compositeVisible_ = true;
    std::vector<std::pair<float, float>> ranges_;
    QString hover_;
    QString error_;

    QRadioButton* latentButton_;
    QRadioButton* zButton_;
    QButtonGroup* sourceGroup_;
    QLabel* explanation_;
    QLabel* colormapLabel_;
    QComboBox* colormapBox_;
    QComboBox* rangeBox_;
    QLabel* percentLabel_;
    QDoubleSpinBox* lowSpin_;
    QDoubleSpinBox* highSpin_;
    QCheckBox* compositeCheck_;
    QSpinBox* compositeSpins_[3];
    QComboBox* exportChannelBox_;
    QPushButton* exportChannelButton_;
    QPushButton* exportGridButton_;
    QPushButton* exportNpyButton_;
    QWidget* gridHost_;
    QGridLayout* grid_;
    QLabel* hoverLabel_;
    QLabel* statusLabel_;
    QVector<ImageView*> views_;
    QVector<QLabel*> titles_;
    QVector<QLabel*> statLabels_;
    ImageView* composite_;
    QLabel* compositeTitle_;
    ViewSync* sync_;
};

}  // namespace medvae::ui

Q_DECLARE_METATYPE(medvae::ui::LatentPanel::Source)
