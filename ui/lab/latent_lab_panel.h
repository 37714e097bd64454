#pragma once

#include <QWidget>

#include <ATen/core/Tensor.h>

#include <functional>
#include <utility>

#include "latent_lab.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;

namespace medvae::ui {

class ImageView;

// The Latent lab tab: decode a saved z without its image, interpolate between two z (linear or
// spherical), edit channels (scale, offset, zero, swap, seeded noise) and see the decode and its
// difference to the unedited decode; export the edited z, the decode and a recipe. The work is
// in LatentLab; this only takes input and draws what it prepared.
class LatentLabPanel : public QWidget {
    Q_OBJECT
  public:
    // `currentResult` gives the Inspect tab's shown result as (file name for its z, z); z
    // undefined when there is none.
    LatentLabPanel(LatentLab* lab, std::function<std::pair<QString, at::Tensor>()> currentResult,
                   QWidget* parent = nullptr);

    LatentLab* lab() const { return lab_; }
    QSlider* slider() const { return slider_; }
    ImageView* decodedView() const { return decoded_; }
    ImageView* differenceView() const { return difference_; }
    QLabel* statusLabel() const { return status_; }
    // Adds the edit the controls describe (what the Add button does).
    void addEdit(const LatentEdit& edit);
    void removeEdit(int row);
    void setSpherical(bool spherical);

  protected:
    void changeEvent(QEvent* event) override;

  private:
    QWidget* makeInputRow(LatentLab::Slot slot);
    QWidget* makeEditControls();
    void retranslate();
    void updateControls();
    void showResult();
    void pushInterpolation();
    void openFile(LatentLab::Slot slot);
    void takeResult(LatentLab::Slot slot);
    void exportResult();
    void showExported(const QStringList& written);
    LatentEdit editFromControls() const;

    LatentLab* lab_;
    std::function<std::pair<QString, at::Tensor>()> currentResult_;
    QLabel* help_;
    QLabel* names_[2];
    QPushButton* open_[2];
    QPushButton* take_[2];
    QPushButton* clear_[2];
    QComboBox* mode_;
    QSlider* slider_;
    QLabel* tLabel_;
    QComboBox* op_;
    QSpinBox* channel_;
    QSpinBox* other_;
    QDoubleSpinBox* value_;
    QSpinBox* seed_;
    QPushButton* add_;
    QPushButton* remove_;
    QListWidget* editList_;
    QComboBox* bits_;
    QPushButton* export_;
    QLabel* status_;
    QLabel* decodedTitle_;
    QLabel* differenceTitle_;
    ImageView* decoded_;
    ImageView* difference_;
};

}  // namespace medvae::ui
