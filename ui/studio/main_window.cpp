#include "main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDirIterator>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <utility>

#include "batch_panel.h"
#include "compare_panel.h"
#include "endpoint_profiles_dialog.h"
#include "endpoint_settings.h"
#include "key_store.h"
#include "language_switcher.h"
#include "latent_panel.h"
#include "local_backend.h"
#include "model_panel.h"
#include "privacy_confirmation.h"
#include "remote_backend.h"
#include "resource_paths.h"
#include "session_key_prompt.h"

#ifndef MEDVAE_VERSION
#define MEDVAE_VERSION "0.0.0"
#endif

// Resources compiled into a static library register only when something refers to them.
static void initStudioResources() {
    Q_INIT_RESOURCE(studio);
}

namespace medvae::ui {
namespace {

constexpr int kMaxRecent = 10;
constexpr int kMaxFolderFiles = 2000;
constexpr int kMaxFolderDepth = 8;
constexpr int kThumbnailSide = 96;
constexpr int kScreenshotTimeoutMs = 300000;
constexpr int kSourceRole = Qt::UserRole + 1;

bool isRemote(const QString& source) {
    return source.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
           source.startsWith(QLatin1String("https://"), Qt::CaseInsensitive) ||
           source.startsWith(QLatin1String("data:"), Qt::CaseInsensitive);
}

bool looksLikeImageFile(const QFileInfo& info) {
    static const QStringList suffixes = {
        QStringLiteral("png"),  QStringLiteral("jpg"),  QStringLiteral("jpeg"),
        QStringLiteral("tif"),  QStringLiteral("tiff"), QStringLiteral("bmp"),
        QStringLiteral("webp"), QStringLiteral("pgm"),  QStringLiteral("ppm"),
        QStringLiteral("pnm"),  QStringLiteral("dcm"),  QStringLiteral("dicom")};
    // DICOM files from scanners often have no extension at all.
    return info.suffix().isEmpty() || suffixes.contains(info.suffix().toLower());
}

// A small picture of an image for the list: first colour channel(s) scaled to their range.
QImage thumbnailOf(const Image& image) {
    if (image.width <= 0 || image.height <= 0 || image.pixels.empty()) return {};
    const int colour = image.channels >= 3 ? 3 : 1;
    const int step = std::max(1, std::max(image.width, image.height) / kThumbnailSide);
    const int w = std::max(1, image.width / step), h = std::max(1, image.height / step);
    float lo = INFINITY, hi = -INFINITY;
    for (int c = 0; c < colour; ++c)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const float v = image.plane(c)[std::size_t(y * step) * image.width + x * step];
                if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
            }
    const float span = hi > lo ? hi - lo : 1;
    QImage out(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y) {
        uchar* row = out.scanLine(y);
        for (int x = 0; x < w; ++x)
            for (int k = 0; k < 3; ++k) {
                const float v = image.plane(
                    colour == 3 ? k : 0)[std::size_t(y * step) * image.width + x * step];
                row[3 * x + k] =
                    std::isfinite(v) ? uchar(std::clamp((v - lo) / span * 255.f, 0.f, 255.f)) : 0;
            }
    }
    return out;
}

QString displayName(const QString& source) {
    if (source.startsWith(QLatin1String("data:"), Qt::CaseInsensitive))
        return QStringLiteral("inline-image");
    if (isRemote(source))
        return QUrl(source).fileName().isEmpty() ? source : QUrl(source).fileName();
    return QFileInfo(source).fileName();
}

}  // namespace

