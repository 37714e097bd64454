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
#include <QPushButton>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "error.h"
#include "image_view.h"
#include "scalar_map.h"
#include "view_sync.h"

namespace medvae::ui {

namespace {

QString number(double v) {
    return QString::number(v, 'g', 4);
}

// The number of columns (1..tiles) at which `tiles` maps of map.width() x map.height() values
// are drawn largest in `area`, each tile also holding `labels` pixels of text above and below
// its map, tiles `spacing` apart.
int bestColumns(int tiles, QSize area, QSize map, int labels, int spacing) {
    int best = 1;
    double bestScale = -1;
    for (int columns = 1; columns <= tiles; ++columns) {
        const int rows = (tiles + columns - 1) / columns;
        const double cellWidth = double(area.width() - (columns - 1) * spacing) / columns;
        const double cellHeight = double(area.height() - (rows - 1) * spacing) / rows - labels;
        const double scale =
            std::min(cellWidth / std::max(1, map.width()), cellHeight / std::max(1, map.height()));
        if (scale > bestScale) best = columns, bestScale = scale;
    }
    return best;
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
      notice_(new QLabel(this)),
      composite_(new ImageView(gridHost_)),
      compositeTitle_(new QLabel(gridHost_)),
      sync_(new ViewSync(this)) {
    initControls();
    layOut();
    connectControls();
    connectExports();
    retranslate();
    showStartHint();
}

void LatentPanel::initControls() {
    sourceGroup_->addButton(latentButton_, int(Source::Latent));
    sourceGroup_->addButton(zButton_, int(Source::Z));
    latentButton_->setChecked(true);
    latentButton_->setObjectName(QStringLiteral("latentButton"));
    zButton_->setObjectName(QStringLiteral("zButton"));

    for (auto k :
         {ColormapKind::Gray, ColormapKind::Viridis, ColormapKind::Magma, ColormapKind::Diverging})
        colormapBox_->addItem(QString(), QString::fromUtf8(Colormap::name(k)));
    colormapBox_->setCurrentIndex(int(settings().colormap));
    rangeBox_->addItem(QString());
    rangeBox_->addItem(QString());
    for (auto* spin : {lowSpin_, highSpin_}) {
        spin->setRange(0, 100);
        spin->setDecimals(1);
        spin->setSingleStep(0.5);
        spin->setSuffix(QStringLiteral(" %"));
    }
    lowSpin_->setValue(settings().lowPercent);
    highSpin_->setValue(settings().highPercent);
    compositeCheck_->setChecked(settings().compositeVisible);
    for (int i = 0; i < 3; ++i) {
        compositeSpins_[i] = new QSpinBox(this);
        compositeSpins_[i]->setRange(0, 0);
        compositeSpins_[i]->setValue(settings().composite[std::size_t(i)]);
    }
}

void LatentPanel::layOut() {
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
    gridHost_->installEventFilter(this);
    composite_->setObjectName(QStringLiteral("compositeView"));
    composite_->setWindowTextVisible(false);
    sync_->addView(composite_);
    compositeTitle_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    notice_->setObjectName(QStringLiteral("latentNotice"));
    notice_->setAlignment(Qt::AlignCenter);
    notice_->setWordWrap(true);
    notice_->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(sourceRow);
    layout->addLayout(controls);
    layout->addWidget(gridHost_, 1);
    layout->addWidget(notice_, 1);
    layout->addWidget(hoverLabel_);
    layout->addLayout(exports);
}

void LatentPanel::connectControls() {
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
}

void LatentPanel::connectExports() {
    connect(exportChannelButton_, &QPushButton::clicked, this, [this] {
        const int c = std::max(0, exportChannelBox_->currentIndex());
        exportTo(tr("Export channel as PNG"), QStringLiteral("channel_%1.png").arg(c),
                 tr("PNG images (*.png)"),
                 [this, c](const QString& path) { exportChannelPng(c, path); });
    });
    connect(exportGridButton_, &QPushButton::clicked, this, [this] {
        exportTo(tr("Export grid as PNG"), QStringLiteral("latent_grid.png"),
                 tr("PNG images (*.png)"), [this](const QString& path) { exportGridPng(path); });
    });
    connect(exportNpyButton_, &QPushButton::clicked, this, [this] {
        exportTo(tr("Export array as .npy"),
                 source() == Source::Z ? QStringLiteral("z.npy") : QStringLiteral("latent.npy"),
                 tr("NumPy arrays (*.npy)"), [this](const QString& path) { exportNpy(path); });
    });
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
    const auto& k = settings().composite;
    compositeTitle_->setText(tr("Channels %1, %2, %3 as RGB").arg(k[0]).arg(k[1]).arg(k[2]));
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
    if (source() == Source::Z)
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

void LatentPanel::clear() {
    LatentMaps::Settings settings = maps_.settings();
    settings.source = Source::Latent;
    maps_ = LatentMaps();
    maps_.setSettings(settings);
    error_.clear();
    hover_.clear();
    rebuildGrid();
    composite_->clear();
    syncControls();
    hoverLabel_->clear();
    hoverLabel_->setStyleSheet(QString());
    statusLabel_->clear();
    notice_->clear();
    notice_->hide();
}

void LatentPanel::showNotice(const QString& text) {
    clear();
    notice_->setText(text);
    notice_->setVisible(!text.isEmpty());
}

void LatentPanel::showStartHint() {
    showNotice(tr("The latent channels appear here once an image is computed."));
}

QString LatentPanel::noticeText() const {
    return notice_->text();
}

void LatentPanel::showError(const QString& message) {
    clear();
    error_ = message;
    hoverLabel_->setText(message);
    hoverLabel_->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
}

void LatentPanel::setResult(const at::Tensor& latent, const at::Tensor& z) {
    display(LatentMaps::fromTensors(latent, z, maps_.settings()));
}

void LatentPanel::setMaps(LatentMaps maps) {
    display(std::move(maps));
}

void LatentPanel::display(LatentMaps maps) {
    if (!maps.error().isEmpty()) {
        showError(maps.error());
        return;
    }
    // The controls may have changed since these maps were prepared: they win.
    LatentMaps::Settings wanted = maps_.settings();
    if (wanted.source == Source::Z && !maps.zAvailable()) wanted.source = Source::Latent;
    if (maps.settings() != wanted) maps.setSettings(wanted);
    const bool sameShape = maps.channelCount() == maps_.channelCount() &&
                           maps.width() == maps_.width() && maps.height() == maps_.height();
    maps_ = std::move(maps);
    error_.clear();
    hover_.clear();
    hoverLabel_->clear();  // an earlier error's line
    hoverLabel_->setStyleSheet(QString());
    statusLabel_->clear();
    notice_->clear();
    notice_->hide();
    syncControls();
    rebuildGrid();
    if (!sameShape) placeTiles();  // the maps' aspect ratio may have changed
    refresh();
    if (!sameShape) composite_->fitToWindow();
}

void LatentPanel::applySettings(const LatentMaps::Settings& settings) {
    const Source before = source();
    maps_.setSettings(settings);
    syncControls();
    rebuildGrid();
    refresh();
    if (source() != before) Q_EMIT sourceChanged(source());
}

// The controls show the settings in effect (without echoing their signals).
void LatentPanel::syncControls() {
    const LatentMaps::Settings& s = maps_.settings();
    {
        const QSignalBlocker block(sourceGroup_);
        (s.source == Source::Z ? zButton_ : latentButton_)->setChecked(true);
    }
    zButton_->setEnabled(zAvailable());
    zButton_->setToolTip(sourceToolTip(Source::Z));
    explanation_->setText(explanation());
    {
        const QSignalBlocker block(colormapBox_);
        colormapBox_->setCurrentIndex(int(s.colormap));
    }
    {
        const QSignalBlocker block(rangeBox_);
        rangeBox_->setCurrentIndex(s.rangeMode == RangeMode::PerChannel ? 1 : 0);
    }
    {
        const QSignalBlocker a(lowSpin_), b(highSpin_);
        lowSpin_->setValue(s.lowPercent);
        highSpin_->setValue(s.highPercent);
    }
    {
        const QSignalBlocker block(compositeCheck_);
        compositeCheck_->setChecked(s.compositeVisible);
    }
    for (int i = 0; i < 3; ++i) {
        const QSignalBlocker block(compositeSpins_[i]);
        compositeSpins_[i]->setRange(0, std::max(0, channelCount() - 1));
        compositeSpins_[i]->setValue(s.composite[std::size_t(i)]);
        compositeSpins_[i]->setEnabled(s.compositeVisible);
    }
    for (auto* b : {exportChannelButton_, exportGridButton_, exportNpyButton_})
        b->setEnabled(hasResult());
}

// Widgets for each channel (title, map, statistics) and the composite; rebuilt only when the
// channel count or the composite's visibility changed, so that zoom and pan survive new results.
void LatentPanel::rebuildGrid() {
    const int channels = channelCount();
    const bool withComposite = channels > 0 && compositeVisible();
    if (channels == gridChannels_ && withComposite == gridComposite_) return;
    gridChannels_ = channels;
    gridComposite_ = withComposite;
    sync_->clearViews();
    qDeleteAll(views_);
    qDeleteAll(titles_);
    qDeleteAll(statLabels_);
    views_.clear();
    titles_.clear();
    statLabels_.clear();
    grid_->removeWidget(composite_);
    grid_->removeWidget(compositeTitle_);
    {
        const QSignalBlocker block(exportChannelBox_);
        exportChannelBox_->clear();
    }
    for (int c = 0; c < channels; ++c)
        addChannelTile(c);
    sync_->addView(composite_);
    composite_->setVisible(withComposite);
    compositeTitle_->setVisible(withComposite);
    placeTiles(true);
}

void LatentPanel::addChannelTile(int c) {
    auto* title = new QLabel(tr("Channel %1").arg(c), gridHost_);
    auto* view = new ImageView(gridHost_);
    auto* stats = new QLabel(gridHost_);
    view->setObjectName(QStringLiteral("channelView%1").arg(c));
    view->setWindowTextVisible(false);  // the range is in the statistics below the map
    stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Long statistics must not widen a column beyond its share of the grid.
    for (QLabel* label : {title, stats})
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    // Widgets added to a shown parent appear only after a queued show; show them now so the
    // grid is complete as soon as a result is shown.
    for (QWidget* w :
         {static_cast<QWidget*>(title), static_cast<QWidget*>(view), static_cast<QWidget*>(stats)})
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

void LatentPanel::placeTiles(bool force) {
    const int channels = views_.size();
    const int tiles = channels + (gridComposite_ ? 1 : 0);
    if (tiles == 0) {
        placedColumns_ = 0;
        return;
    }
    const int spacing = std::max(0, grid_->spacing());
    int labels = compositeTitle_->sizeHint().height() + 2 * spacing;
    if (!statLabels_.isEmpty()) labels += statLabels_[0]->sizeHint().height();
    const QSize map(std::max(1, mapWidth()), std::max(1, mapHeight()));
    const int columns = bestColumns(tiles, gridHost_->size(), map, labels, spacing);
    if (columns == placedColumns_ && !force) return;
    placedColumns_ = columns;
    for (int i = 0; i < grid_->rowCount(); ++i)
        grid_->setRowStretch(i, 0);
    for (int i = 0; i < grid_->columnCount(); ++i)
        grid_->setColumnStretch(i, 0);
    const auto place = [&](int tile, QWidget* title, QWidget* view, QWidget* stats) {
        const int row = (tile / columns) * 3, column = tile % columns;
        for (QWidget* w : {title, view, stats})
            if (w) grid_->removeWidget(w);
        grid_->addWidget(title, row, column);
        grid_->addWidget(view, row + 1, column);
        if (stats) grid_->addWidget(stats, row + 2, column);
        grid_->setRowStretch(row + 1, 1);
        grid_->setColumnStretch(column, 1);
    };
    for (int c = 0; c < channels; ++c)
        place(c, titles_[c], views_[c], statLabels_[c]);
    if (gridComposite_) place(channels, compositeTitle_, composite_, nullptr);
}

bool LatentPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == gridHost_ && event->type() == QEvent::Resize) placeTiles();
    return QWidget::eventFilter(watched, event);
}

// Puts the maps' pictures into the views (nothing is computed here).
void LatentPanel::refresh() {
    explanation_->setText(explanation());
    if (!hasResult()) return;
    for (int c = 0; c < channelCount() && c < views_.size(); ++c)
        views_[c]->setScalarMap(maps_.channelMap(c));
    updateStatsLabels();
    if (!compositeVisible() || !maps_.composite()) {
        composite_->clear();
        return;
    }
    const ViewState state = composite_->viewState();
    const bool keep = composite_->hasImage() && composite_->image().width == mapWidth() &&
                      composite_->image().height == mapHeight();
    composite_->setWindowedImage(maps_.composite());
    if (keep) composite_->setViewState(state);
    const auto& k = settings().composite;
    compositeTitle_->setText(tr("Channels %1, %2, %3 as RGB").arg(k[0]).arg(k[1]).arg(k[2]));
}

void LatentPanel::updateStatsLabels() {
    for (int c = 0; c < statLabels_.size() && c < channelCount(); ++c) {
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
    if (!hasResult() || x < 0 || y < 0 || x >= mapWidth() || y >= mapHeight()) return;
    const std::size_t at = std::size_t(y) * std::size_t(mapWidth()) + std::size_t(x);
    const QString name = source() == Source::Z ? tr("z") : tr("latent");
    if (channel < 0) {
        QStringList parts;
        for (int k : settings().composite)
            parts << number(maps_.plane(std::clamp(k, 0, channelCount() - 1))[at]);
        hover_ = tr("%1 composite (x %2, y %3): %4").arg(name).arg(x).arg(y).arg(parts.join(" / "));
        Q_EMIT valueHovered(-1, x, y, std::numeric_limits<float>::quiet_NaN());
    } else {
        const float v = maps_.plane(channel)[at];
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
    LatentMaps::Settings s = settings();
    s.source = source;
    applySettings(s);
}

void LatentPanel::setColormap(ColormapKind kind) {
    LatentMaps::Settings s = settings();
    s.colormap = kind;
    applySettings(s);
}

void LatentPanel::setRangeMode(RangeMode mode) {
    LatentMaps::Settings s = settings();
    s.rangeMode = mode;
    applySettings(s);
}

void LatentPanel::setPercentiles(double lowPercent, double highPercent) {
    if (!(lowPercent >= 0 && highPercent <= 100 && lowPercent < highPercent)) return;
    LatentMaps::Settings s = settings();
    s.lowPercent = lowPercent;
    s.highPercent = highPercent;
    applySettings(s);
}

void LatentPanel::setCompositeChannels(int red, int green, int blue) {
    LatentMaps::Settings s = settings();
    s.composite = {red, green, blue};
    applySettings(s);
}

void LatentPanel::setCompositeVisible(bool visible) {
    if (visible == compositeVisible()) return;
    LatentMaps::Settings s = settings();
    s.compositeVisible = visible;
    applySettings(s);
}

ImageView* LatentPanel::channelView(int c) const {
    return c >= 0 && c < views_.size() ? views_[c] : nullptr;
}

void LatentPanel::exportTo(const QString& title, const QString& suggested, const QString& filter,
                           const std::function<void(const QString&)>& write) {
    const QString path = QFileDialog::getSaveFileName(this, title, suggested, filter);
    if (path.isEmpty()) return;
    try {
        write(path);
        statusLabel_->setText(tr("Saved %1").arg(path));
    } catch (const Error& e) {
        statusLabel_->setText(tr("Export failed: %1").arg(QString::fromStdString(e.what())));
    }
}

}  // namespace medvae::ui
