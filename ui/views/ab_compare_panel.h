#pragma once

#include <QString>
#include <QWidget>

#include <memory>

#include "ab_comparison.h"

class QLabel;

namespace medvae::ui {

class ColorbarWidget;
class ImageView;
class ViewSync;

// Two models side by side (the Inspect tab while comparing with a model B): original |
// reconstruction A | reconstruction B above, their error heatmaps on one colour scale and the
// difference of the errors (with a colour bar saying where A and where B is closer) below, and
// both models' metrics. Zoom and pan are shared by the six views. It draws an ABComparison
// prepared elsewhere (the worker thread).
class ABComparePanel : public QWidget {
    Q_OBJECT

  public:
    explicit ABComparePanel(QWidget* parent = nullptr);

    void setComparison(std::shared_ptr<const ABComparison> comparison);
    // Text instead of images (what is coming, why nothing came), in every view.
    void showNotice(const QString& text);
    void showError(const QString& message);

    ImageView* originalView() const { return original_; }
    ImageView* reconstructionAView() const { return recA_; }
    ImageView* reconstructionBView() const { return recB_; }
    ImageView* errorAView() const { return errA_; }
    ImageView* errorBView() const { return errB_; }
    ImageView* differenceView() const { return difference_; }
    ColorbarWidget* errorColorbar() const { return errorBar_; }
    ColorbarWidget* differenceColorbar() const { return differenceBar_; }
    ViewSync* viewSync() const { return sync_; }
    QString metricsText() const;
    QString areaNotice() const;
    bool hasResult() const { return model_ != nullptr; }

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void layOut();
    void retranslate();
    void updateScales();
    QString sideText(const ABComparison::Side& side, const QString& label) const;

    ImageView* original_;
    ImageView* recA_;
    ImageView* recB_;
    ImageView* errA_;
    ImageView* errB_;
    ImageView* difference_;
    ColorbarWidget* errorBar_;
    ColorbarWidget* differenceBar_;
    ViewSync* sync_;
    QLabel* originalTitle_;
    QLabel* recATitle_;
    QLabel* recBTitle_;
    QLabel* errATitle_;
    QLabel* errBTitle_;
    QLabel* differenceTitle_;
    QLabel* metrics_;
    QLabel* area_;
    std::shared_ptr<const ABComparison> model_;
};

}  // namespace medvae::ui
