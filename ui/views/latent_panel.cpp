#include "latent_panel.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <ATen/ATen.h>

#include <opencv2/core/mat.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "error.h"
#include "image_view.h"
#include "npy_file.h"
#include "png_writer.h"
#include "view_sync.h"

namespace medvae::ui {

namespace {

constexpr int kMaxChannels = 256;
constexpr int kGridGap = 2;  // pixels between the maps of an exported grid

QString number(double v) {
    return QString::number(v, 'g', 4);
}

// [C, h, w] float32 values of a tensor, or an error message.
QString toPlanes(const at::Tensor& t, std::vector<float>& out, int& c, int& h, int& w) {
    if (!t.defined()) return LatentPanel::tr("no array");
    at::Tensor x = t;
    if (x.dim() == 4 && x.size(0) == 1) x = x.squeeze(0);
    if (x.dim() == 2) x = x.unsqueeze(0);
    if (x.dim() != 3)
        return LatentPanel::tr("expected an array of shape [C, h, w], got %1 dimensions")
            .arg(t.dim());
    if (x.size(0) < 1 || x.size(1) < 1 || x.size(2) < 1)
        return LatentPanel::tr("the array is empty");
    if (x.size(0) > kMaxChannels || x.size(1) > 65536 || x.size(2) > 65536)
        return LatentPanel::tr("the array is too large to show (%1 × %2 × %3)")
            .arg(x.size(0))
            .arg(x.size(1))
            .arg(x.size(2));
    if (!x.is_floating_point()) return LatentPanel::tr("the array is not floating point");
    x = x.to(at::kCPU, at::kFloat).contiguous();
    c = int(x.size(0));
    h = int(x.size(1));
    w = int(x.size(2));
    out.assign(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
    return {};
}

void writePng(const QString& path, const QImage& image) {
    QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    cv::Mat mat(rgb.height(), rgb.width(), CV_8UC3);
    for (int y = 0; y < rgb.height(); ++y)
        std::copy_n(rgb.constScanLine(y), std::size_t(rgb.width()) * 3, mat.ptr<std::uint8_t>(y));
    PngWriter::write(path.toStdString(), mat);
}

}  // namespace

LatentPanel::LatentPanel(QWidget* parent)
    : QWidget(parent),
      latentButton_(new QRadioButton(this)),
      zButton_(new QRadioButton(this)),
      sourceGroup_(new QButtonGroup(this)),
      explanation_(new QLabel(this)),
      colormapLabel_(new QLabel(this)),
      colormapBox_(new QComboBox(this)),
      rangeBox_(new QComboBox(this)),
      percentLabel_(new QLabel(this)),
      lowSpin_(new QDoubleSpinBox(this)),
      highSpin_(new QDoubleSpinBox(this)),
      compositeCheck_(new QCheckBox(this)),
      exportChannelBox_(new QComboBox(this)),
      exportChannelButton_(new QPushButton(this)),
      exportGridButton_(new QPushButton(this)),
      exportNpyButton_(new QPushButton(this)),
      gridHost_(new QWidget(this)),
      grid_(new QGridLayout(gridHost_)),
      hoverLabel_(new QLabel(this)),
      statusLabel_(new QLabel(this)),
      composite_(new ImageView(gridHost_)),
      compositeTitle_(new QLabel(gridHost_)),
      sync_(new ViewSync(this)) {
    sourceGroup_->addButton(latentButton_, int(Source::Latent));
    sourceGroup_->addButton(zButton_, int(Source::Z));
    latentButton_->setChecked(true);
    latentButton_->setObjectName(QStringLiteral("latentButton"));
    zButton_->setObjectName(QStringLiteral("zButton"));

    for (auto k :
         {ColormapKind::Gray, ColormapKind::Viridis, ColormapKind::Magma, ColormapKind::Diverging})
        colormapBox_->addItem(QString(), QString::fromUtf8(Colormap::name(k)));
    colormapBox_->setCurrentIndex(int(colormap_));
    rangeBox_->addItem(QString());
    rangeBox_->addItem(QString());
    for (auto* spin : {lowSpin_, highSpin_}) {
        spin->setRange(0, 100);
        spin->setDecimals(1);
        spin->setSingleStep(0.5);
        spin->setSuffix(QStringLiteral(" %"));
    }
    lowSpin_->setValue(lowPercent_);
    highSpin_->setValue(highPercent_);
    compositeCheck_->setChecked(compositeVisible_);
    for (int i = 0; i < 3; ++i) {
        compositeSpins_[i] = new QSpinBox(this);
        compositeSpins_[i]->setRange(0, 0);
        compositeSpins_[i]->setValue(compositeChannels_[i]);
    }

    auto* sourceRow = new QHBoxLayout;
    sourceRow->addWidget(latentButton_);
    sourceRow->addWidget(zButton_);
    sourceRow->addWidget(explanation_, 1);
    explanation_->setWordWrap(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(colormapLabel_);
    controls->addWidget(colormapBox_);
    controls->addWidget(rangeBox_);
    controls->addWidget(percentLabel_);
    controls->addWidget(lowSpin_);
    controls->addWidget(highSpin_);
    controls->addSpacing(12);
    controls->addWidget(compositeCheck_);
    for (auto* s : compositeSpins_)
        controls->addWidget(s);
    controls->addStretch(1);

    auto* exports = new QHBoxLayout;
    exportChannelBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    exports->addWidget(exportChannelBox_);
    exports->addWidget(exportChannelButton_);
    exports->addWidget(exportGridButton_);
    exports->addWidget(exportNpyButton_);
    exports->addWidget(statusLabel_, 1);
    statusLabel_->setWordWrap(true);

    grid_->setContentsMargins(0, 0, 0, 0);
    composite_->setObjectName(QStringLiteral("compositeView"));
    composite_->setWindowTextVisible(false);
    sync_->addView(composite_);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(sourceRow);
    layout->addLayout(controls);
    layout->addWidget(gridHost_, 1);
    layout->addWidget(hoverLabel_);
    layout->addLayout(exports);

    connect(sourceGroup_, &QButtonGroup::idClicked, this,
            [this](int id) { setSource(Source(id)); });
    connect(colormapBox_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { setColormap(ColormapKind(index)); });
    connect(rangeBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        setRangeMode(index == 1 ? RangeMode::PerChannel : RangeMode::Shared);
    });
    connect(lowSpin_, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double v) { setPercentiles(v, highSpin_->value()); });
    connect(highSpin_, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double v) { setPercentiles(lowSpin_->value(), v); });
    connect(compositeCheck_, &QCheckBox::toggled, this, &LatentPanel::setCompositeVisible);
    for (auto* s : compositeSpins_)
        connect(s, qOverload<int>(&QSpinBox::valueChanged), this, [this](int) {
            setCompositeChannels(compositeSpins_[0]->value(), compositeSpins_[1]->value(),
                                 compositeSpins_[2]->value());
        });
    connect(composite_, &ImageView::pixelHovered, this,
            [this](int x, int y, const QVector<float>&) { onHover(-1, x, y); });
    connect(composite_, &ImageView::hoverLeft, hoverLabel_, &QLabel::clear);
    connect(exportChannelButton_, &QPushButton::clicked, this, &LatentPanel::askExportChannel);
    connect(exportGridButton_, &QPushButton::clicked, this, &LatentPanel::askExportGrid);
    connect(exportNpyButton_, &QPushButton::clicked, this, &LatentPanel::askExportNpy);
    retranslate();
    clear();
}

