#include "ab_compare_panel.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

#include "colorbar_widget.h"
#include "image_view.h"
#include "scalar_map.h"
#include "view_sync.h"
#include "windowed_image.h"

namespace medvae::ui {

namespace {
QString number(double v, int digits = 4) {
    return QString::number(v, 'g', digits);
}
}  // namespace

ABComparePanel::ABComparePanel(QWidget* parent)
    : QWidget(parent),
      original_(new ImageView(this)),
      recA_(new ImageView(this)),
      recB_(new ImageView(this)),
      errA_(new ImageView(this)),
      errB_(new ImageView(this)),
      difference_(new ImageView(this)),
      errorBar_(new ColorbarWidget(this)),
      differenceBar_(new ColorbarWidget(this)),
      sync_(new ViewSync(this)),
      originalTitle_(new QLabel(this)),
      recATitle_(new QLabel(this)),
      recBTitle_(new QLabel(this)),
      errATitle_(new QLabel(this)),
      errBTitle_(new QLabel(this)),
      differenceTitle_(new QLabel(this)),
      metrics_(new QLabel(this)),
      area_(new QLabel(this)) {
    setObjectName(QStringLiteral("abComparePanel"));
    layOut();
    retranslate();
}

void ABComparePanel::layOut() {
    auto* grid = new QGridLayout;
    const QList<QLabel*> titles = {originalTitle_, recATitle_, recBTitle_,
                                   errATitle_,     errBTitle_, differenceTitle_};
    const QList<ImageView*> views = {original_, recA_, recB_, errA_, errB_, difference_};
    // The shared scale beside B's heatmap (A's left of it uses the same), the difference's
    // beside the difference.
    const QList<ColorbarWidget*> bars = {nullptr, nullptr,   nullptr,
                                         nullptr, errorBar_, differenceBar_};
    for (int i = 0; i < 6; ++i) {
        const int row = i / 3 * 2, column = i % 3;
        titles[i]->setWordWrap(true);
        grid->addWidget(titles[i], row, column);
        auto* cell = new QHBoxLayout;
        cell->addWidget(views[i], 1);
        if (bars[i]) cell->addWidget(bars[i]);
        grid->addLayout(cell, row + 1, column);
        grid->setColumnStretch(column, 1);
        sync_->addView(views[i]);
    }
    grid->setRowStretch(1, 1);
    grid->setRowStretch(3, 1);
    metrics_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    metrics_->setWordWrap(true);
    area_->setWordWrap(true);
    area_->setStyleSheet(QStringLiteral("QLabel { color: #b35900; font-weight: bold; }"));
    area_->hide();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(grid, 1);
    layout->addWidget(metrics_);
    layout->addWidget(area_);
}

void ABComparePanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void ABComparePanel::retranslate() {
    originalTitle_->setText(tr("Original"));
    const QString a = model_ ? QString::fromStdString(model_->a().model) : QString();
    const QString b = model_ ? QString::fromStdString(model_->b().model) : QString();
    recATitle_->setText(a.isEmpty() ? tr("Reconstruction A") : tr("Reconstruction A: %1").arg(a));
    recBTitle_->setText(b.isEmpty() ? tr("Reconstruction B") : tr("Reconstruction B: %1").arg(b));
    errATitle_->setText(tr("Error A |original − A|"));
    errBTitle_->setText(tr("Error B |original − B| (same scale)"));
    differenceTitle_->setText(tr("|error A| − |error B|: red where B is closer, blue where A is"));
    metrics_->setText(metricsText());
    const QString notice = areaNotice();
    area_->setText(notice);
    area_->setVisible(!notice.isEmpty());
    if (model_) updateScales();
}

void ABComparePanel::setComparison(std::shared_ptr<const ABComparison> comparison) {
    model_ = std::move(comparison);
    if (!model_) {
        showError(tr("The two reconstructions cannot be compared."));
        return;
    }
    original_->setWindowedImage(model_->original());
    recA_->setWindowedImage(model_->reconstructionA());
    recB_->setWindowedImage(model_->reconstructionB());
    errA_->setScalarMap(model_->errorA());
    errB_->setScalarMap(model_->errorB());
    difference_->setScalarMap(model_->errorDifference());
    retranslate();
}

void ABComparePanel::updateScales() {
    const ImageMetadata& meta = model_->original()->image().meta;
    QString unit = QString::fromStdString(meta.rescaleType);
    if (unit.isEmpty() || meta.windowed) unit = tr("pixel value");
    errorBar_->setScale(model_->errorA()->kind(), 0, model_->errorScale(), unit);
    errorBar_->setClipping(
        false, model_->errorPeak() > model_->errorScale(), tr("A and B: one scale"),
        tr("Both heatmaps span 0 to the larger of their 99th percentiles of |error|, so that "
           "equal colours mean equal errors; larger errors take the top colour."));
    const float d = model_->differenceScale();
    differenceBar_->setScale(model_->errorDifference()->kind(), -d, d, unit);
    const bool clipped = model_->differencePeak() > d;
    differenceBar_->setClipping(
        clipped, clipped, tr("red: B better\nblue: A better"),
        tr("|error A| − |error B| per pixel, from −p to p (p its 99th percentile of magnitude): "
           "positive (red) where B's reconstruction is closer to the original, negative (blue) "
           "where A's is, white where they are equal."));
}

void ABComparePanel::showNotice(const QString& text) {
    model_.reset();
    for (ImageView* v : {original_, recA_, recB_, errA_, errB_, difference_})
        v->showNotice(text);
    errorBar_->clearScale();
    differenceBar_->clearScale();
    retranslate();
}

void ABComparePanel::showError(const QString& message) {
    model_.reset();
    for (ImageView* v : {original_, recA_, recB_, errA_, errB_, difference_})
        v->showError(message);
    errorBar_->clearScale();
    differenceBar_->clearScale();
    metrics_->setText(message);
    area_->hide();
}

QString ABComparePanel::sideText(const ABComparison::Side& side, const QString& label) const {
    const ImageComparison& m = side.rec->metrics;
    const QString psnr =
        std::isfinite(m.psnr) ? tr("%1 dB").arg(number(m.psnr)) : tr("∞ (identical)");
    return tr("%1 (%2, %3×, %4 latent channels): PSNR %5 · SSIM %6 · MAE %7 · max error %8")
        .arg(label, QString::fromStdString(side.model))
        .arg(side.factor)
        .arg(side.latentChannels)
        .arg(psnr, number(m.ssim), number(m.mae), number(m.maxError));
}

QString ABComparePanel::metricsText() const {
    if (!model_) return {};
    return sideText(model_->a(), tr("A")) + QLatin1Char('\n') + sideText(model_->b(), tr("B")) +
           QLatin1Char('\n') +
           tr("B closer at %1 % of the pixels, A closer at %2 %")
               .arg(number(100.0 * double(model_->pixelsBBetter()) /
                               double(model_->commonWidth() * model_->commonHeight()),
                           3))
               .arg(number(100.0 * double(model_->pixelsABetter()) /
                               double(model_->commonWidth() * model_->commonHeight()),
                           3));
}

QString ABComparePanel::areaNotice() const {
    if (!model_ || (model_->commonWidth() == model_->inputWidth() &&
                    model_->commonHeight() == model_->inputHeight()))
        return {};
    return tr("Maps of the area both models reconstructed, %1×%2 of %3×%4 (each model's output is "
              "a multiple of its factor per side); each model's metrics are over its own area.")
        .arg(model_->commonWidth())
        .arg(model_->commonHeight())
        .arg(model_->inputWidth())
        .arg(model_->inputHeight());
}

}  // namespace medvae::ui