MainWindow::MainWindow(LanguageSwitcher* languages, QWidget* parent)
    : QMainWindow(parent),
      languages_(languages),
      worker_(new jobs::InferenceWorker(this)),
      tabs_(new QTabWidget(this)),
      inspect_(new QSplitter(Qt::Vertical, this)),
      compare_(new ComparePanel(inspect_)),
      latent_(new LatentPanel(inspect_)),
      modelPanel_(new ModelPanel(this)),
      images_(new QListWidget(this)) {
    initStudioResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/medvae-studio.svg")));
    setAcceptDrops(true);
    inspect_->addWidget(compare_);
    inspect_->addWidget(latent_);
    inspect_->setStretchFactor(0, 3);
    inspect_->setStretchFactor(1, 2);
    inspect_->setSizes({540, 360});
    tabs_->addTab(inspect_, QString());
    tabs_->setDocumentMode(true);
    batch_ = new BatchPanel(this);
    addPanel(batch_, QString());
    setCentralWidget(tabs_);

    images_->setObjectName(QStringLiteral("imageList"));
    images_->setViewMode(QListView::IconMode);
    images_->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    images_->setResizeMode(QListView::Adjust);
    images_->setMovement(QListView::Static);
    images_->setWordWrap(true);
    images_->setGridSize(QSize(kThumbnailSide + 24, kThumbnailSide + 36));

    createActions();
    createDocks();
    createStatusBar();

    connect(worker_, &jobs::InferenceWorker::jobStarted, this, &MainWindow::onJobStarted);
    connect(worker_, &jobs::InferenceWorker::jobProgress, this, &MainWindow::onJobProgress);
    connect(worker_, &jobs::InferenceWorker::jobFinished, this, &MainWindow::onJobFinished);
    connect(images_, &QListWidget::currentItemChanged, this,
            [this](QListWidgetItem* item, QListWidgetItem*) {
                if (item) showSource(item->data(kSourceRole).toString());
                updateActions();
            });
    connect(batch_, &BatchPanel::inspectRequested, this, [this](const QString& path) {
        tabs_->setCurrentWidget(inspect_);
        openSources({path});
    });
    connect(modelPanel_, &ModelPanel::loadRequested, this, &MainWindow::loadModel);
    connect(modelPanel_, &ModelPanel::engineOptionsChanged, this, [this] {
        if (!checkpointPath_.isEmpty()) loadModel(checkpointPath_);
    });
    connect(modelPanel_, &ModelPanel::encodeOptionsChanged, this, [this] {
        if (!currentSource_.isEmpty()) showSource(currentSource_);
    });
    connect(compare_, &ComparePanel::padToFactorChanged, this, [this](bool pad) {
        padToFactor_ = pad;
        if (!currentSource_.isEmpty()) showSource(currentSource_);
    });

    readSettings();
    retranslate();
    updateActions();
}

MainWindow::~MainWindow() {
    if (modelLoader_) modelLoader_->wait();
}

// ---- actions -------------------------------------------------------------------------------