void LatentPanel::retranslate() {
    latentButton_->setText(tr("latent"));
    zButton_->setText(tr("z"));
    latentButton_->setToolTip(sourceToolTip(Source::Latent));
    zButton_->setToolTip(sourceToolTip(Source::Z));
    explanation_->setText(explanation());
    colormapLabel_->setText(tr("Colormap:"));
    const char* names[] = {QT_TR_NOOP("gray"), QT_TR_NOOP("viridis"), QT_TR_NOOP("magma"),
                           QT_TR_NOOP("diverging (0 = white)")};
    for (int i = 0; i < 4; ++i)
        colormapBox_->setItemText(i, tr(names[i]));
    rangeBox_->setItemText(0, tr("Shared range"));
    rangeBox_->setItemText(1, tr("Per-channel range"));
    percentLabel_->setText(tr("Percentiles:"));
    lowSpin_->setToolTip(tr("Lower clipping percentile"));
    highSpin_->setToolTip(tr("Upper clipping percentile"));
    compositeCheck_->setText(tr("Composite R G B:"));
    compositeCheck_->setToolTip(
        tr("False-colour composite of three channels, each scaled to its own percentile range"));
    exportChannelButton_->setText(tr("Export channel PNG…"));
    exportGridButton_->setText(tr("Export grid PNG…"));
    exportNpyButton_->setText(tr("Export .npy…"));
    compositeTitle_->setText(tr("Composite of channels %1, %2, %3")
                                 .arg(compositeChannels_[0])
                                 .arg(compositeChannels_[1])
                                 .arg(compositeChannels_[2]));
    for (int c = 0; c < titles_.size(); ++c)
        titles_[c]->setText(tr("Channel %1").arg(c));
    for (int c = 0; c < exportChannelBox_->count(); ++c)
        exportChannelBox_->setItemText(c, tr("Channel %1").arg(c));
    if (!error_.isEmpty()) hoverLabel_->setText(error_);
    updateStatsLabels();
}

void LatentPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

QString LatentPanel::explanation() const {
    if (source_ == Source::Z)
        return tr(
            "z (stage 1): the autoencoder's latent, what decode takes to reconstruct the "
            "image.");
    return tr(
        "latent (stage 2): what the model card's endpoint returns, the input for "
        "downstream models.");
}

QString LatentPanel::sourceToolTip(Source source) const {
    if (source == Source::Latent)
        return tr("Stage 2 latent, as the model card's endpoint returns it");
    if (!zAvailable())
        return tr("z is not available for this result: remote endpoints return only the latent");
    return tr("Stage 1 latent z, the input of decode");
}

bool LatentPanel::sourceSelectable(Source source) const {
    return source == Source::Latent ? latentButton_->isEnabled() : zButton_->isEnabled();
}

QString LatentPanel::hoverText() const {
    return hover_;
}
QString LatentPanel::errorText() const {
    return error_;
}

void LatentPanel::clear() {
    latent_.clear();
    z_.clear();
    channels_ = width_ = height_ = 0;
    ranges_.clear();
    error_.clear();
    hover_.clear();
    source_ = Source::Latent;
    {
        const QSignalBlocker block(sourceGroup_);
        latentButton_->setChecked(true);
    }
    rebuildGrid();
    composite_->clear();
    zButton_->setEnabled(false);
    zButton_->setToolTip(sourceToolTip(Source::Z));
    explanation_->setText(explanation());
    hoverLabel_->clear();
    statusLabel_->clear();
    for (auto* b : {exportChannelButton_, exportGridButton_, exportNpyButton_})
        b->setEnabled(false);
}

void LatentPanel::showError(const QString& message) {
    clear();
    error_ = message;
    hoverLabel_->setText(message);
    hoverLabel_->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
}

