#include "compare_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "colorbar_widget.h"
#include "image_view.h"
#include "view_sync.h"

namespace medvae::ui {

namespace {
QString number(double v, int digits = 4) {
    return QString::number(v, 'g', digits);
}
}  // namespace

ComparePanel::ComparePanel(QWidget* parent)
    : QWidget(parent),
      original_(new ImageView(this)),
      reconstruction_(new ImageView(this)),
      error_(new ImageView(this)),
      colorbar_(new ColorbarWidget(this)),
      sync_(new ViewSync(this)),
      originalTitle_(new QLabel(this)),
      reconstructionTitle_(new QLabel(this)),
      errorTitle_(new QLabel(this)),
      metrics_(new QLabel(this)),
      hoverLabel_(new QLabel(this)),
      crop_(new QLabel(this)),
      mode_(new QComboBox(this)),
      presets_(new QComboBox(this)),
      fit_(new QPushButton(this)),
      oneToOne_(new QPushButton(this)),
      overlay_(new QCheckBox(this)),
      pad_(new QCheckBox(this)) {
    original_->setObjectName(QStringLiteral("originalView"));
    reconstruction_->setObjectName(QStringLiteral("reconstructionView"));
    error_->setObjectName(QStringLiteral("errorView"));
    for (auto* v : {original_, reconstruction_, error_})
        sync_->addView(v);

    auto* tools = new QHBoxLayout;
    tools->addWidget(mode_);
    tools->addWidget(presets_, 1);
    tools->addWidget(fit_);
    tools->addWidget(oneToOne_);
    tools->addWidget(overlay_);
    tools->addWidget(pad_);

    auto* grid = new QGridLayout;
    grid->addWidget(originalTitle_, 0, 0);
    grid->addWidget(reconstructionTitle_, 0, 1);
    grid->addWidget(errorTitle_, 0, 2);
    grid->addWidget(original_, 1, 0);
    grid->addWidget(reconstruction_, 1, 1);
    grid->addWidget(error_, 1, 2);
    grid->addWidget(colorbar_, 1, 3);
    metrics_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    metrics_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* side = new QVBoxLayout;
    side->addWidget(metrics_);
    hoverLabel_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    hoverLabel_->setWordWrap(true);
    side->addWidget(hoverLabel_);
    side->addStretch(1);
    grid->addLayout(side, 1, 4);
    for (int c = 0; c < 3; ++c)
        grid->setColumnStretch(c, 1);

    crop_->setWordWrap(true);
    crop_->setStyleSheet(QStringLiteral("QLabel { color: #b35900; font-weight: bold; }"));
    crop_->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addLayout(grid, 1);
    layout->addWidget(crop_);

    connect(mode_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        setErrorMode(index == 1 ? ErrorMode::Signed : ErrorMode::Absolute);
    });
    connect(presets_, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        // A preset applies to both images so they stay comparable; dragging adjusts one view.
        // The original's preset list (its percentile range), so both show the same window.
        original_->applyWindowPreset(index);
        reconstruction_->setWindow(original_->windowCenter(), original_->windowWidth());
    });
    connect(fit_, &QPushButton::clicked, original_, &ImageView::fitToWindow);
    connect(oneToOne_, &QPushButton::clicked, original_, &ImageView::oneToOne);
    connect(overlay_, &QCheckBox::toggled, original_, &ImageView::setOverlayVisible);
    connect(original_, &ImageView::overlayVisibleChanged, overlay_, &QCheckBox::setChecked);
    connect(pad_, &QCheckBox::toggled, this, &ComparePanel::padToFactorChanged);
    // One cursor, three readouts: the same pixel in all three images.
    for (auto* v : {original_, reconstruction_, error_}) {
        connect(v, &ImageView::pixelHovered, this,
                [this](int x, int y, const QVector<float>&) { showValuesAt(x, y); });
        connect(v, &ImageView::hoverLeft, this, [this] {
            hover_.clear();
            hoverLabel_->clear();
        });
    }
    retranslate();
    clear();
}

