#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;

namespace medvae::ui {

// The model panel's "Compare with…" part: choosing a second checkpoint or the active endpoint
// profile (model B) that every image is also run through, and turning the comparison off. It only
// asks (compareRequested, compareStopped); the window hands B to the inspection, which opens it off
// the GUI thread.
class ModelBChooser : public QWidget {
    Q_OBJECT
  public:
    explicit ModelBChooser(QWidget* parent = nullptr);

    // What is compared with (empty: nothing), as the window set it: a checkpoint's path, or
    // the endpoint profile's name when `remote`.
    void setModelB(const QString& checkpointPath, bool remote = false);
    QString modelB() const { return path_; }
    QString infoText() const;
    // The active endpoint profile's name; empty when none is configured (its button disabled).
    void setActiveEndpoint(const QString& profileName);

  Q_SIGNALS:
    void compareRequested(const QString& checkpointPath);
    void compareWithEndpointRequested();
    void compareStopped();

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void retranslate();
    void chooseFile();

    QLabel* title_;
    QLabel* info_;
    QPushButton* choose_;
    QPushButton* chooseEndpoint_;
    QPushButton* stop_;
    QString path_;
    bool remote_ = false;
    QString endpoint_;
};

}  // namespace medvae::ui
