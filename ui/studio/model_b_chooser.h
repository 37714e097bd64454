#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;

namespace medvae::ui {

// The model panel's "Compare with…" part: choosing a second checkpoint (model B) that every
// image is also run through, and turning the comparison off. It only asks (compareRequested,
// compareStopped); the window hands B to the inspection, which opens it off the GUI thread.
class ModelBChooser : public QWidget {
    Q_OBJECT
  public:
    explicit ModelBChooser(QWidget* parent = nullptr);

    // What is compared with (empty: nothing), as the window set it.
    void setModelB(const QString& checkpointPath);
    QString modelB() const { return path_; }
    QString infoText() const;

  Q_SIGNALS:
    void compareRequested(const QString& checkpointPath);
    void compareStopped();

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void retranslate();
    void chooseFile();

    QLabel* title_;
    QLabel* info_;
    QPushButton* choose_;
    QPushButton* stop_;
    QString path_;
};

}  // namespace medvae::ui