void ComparePanel::retranslate() {
    originalTitle_->setText(tr("Original"));
    reconstructionTitle_->setText(tr("Reconstruction"));
    errorTitle_->setText(errorMode_ == ErrorMode::Absolute
                             ? tr("Error |original − reconstruction|")
                             : tr("Signed difference (reconstruction − original)"));
    {
        const QSignalBlocker block(mode_);
        const int index = mode_->currentIndex();
        mode_->clear();
        mode_->addItem(tr("Absolute error"));
        mode_->addItem(tr("Signed difference"));
        mode_->setCurrentIndex(index < 0 ? 0 : index);
    }
    mode_->setToolTip(
        tr("Heatmap of |original − reconstruction| (magma) or of the signed "
           "difference (blue: reconstruction darker, red: brighter)"));
    presets_->setToolTip(tr("Window presets for the original and the reconstruction"));
    fit_->setText(tr("Fit"));
    oneToOne_->setText(tr("1:1"));
    overlay_->setText(tr("Image information"));
    overlay_->setToolTip(
        tr("Show modality, descriptions, size and frame on the original "
           "(hidden by default so screenshots carry no identifiers)"));
    pad_->setText(tr("Pad input to the factor"));
    pad_->setToolTip(
        tr("Pad the input on the right and bottom to a multiple of the model's "
           "factor so that every pixel is reconstructed"));
    refillPresets();
    updateTexts();
}

void ComparePanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

bool ComparePanel::padToFactor() const {
    return pad_->isChecked();
}
void ComparePanel::setPadToFactor(bool pad) {
    pad_->setChecked(pad);
}

void ComparePanel::clear() {
    hasResult_ = false;
    result_ = jobs::Reconstruction{};
    heat_.clear();
    hover_.clear();
    hoverLabel_->clear();
    original_->clear();
    reconstruction_->clear();
    error_->clear();
    colorbar_->clearScale();
    refillPresets();
    updateTexts();
}

void ComparePanel::showError(const QString& message) {
    clear();
    original_->showError(message);
}

void ComparePanel::setReconstruction(const jobs::Reconstruction& result, int factor) {
    const auto& o = result.original;
    const auto& r = result.reconstruction;
    const auto& e = result.signedError;
    if (o.width <= 0 || o.height <= 0 || r.width != o.width || r.height != o.height ||
        e.width != o.width || e.height != o.height || r.channels != o.channels ||
        e.channels != o.channels) {
        showError(tr("The reconstruction cannot be compared: its images differ in size."));
        return;
    }
    result_ = result;
    factor_ = factor;
    hasResult_ = true;
    original_->setImage(o);
    reconstruction_->setImage(r);
    // Same window on both to start with, so differences are not contrast differences.
    reconstruction_->setWindow(original_->windowCenter(), original_->windowWidth());
    refillPresets();
    updateHeatmap();
    updateTexts();
    original_->fitToWindow();
}

void ComparePanel::setErrorMode(ErrorMode mode) {
    errorMode_ = mode;
    {
        const QSignalBlocker block(mode_);
        mode_->setCurrentIndex(mode == ErrorMode::Signed ? 1 : 0);
    }
    errorTitle_->setText(errorMode_ == ErrorMode::Absolute
                             ? tr("Error |original − reconstruction|")
                             : tr("Signed difference (reconstruction − original)"));
    if (hasResult_) updateHeatmap();
}

