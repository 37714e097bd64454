#pragma once

#include <QString>
#include <QWidget>

#include <vector>

#include "colormap.h"
#include "reconstruction.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace medvae::ui {

class ColorbarWidget;
class ImageView;
class ViewSync;

// Original | reconstruction | error heatmap side by side, zoom and pan synchronised across the
// three, a colorbar for the heatmap in the original's units and the comparison metrics.
// It displays a jobs::Reconstruction handed to it and computes nothing but the heatmap.
class ComparePanel : public QWidget {
    Q_OBJECT

  public:
    enum class ErrorMode { Absolute, Signed };

    explicit ComparePanel(QWidget* parent = nullptr);

    // `factor`: the model's downsampling factor, named in the crop notice when known (0: unknown).
    void setReconstruction(const jobs::Reconstruction& result, int factor = 0);
    void clear();
    void showError(const QString& message);

    void setErrorMode(ErrorMode mode);
    ErrorMode errorMode() const { return errorMode_; }
    bool padToFactor() const;
    void setPadToFactor(bool pad);

    ImageView* originalView() const { return original_; }
    ImageView* reconstructionView() const { return reconstruction_; }
    ImageView* errorView() const { return error_; }
    ColorbarWidget* colorbar() const { return colorbar_; }
    ViewSync* viewSync() const { return sync_; }
    QComboBox* presetBox() const { return presets_; }
    // The heatmap's values (|error| or signed error, mean over colour channels), row-major.
    const std::vector<float>& heatmapValues() const { return heat_; }
    QString metricsText() const;
    // Empty unless the compared area is smaller than the input.
    QString cropNotice() const;
    // Original, reconstruction and error at the pixel under the cursor in any of the three views.
    QString hoverText() const { return hover_; }
    bool hasResult() const { return hasResult_; }

  Q_SIGNALS:
    // The user asked to pad inputs to a multiple of the factor (the caller re-runs the model).
    void padToFactorChanged(bool pad);

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void retranslate();
    void updateHeatmap();
    void updateTexts();
    void refillPresets();
    void showValuesAt(int x, int y);

    ImageView* original_;
    ImageView* reconstruction_;
    ImageView* error_;
    ColorbarWidget* colorbar_;
    ViewSync* sync_;
    QLabel* originalTitle_;
    QLabel* reconstructionTitle_;
    QLabel* errorTitle_;
    QLabel* metrics_;
    QLabel* hoverLabel_;
    QLabel* crop_;
    QComboBox* mode_;
    QComboBox* presets_;
    QPushButton* fit_;
    QPushButton* oneToOne_;
    QCheckBox* overlay_;
    QCheckBox* pad_;

    bool hasResult_ = false;
    jobs::Reconstruction result_;
    int factor_ = 0;
    ErrorMode errorMode_ = ErrorMode::Absolute;
    std::vector<float> heat_;
    QString hover_;
};

}  // namespace medvae::ui
