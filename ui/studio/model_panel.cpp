#include "model_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QThread>
#include <QUrl>
#include <QVBoxLayout>

#include "hf_cache.h"
#include "model_b_chooser.h"
#include "model_downloader.h"

namespace medvae::ui {
namespace {

// A count in the UI's locale. Qt 6.4 leaves the leading group unseparated in locales that want
// two digits before the first separator ("3035.807" in Spanish); above 9999 every three digits
// are separated here (this locale's digits are Latin in all five languages).
QString groupedCount(qlonglong n) {
    const QLocale locale;
    if (n < 10000 || locale.groupSeparator().isEmpty()) return locale.toString(n);
    QString digits = QString::number(n);
    for (int at = digits.size() - 3; at > 0; at -= 3)
        digits.insert(at, locale.groupSeparator());
    return digits;
}

constexpr int kTileStep = 128;  // pixels; tiles are whole multiples of it

const char* const kVariants[] = {"medvae_4_1_2d", "medvae_4_3_2d", "medvae_8_1_2d",
                                 "medvae_8_4_2d"};

QString defaultBaseUrl() {
    const QByteArray endpoint = qgetenv("HF_ENDPOINT");
    if (endpoint.isEmpty()) return QString::fromLatin1(jobs::kMedVaeBaseUrl);
    QString base = QString::fromLocal8Bit(endpoint);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base + QStringLiteral("/stanfordmimi/MedVAE/resolve/main/model_weights/");
}

}  // namespace

ModelPanel::ModelPanel(QWidget* parent)
    : QWidget(parent),
      info_(new QLabel(this)),
      loadFile_(new QPushButton(this)),
      cacheTitle_(new QLabel(this)),
      cached_(new QComboBox(this)),
      loadCached_(new QPushButton(this)),
      refresh_(new QPushButton(this)),
      downloadTitle_(new QLabel(this)),
      downloadName_(new QComboBox(this)),
      download_(new QPushButton(this)),
      cancelDownload_(new QPushButton(this)),
      downloadProgress_(new QProgressBar(this)),
      checksum_(new QLabel(this)),
      deviceLabel_(new QLabel(this)),
      device_(new QComboBox(this)),
      cudaNote_(new QLabel(this)),
      precisionLabel_(new QLabel(this)),
      precision_(new QComboBox(this)),
      threadsLabel_(new QLabel(this)),
      threads_(new QSpinBox(this)),
      tiled_(new QCheckBox(this)),
      tileSize_(new QSpinBox(this)),
      sample_(new QCheckBox(this)),
      seedLabel_(new QLabel(this)),
      seed_(new QSpinBox(this)),
      modelB_(new ModelBChooser(this)),
      downloader_(new jobs::ModelDownloader(this)),
      baseUrl_(defaultBaseUrl()),
      cacheRoot_(QString::fromStdString(HuggingFaceCache::root())) {
    initControls();
    layOut();
    connectControls();
    seed_->setEnabled(false);
    retranslate();
    refreshCache();
}

void ModelPanel::initControls() {
    setObjectName(QStringLiteral("modelPanel"));
    info_->setWordWrap(true);
    info_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    info_->setObjectName(QStringLiteral("modelInfo"));
    checksum_->setWordWrap(true);
    checksum_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    cudaNote_->setWordWrap(true);
    downloadProgress_->setVisible(false);
    cancelDownload_->setEnabled(false);
    for (const char* name : kVariants)
        downloadName_->addItem(QString::fromLatin1(name));
    downloadName_->setCurrentText(QStringLiteral("medvae_8_4_2d"));

    device_->setObjectName(QStringLiteral("deviceBox"));
    precision_->setObjectName(QStringLiteral("precisionBox"));
    threads_->setObjectName(QStringLiteral("threadsBox"));
    sample_->setObjectName(QStringLiteral("sampleCheck"));
    tiled_->setObjectName(QStringLiteral("tiledCheck"));
    tileSize_->setObjectName(QStringLiteral("tileSizeBox"));
    // CPU, then one entry per CUDA device ("cuda:N"); a single "CUDA" entry, disabled, where
    // there is none, so that the choice and the reason stay visible.
    device_->addItem(QString(), QStringLiteral("cpu"));
    const int gpus = Engine::cudaDeviceCount();
    for (int i = 0; i < std::max(1, gpus); ++i)
        device_->addItem(QString(), QString::fromStdString(deviceLabel(DeviceKind::Cuda, i)));
    if (gpus == 0) setItemEnabled(device_, 1, false);
    // Long entries (a cache path, a translated precision) must not widen the dock.
    for (QComboBox* box : {cached_, downloadName_, device_, precision_}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(14);  // "medvae_8_4_2d" whole
    }
    precision_->addItem(QString(), QStringLiteral("fp32"));
    precision_->addItem(QString(), QStringLiteral("bf16"));
    precision_->addItem(QString(), QStringLiteral("fp16"));  // CUDA devices only
    setItemEnabled(precision_, 2, false);
    threads_->setRange(0, std::max(1, QThread::idealThreadCount()));
    seed_->setRange(0, 2147483647);
    // Tiles are whole multiples of 128 pixels (engineOptions() rounds a typed value down).
    tileSize_->setRange(kTileStep, 16384);
    tileSize_->setSingleStep(kTileStep);
    tileSize_->setValue(1024);
    tileSize_->setKeyboardTracking(false);  // one reload when a typed size is entered
    tileSize_->setEnabled(false);
}

void ModelPanel::layOut() {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(info_);
    layout->addWidget(loadFile_);
    layout->addWidget(cacheTitle_);
    auto* cacheRow = new QHBoxLayout;
    cacheRow->addWidget(cached_, 1);
    cacheRow->addWidget(loadCached_);
    cacheRow->addWidget(refresh_);
    layout->addLayout(cacheRow);
    layout->addWidget(downloadTitle_);
    auto* downloadRow = new QHBoxLayout;
    downloadRow->addWidget(downloadName_, 1);
    downloadRow->addWidget(download_);
    downloadRow->addWidget(cancelDownload_);
    layout->addLayout(downloadRow);
    layout->addWidget(downloadProgress_);
    layout->addWidget(checksum_);
    auto* form = new QFormLayout;
    form->addRow(deviceLabel_, device_);
    form->addRow(cudaNote_);
    form->addRow(precisionLabel_, precision_);
    form->addRow(threadsLabel_, threads_);
    auto* tiledRow = new QHBoxLayout;  // no label of its own: the fields keep their width
    tiledRow->addWidget(tiled_, 1);
    tiledRow->addWidget(tileSize_);
    form->addRow(tiledRow);
    form->addRow(sample_);
    form->addRow(seedLabel_, seed_);
    layout->addLayout(form);
    layout->addWidget(modelB_);
    layout->addStretch(1);
}

void ModelPanel::connectControls() {
    connect(loadFile_, &QPushButton::clicked, this, &ModelPanel::chooseFile);
    connect(loadCached_, &QPushButton::clicked, this, [this] {
        const QString path = cached_->currentData().toString();
        if (!path.isEmpty()) Q_EMIT loadRequested(path);
    });
    connect(refresh_, &QPushButton::clicked, this, &ModelPanel::refreshCache);
    connect(download_, &QPushButton::clicked, this, &ModelPanel::startDownload);
    connect(cancelDownload_, &QPushButton::clicked, this, &ModelPanel::cancelDownload);
    connect(downloader_, &jobs::ModelDownloader::progress, this,
            [this](qint64 received, qint64 total) {
                if (total > 0) {
                    downloadProgress_->setRange(0, 1000);
                    downloadProgress_->setValue(int(received * 1000 / total));
                    downloadProgress_->setFormat(tr("%1 of %2")
                                                     .arg(locale().formattedDataSize(received),
                                                          locale().formattedDataSize(total)));
                } else {
                    downloadProgress_->setRange(0, 0);
                    downloadProgress_->setFormat(locale().formattedDataSize(received));
                }
            });
    connect(downloader_, &jobs::ModelDownloader::downloadFinished, this,
            &ModelPanel::onDownloadFinished);
    connect(device_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        followDevice();
        Q_EMIT engineOptionsChanged();
    });
    connect(precision_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &ModelPanel::engineOptionsChanged);
    connect(threads_, qOverload<int>(&QSpinBox::valueChanged), this,
            &ModelPanel::engineOptionsChanged);
    connect(tiled_, &QCheckBox::toggled, this, [this] {
        const bool sampled = sample_->isChecked();
        enableLocalControls(localControls_);
        Q_EMIT engineOptionsChanged();
        if (sampled) Q_EMIT encodeOptionsChanged();  // sampling is off while tiled
    });
    connect(tileSize_, qOverload<int>(&QSpinBox::valueChanged), this, [this] {
        if (tiled_->isChecked()) Q_EMIT engineOptionsChanged();
    });
    connect(sample_, &QCheckBox::toggled, this, [this](bool on) {
        seed_->setEnabled(on);
        Q_EMIT encodeOptionsChanged();
    });
    connect(seed_, qOverload<int>(&QSpinBox::valueChanged), this,
            &ModelPanel::encodeOptionsChanged);
}

