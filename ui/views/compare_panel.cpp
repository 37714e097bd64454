#include "compare_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "colorbar_widget.h"
#include "image_view.h"
#include "scalar_map.h"
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
      pad_(new QCheckBox(this)),
      link_(new QCheckBox(this)) {
    layOut();
    connectControls();
    retranslate();
    showStartHint();
}

void ComparePanel::layOut() {
    original_->setObjectName(QStringLiteral("originalView"));
    reconstruction_->setObjectName(QStringLiteral("reconstructionView"));
    error_->setObjectName(QStringLiteral("errorView"));
    for (auto* v : {original_, reconstruction_, error_})
        sync_->addView(v);

    auto* tools = new QHBoxLayout;
    tools->addWidget(mode_);
    // Wide enough for "Full range (0.1-99.9 %)" in every language; longer names (a file's own
    // windows) are whole in the item's tooltip.
    presets_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    presets_->setMinimumContentsLength(26);
    tools->addWidget(presets_, 1);
    link_->setObjectName(QStringLiteral("windowLink"));
    link_->setChecked(true);
    tools->addWidget(link_);
    tools->addWidget(fit_);
    tools->addWidget(oneToOne_);
    // The display options on a row of their own: in one row with the rest the panel was wider
    // than the Inspect page on a 1600-pixel screen in every language (it scrolled sideways).
    auto* options = new QHBoxLayout;
    options->addWidget(overlay_);
    options->addWidget(pad_);
    options->addStretch(1);

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
    layout->addLayout(options);
    layout->addLayout(grid, 1);
    layout->addWidget(crop_);
}

