#pragma once

#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

#include "colormap.h"
#include "compare_model.h"
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
// It draws a CompareModel prepared elsewhere (the worker thread); the heatmap's scale is
// ErrorHeatmap's (0 to the 99th percentile), the one batch export's error PNG uses.
class ComparePanel : public QWidget {
    Q_OBJECT

  public:
    enum class ErrorMode { Absolute, Signed };

    explicit ComparePanel(QWidget* parent = nullptr);

    // Shows a prepared comparison (nullptr: the images could not be compared). `note`: what
    // the backend said of this result (an approximation, say), shown with it; empty: nothing.
    void setComparison(std::shared_ptr<const CompareModel> comparison,
                       const QString& note = QString());
    // Prepares and shows `result` here. `factor`: the model's downsampling factor, named in the
    // crop notice when known (0: unknown).
    void setReconstruction(const Reconstruction& result, int factor = 0);
    void clear();
    void showError(const QString& message);
    // Text instead of images: `original` in the original's view, `results` in the
    // reconstruction's and the heatmap's (what to do, what is coming, why nothing came).
    void showNotices(const QString& original, const QString& results);
    // What to do with an empty window: open, drop or paste an image.
    void showStartHint();
    // The image being computed, prepared before the model runs; the reconstruction and heatmap
    // keep their notices until setComparison(). Ignored while a comparison is shown.
    void showLoadedOriginal(std::shared_ptr<const WindowedImage> original);
    // Replaces what the reconstruction's and the heatmap's views show by `text`; the original
    // stays when its image is shown (a job cancelled after the image loaded), else says it too.
    void showResultNotice(const QString& text);

    // Whether window/level is shared by the original and the reconstruction (on by default):
    // a drag or preset on one applies to both, so that they stay comparable.
    void setWindowLinked(bool linked);
    bool windowLinked() const;

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
    QCheckBox* windowLinkBox() const { return link_; }
    // The heatmap's values (|error| or signed error, mean over colour channels), row-major.
    std::vector<float> heatmapValues() const;
    QString metricsText() const;
    // Empty unless the compared area is smaller than the input.
    QString cropNotice() const;
    // The crop notice and the result's note, as shown under the metrics.
    QString noticeText() const;
    // Original, reconstruction and error at the pixel under the cursor in any of the three views.
    QString hoverText() const { return hover_; }
    bool hasResult() const { return model_ != nullptr; }

  Q_SIGNALS:
    // The user asked to pad inputs to a multiple of the factor (the caller re-runs the model).
    void padToFactorChanged(bool pad);
    void windowLinkChanged(bool linked);

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void layOut();
    void connectControls();
    void retranslate();
    QString errorTitle() const;
    QString scaleToolTip() const;
    ErrorHeatmap::Kind heatmapKind() const;
    void updateHeatmap();
    void updateTexts();
    void refillPresets();
    // The preset box names the preset in effect, or "Custom" after a manual change.
    void showPresetInEffect();
    void followWindow(ImageView* from, double center, double width);
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
    QCheckBox* link_;

    std::shared_ptr<const CompareModel> model_;
    ErrorMode errorMode_ = ErrorMode::Absolute;
    QString hover_;
    QString note_;                  // of the comparison shown
    bool followingWindow_ = false;  // set while one view's window is copied to the other
};

}  // namespace medvae::ui