void ModelPanel::retranslate() {
    loadFile_->setText(tr("Load checkpoint file…"));
    cacheTitle_->setText(tr("MedVAE checkpoints in the Hugging Face cache:"));
    loadCached_->setText(tr("Load"));
    refresh_->setText(tr("Refresh"));
    refresh_->setToolTip(tr("Look again in %1").arg(QDir::toNativeSeparators(cacheRoot_)));
    downloadTitle_->setText(tr("Download MedVAE weights from Hugging Face:"));
    download_->setText(tr("Download"));
    cancelDownload_->setText(tr("Cancel"));
    deviceLabel_->setText(tr("Device:"));
    device_->setItemText(0, tr("CPU"));
    for (int i = 1; i < device_->count(); ++i)
        device_->setItemText(i,
                             device_->count() > 2 ? tr("CUDA device %1").arg(i - 1) : tr("CUDA"));
    if (Engine::cudaAvailable()) {
        cudaNote_->clear();
        cudaNote_->setVisible(false);
    } else {
        const QString reason =
            tr("CUDA is unavailable: this build of LibTorch has no CUDA support or no GPU was "
               "found.");
        device_->setItemData(1, reason, Qt::ToolTipRole);
        cudaNote_->setText(reason);
    }
    precisionLabel_->setText(tr("Precision:"));
    precision_->setItemText(0, tr("float32 (exact)"));
    precision_->setItemText(1, tr("bfloat16 (faster, approximate)"));
    // Short enough for the dock in every language; the rest in the item's tooltip.
    precision_->setItemText(2, tr("float16 (CUDA only, approximate)"));
    precision_->setItemData(2, tr("float16: the fastest, approximate; on CUDA devices only"),
                            Qt::ToolTipRole);
    threadsLabel_->setText(tr("CPU threads:"));
    threads_->setSpecialValueText(tr("all cores"));
    tiled_->setText(tr("Tiled (approximate)"));     // its tooltip: enableLocalControls()
    tileSize_->setAccessibleName(tr("Tile size"));  // its tooltip: enableLocalControls()
    tileSize_->setSuffix(tr(" px"));
    sample_->setText(tr("Sample z"));
    seedLabel_->setText(tr("Seed:"));
    if (cached_->count() == 0 || cached_->itemData(0).toString().isEmpty()) refreshCache();
    setModel(description_, parameters_);
}

void ModelPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void ModelPanel::setModel(const jobs::BackendDescription& d, qint64 parameters) {
    description_ = d;
    parameters_ = parameters;
    state_.clear();
    enableLocalControls(d.kind != "remote");
    if (d.kind.empty()) {
        info_->setText(tr("No model loaded."));
        info_->setToolTip(QString());
        return;
    }
    if (d.kind == "remote") {
        info_->setText(remoteText(d));
        info_->setToolTip(QString::fromStdString(d.location));
        return;
    }
    roundTripMs_ = -1;
    QString text;
    if (d.demoModel)
        text +=
            tr("<b>Demo model</b> trained by this project — not MedVAE's published "
               "weights.<br>");
    text += tr("Variant: %1<br>Factor: %2 per side<br>Channels: %3 in, %4 latent<br>")
                .arg(QString::fromStdString(d.model).toHtmlEscaped())
                .arg(d.factor)
                .arg(d.imageChannels)
                .arg(d.latentChannels);
    if (parameters > 0) text += tr("Parameters: %1<br>").arg(groupedCount(parameters));
    text += tr("Device: %1<br>Precision: %2<br>")
                .arg(QString::fromStdString(d.device), QString::fromStdString(d.precision));
    if (d.tileSize > 0)
        text += tr("Tiled: tiles of %1 px, %2 px overlap (approximate results)<br>")
                    .arg(d.tileSize)
                    .arg(d.tileOverlap);
    if (!d.location.empty())
        text += tr("File: %1<br>")
                    .arg(QFileInfo(QString::fromStdString(d.location)).fileName().toHtmlEscaped());
    if (!d.modelSha256.empty())
        text += tr("SHA-256: %1")
                    .arg(QString::fromStdString(d.modelSha256).left(16) + QStringLiteral("…"));
    info_->setText(text);
    info_->setToolTip(QString::fromStdString(d.location));
}