void MainWindow::createActions() {
    fileMenu_ = menuBar()->addMenu(QString());
    openAct_ = fileMenu_->addAction(QIcon::fromTheme(QStringLiteral("document-open")), QString(),
                                    this, &MainWindow::openFiles);
    openAct_->setShortcut(QKeySequence::Open);
    openFolderAct_ = fileMenu_->addAction(QIcon::fromTheme(QStringLiteral("folder-open")),
                                          QString(), this, &MainWindow::openFolder);
    openUrlAct_ = fileMenu_->addAction(QString(), this, &MainWindow::openUrl);
    openUrlAct_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    pasteAct_ = fileMenu_->addAction(QIcon::fromTheme(QStringLiteral("edit-paste")), QString(),
                                     this, &MainWindow::pasteFromClipboard);
    pasteAct_->setShortcut(QKeySequence::Paste);
    recentMenu_ = fileMenu_->addMenu(QString());
    fileMenu_->addSeparator();
    loadModelAct_ = fileMenu_->addAction(QString(), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Load checkpoint"), QString(),
            tr("Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)"));
        if (!path.isEmpty()) loadModel(path);
    });
    closeImageAct_ = fileMenu_->addAction(QString(), this, [this] {
        QListWidgetItem* item = images_->currentItem();
        if (!item) return;
        delete images_->takeItem(images_->row(item));
        if (images_->count() == 0) {
            currentSource_.clear();
            shown_.reset();
            compare_->clear();
            latent_->clear();
        }
        updateActions();
    });
    closeImageAct_->setShortcut(QKeySequence::Close);
    fileMenu_->addSeparator();
    quitAct_ = fileMenu_->addAction(QString(), this, &QWidget::close);
    quitAct_->setShortcut(QKeySequence::Quit);
    clearRecentAct_ = new QAction(this);
    connect(clearRecentAct_, &QAction::triggered, this, [this] {
        recent_.clear();
        updateRecentMenu();
    });

    QMenu* runMenu = menuBar()->addMenu(QString());
    runMenu->setObjectName(QStringLiteral("runMenu"));
    recomputeAct_ = runMenu->addAction(QIcon::fromTheme(QStringLiteral("view-refresh")), QString(),
                                       this, [this] {
                                           if (currentSource_.isEmpty() || !backend_) return;
                                           compute(currentSource_);
                                       });
    recomputeAct_->setShortcut(QKeySequence(Qt::Key_F5));
    cancelAct_ = runMenu->addAction(QIcon::fromTheme(QStringLiteral("process-stop")), QString(),
                                    this, &MainWindow::cancelJob);
    cancelAct_->setShortcut(QKeySequence(Qt::Key_Escape));
    runMenu->addSeparator();
    backendGroup_ = new QActionGroup(this);
    localAct_ = runMenu->addAction(QString());
    localAct_->setCheckable(true);
    localAct_->setChecked(true);
    remoteAct_ = runMenu->addAction(QString());
    remoteAct_->setCheckable(true);
    backendGroup_->addAction(localAct_);
    backendGroup_->addAction(remoteAct_);
    connect(localAct_, &QAction::triggered, this, &MainWindow::useLocalBackend);
    connect(remoteAct_, &QAction::triggered, this, &MainWindow::useRemoteBackend);
    profilesAct_ = runMenu->addAction(QString(), this, [this] {
        remote::EndpointSettings settings;
        remote::KeyStore keys;
        EndpointProfilesDialog dialog(settings, keys, this);
        dialog.exec();
    });

    viewMenu_ = menuBar()->addMenu(QString());
    languageMenu_ = viewMenu_->addMenu(QString());
    languageGroup_ = new QActionGroup(this);
    systemLanguageAct_ = languageMenu_->addAction(QString());
    systemLanguageAct_->setData(QString());
    systemLanguageAct_->setCheckable(true);
    languageGroup_->addAction(systemLanguageAct_);
    languageMenu_->addSeparator();
    QStringList codes = {QStringLiteral("en")};
    codes += LanguageSwitcher::languages();
    for (const QString& code : codes) {
        QAction* a = languageMenu_->addAction(LanguageSwitcher::nativeName(code));
        a->setData(code);
        a->setCheckable(true);
        languageGroup_->addAction(a);
    }
    connect(languageGroup_, &QActionGroup::triggered, this, [this](QAction* a) {
        QSettings().setValue(QStringLiteral("ui/language"), a->data().toString());
        if (languages_) languages_->apply(a->data().toString());
    });
    languageMenu_->setEnabled(languages_ != nullptr);

    helpMenu_ = menuBar()->addMenu(QString());
    aboutAct_ = helpMenu_->addAction(QString(), this, &MainWindow::about);
    aboutQtAct_ = helpMenu_->addAction(QString(), qApp, &QApplication::aboutQt);

    QToolBar* tools = addToolBar(QStringLiteral("main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->addAction(openAct_);
    tools->addAction(openFolderAct_);
    tools->addAction(pasteAct_);
    tools->addSeparator();
    tools->addAction(recomputeAct_);
    tools->addAction(cancelAct_);
}

void MainWindow::updateActions() {
    const bool hasImage = images_->currentItem() != nullptr;
    cancelAct_->setEnabled(runningId_ != 0 || worker_->busy());
    recomputeAct_->setEnabled(hasImage && backend_ != nullptr);
    closeImageAct_->setEnabled(hasImage);
    clearRecentAct_->setEnabled(!recent_.isEmpty());
    recentMenu_->setEnabled(!recent_.isEmpty());
}

void MainWindow::createDocks() {
    imagesDock_ = new QDockWidget(this);
    imagesDock_->setObjectName(QStringLiteral("imagesDock"));
    imagesDock_->setWidget(images_);
    images_->setMinimumWidth(kThumbnailSide + 40);
    modelPanel_->setMaximumWidth(400);
    addDockWidget(Qt::LeftDockWidgetArea, imagesDock_);
    modelDock_ = new QDockWidget(this);
    modelDock_->setObjectName(QStringLiteral("modelDock"));
    modelDock_->setWidget(modelPanel_);
    addDockWidget(Qt::RightDockWidgetArea, modelDock_);
    viewMenu_->addSeparator();
    viewMenu_->addAction(imagesDock_->toggleViewAction());
    viewMenu_->addAction(modelDock_->toggleViewAction());
}

void MainWindow::createStatusBar() {
    jobLabel_ = new QLabel(this);
    jobLabel_->setObjectName(QStringLiteral("jobLabel"));
    progress_ = new QProgressBar(this);
    progress_->setMaximumWidth(180);
    progress_->setVisible(false);
    timingLabel_ = new QLabel(this);
    timingLabel_->setObjectName(QStringLiteral("timingLabel"));
    statusBar()->addWidget(jobLabel_, 1);
    auto* cancel = new QToolButton(this);
    cancel->setDefaultAction(cancelAct_);
    cancel->setToolButtonStyle(Qt::ToolButtonTextOnly);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel);
    statusBar()->addPermanentWidget(timingLabel_);
}

