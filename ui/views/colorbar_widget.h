#pragma once

#include <QString>
#include <QWidget>

#include "colormap.h"

namespace medvae::ui {

// A vertical colour scale for a colormapped view: the map from `low` (bottom) to `high` (top)
// with labelled values in the data's units, and how the scale was chosen (a caption below it).
// An end where the data go beyond the scale is labelled "≥ high" or "≤ low".
class ColorbarWidget : public QWidget {
    Q_OBJECT

  public:
    explicit ColorbarWidget(QWidget* parent = nullptr);

    // Resets the clipping marks and the caption.
    void setScale(ColormapKind kind, double low, double high, const QString& unit = {});
    // Marks clipped ends; `caption` is drawn below the ramp, `explanation` is the tooltip.
    void setClipping(bool lowClipped, bool highClipped, const QString& caption,
                     const QString& explanation);
    void clearScale();

    ColormapKind kind() const { return kind_; }
    double low() const { return low_; }
    double high() const { return high_; }
    QString unit() const { return unit_; }
    QString caption() const { return caption_; }
    // The tick labels drawn, bottom to top.
    QStringList tickLabels() const;
    // The rectangle the colour ramp is drawn in (bottom row = low, top row = high).
    QRect rampRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    QRect captionRect() const;

    bool valid_ = false;
    ColormapKind kind_ = ColormapKind::Gray;
    double low_ = 0, high_ = 1;
    QString unit_;
    bool lowClipped_ = false, highClipped_ = false;
    QString caption_;
};

}  // namespace medvae::ui
