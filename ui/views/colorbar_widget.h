#pragma once

#include <QString>
#include <QWidget>

#include "colormap.h"

namespace medvae::ui {

// A vertical colour scale for a colormapped view: the map from `low` (bottom) to `high` (top)
// with labelled values in the data's units.
class ColorbarWidget : public QWidget {
    Q_OBJECT

  public:
    explicit ColorbarWidget(QWidget* parent = nullptr);

    void setScale(ColormapKind kind, double low, double high, const QString& unit = {});
    void clearScale();

    bool hasScale() const { return valid_; }
    ColormapKind kind() const { return kind_; }
    double low() const { return low_; }
    double high() const { return high_; }
    QString unit() const { return unit_; }
    // The tick labels drawn, bottom to top.
    QStringList tickLabels() const;
    // The rectangle the colour ramp is drawn in (bottom row = low, top row = high).
    QRect rampRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    bool valid_ = false;
    ColormapKind kind_ = ColormapKind::Gray;
    double low_ = 0, high_ = 1;
    QString unit_;
};

}  // namespace medvae::ui