void LatentPanel::setResult(const at::Tensor& latent, const at::Tensor& z) {
    std::vector<float> l, zz;
    int c = 0, h = 0, w = 0;
    QString problem = toPlanes(latent, l, c, h, w);
    if (!problem.isEmpty()) {
        showError(tr("Cannot show the latent: %1.").arg(problem));
        return;
    }
    if (z.defined()) {
        int zc = 0, zh = 0, zw = 0;
        problem = toPlanes(z, zz, zc, zh, zw);
        if (problem.isEmpty() && (zc != c || zh != h || zw != w))
            problem = tr("its shape differs from the latent's");
        if (!problem.isEmpty()) {
            showError(tr("Cannot show z: %1.").arg(problem));
            return;
        }
    }
    const bool sameShape = c == channels_ && h == height_ && w == width_;
    error_.clear();
    hoverLabel_->setStyleSheet(QString());
    latent_ = std::move(l);
    z_ = std::move(zz);
    channels_ = c;
    height_ = h;
    width_ = w;
    zButton_->setEnabled(zAvailable());
    zButton_->setToolTip(sourceToolTip(Source::Z));
    if (!zAvailable() && source_ == Source::Z) source_ = Source::Latent;
    {
        const QSignalBlocker block(sourceGroup_);
        (source_ == Source::Z ? zButton_ : latentButton_)->setChecked(true);
    }
    for (int i = 0; i < 3; ++i) {
        const QSignalBlocker block(compositeSpins_[i]);
        compositeSpins_[i]->setRange(0, c - 1);
        compositeChannels_[i] = std::min(compositeChannels_[i], c - 1);
        compositeSpins_[i]->setValue(compositeChannels_[i]);
    }
    if (!sameShape) rebuildGrid();
    for (auto* b : {exportChannelButton_, exportGridButton_, exportNpyButton_})
        b->setEnabled(true);
    statusLabel_->clear();
    refresh();
    if (!sameShape) composite_->fitToWindow();
}

void LatentPanel::rebuildGrid() {
    sync_->clearViews();
    for (auto* v : views_)
        delete v;
    for (auto* l : titles_)
        delete l;
    for (auto* l : statLabels_)
        delete l;
    views_.clear();
    titles_.clear();
    statLabels_.clear();
    grid_->removeWidget(composite_);
    grid_->removeWidget(compositeTitle_);
    {
        const QSignalBlocker block(exportChannelBox_);
        exportChannelBox_->clear();
    }
    const int tiles = channels_ + (compositeVisible_ && channels_ > 0 ? 1 : 0);
    const int columns = std::max(1, int(std::ceil(std::sqrt(double(tiles)))));
    for (int c = 0; c < channels_; ++c) {
        auto* title = new QLabel(tr("Channel %1").arg(c), gridHost_);
        auto* view = new ImageView(gridHost_);
        auto* stats = new QLabel(gridHost_);
        view->setObjectName(QStringLiteral("channelView%1").arg(c));
        view->setWindowTextVisible(false);  // the range is in the statistics below the map
        stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
        const int row = (c / columns) * 3, column = c % columns;
        grid_->addWidget(title, row, column);
        grid_->addWidget(view, row + 1, column);
        grid_->addWidget(stats, row + 2, column);
        grid_->setRowStretch(row + 1, 1);
        // Widgets added to a shown parent appear only after a queued show; show them now so the
        // grid is complete as soon as setResult() returns.
        for (QWidget* w : {static_cast<QWidget*>(title), static_cast<QWidget*>(view),
                           static_cast<QWidget*>(stats)})
            w->show();
        views_ << view;
        titles_ << title;
        statLabels_ << stats;
        sync_->addView(view);
        connect(view, &ImageView::pixelHovered, this,
                [this, c](int x, int y, const QVector<float>&) { onHover(c, x, y); });
        connect(view, &ImageView::hoverLeft, this, [this] {
            hover_.clear();
            hoverLabel_->setText(error_);
        });
        exportChannelBox_->addItem(tr("Channel %1").arg(c));
    }
    sync_->addView(composite_);
    if (channels_ > 0 && compositeVisible_) {
        const int row = (channels_ / columns) * 3, column = channels_ % columns;
        grid_->addWidget(compositeTitle_, row, column);
        grid_->addWidget(composite_, row + 1, column);
        grid_->setRowStretch(row + 1, 1);
    }
    composite_->setVisible(channels_ > 0 && compositeVisible_);
    compositeTitle_->setVisible(channels_ > 0 && compositeVisible_);
}