QString ModelPanel::remoteText(const jobs::BackendDescription& d) const {
    const QUrl url(QString::fromStdString(d.location));
    const QString host =
        url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
    QString text = tr("<b>Remote endpoint</b>: images are encoded on %1, not on this "
                      "computer.<br>")
                       .arg(host.toHtmlEscaped());
    text += tr("Deployment: %1<br>").arg(QString::fromStdString(d.model).toHtmlEscaped());
    text += tr("Channels: %1 in, %2 latent<br>").arg(d.imageChannels).arg(d.latentChannels);
    text += roundTripMs_ < 0
                ? tr("Last round trip: none yet<br>")
                : tr("Last round trip: %1 ms<br>").arg(QLocale().toString(roundTripMs_, 'f', 0));
    // The contract's 'decoded' is integers 0..255: clamped to the model's range and rounded.
    text +=
        tr("<i>The endpoint returns the reconstruction clamped and rounded to 8 bits, so "
           "PSNR and SSIM differ slightly from the local engine's.</i>");
    return text;
}

void ModelPanel::setRoundTrip(double milliseconds) {
    roundTripMs_ = milliseconds;
    if (description_.kind == "remote" && state_.isEmpty()) info_->setText(remoteText(description_));
}

void ModelPanel::enableLocalControls(bool local) {
    localControls_ = local;
    const QString why = local ? QString() : tr("Applies to the local engine only.");
    for (QWidget* w : std::initializer_list<QWidget*>{device_, precision_, threads_, tiled_,
                                                      tileSize_, sample_}) {
        w->setEnabled(local);
        w->setToolTip(why);
    }
    const bool tiled = tiled_->isChecked();
    tileSize_->setEnabled(local && tiled);
    sample_->setEnabled(local && !tiled);
    if (local) {
        tiled_->setToolTip(
            tr("For images too large for this computer's memory: overlapping tiles, blended. "
               "The result is an approximation of the exact one and says how far the tiles "
               "disagreed."));
        tileSize_->setToolTip(tr("Tile size: the side of each tile in pixels"));
        sample_->setToolTip(tiled ? tr("Not with tiles: each tile would draw its own noise.")
                                  : tr("Sample z from the posterior (otherwise its mean)"));
    }
    seed_->setEnabled(local && !tiled && sample_->isChecked());
}

void ModelPanel::setLoading(const QString& source) {
    state_ = QStringLiteral("loading");
    info_->setText(tr("Loading %1…").arg(QFileInfo(source).fileName().toHtmlEscaped()));
}

void ModelPanel::setLoadError(const QString& message) {
    state_ = QStringLiteral("error");
    info_->setText(tr("The model could not be loaded: %1").arg(message.toHtmlEscaped()));
}

QString ModelPanel::infoText() const {
    return info_->text();
}

QString ModelPanel::checksumText() const {
    return checksum_->text();
}

EngineOptions ModelPanel::engineOptions() const {
    EngineOptions o;
    parseDevice(device_->currentData().toString().toStdString(), o);  // the box's own spellings
    o.precision = parsePrecision(precision_->currentData().toString().toStdString());
    o.threads = threads_->value();
    if (tiled_->isChecked()) {
        o.tileSize = std::max(kTileStep, tileSize_->value() / kTileStep * kTileStep);
        o.tileOverlap = std::min<std::int64_t>(128, o.tileSize / 4);  // a multiple of 32
    }
    return o;
}

void ModelPanel::setEngineOptions(const EngineOptions& o) {
    const QSignalBlocker b1(device_), b2(precision_), b3(threads_), b4(tiled_), b5(tileSize_);
    const int device =
        device_->findData(QString::fromStdString(deviceLabel(o.device, o.deviceIndex)));
    device_->setCurrentIndex(device > 0 && o.deviceIndex < Engine::cudaDeviceCount() ? device : 0);
    precision_->setCurrentIndex(
        std::max(0, precision_->findData(QString::fromLatin1(precisionFlag(o.precision)))));
    followDevice();
    threads_->setValue(o.threads);
    tiled_->setChecked(o.tileSize > 0);
    if (o.tileSize > 0) tileSize_->setValue(int(std::min<std::int64_t>(o.tileSize, 16384)));
    enableLocalControls(localControls_);
}

