#pragma once

#include <QImage>
#include <QString>
#include <QVector>
#include <QWidget>

#include <ATen/core/Tensor.h>

#include <functional>
#include <utility>
#include <vector>

#include "colormap.h"
#include "latent_maps.h"

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

// One colour-mapped map per channel of a latent in a grid, with per-channel statistics, the
// value under the cursor, a false-colour composite of three channels, and export of a channel or
// the grid as PNG and of the arrays as .npy. Shows either the latent (stage 2, what the model
// card's endpoint returns) or z (stage 1, what decode takes).
//
// It draws LatentMaps (ranges, statistics, rendering and exports are there); maps prepared on the
// worker thread come in through setMaps(). A change of the controls redraws the maps here (they
// are small: one value per factor x factor block of the image).
class LatentPanel : public QWidget {
    Q_OBJECT

  public:
    using Source = LatentMaps::Source;
    using RangeMode = LatentMaps::RangeMode;
    using ChannelStats = LatentMaps::ChannelStats;

    explicit LatentPanel(QWidget* parent = nullptr);

    // Shows prepared maps, redrawn with this panel's settings when they were prepared with
    // others (the user changed a control meanwhile).
    void setMaps(LatentMaps maps);
    // Prepares and shows maps here: `latent` and `z` as LatentMaps::fromTensors takes them.
    void setResult(const at::Tensor& latent, const at::Tensor& z = at::Tensor());
    void clear();
    void showError(const QString& message);
    // Text in place of the grid (what is coming, why nothing came), until the next maps.
    void showNotice(const QString& text);
    // What an empty panel says.
    void showStartHint();
    QString noticeText() const;
    // What the controls choose (for maps prepared elsewhere).
    const LatentMaps::Settings& settings() const { return maps_.settings(); }

    void setSource(Source source);
    Source source() const { return settings().source; }
    bool zAvailable() const { return maps_.zAvailable(); }
    void setColormap(ColormapKind kind);
    ColormapKind colormap() const { return settings().colormap; }
    void setRangeMode(RangeMode mode);
    RangeMode rangeMode() const { return settings().rangeMode; }
    // Percentiles in 0..100 with low < high; others are ignored.
    void setPercentiles(double lowPercent, double highPercent);
    double lowPercent() const { return settings().lowPercent; }
    double highPercent() const { return settings().highPercent; }
    void setCompositeChannels(int red, int green, int blue);
    void setCompositeVisible(bool visible);
    bool compositeVisible() const { return settings().compositeVisible; }

    const LatentMaps& maps() const { return maps_; }
    bool hasResult() const { return maps_.hasResult(); }
    int channelCount() const { return maps_.channelCount(); }
    int mapWidth() const { return maps_.width(); }
    int mapHeight() const { return maps_.height(); }
    // The values shown ([C, h, w] row-major, the current source).
    const std::vector<float>& values() const { return maps_.values(); }
    // The colour range drawn for channel c.
    std::pair<float, float> channelRange(int c) const { return maps_.channelRange(c); }
    ChannelStats channelStats(int c) const { return maps_.channelStats(c); }
    ImageView* channelView(int c) const;
    ImageView* compositeView() const { return composite_; }
    ViewSync* viewSync() const { return sync_; }
    QString explanation() const;
    QString hoverText() const { return hover_; }
    QString errorText() const { return error_; }
    // The grid's layout: columns chosen so that the maps are drawn as large as the grid's area
    // allows (rows follow).
    int gridColumns() const { return placedColumns_; }
    QWidget* gridArea() const { return gridHost_; }
    QString sourceToolTip(Source source) const;
    bool sourceSelectable(Source source) const;

    // The channel / the grid at native resolution (one map pixel per latent value), Format_RGB32.
    QImage channelImage(int c) const { return maps_.channelImage(c); }
    QImage gridImage() const { return maps_.gridImage(); }
    // Exports; throw medvae::Error naming the file on failure. Files appear complete or not at all.
    void exportChannelPng(int c, const QString& path) const { maps_.exportChannelPng(c, path); }
    void exportGridPng(const QString& path) const { maps_.exportGridPng(path); }
    // The current source's (or the given source's) array, float32 [C, h, w].
    void exportNpy(const QString& path) const { maps_.exportNpy(path, source()); }
    void exportNpy(const QString& path, Source source) const { maps_.exportNpy(path, source); }

  Q_SIGNALS:
    void sourceChanged(medvae::ui::LatentMaps::Source source);
    // (channel, x, y, value) under the cursor; channel -1 for the composite.
    void valueHovered(int channel, int x, int y, float value);

  protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void initControls();
    void layOut();
    void connectControls();
    void connectExports();
    void retranslate();
    void applySettings(const LatentMaps::Settings& settings);
    void display(LatentMaps maps);
    void syncControls();
    void rebuildGrid();
    void addChannelTile(int c);
    // Puts the tiles into the grid with the number of columns that shows the maps largest at
    // the grid's size (again when that number changed, or always when `force`).
    void placeTiles(bool force = false);
    void refresh();
    void updateStatsLabels();
    void onHover(int channel, int x, int y);
    void exportTo(const QString& title, const QString& suggested, const QString& filter,
                  const std::function<void(const QString&)>& write);

    LatentMaps maps_;
    int gridChannels_ = -1;  // channels the grid's widgets were built for (-1: none yet)
    bool gridComposite_ = false;
    int placedColumns_ = 0;
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
    QLabel* notice_;
    QVector<ImageView*> views_;
    QVector<QLabel*> titles_;
    QVector<QLabel*> statLabels_;
    ImageView* composite_;
    QLabel* compositeTitle_;
    ViewSync* sync_;
};

}  // namespace medvae::ui

Q_DECLARE_METATYPE(medvae::ui::LatentMaps::Source)
