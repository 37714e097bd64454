#include "model_b_chooser.h"

#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace medvae::ui {

ModelBChooser::ModelBChooser(QWidget* parent)
    : QWidget(parent),
      title_(new QLabel(this)),
      info_(new QLabel(this)),
      choose_(new QPushButton(this)),
      stop_(new QPushButton(this)) {
    setObjectName(QStringLiteral("modelBChooser"));
    choose_->setObjectName(QStringLiteral("compareWith"));
    stop_->setObjectName(QStringLiteral("stopComparing"));
    info_->setWordWrap(true);
    info_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(choose_, 1);
    buttons->addWidget(stop_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title_);
    layout->addWidget(info_);
    layout->addLayout(buttons);
    connect(choose_, &QPushButton::clicked, this, &ModelBChooser::chooseFile);
    connect(stop_, &QPushButton::clicked, this, &ModelBChooser::compareStopped);
    retranslate();
}

void ModelBChooser::setModelB(const QString& checkpointPath) {
    path_ = checkpointPath;
    retranslate();
}

QString ModelBChooser::infoText() const {
    return info_->text();
}

void ModelBChooser::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void ModelBChooser::retranslate() {
    title_->setText(tr("<b>Compare with a second model (B)</b>"));
    info_->setText(path_.isEmpty() ? tr("Off: the Inspect tab shows the loaded model alone.")
                                   : tr("Model B: %1. The Inspect tab shows A and B side by side.")
                                         .arg(QFileInfo(path_).fileName()));
    info_->setToolTip(path_);
    choose_->setText(tr("Compare with…"));
    choose_->setToolTip(
        tr("Choose a second checkpoint; it must take the same input channels as "
           "the loaded model (its factor and latent channels may differ)."));
    stop_->setText(tr("Stop comparing"));
    stop_->setEnabled(!path_.isEmpty());
}

void ModelBChooser::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Compare with checkpoint"), QString(),
        tr("Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)"));
    if (!path.isEmpty()) Q_EMIT compareRequested(path);
}

}  // namespace medvae::ui