void MainWindow::retranslate() {
    setWindowTitle(tr("MedVAE Studio"));
    tabs_->setTabText(0, tr("Inspect"));
    tabs_->setTabText(tabs_->indexOf(batch_), tr("Batch"));
    fileMenu_->setTitle(tr("&File"));
    openAct_->setText(tr("&Open Images…"));
    openAct_->setStatusTip(tr("Open image files (PNG, JPEG, TIFF, DICOM, …)"));
    openFolderAct_->setText(tr("Open &Folder…"));
    openUrlAct_->setText(tr("Open &URL…"));
    pasteAct_->setText(tr("&Paste Image or Path"));
    recentMenu_->setTitle(tr("Open &Recent"));
    clearRecentAct_->setText(tr("Clear Recent"));
    loadModelAct_->setText(tr("Load &Checkpoint…"));
    closeImageAct_->setText(tr("&Close Image"));
    quitAct_->setText(tr("&Quit"));
    menuBar()->actions().at(1)->setText(tr("&Run"));
    recomputeAct_->setText(tr("&Recompute"));
    cancelAct_->setText(tr("&Cancel Job"));
    localAct_->setText(tr("&Local Engine"));
    remoteAct_->setText(tr("Remote &Endpoint (Active Profile)"));
    profilesAct_->setText(tr("Endpoint &Profiles…"));
    viewMenu_->setTitle(tr("&View"));
    languageMenu_->setTitle(tr("&Language"));
    systemLanguageAct_->setText(tr("System Default"));
    helpMenu_->setTitle(tr("&Help"));
    aboutAct_->setText(tr("&About MedVAE Studio"));
    aboutQtAct_->setText(tr("About &Qt"));
    imagesDock_->setWindowTitle(tr("Images"));
    modelDock_->setWindowTitle(tr("Model"));
    if (!runningId_) jobLabel_->setText(lastError_.isEmpty() ? tr("Ready") : lastError_);
    timingLabel_->setText(timingText());
    updateRecentMenu();
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QMainWindow::changeEvent(event);
}

// ---- settings ------------------------------------------------------------------------------

void MainWindow::readSettings() {
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1440, 900);
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    EngineOptions engine;
    engine.device = s.value(QStringLiteral("engine/device")).toString() == QLatin1String("cuda")
                        ? DeviceKind::Cuda
                        : DeviceKind::Cpu;
    engine.precision =
        s.value(QStringLiteral("engine/precision")).toString() == QLatin1String("bf16")
            ? Precision::BFloat16
            : Precision::Float32;
    engine.threads = s.value(QStringLiteral("engine/threads"), 0).toInt();
    modelPanel_->setEngineOptions(engine);
    modelPanel_->setSampling(s.value(QStringLiteral("encode/sample"), false).toBool(),
                             s.value(QStringLiteral("encode/seed"), 0).toULongLong());
    padToFactor_ = s.value(QStringLiteral("view/padToFactor"), false).toBool();
    compare_->setPadToFactor(padToFactor_);
    recent_ = s.value(QStringLiteral("recentFiles")).toStringList();
    const QString language = s.value(QStringLiteral("ui/language")).toString();
    for (QAction* a : languageGroup_->actions())
        if (a->data().toString() == language) a->setChecked(true);
}

void MainWindow::writeSettings() const {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    const EngineOptions engine = modelPanel_->engineOptions();
    s.setValue(QStringLiteral("engine/device"), QString::fromLatin1(deviceName(engine.device)));
    s.setValue(QStringLiteral("engine/precision"), engine.precision == Precision::BFloat16
                                                       ? QStringLiteral("bf16")
                                                       : QStringLiteral("fp32"));
    s.setValue(QStringLiteral("engine/threads"), engine.threads);
    const EncodeOptions encode = modelPanel_->encodeOptions();
    s.setValue(QStringLiteral("encode/sample"), encode.sample);
    s.setValue(QStringLiteral("encode/seed"), quint64(encode.seed));
    s.setValue(QStringLiteral("view/padToFactor"), padToFactor_);
    s.setValue(QStringLiteral("recentFiles"), recent_);
    if (!checkpointPath_.isEmpty()) s.setValue(QStringLiteral("model/path"), checkpointPath_);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    writeSettings();
    worker_->cancel();
    modelPanel_->cancelDownload();
    event->accept();
}

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    for (const QString& source : recent_) {
        QAction* a = recentMenu_->addAction(displayName(source));
        a->setToolTip(source);
        a->setStatusTip(source);
        connect(a, &QAction::triggered, this, [this, source] { openSources({source}); });
    }
    recentMenu_->addSeparator();
    recentMenu_->addAction(clearRecentAct_);
    clearRecentAct_->setEnabled(!recent_.isEmpty());
    recentMenu_->setEnabled(!recent_.isEmpty());
}

void MainWindow::addRecent(const QString& source) {
    if (source.startsWith(QLatin1String("data:"), Qt::CaseInsensitive) || source.size() > 2048)
        return;  // inline images are not worth remembering (and can be huge)
    recent_.removeAll(source);
    recent_.prepend(source);
    while (recent_.size() > kMaxRecent)
        recent_.removeLast();
    updateRecentMenu();
}

// ---- models --------------------------------------------------------------------------------

void MainWindow::setBackend(std::shared_ptr<jobs::InferenceBackend> backend, qint64 parameters) {
    backend_ = std::move(backend);
    parameters_ = parameters;
    batch_->setBackend(backend_);
    modelPanel_->setModel(backend_ ? backend_->describe() : jobs::BackendDescription(), parameters);
    updateActions();
    if (!currentSource_.isEmpty()) showSource(currentSource_);
}