const float* LatentPanel::plane(int c) const {
    return values().data() + std::size_t(c) * std::size_t(width_) * std::size_t(height_);
}

std::pair<float, float> LatentPanel::percentileRange(int c) const {
    const std::size_t n = std::size_t(width_) * std::size_t(height_);
    try {
        return c < 0 ? Colormap::percentiles(values().data(), n * std::size_t(channels_),
                                             lowPercent_, highPercent_)
                     : Colormap::percentiles(plane(c), n, lowPercent_, highPercent_);
    } catch (const Error&) {
        return {0.0f, 0.0f};  // no finite value: drawn flat
    }
}

std::pair<float, float> LatentPanel::channelRange(int c) const {
    if (c < 0 || c >= int(ranges_.size())) return {0.0f, 0.0f};
    return ranges_[std::size_t(c)];
}

LatentPanel::ChannelStats LatentPanel::channelStats(int c) const {
    ChannelStats s;
    if (c < 0 || c >= channels_) return s;
    const std::size_t n = std::size_t(width_) * std::size_t(height_);
    const float* p = plane(c);
    double sum = 0;
    std::size_t count = 0;
    s.min = std::numeric_limits<double>::infinity();
    s.max = -s.min;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(p[i])) {
            ++s.nonFinite;
            continue;
        }
        sum += p[i];
        ++count;
        s.min = std::min(s.min, double(p[i]));
        s.max = std::max(s.max, double(p[i]));
    }
    if (count == 0) return ChannelStats{0, 0, 0, 0, s.nonFinite};
    s.mean = sum / double(count);
    double sq = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(p[i])) sq += (p[i] - s.mean) * (p[i] - s.mean);
    s.std = std::sqrt(sq / double(count));
    return s;
}

void LatentPanel::refresh() {
    if (!hasResult()) return;
    ranges_.assign(std::size_t(channels_), {0.0f, 0.0f});
    const auto shared = percentileRange(-1);
    for (int c = 0; c < channels_; ++c) {
        auto r = rangeMode_ == RangeMode::Shared ? shared : percentileRange(c);
        if (colormap_ == ColormapKind::Diverging) {
            const float m = std::max(std::abs(r.first), std::abs(r.second));
            r = {-m, m};
        }
        ranges_[std::size_t(c)] = r;
        views_[c]->setScalarField(plane(c), width_, height_, colormap_, r.first, r.second);
    }
    explanation_->setText(explanation());
    updateStatsLabels();
    updateComposite();
}

void LatentPanel::updateComposite() {
    if (!hasResult() || !compositeVisible_) {
        composite_->clear();
        return;
    }
    Image rgb;
    rgb.width = width_;
    rgb.height = height_;
    rgb.channels = 3;
    const std::size_t n = std::size_t(width_) * std::size_t(height_);
    rgb.pixels.resize(3 * n);
    for (int k = 0; k < 3; ++k) {
        const int c = std::clamp(compositeChannels_[k], 0, channels_ - 1);
        const auto r = percentileRange(c);
        const float* p = plane(c);
        const double span = double(r.second) - double(r.first);
        for (std::size_t i = 0; i < n; ++i) {
            const double t = span > 0 ? (double(p[i]) - r.first) / span : 0.0;
            rgb.pixels[std::size_t(k) * n + i] =
                std::isnan(p[i]) ? 0.0f : float(std::clamp(t, 0.0, 1.0));
        }
    }
    rgb.meta.windows.push_back({0.5, 1.0, "composite"});
    const ViewState state = composite_->viewState();
    const bool keep = composite_->hasImage() && composite_->image().width == width_ &&
                      composite_->image().height == height_;
    composite_->setImage(rgb);
    if (keep) composite_->setViewState(state);
    compositeTitle_->setText(tr("Composite of channels %1, %2, %3")
                                 .arg(compositeChannels_[0])
                                 .arg(compositeChannels_[1])
                                 .arg(compositeChannels_[2]));
}