void ComparePanel::updateHeatmap() {
    const auto& e = result_.signedError;
    const std::size_t plane = std::size_t(e.width) * std::size_t(e.height);
    // Colour originals: one heatmap of the mean over the colour channels (alpha is never here).
    const int channels = e.channels >= 3 ? 3 : 1;
    heat_.assign(plane, 0.0f);
    for (std::size_t i = 0; i < plane; ++i) {
        double sum = 0;
        for (int c = 0; c < channels; ++c) {
            const double d = e.pixels[std::size_t(c) * plane + i];
            sum += errorMode_ == ErrorMode::Absolute ? std::abs(d) : d;
        }
        heat_[i] = float(sum / channels);
    }
    float peak = 0;
    for (float v : heat_)
        if (std::isfinite(v)) peak = std::max(peak, std::abs(v));
    const ViewState state = original_->viewState();
    QString unit = QString::fromStdString(result_.original.meta.rescaleType);
    if (unit.isEmpty() || result_.original.meta.windowed) unit = tr("pixel value");
    if (errorMode_ == ErrorMode::Absolute) {
        error_->setScalarField(heat_.data(), e.width, e.height, ColormapKind::Magma, 0, peak);
        colorbar_->setScale(ColormapKind::Magma, 0, peak, unit);
    } else {
        // Symmetric about zero, so white means "no difference".
        error_->setScalarField(heat_.data(), e.width, e.height, ColormapKind::Diverging, -peak,
                               peak);
        colorbar_->setScale(ColormapKind::Diverging, -peak, peak, unit);
    }
    // Same spacing (scale bar) and units (readout) as the images it compares.
    error_->setMetadata(result_.original.meta);
    error_->setViewState(state);
}

void ComparePanel::refillPresets() {
    const QSignalBlocker block(presets_);
    presets_->clear();
    if (hasResult_) {
        presets_->addItems(original_->windowPresetNames());
        // Show the preset in effect (the file's window or the percentile range), if any.
        const auto presets = original_->windowPresets();
        int current = -1;
        for (int i = 0; i < presets.size() && current < 0; ++i)
            if (presets[i].center == original_->windowCenter() &&
                presets[i].width == original_->windowWidth())
                current = i;
        presets_->setCurrentIndex(current);
    }
    presets_->setEnabled(hasResult_);
}

QString ComparePanel::metricsText() const {
    if (!hasResult_) return {};
    const auto& m = result_.metrics;
    QString unit = QString::fromStdString(result_.original.meta.rescaleType);
    unit =
        unit.isEmpty() || result_.original.meta.windowed ? QString() : QStringLiteral(" ") + unit;
    const QString psnr =
        std::isfinite(m.psnr) ? tr("%1 dB").arg(number(m.psnr)) : tr("∞ (identical)");
    return tr("PSNR: %1\nSSIM: %2\nMAE: %3%4\nMax error: %5%4\nData range: %6%4")
        .arg(psnr, number(m.ssim), number(m.mae), unit, number(m.maxError),
             number(result_.dataRange));
}

QString ComparePanel::cropNotice() const {
    if (!hasResult_ || !result_.cropped) return {};
    const int w = result_.original.width, h = result_.original.height;
    if (factor_ > 0)
        return tr("Compared area %1×%2 of %3×%4: the model's output is a multiple of %5 per side.")
            .arg(w)
            .arg(h)
            .arg(result_.inputWidth)
            .arg(result_.inputHeight)
            .arg(factor_);
    return tr("Compared area %1×%2 of %3×%4: the model's output is a multiple of its "
              "downsampling factor per side.")
        .arg(w)
        .arg(h)
        .arg(result_.inputWidth)
        .arg(result_.inputHeight);
}

void ComparePanel::showValuesAt(int x, int y) {
    const auto& o = result_.original;
    if (!hasResult_ || x < 0 || y < 0 || x >= o.width || y >= o.height) return;
    const std::size_t plane = std::size_t(o.width) * std::size_t(o.height);
    const std::size_t at = std::size_t(y) * std::size_t(o.width) + std::size_t(x);
    const int channels = o.channels >= 3 ? 3 : 1;
    const auto values = [&](const Image& image) {
        QStringList parts;
        for (int c = 0; c < channels; ++c)
            parts << QString::number(image.pixels[std::size_t(c) * plane + at], 'g', 6);
        return parts.join(QStringLiteral(" / "));
    };
    hover_ = tr("x %1  y %2\nOriginal: %3\nReconstruction: %4\nDifference: %5")
                 .arg(x)
                 .arg(y)
                 .arg(values(o), values(result_.reconstruction), values(result_.signedError));
    hoverLabel_->setText(hover_);
}

void ComparePanel::updateTexts() {
    metrics_->setText(metricsText());
    const QString notice = cropNotice();
    crop_->setText(notice);
    crop_->setVisible(!notice.isEmpty());
}

}  // namespace medvae::ui