void MainWindow::loadDefaultModel() {
    const QString remembered = QSettings().value(QStringLiteral("model/path")).toString();
    if (!remembered.isEmpty() && QFileInfo::exists(remembered)) {
        loadModel(remembered);
        return;
    }
    const QString demo = QString::fromStdString(ResourcePaths::demoModel());
    if (demo.isEmpty()) {
        modelPanel_->setLoadError(tr("The bundled demo model was not found; load a checkpoint."));
        return;
    }
    loadModel(demo);
}

void MainWindow::loadModel(const QString& checkpointPath) {
    if (modelLoading_) {
        // One load at a time, without blocking: the newest request runs when this one ends.
        pendingModel_ = checkpointPath;
        return;
    }
    modelLoading_ = true;
    modelPanel_->setLoading(checkpointPath);
    jobLabel_->setText(tr("Loading model %1…").arg(QFileInfo(checkpointPath).fileName()));
    const EngineOptions options = modelPanel_->engineOptions();
    QPointer<MainWindow> self(this);
    QThread* thread = QThread::create([self, checkpointPath, options] {
        std::shared_ptr<jobs::InferenceBackend> backend;
        qint64 parameters = 0;
        QString error;
        try {
            auto local = jobs::LocalBackend::open(checkpointPath.toStdString(), options);
            parameters = local->info().parameters;
            backend = std::move(local);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        if (!self) return;
        QMetaObject::invokeMethod(
            self,
            [self, backend, parameters, checkpointPath, error] {
                if (self) self->onModelLoaded(backend, parameters, checkpointPath, error);
            },
            Qt::QueuedConnection);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    modelLoader_ = thread;
    thread->start();
}

void MainWindow::onModelLoaded(std::shared_ptr<jobs::InferenceBackend> backend, qint64 parameters,
                               const QString& path, const QString& error) {
    modelLoading_ = false;
    if (!pendingModel_.isEmpty()) {
        // Superseded while loading (the settings changed again): load the newest instead.
        loadModel(std::exchange(pendingModel_, QString()));
        return;
    }
    if (!backend) {
        modelPanel_->setLoadError(error);
        lastError_ = tr("Model not loaded: %1").arg(error);
        jobLabel_->setText(lastError_);
        Q_EMIT modelLoaded(false, error);
        if (!screenshotPath_.isEmpty()) {
            // Nothing will be computed: a screenshot run ends now instead of at its timeout.
            qWarning("%s", qPrintable(lastError_));
            QCoreApplication::exit(1);
        }
        return;
    }
    checkpointPath_ = path;
    localBackend_ = backend;
    localParameters_ = parameters;
    localAct_->setChecked(true);
    QSettings().setValue(QStringLiteral("model/path"), path);
    lastError_.clear();
    jobLabel_->setText(tr("Model loaded: %1").arg(QFileInfo(path).fileName()));
    setBackend(std::move(backend), parameters);
    Q_EMIT modelLoaded(true, QString());
}

// ---- opening -------------------------------------------------------------------------------

QStringList MainWindow::expand(const QStringList& sources) const {
    QStringList out;
    for (QString source : sources) {
        source = source.trimmed();
        if (source.isEmpty()) continue;
        if (source.startsWith(QLatin1String("file://"), Qt::CaseInsensitive))
            source = QUrl(source).toLocalFile();
        const QFileInfo info(source);
        if (!isRemote(source) && info.isDir()) {
            QStringList files;
            QDirIterator it(info.absoluteFilePath(), QDir::Files | QDir::Readable,
                            QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
            const int baseDepth = info.absoluteFilePath().count(QLatin1Char('/'));
            while (it.hasNext() && files.size() < kMaxFolderFiles) {
                const QString path = it.next();
                const QFileInfo f = it.fileInfo();
                // Hidden files and partial downloads are never images to open.
                if (f.fileName().startsWith(QLatin1Char('.')) ||
                    path.contains(QLatin1String("/.")) || f.suffix() == QLatin1String("part") ||
                    f.suffix() == QLatin1String("tmp"))
                    continue;
                if (path.count(QLatin1Char('/')) - baseDepth > kMaxFolderDepth) continue;
                if (looksLikeImageFile(f)) files << f.absoluteFilePath();
            }
            files.sort();
            out += files;
        } else if (!isRemote(source) && info.exists()) {
            out << info.absoluteFilePath();
        } else {
            out << source;  // URL, data: URI, base64, or a missing path (its error is shown)
        }
    }
    out.removeDuplicates();
    return out;
}

QListWidgetItem* MainWindow::itemFor(const QString& source) const {
    for (int i = 0; i < images_->count(); ++i)
        if (images_->item(i)->data(kSourceRole).toString() == source) return images_->item(i);
    return nullptr;
}

void MainWindow::openSources(const QStringList& sources) {
    const QStringList expanded = expand(sources);
    QListWidgetItem* first = nullptr;
    for (const QString& source : expanded) {
        QListWidgetItem* item = itemFor(source);
        if (!item) {
            item = new QListWidgetItem(displayName(source), images_);
            item->setData(kSourceRole, source);
            item->setToolTip(source.size() > 300 ? source.left(300) + QStringLiteral("…") : source);
            QPixmap blank(kThumbnailSide, kThumbnailSide);
            blank.fill(QColor(40, 40, 40));
            item->setIcon(QIcon(blank));
        }
        addRecent(source);
        if (!first) first = item;
    }
    if (expanded.isEmpty() && !sources.isEmpty())
        jobLabel_->setText(tr("No images found in what was opened."));
    if (first) {
        if (images_->currentItem() == first)
            showSource(first->data(kSourceRole).toString());
        else
            images_->setCurrentItem(first);
    }
    updateActions();
}

void MainWindow::openFiles() {
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open Images"), QString(),
        tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pgm *.ppm *.pnm *.dcm);;"
           "All files (*)"));
    if (!files.isEmpty()) openSources(files);
}

void MainWindow::openFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Folder"));
    if (!dir.isEmpty()) openSources({dir});
}

