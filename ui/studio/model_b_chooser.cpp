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
      chooseEndpoint_(new QPushButton(this)),
      stop_(new QPushButton(this)) {
    setObjectName(QStringLiteral("modelBChooser"));
    choose_->setObjectName(QStringLiteral("compareWith"));
    chooseEndpoint_->setObjectName(QStringLiteral("compareWithEndpoint"));
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
    layout->addWidget(chooseEndpoint_);
    connect(choose_, &QPushButton::clicked, this, &ModelBChooser::chooseFile);
    connect(chooseEndpoint_, &QPushButton::clicked, this,
            &ModelBChooser::compareWithEndpointRequested);
    connect(stop_, &QPushButton::clicked, this, &ModelBChooser::compareStopped);
    retranslate();
}

void ModelBChooser::setModelB(const QString& checkpointPath, bool remote) {
    path_ = checkpointPath;
    remote_ = remote;
    retranslate();
}

void ModelBChooser::setActiveEndpoint(const QString& profileName) {
    endpoint_ = profileName;
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
    if (path_.isEmpty())
        info_->setText(tr("Off: the Inspect tab shows the loaded model alone."));
    else if (remote_)
        info_->setText(
            tr("Model B: the endpoint %1. The Inspect tab shows A and B side by side.").arg(path_));
    else
        info_->setText(tr("Model B: %1. The Inspect tab shows A and B side by side.")
                           .arg(QFileInfo(path_).fileName()));
    info_->setToolTip(path_);
    choose_->setText(tr("Compare with…"));
    choose_->setToolTip(
        tr("Choose a second checkpoint; it must take the same input channels as "
           "the loaded model (its factor and latent channels may differ)."));
    chooseEndpoint_->setText(tr("Compare with the endpoint…"));
    chooseEndpoint_->setToolTip(
        endpoint_.isEmpty()
            ? tr("No endpoint profile is active: add one in Run ▸ Endpoint Profiles.")
            : tr("Compare with the active endpoint profile %1 (images are sent to it).")
                  .arg(endpoint_));
    chooseEndpoint_->setEnabled(!endpoint_.isEmpty());
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