void ComparePanel::connectControls() {
    connect(mode_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        setErrorMode(index == 1 ? ErrorMode::Signed : ErrorMode::Absolute);
    });
    connect(presets_, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        // A preset applies to both images so they stay comparable, linked or not. The
        // original's preset list (its percentile range), so both show the same window.
        if (index < 0 || index >= original_->windowPresets().size()) return;  // "Custom"
        original_->applyWindowPreset(index);
        reconstruction_->setWindow(original_->windowCenter(), original_->windowWidth());
    });
    connect(original_, &ImageView::windowChanged, this,
            [this](double c, double w) { followWindow(original_, c, w); });
    connect(reconstruction_, &ImageView::windowChanged, this,
            [this](double c, double w) { followWindow(reconstruction_, c, w); });
    connect(link_, &QCheckBox::toggled, this, [this](bool linked) {
        if (linked) followWindow(original_, original_->windowCenter(), original_->windowWidth());
        Q_EMIT windowLinkChanged(linked);
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
}

void ComparePanel::retranslate() {
    originalTitle_->setText(tr("Original"));
    reconstructionTitle_->setText(tr("Reconstruction"));
    errorTitle_->setText(errorTitle());
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
    link_->setText(tr("Link window"));
    link_->setToolTip(
        tr("Window/level changes on the original or the reconstruction apply to both"));
    pad_->setText(tr("Pad input to the factor"));
    pad_->setToolTip(
        tr("Pad the input on the right and bottom to a multiple of the model's "
           "factor so that every pixel is reconstructed"));
    refillPresets();
    updateTexts();
    if (model_) updateHeatmap();  // the colorbar's caption
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

bool ComparePanel::windowLinked() const {
    return link_->isChecked();
}
void ComparePanel::setWindowLinked(bool linked) {
    link_->setChecked(linked);
}

void ComparePanel::followWindow(ImageView* from, double center, double width) {
    if (followingWindow_) return;
    followingWindow_ = true;
    ImageView* other = from == original_ ? reconstruction_ : original_;
    if (windowLinked() && other->mode() == ImageView::Mode::Window &&
        (other->windowCenter() != center || other->windowWidth() != width))
        other->setWindow(center, width);
    followingWindow_ = false;
    showPresetInEffect();
}

void ComparePanel::clear() {
    model_.reset();
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

void ComparePanel::showNotices(const QString& original, const QString& results) {
    clear();
    original_->showNotice(original);
    reconstruction_->showNotice(results);
    error_->showNotice(results);
}

void ComparePanel::showStartHint() {
    const QString open = QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText);
    const QString paste = QKeySequence(QKeySequence::Paste).toString(QKeySequence::NativeText);
    showNotices(tr("No image yet.\n\nFile ▸ Open Images… (%1), Open Folder… or Open URL…\n"
                   "or drop image files or a folder on the window\n"
                   "or paste a path, address or image (%2).")
                    .arg(open, paste),
                tr("The reconstruction and its error appear here once an image is computed."));
}

void ComparePanel::showLoadedOriginal(std::shared_ptr<const WindowedImage> original) {
    if (model_ || !original) return;
    original_->setWindowedImage(std::move(original));
    original_->fitToWindow();
    refillPresets();
}

void ComparePanel::showResultNotice(const QString& text) {
    model_.reset();
    if (original_->mode() != ImageView::Mode::Window) original_->showNotice(text);
    hover_.clear();
    hoverLabel_->clear();
    reconstruction_->showNotice(text);
    error_->showNotice(text);
    colorbar_->clearScale();
    updateTexts();
}

void ComparePanel::setReconstruction(const Reconstruction& result, int factor) {
    setComparison(CompareModel::prepare(std::make_shared<const Reconstruction>(result), factor));
}

void ComparePanel::setComparison(std::shared_ptr<const CompareModel> comparison,
                                 const QString& note) {
    note_ = note;
    if (!comparison) {
        showError(tr("The reconstruction cannot be compared: its images differ in size."));
        return;
    }
    model_ = std::move(comparison);
    original_->setWindowedImage(model_->original());
    // Prepared under the original's window, so differences are not contrast differences.
    reconstruction_->setWindowedImage(model_->reconstructed());
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
    errorTitle_->setText(errorTitle());
    if (model_) updateHeatmap();
}

QString ComparePanel::errorTitle() const {
    return errorMode_ == ErrorMode::Absolute ? tr("Error |original − reconstruction|")
                                             : tr("Signed difference (reconstruction − original)");
}

std::vector<float> ComparePanel::heatmapValues() const {
    if (!model_) return {};
    return model_->heatmap(heatmapKind()).map->values();
}

ErrorHeatmap::Kind ComparePanel::heatmapKind() const {
    return errorMode_ == ErrorMode::Signed ? ErrorHeatmap::Kind::Signed
                                           : ErrorHeatmap::Kind::Absolute;
}

void ComparePanel::updateHeatmap() {
    const CompareModel::Heatmap& heatmap = model_->heatmap(heatmapKind());
    const ViewState state = original_->viewState();
    const ImageMetadata& meta = model_->reconstruction().original.meta;
    QString unit = QString::fromStdString(meta.rescaleType);
    if (unit.isEmpty() || meta.windowed) unit = tr("pixel value");
    error_->setScalarMap(heatmap.map);
    colorbar_->setScale(heatmap.map->kind(), heatmap.map->low(), heatmap.map->high(), unit);
    colorbar_->setClipping(errorMode_ == ErrorMode::Signed && heatmap.clipped, heatmap.clipped,
                           tr("scale: 99th percentile"), scaleToolTip());
    error_->setViewState(state);
}

QString ComparePanel::scaleToolTip() const {
    if (errorMode_ == ErrorMode::Signed)
        return tr(
            "Colours span −p to p, p the 99th percentile of |reconstruction − original|, so "
            "that a few hot pixels do not wash out the map; larger differences take the end "
            "colours.");
    return tr(
        "Colours span 0 to the 99th percentile of |original − reconstruction|, so that a "
        "few hot pixels do not wash out the map; larger errors take the top colour. Batch "
        "export's error PNG uses the same scale.");
}

void ComparePanel::refillPresets() {
    const QSignalBlocker block(presets_);
    presets_->clear();
    const bool windowed = original_->mode() == ImageView::Mode::Window;
    if (windowed) {
        // The name alone fits the row in every language; its window values (which can be long,
        // "W 65333.3 / L 32666.6") are in the item's tooltip and on the view.
        const QStringList withValues = original_->windowPresetNames();
        for (const WindowPreset& p : original_->windowPresets()) {
            presets_->addItem(QString::fromStdString(p.name));
            presets_->setItemData(presets_->count() - 1, withValues.value(presets_->count() - 1),
                                  Qt::ToolTipRole);
        }
        presets_->addItem(tr("Custom"));
    }
    presets_->setEnabled(windowed);
    showPresetInEffect();
}

void ComparePanel::showPresetInEffect() {
    if (presets_->count() == 0) return;
    const QSignalBlocker block(presets_);
    const auto presets = original_->windowPresets();
    int current = presets_->count() - 1;  // "Custom"
    for (int i = 0; i < presets.size() && i < current; ++i)
        if (presets[i].center == original_->windowCenter() &&
            presets[i].width == original_->windowWidth()) {
            current = i;
            break;
        }
    presets_->setCurrentIndex(current);
}

QString ComparePanel::metricsText() const {
    if (!model_) return {};
    const Reconstruction& rec = model_->reconstruction();
    const auto& m = rec.metrics;
    QString unit = QString::fromStdString(rec.original.meta.rescaleType);
    unit = unit.isEmpty() || rec.original.meta.windowed ? QString() : QStringLiteral(" ") + unit;
    const QString psnr =
        std::isfinite(m.psnr) ? tr("%1 dB").arg(number(m.psnr)) : tr("∞ (identical)");
    return tr("PSNR: %1\nSSIM: %2\nMAE: %3%4\nMax error: %5%4\nData range: %6%4")
        .arg(psnr, number(m.ssim), number(m.mae), unit, number(m.maxError), number(rec.dataRange));
}

QString ComparePanel::cropNotice() const {
    if (!model_ || !model_->reconstruction().cropped) return {};
    const Reconstruction& rec = model_->reconstruction();
    const int w = rec.original.width, h = rec.original.height;
    if (model_->factor() > 0)
        return tr("Compared area %1×%2 of %3×%4: the model's output is a multiple of %5 per side.")
            .arg(w)
            .arg(h)
            .arg(rec.inputWidth)
            .arg(rec.inputHeight)
            .arg(model_->factor());
    return tr("Compared area %1×%2 of %3×%4: the model's output is a multiple of its "
              "downsampling factor per side.")
        .arg(w)
        .arg(h)
        .arg(rec.inputWidth)
        .arg(rec.inputHeight);
}

void ComparePanel::showValuesAt(int x, int y) {
    if (!model_) return;
    const Reconstruction& rec = model_->reconstruction();
    const auto& o = rec.original;
    if (x < 0 || y < 0 || x >= o.width || y >= o.height) return;
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
                 .arg(values(o), values(rec.reconstruction), values(rec.signedError));
    hoverLabel_->setText(hover_);
}

QString ComparePanel::noticeText() const {
    QStringList parts;
    if (const QString crop = cropNotice(); !crop.isEmpty()) parts << crop;
    if (model_ && !note_.isEmpty()) parts << note_;
    return parts.join(QLatin1Char('\n'));
}

void ComparePanel::updateTexts() {
    metrics_->setText(metricsText());
    const QString notice = noticeText();
    crop_->setText(notice);
    crop_->setVisible(!notice.isEmpty());
}

}  // namespace medvae::ui