void LatentPanel::updateStatsLabels() {
    for (int c = 0; c < statLabels_.size() && c < channels_; ++c) {
        const auto s = channelStats(c);
        const auto r = channelRange(c);
        QString text = tr("min %1  max %2").arg(number(s.min), number(s.max));
        text += QLatin1Char('\n') + tr("mean %1  std %2").arg(number(s.mean), number(s.std));
        text += QLatin1Char('\n') + tr("shown %1 to %2").arg(number(r.first), number(r.second));
        if (s.nonFinite > 0)
            text += QLatin1Char('\n') + tr("%n non-finite value(s)", nullptr, int(s.nonFinite));
        statLabels_[c]->setText(text);
    }
}

void LatentPanel::onHover(int channel, int x, int y) {
    if (!hasResult() || x < 0 || y < 0 || x >= width_ || y >= height_) return;
    const std::size_t at = std::size_t(y) * std::size_t(width_) + std::size_t(x);
    const QString name = source_ == Source::Z ? tr("z") : tr("latent");
    if (channel < 0) {
        QStringList parts;
        for (int k = 0; k < 3; ++k)
            parts << number(plane(std::clamp(compositeChannels_[k], 0, channels_ - 1))[at]);
        hover_ = tr("%1 composite (x %2, y %3): %4").arg(name).arg(x).arg(y).arg(parts.join(" / "));
        Q_EMIT valueHovered(-1, x, y, std::numeric_limits<float>::quiet_NaN());
    } else {
        const float v = plane(channel)[at];
        hover_ = tr("%1 channel %2 (x %3, y %4): %5")
                     .arg(name)
                     .arg(channel)
                     .arg(x)
                     .arg(y)
                     .arg(QString::number(v, 'g', 6));
        Q_EMIT valueHovered(channel, x, y, v);
    }
    hoverLabel_->setText(hover_);
}

void LatentPanel::setSource(Source source) {
    if (source == Source::Z && !zAvailable()) source = Source::Latent;
    const bool changed = source != source_;
    source_ = source;
    {
        const QSignalBlocker block(sourceGroup_);
        (source_ == Source::Z ? zButton_ : latentButton_)->setChecked(true);
    }
    explanation_->setText(explanation());
    if (changed) {
        refresh();
        Q_EMIT sourceChanged(source_);
    }
}

void LatentPanel::setColormap(ColormapKind kind) {
    colormap_ = kind;
    {
        const QSignalBlocker block(colormapBox_);
        colormapBox_->setCurrentIndex(int(kind));
    }
    refresh();
}

void LatentPanel::setRangeMode(RangeMode mode) {
    rangeMode_ = mode;
    {
        const QSignalBlocker block(rangeBox_);
        rangeBox_->setCurrentIndex(mode == RangeMode::PerChannel ? 1 : 0);
    }
    refresh();
}

void LatentPanel::setPercentiles(double lowPercent, double highPercent) {
    if (!(lowPercent >= 0 && highPercent <= 100 && lowPercent < highPercent)) return;
    lowPercent_ = lowPercent;
    highPercent_ = highPercent;
    {
        const QSignalBlocker a(lowSpin_), b(highSpin_);
        lowSpin_->setValue(lowPercent);
        highSpin_->setValue(highPercent);
    }
    refresh();
}

void LatentPanel::setCompositeChannels(int red, int green, int blue) {
    const int chosen[3] = {red, green, blue};
    for (int k = 0; k < 3; ++k) {
        compositeChannels_[k] =
            std::max(0, channels_ > 0 ? std::min(chosen[k], channels_ - 1) : chosen[k]);
        const QSignalBlocker block(compositeSpins_[k]);
        compositeSpins_[k]->setValue(compositeChannels_[k]);
    }
    updateComposite();
}

void LatentPanel::setCompositeVisible(bool visible) {
    if (visible == compositeVisible_) return;
    compositeVisible_ = visible;
    {
        const QSignalBlocker block(compositeCheck_);
        compositeCheck_->setChecked(visible);
    }
    for (auto* s : compositeSpins_)
        s->setEnabled(visible);
    rebuildGrid();
    refresh();
}