void MainWindow::openUrl() {
    bool ok = false;
    const QString url =
        QInputDialog::getText(this, tr("Open URL"), tr("Image address (http, https or data: URI):"),
                              QLineEdit::Normal, QString(), &ok);
    if (ok && !url.trimmed().isEmpty()) openSources({url.trimmed()});
}

void MainWindow::pasteFromClipboard() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    QStringList sources;
    if (mime && mime->hasUrls()) {
        for (const QUrl& url : mime->urls())
            sources << (url.isLocalFile() ? url.toLocalFile() : url.toString());
    } else if (mime && mime->hasImage()) {
        // A copied picture has no file: keep it as a PNG for this session.
        if (!pasteDir_) pasteDir_ = std::make_unique<QTemporaryDir>();
        const QImage image = qvariant_cast<QImage>(mime->imageData());
        const QString path = pasteDir_->filePath(
            QStringLiteral("pasted-%1.png")
                .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz"))));
        if (!image.isNull() && image.save(path)) sources << path;
    } else if (mime && mime->hasText()) {
        const QString text = mime->text().trimmed();
        if (text.startsWith(QLatin1String("data:"), Qt::CaseInsensitive))
            sources << text;
        else
            sources = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    if (sources.isEmpty()) {
        jobLabel_->setText(tr("The clipboard holds no image, path or address."));
        return;
    }
    openSources(sources);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() || event->mimeData()->hasText()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList sources;
    if (event->mimeData()->hasUrls()) {
        for (const QUrl& url : event->mimeData()->urls())
            sources << (url.isLocalFile() ? url.toLocalFile() : url.toString());
    } else if (event->mimeData()->hasText()) {
        sources = event->mimeData()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    if (sources.isEmpty()) return;
    event->acceptProposedAction();
    openSources(sources);
}

void MainWindow::addPanel(QWidget* panel, const QString& title) {
    tabs_->addTab(panel, title);
}

// ---- jobs ----------------------------------------------------------------------------------

void MainWindow::showSource(const QString& source) {
    currentSource_ = source;
    if (QListWidgetItem* item = itemFor(source); item && images_->currentItem() != item) {
        const QSignalBlocker block(images_);
        images_->setCurrentItem(item);
    }
    if (!backend_) {
        jobLabel_->setText(tr("No model loaded yet; the image is computed once one is."));
        return;
    }
    const QString key = ResultCache::keyOf(source, backend_->describe(),
                                           modelPanel_->encodeOptions(), padToFactor_);
    if (auto hit = cache_.find(key)) {
        wantedId_ = 0;
        wantedKey_.clear();
        worker_->cancel();  // whatever runs is for an image no longer wanted
        display(hit);
        return;
    }
    compute(source);
}

void MainWindow::compute(const QString& source) {
    jobs::InferenceRequest request;
    request.source = source;
    request.backend = backend_;
    request.options = modelPanel_->encodeOptions();
    request.padToFactor = padToFactor_;
    wantedKey_ = ResultCache::keyOf(source, backend_->describe(), request.options, padToFactor_);
    wantedId_ = worker_->submit(request);
    jobLabel_->setText(tr("Queued: %1").arg(displayName(source)));
    updateActions();
}

void MainWindow::cancelJob() {
    userCancelled_ = runningId_ != 0;
    worker_->cancel();
    wantedId_ = 0;
    wantedKey_.clear();
    updateActions();
}

void MainWindow::onJobStarted(quint64 id, const QString& source) {
    runningId_ = id;
    runningSource_ = source;
    runningStage_.clear();
    progress_->setVisible(true);
    progress_->setRange(0, 0);
    jobLabel_->setText(tr("Loading %1…").arg(displayName(source)));
    updateActions();
}

void MainWindow::onJobProgress(quint64 id, const QString& stage, int done, int total) {
    if (id != runningId_) return;
    const QString name = displayName(runningSource_);
    if (stage == QLatin1String("load"))
        jobLabel_->setText(tr("Downloading %1…").arg(name));
    else if (stage == QLatin1String("inference"))
        jobLabel_->setText(tr("Encoding and decoding %1…").arg(name));
    else
        jobLabel_->setText(tr("Comparing %1…").arg(name));
    if (total > 0) {
        progress_->setRange(0, total);
        progress_->setValue(done);
    } else {
        progress_->setRange(0, 0);
    }
}

void MainWindow::onJobFinished(const jobs::InferenceOutcome& outcome) {
    if (outcome.id == runningId_) runningId_ = 0;
    progress_->setVisible(runningId_ != 0);
    auto shared = std::make_shared<const jobs::InferenceOutcome>(outcome);
    const bool wanted = outcome.id == wantedId_;
    if (outcome.ok()) {
        const QString key = ResultCache::keyOf(outcome.source, outcome.backend, outcome.options,
                                               wanted ? padToFactor_ : outcome.padded);
        cache_.insert(wanted ? wantedKey_ : key, shared);
    }
    if (QListWidgetItem* item = itemFor(outcome.source)) {
        if (!outcome.image.pixels.empty()) {
            const QImage thumb = thumbnailOf(outcome.image);
            if (!thumb.isNull())
                item->setIcon(QIcon(QPixmap::fromImage(thumb.scaled(kThumbnailSide, kThumbnailSide,
                                                                    Qt::KeepAspectRatio,
                                                                    Qt::SmoothTransformation))));
        } else if (!outcome.error.isEmpty()) {
            item->setIcon(QIcon::fromTheme(QStringLiteral("dialog-error"), item->icon()));
            item->setToolTip(outcome.error);
        }
    }
    if (wanted) wantedId_ = 0;
    updateActions();
    Q_EMIT jobEnded(outcome.id, outcome.ok(), outcome.cancelled);
    if (outcome.cancelled) {
        // Jobs dropped because another image was chosen end quietly; a user's Cancel is confirmed.
        if (wanted || userCancelled_) jobLabel_->setText(tr("Cancelled."));
        userCancelled_ = false;
    } else if (wanted) {
        display(shared);
    }
}

void MainWindow::display(const std::shared_ptr<const jobs::InferenceOutcome>& outcome) {
    shown_ = outcome;
    const QString name = displayName(outcome->source);
    if (!outcome->ok()) {
        lastError_ = tr("%1: %2").arg(name, outcome->error);
        compare_->showError(outcome->error);
        latent_->showError(outcome->error);
        jobLabel_->setText(lastError_);
        Q_EMIT resultShown(outcome->source, false);
        takeScreenshot();
        return;
    }
    lastError_.clear();
    if (outcome->reconstruction)
        compare_->setReconstruction(*outcome->reconstruction, outcome->backend.factor);
    else
        compare_->showError(tr("This backend returned no reconstruction."));
    latent_->setResult(outcome->result.latent, outcome->result.z);
    lastTiming_ = tr("load %1 s · model %2 s · total %3 s")
                      .arg(outcome->loadSeconds, 0, 'f', 2)
                      .arg(outcome->inferenceSeconds, 0, 'f', 2)
                      .arg(outcome->totalSeconds, 0, 'f', 2);
    if (auto* remoteBackend = dynamic_cast<remote::RemoteBackend*>(backend_.get())) {
        const remote::EndpointStatus st = remoteBackend->status();
        lastTiming_ += tr(" · endpoint %1: %2 ms, %n retries", nullptr, st.lastRetries)
                           .arg(QUrl(st.endpoint).host())
                           .arg(st.lastLatencyMs, 0, 'f', 0);
    }
    timingLabel_->setText(timingText());
    jobLabel_->setText(tr("%1: %2 × %3, latent %4 × %5 × %6%7")
                           .arg(name)
                           .arg(outcome->image.width)
                           .arg(outcome->image.height)
                           .arg(outcome->result.latent.size(0))
                           .arg(outcome->result.latent.size(1))
                           .arg(outcome->result.latent.size(2))
                           .arg(outcome->backend.demoModel ? tr(" (demo model)") : QString()));
    Q_EMIT resultShown(outcome->source, true);
    takeScreenshot();
}

QString MainWindow::jobText() const {
    return jobLabel_->text();
}

QString MainWindow::timingText() const {
    return lastTiming_.isEmpty() ? QString() : tr("Last: %1").arg(lastTiming_);
}

// ---- backends ------------------------------------------------------------------------------

void MainWindow::useLocalBackend() {
    localAct_->setChecked(true);
    if (!localBackend_) {
        jobLabel_->setText(tr("No local model is loaded; load a checkpoint."));
        return;
    }
    if (backend_ != localBackend_) setBackend(localBackend_, localParameters_);
}

void MainWindow::useRemoteBackend() {
    remote::EndpointSettings settings;
    std::optional<remote::EndpointProfile> profile = settings.active();
    if (!profile) {
        localAct_->setChecked(true);
        jobLabel_->setText(
            tr("No active endpoint profile: choose one in Run ▸ Endpoint Profiles."));
        return;
    }
    // Images leave the machine only after the user agreed for this profile.
    if (!PrivacyConfirmation::confirm(this, settings, *profile)) {
        localAct_->setChecked(true);
        jobLabel_->setText(tr("Staying with the local engine."));
        return;
    }
    jobLabel_->setText(tr("Connecting to %1…").arg(profile->name));
    // The keychain read may wait on the Secret Service: off the GUI thread.
    QPointer<MainWindow> self(this);
    QThread* thread = QThread::create([self, profile = *profile] {
        std::shared_ptr<jobs::InferenceBackend> backend;
        QString error;
        bool noKeychain = false;
        try {
            remote::EndpointSettings settings;
            remote::KeyStore keys;
            backend = remote::RemoteBackend::fromActiveProfile(settings, keys);
        } catch (const remote::KeychainUnavailable& e) {
            error = QString::fromStdString(e.what());
            noKeychain = true;
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        if (!self) return;
        QMetaObject::invokeMethod(
            self,
            [self, backend, error, noKeychain, profile] {
                if (!self) return;
                if (!backend) {
                    self->localAct_->setChecked(true);
                    // No keychain on this desktop: the key for this session, then again.
                    remote::KeyStore keys;
                    if (noKeychain && SessionKeyPrompt::ask(self, keys, profile, error)) {
                        self->useRemoteBackend();
                        return;
                    }
                    self->jobLabel_->setText(tr("Remote endpoint not available: %1").arg(error));
                    return;
                }
                self->remoteAct_->setChecked(true);
                self->setBackend(backend, 0);
                self->jobLabel_->setText(
                    tr("Using the remote endpoint %1.")
                        .arg(QString::fromStdString(backend->describe().location)));
            },
            Qt::QueuedConnection);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

// ---- about, screenshot ---------------------------------------------------------------------

void MainWindow::about() {
    const QString text =
        tr("<h3>MedVAE Studio %1</h3>"
           "<p>Inspect what MedVAE medical-image autoencoders keep and lose: latents, "
           "reconstructions and their errors.</p>"
           "<p>The bundled demo model was trained by this project and is not MedVAE's "
           "published weights.</p>"
           "<p><b>Bundled parts and their licences</b></p>"
           "<ul><li>Qt %2 — LGPLv3</li><li>LibTorch — BSD-3-Clause</li>"
           "<li>DCMTK — BSD-3-Clause</li><li>OpenCV — Apache-2.0</li>"
           "<li>OpenJPEG — BSD-2-Clause</li><li>zlib — zlib licence</li></ul>"
           "<p>Sample images and the demo model's training data: Colin27 T1 templates "
           "(Holmes et al. 1998, as distributed with MRIcron) — BSD-3-Clause, Copyright "
           "2006-2010 Chris Rorden.</p>")
            .arg(QStringLiteral(MEDVAE_VERSION), QString::fromLatin1(qVersion()));
    QMessageBox::about(this, tr("About MedVAE Studio"), text);
}

void MainWindow::setScreenshotPath(const QString& path) {
    screenshotPath_ = path;
    QTimer::singleShot(kScreenshotTimeoutMs, this, [this] {
        if (screenshotPath_.isEmpty()) return;
        qWarning("No result within %d s; no screenshot taken.", kScreenshotTimeoutMs / 1000);
        QCoreApplication::exit(2);
    });
}

void MainWindow::takeScreenshot() {
    if (screenshotPath_.isEmpty()) return;
    const QString path = screenshotPath_;
    screenshotPath_.clear();
    // Let the views lay out and paint the new result first.
    QTimer::singleShot(500, this, [this, path] {
        const bool saved = grab().save(path);
        if (!saved) qWarning("Cannot write the screenshot %s", qPrintable(path));
        QCoreApplication::exit(saved ? 0 : 1);
    });
}

}  // namespace medvae::ui