// float16 runs on CUDA devices only: offered there, and given up for float32 on the CPU.
void ModelPanel::followDevice() {
    const bool cuda = device_->currentIndex() > 0;
    setItemEnabled(precision_, 2, cuda);
    if (!cuda && precision_->currentIndex() == 2) precision_->setCurrentIndex(0);
}

void ModelPanel::setItemEnabled(QComboBox* box, int index, bool enabled) {
    if (auto* model = qobject_cast<QStandardItemModel*>(box->model()))
        if (QStandardItem* item = model->item(index)) item->setEnabled(enabled);
}

EncodeOptions ModelPanel::encodeOptions() const {
    EncodeOptions o;
    o.decode = true;
    // A remote endpoint cannot sample; tiles cannot (each would draw its own noise).
    o.sample = sample_->isChecked() && localControls_ && !tiled_->isChecked();
    o.seed = std::uint64_t(seed_->value());
    return o;
}

void ModelPanel::setSampling(bool sample, quint64 seed) {
    const QSignalBlocker b1(sample_), b2(seed_);
    sample_->setChecked(sample);
    seed_->setValue(int(std::min<quint64>(seed, 2147483647)));
    seed_->setEnabled(sample && localControls_ && !tiled_->isChecked());
}

void ModelPanel::setCacheRoot(const QString& root) {
    cacheRoot_ = root;
    refreshCache();
}

void ModelPanel::refreshCache() {
    cached_->clear();
    // The revision and path are in the tooltips: the dock is narrow.
    for (const CachedCheckpoint& c : HuggingFaceCache::find(cacheRoot_.toStdString())) {
        const QString path = QString::fromStdString(c.path);
        cached_->addItem(QString::fromStdString(c.modelName), path);
        cached_->setItemData(cached_->count() - 1, QDir::toNativeSeparators(path), Qt::ToolTipRole);
    }
    const bool any = cached_->count() > 0;
    if (!any) cached_->addItem(tr("none found"));
    cached_->setToolTip(tr("Looked in %1").arg(QDir::toNativeSeparators(cacheRoot_)));
    cached_->setEnabled(any);
    loadCached_->setEnabled(any);
}

int ModelPanel::cachedCount() const {
    return cached_->itemData(0).toString().isEmpty() ? 0 : cached_->count();
}

bool ModelPanel::downloading() const {
    return downloader_->isRunning();
}

void ModelPanel::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load checkpoint"), QString(),
        tr("Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)"));
    if (!path.isEmpty()) Q_EMIT loadRequested(path);
}

void ModelPanel::startDownload() {
    QString fileName;
    try {
        fileName = QString::fromStdString(
            HuggingFaceCache::fileNameFor(downloadName_->currentText().toStdString()));
    } catch (const std::exception& e) {
        checksum_->setText(QString::fromStdString(e.what()));
        return;
    }
    jobs::ModelDownloader::Options options;
    options.baseUrl = baseUrl_;
    options.cacheRoot = cacheRoot_;
    if (!downloader_->download(fileName, options)) return;
    downloadProgress_->setVisible(true);
    downloadProgress_->setRange(0, 0);
    downloadProgress_->setFormat(tr("Connecting…"));
    checksum_->setText(tr("Downloading %1…").arg(fileName));
    download_->setEnabled(false);
    cancelDownload_->setEnabled(true);
}

void ModelPanel::cancelDownload() {
    downloader_->cancel();
}

void ModelPanel::onDownloadFinished(bool ok, bool cancelled, const QString& path,
                                    const QString& sha256, const QString& error) {
    download_->setEnabled(true);
    cancelDownload_->setEnabled(false);
    downloadProgress_->setVisible(false);
    if (ok) {
        checksum_->setText(
            tr("Downloaded to %1\nSHA-256: %2").arg(QDir::toNativeSeparators(path), sha256));
        refreshCache();
        Q_EMIT loadRequested(path);
    } else if (cancelled) {
        checksum_->setText(tr("Download cancelled; nothing was kept."));
    } else {
        checksum_->setText(tr("Download failed: %1").arg(error));
    }
    Q_EMIT downloadFinished(ok, path);
}

}  // namespace medvae::ui