ImageView* LatentPanel::channelView(int c) const {
    return c >= 0 && c < views_.size() ? views_[c] : nullptr;
}

QImage LatentPanel::channelImage(int c) const {
    if (c < 0 || c >= channels_) return {};
    QImage image(width_, height_, QImage::Format_RGB32);
    const std::size_t n = std::size_t(width_) * std::size_t(height_);
    std::vector<std::uint8_t> rgb(3 * n);
    const auto r = channelRange(c);
    Colormap::apply(colormap_, plane(c), n, r.first, r.second, rgb.data());
    for (int y = 0; y < height_; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        const std::uint8_t* src = rgb.data() + std::size_t(y) * std::size_t(width_) * 3;
        for (int x = 0; x < width_; ++x)
            line[x] = qRgb(src[3 * x], src[3 * x + 1], src[3 * x + 2]);
    }
    return image;
}

QImage LatentPanel::gridImage() const {
    if (!hasResult()) return {};
    const int columns = std::max(1, int(std::ceil(std::sqrt(double(channels_)))));
    const int rows = (channels_ + columns - 1) / columns;
    QImage grid(columns * width_ + (columns - 1) * kGridGap, rows * height_ + (rows - 1) * kGridGap,
                QImage::Format_RGB32);
    grid.fill(Qt::black);
    QPainter p(&grid);
    for (int c = 0; c < channels_; ++c)
        p.drawImage(
            QPoint((c % columns) * (width_ + kGridGap), (c / columns) * (height_ + kGridGap)),
            channelImage(c));
    p.end();
    return grid;
}

void LatentPanel::exportChannelPng(int c, const QString& path) const {
    if (c < 0 || c >= channels_)
        throw Error("there is no channel " + std::to_string(c) + " to export");
    writePng(path, channelImage(c));
}

void LatentPanel::exportGridPng(const QString& path) const {
    if (!hasResult()) throw Error("there is no latent to export");
    writePng(path, gridImage());
}

void LatentPanel::exportNpy(const QString& path) const {
    exportNpy(path, source_);
}

void LatentPanel::exportNpy(const QString& path, Source source) const {
    const std::vector<float>& v = source == Source::Z ? z_ : latent_;
    if (v.empty())
        throw Error(source == Source::Z ? "z is not available for this result"
                                        : "there is no latent to export");
    NpyFile::write(path.toStdString(), v.data(), {channels_, height_, width_});
}

void LatentPanel::askExportChannel() {
    const int c = std::max(0, exportChannelBox_->currentIndex());
    const QString path = QFileDialog::getSaveFileName(this, tr("Export channel as PNG"),
                                                      QStringLiteral("channel_%1.png").arg(c),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    try {
        exportChannelPng(c, path);
        statusLabel_->setText(tr("Saved %1").arg(path));
    } catch (const Error& e) {
        statusLabel_->setText(tr("Export failed: %1").arg(QString::fromStdString(e.what())));
    }
}

void LatentPanel::askExportGrid() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export grid as PNG"),
                                     QStringLiteral("latent_grid.png"), tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    try {
        exportGridPng(path);
        statusLabel_->setText(tr("Saved %1").arg(path));
    } catch (const Error& e) {
        statusLabel_->setText(tr("Export failed: %1").arg(QString::fromStdString(e.what())));
    }
}

void LatentPanel::askExportNpy() {
    const QString suggested =
        source_ == Source::Z ? QStringLiteral("z.npy") : QStringLiteral("latent.npy");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export array as .npy"), suggested,
                                                      tr("NumPy arrays (*.npy)"));
    if (path.isEmpty()) return;
    try {
        exportNpy(path);
        statusLabel_->setText(tr("Saved %1").arg(path));
    } catch (const Error& e) {
        statusLabel_->setText(tr("Export failed: %1").arg(QString::fromStdString(e.what())));
    }
}

}  // namespace medvae::ui
