#include "main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QInputDialog>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QShowEvent>
#include <QSplitter>
#include <QTabWidget>
#include <QToolBar>

#include "ab_compare_panel.h"
#include "batch_panel.h"
#include "compare_panel.h"
#include "endpoint_profiles_dialog.h"
#include "endpoint_settings.h"
#include "grip_splitter.h"
#include "image_view.h"
#include "job_status_bar.h"
#include "key_store.h"
#include "language_menu.h"
#include "latent_lab_panel.h"
#include "latent_panel.h"
#include "model_b.h"
#include "model_b_chooser.h"
#include "model_panel.h"
#include "output_naming.h"
#include "pacs_browser.h"
#include "privacy_confirmation.h"
#include "recent_sources.h"
#include "remote_backend.h"
#include "source_list.h"
#include "source_opener.h"
#include "studio_settings.h"
#include "view_shortcuts.h"

#include <algorithm>

#ifndef MEDVAE_VERSION
#define MEDVAE_VERSION "0.0.0"
#endif

// Resources compiled into a static library register only when something refers to them.
static void initStudioResources() {
    Q_INIT_RESOURCE(studio);
}

namespace medvae::ui {

MainWindow::MainWindow(LanguageSwitcher* languages, QWidget* parent)
    : QMainWindow(parent),
      languages_(languages),
      worker_(new jobs::InferenceWorker(this)),
      opener_(new SourceOpener(this)),
      tabs_(new QTabWidget(this)),
      inspect_(new GripSplitter(Qt::Vertical, this)),
      compare_(new ComparePanel(inspect_)),
      latent_(new LatentPanel(inspect_)),
      modelPanel_(new ModelPanel(this)),
      batch_(new BatchPanel(this)),
      images_(new SourceList(this)),
      inspection_(new InspectionController(worker_, compare_, latent_, this)),
      backends_(new BackendSwitch(worker_, modelPanel_, batch_, this)) {
    initStudioResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/medvae-studio.svg")));
    setAcceptDrops(true);
    inspect_->addWidget(compare_);
    inspect_->addWidget(latent_);
    inspect_->setStretchFactor(0, 3);
    inspect_->setStretchFactor(1, 2);
    inspect_->setSizes({540, 360});
    inspectPage_ = scrolled(inspect_);
    tabs_->addTab(inspectPage_, QString());
    tabs_->setDocumentMode(true);
    batchPage_ = scrolled(batch_);
    tabs_->addTab(batchPage_, QString());
    lab_ = new LatentLabPanel(
        new LatentLab(worker_, this), [this] { return currentZ(); }, this);
    labPage_ = scrolled(lab_);
    tabs_->addTab(labPage_, QString());
    setCentralWidget(tabs_);
    createActions();
    createDocks();
    createStatusBar();
    connectParts();
    readSettings();
    retranslate();
    updateActions();
}

MainWindow::~MainWindow() {
    delete worker_;  // aborts and joins its thread before the views it reports to go
}

// ---- actions and menus ---------------------------------------------------------------------

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
    pacsAct_ = fileMenu_->addAction(QIcon::fromTheme(QStringLiteral("network-server")), QString(),
                                    this, &MainWindow::showPacsBrowser);
    pacsAct_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    recent_ = new RecentSources(fileMenu_->addMenu(QString()), this);
    fileMenu_->addSeparator();
    loadModelAct_ = fileMenu_->addAction(QString(), this, &MainWindow::chooseCheckpoint);
    closeImageAct_ = fileMenu_->addAction(QString(), this, &MainWindow::closeImage);
    closeImageAct_->setShortcut(QKeySequence::Close);
    fileMenu_->addSeparator();
    quitAct_ = fileMenu_->addAction(QString(), this, &QWidget::close);
    quitAct_->setShortcut(QKeySequence::Quit);

    runMenu_ = menuBar()->addMenu(QString());
    runMenu_->setObjectName(QStringLiteral("runMenu"));
    recomputeAct_ = runMenu_->addAction(QIcon::fromTheme(QStringLiteral("view-refresh")), QString(),
                                        inspection_, &InspectionController::recompute);
    recomputeAct_->setShortcut(QKeySequence(Qt::Key_F5));
    cancelAct_ = runMenu_->addAction(QIcon::fromTheme(QStringLiteral("process-stop")), QString(),
                                     this, &MainWindow::cancelJob);
    cancelAct_->setShortcut(QKeySequence(Qt::Key_Escape));
    runMenu_->addSeparator();
    auto* backendGroup = new QActionGroup(this);
    localAct_ = runMenu_->addAction(QString(), backends_, &BackendSwitch::useLocal);
    remoteAct_ = runMenu_->addAction(QString(), backends_, &BackendSwitch::useRemote);
    for (QAction* a : {localAct_, remoteAct_}) {
        a->setCheckable(true);
        backendGroup->addAction(a);
    }
    localAct_->setChecked(true);
    profilesAct_ = runMenu_->addAction(QString(), this, &MainWindow::editEndpointProfiles);

    viewMenu_ = menuBar()->addMenu(QString());
    languageMenu_ = new LanguageMenu(viewMenu_->addMenu(QString()), languages_, this);
    helpMenu_ = menuBar()->addMenu(QString());
    aboutAct_ = helpMenu_->addAction(QString(), this, &MainWindow::about);
    aboutQtAct_ = helpMenu_->addAction(QString(), qApp, &QApplication::aboutQt);

    QToolBar* tools = addToolBar(QStringLiteral("main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->addActions({openAct_, openFolderAct_, pasteAct_, pacsAct_});
    tools->addSeparator();
    tools->addActions({recomputeAct_, cancelAct_});

    new ViewShortcuts(this, tabs_, inspectPage_, [this]() -> QList<ImageView*> {
        return {compare_->originalView(), compare_->reconstructionView(), compare_->errorView()};
    });
}

void MainWindow::updateActions() {
    const bool hasImage = images_->currentItem() != nullptr;
    cancelAct_->setEnabled(inspection_->jobRunning() || worker_->busy(jobs::JobKind::Image));
    recomputeAct_->setEnabled(hasImage && backends_->active() != nullptr);
    closeImageAct_->setEnabled(hasImage);
}

void MainWindow::createDocks() {
    imagesDock_ = new QDockWidget(this);
    imagesDock_->setObjectName(QStringLiteral("imagesDock"));
    imagesDock_->setWidget(images_);
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
    status_ = new JobStatusBar(cancelAct_, this);
    setStatusBar(status_);
}

// What the parts tell each other; the window only relays and shows.
void MainWindow::connectParts() {
    connect(images_, &SourceList::sourceSelected, inspection_, &InspectionController::show);
    connect(images_, &QListWidget::currentItemChanged, this, &MainWindow::updateActions);
    connect(recent_, &RecentSources::openRequested, this,
            [this](const QString& source) { openSources({source}); });
    connect(batch_, &BatchPanel::inspectRequested, this, [this](const QString& path) {
        tabs_->setCurrentWidget(inspectPage_);
        openSources({path});
    });
    connect(modelPanel_, &ModelPanel::loadRequested, backends_, &BackendSwitch::loadModel);
    connect(modelPanel_, &ModelPanel::engineOptionsChanged, this, [this] {
        if (!backends_->checkpointPath().isEmpty()) loadModel(backends_->checkpointPath());
    });
    connect(modelPanel_, &ModelPanel::encodeOptionsChanged, this, [this] {
        inspection_->setEncodeOptions(modelPanel_->encodeOptions());
        if (!currentSource().isEmpty()) inspection_->show(currentSource());
    });
    connect(compare_, &ComparePanel::padToFactorChanged, this, [this](bool pad) {
        inspection_->setPadToFactor(pad);
        if (!currentSource().isEmpty()) inspection_->show(currentSource());
    });
    connectModelB();
    connect(inspection_, &InspectionController::statusChanged, status_, &JobStatusBar::setStatus);
    connect(inspection_, &InspectionController::timingChanged, status_, &JobStatusBar::setTiming);
    connect(inspection_, &InspectionController::progressChanged, status_,
            &JobStatusBar::setProgress);
    connect(inspection_, &InspectionController::thumbnailReady, images_, &SourceList::setThumbnail);
    connect(inspection_, &InspectionController::sourceFailed, images_, &SourceList::setFailed);
    connect(inspection_, &InspectionController::frameChanged, images_, &SourceList::setFrames);
    connect(inspection_, &InspectionController::resultShown, this, &MainWindow::resultShown);
    connect(inspection_, &InspectionController::resultShown, this, [this] {
        if (auto* endpoint = dynamic_cast<remote::RemoteBackend*>(backend().get()))
            modelPanel_->setRoundTrip(endpoint->status().lastLatencyMs);
    });
    connect(inspection_, &InspectionController::jobEnded, this, &MainWindow::jobEnded);
    connect(backends_, &BackendSwitch::statusChanged, status_, &JobStatusBar::setStatus);
    connect(backends_, &BackendSwitch::modelLoaded, this, &MainWindow::modelLoaded);
    connect(backends_, &BackendSwitch::remoteChanged, this,
            [this](bool remote) { (remote ? remoteAct_ : localAct_)->setChecked(true); });
    connect(backends_, &BackendSwitch::backendChanged, this,
            [this] { inspection_->setBackend(backends_->active()); });
    // The controller has seen each job's signals by now: the actions follow its state.
    connect(worker_, &jobs::InferenceWorker::backendOpened, this, &MainWindow::updateActions);
    connect(worker_, &jobs::InferenceWorker::jobStarted, this, &MainWindow::updateActions);
    connect(worker_, &jobs::InferenceWorker::jobFinished, this, &MainWindow::updateActions);
    connect(worker_, &jobs::InferenceWorker::fileJobDone, this, &MainWindow::groupingDone);
}

// "Compare with…": model B's A/B panel takes the compare panel's place while comparing.
void MainWindow::connectModelB() {
    auto* ab = new ABComparePanel(inspect_);
    inspect_->insertWidget(inspect_->indexOf(compare_) + 1, ab);
    inspect_->setStretchFactor(inspect_->indexOf(ab), 3);
    inspection_->setABPanel(ab);
    ModelBChooser* chooser = modelPanel_->modelBChooser();
    connect(chooser, &ModelBChooser::compareRequested, this, [this, chooser](const QString& path) {
        inspection_->setModelB(ModelB::local(path, modelPanel_->engineOptions()));
        chooser->setModelB(path);
    });
    connect(chooser, &ModelBChooser::compareWithEndpointRequested, this,
            &MainWindow::compareWithEndpoint);
    chooser->setActiveEndpoint(activeEndpointName());
    connect(chooser, &ModelBChooser::compareStopped, this, [this, chooser] {
        inspection_->setModelB(nullptr);
        chooser->setModelB(QString());
    });
    // B runs on A's device and precision, so that the two are compared alike.
    connect(modelPanel_, &ModelPanel::engineOptionsChanged, this, [this] {
        if (const auto& b = inspection_->modelB(); b && !b->isRemote())
            inspection_->setModelB(ModelB::local(b->label(), modelPanel_->engineOptions()));
    });
}

// Model B from the active endpoint profile: asked for as the remote mode asks (the privacy
// confirmation here, the key on the worker thread when B is first used).
void MainWindow::compareWithEndpoint() {
    remote::EndpointSettings settings;
    std::optional<remote::EndpointProfile> profile = settings.active();
    if (!profile) {
        status_->setStatus(
            tr("No active endpoint profile: choose one in Run ▸ Endpoint Profiles."));
        return;
    }
    if (!PrivacyConfirmation::confirm(this, settings, *profile)) return;
    inspection_->setModelB(ModelB::remote(*profile));
    modelPanel_->modelBChooser()->setModelB(profile->name, true);
}

QString MainWindow::activeEndpointName() const {
    const std::optional<remote::EndpointProfile> profile = remote::EndpointSettings().active();
    return profile ? profile->name : QString();
}

void MainWindow::retranslate() {
    setWindowTitle(tr("MedVAE Studio"));
    tabs_->setTabText(tabs_->indexOf(inspectPage_), tr("Inspect"));
    tabs_->setTabText(tabs_->indexOf(batchPage_), tr("Batch"));
    tabs_->setTabText(tabs_->indexOf(labPage_), tr("Latent lab"));
    fileMenu_->setTitle(tr("&File"));
    openAct_->setText(tr("&Open Images…"));
    openAct_->setStatusTip(tr("Open image files (PNG, JPEG, TIFF, DICOM, …)"));
    openFolderAct_->setText(tr("Open &Folder…"));
    openUrlAct_->setText(tr("Open &URL…"));
    pasteAct_->setText(tr("&Paste Image or Path"));
    pacsAct_->setText(tr("P&ACS Browser…"));
    if (pacsDock_) pacsDock_->setWindowTitle(tr("PACS"));
    recent_->retranslate();
    loadModelAct_->setText(tr("Load &Checkpoint…"));
    closeImageAct_->setText(tr("&Close Image"));
    quitAct_->setText(tr("&Quit"));
    runMenu_->setTitle(tr("&Run"));
    recomputeAct_->setText(tr("&Recompute"));
    cancelAct_->setText(tr("&Cancel Job"));
    localAct_->setText(tr("&Local Engine"));
    remoteAct_->setText(tr("Remote &Endpoint (Active Profile)"));
    profilesAct_->setText(tr("Endpoint &Profiles…"));
    viewMenu_->setTitle(tr("&View"));
    languageMenu_->retranslate();
    helpMenu_->setTitle(tr("&Help"));
    aboutAct_->setText(tr("&About MedVAE Studio"));
    aboutQtAct_->setText(tr("About &Qt"));
    imagesDock_->setWindowTitle(tr("Images"));
    modelDock_->setWindowTitle(tr("Model"));
    if (!jobRunning()) status_->setStatus(inspection_->idleStatus());
    status_->setTiming(timingText());
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (!event->spontaneous()) fitToScreen();  // the frame's size is known once shown
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QMainWindow::changeEvent(event);
}

// ---- settings ------------------------------------------------------------------------------

void MainWindow::readSettings() {
    const StudioSettings s = StudioSettings::read();
    if (!restoreGeometry(s.windowGeometry)) resize(firstSize());
    fitToScreen();
    restoreState(s.windowState);
    modelPanel_->setEngineOptions(s.engine);
    modelPanel_->setSampling(s.sample, s.seed);
    inspection_->setEncodeOptions(modelPanel_->encodeOptions());
    compare_->setPadToFactor(s.padToFactor);
    compare_->setWindowLinked(s.windowLinked);
    inspection_->setPadToFactor(s.padToFactor);
    recent_->setSources(s.recentSources);
    languageMenu_->setCurrent(s.language);
}

// At least 1440 x 900, and wide enough that the pages need no scrolling (their controls are wider
// in some languages), as far as the screen allows; fitToScreen() trims it.
QSize MainWindow::firstSize() const {
    const int pages =
        std::max(inspect_->minimumSizeHint().width(), batch_->minimumSizeHint().width());
    const int besidePages = minimumSizeHint().width() - tabs_->minimumSizeHint().width();
    const int tabFrame = tabs_->minimumSizeHint().width() - inspectPage_->minimumSizeHint().width();
    return QSize(std::max(1440, besidePages + std::max(0, tabFrame) + pages + 4), 900);
}

// A geometry saved on a bigger screen (or grown by an older version) would clip the docks.
void MainWindow::fitToScreen() {
    const QScreen* screen = this->screen();
    if (!screen) return;
    const QRect available = screen->availableGeometry();
    const QSize frame = frameGeometry().size() - geometry().size();
    const QSize size = this->size().boundedTo(available.size() - frame);
    if (size != this->size()) resize(size);
    QRect placed = frameGeometry();
    placed.moveLeft(std::clamp(placed.left(), available.left(),
                               std::max(available.left(), available.right() - placed.width() + 1)));
    placed.moveTop(std::clamp(placed.top(), available.top(),
                              std::max(available.top(), available.bottom() - placed.height() + 1)));
    if (placed.topLeft() != frameGeometry().topLeft()) move(placed.topLeft());
}

void MainWindow::writeSettings() const {
    StudioSettings s;
    s.windowGeometry = saveGeometry();
    s.windowState = saveState();
    s.engine = modelPanel_->engineOptions();
    const EncodeOptions encode = modelPanel_->encodeOptions();
    s.sample = encode.sample;
    s.seed = encode.seed;
    s.padToFactor = inspection_->padToFactor();
    s.windowLinked = compare_->windowLinked();
    s.recentSources = recent_->sources();
    s.modelPath = backends_->checkpointPath();
    s.write();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    writeSettings();
    worker_->cancel();
    modelPanel_->cancelDownload();
    event->accept();
}

// ---- opening -------------------------------------------------------------------------------

void MainWindow::openSources(const QStringList& sources) {
    const SourceOpener::Opened opened = opener_->expand(sources);
    const int files = SourceOpener::localFiles(opened.sources);
    if (files < 2) {  // nothing to group: one entry per source, at once
        QList<QStringList> entries;
        for (const QString& source : opened.sources)
            entries << QStringList{source};
        addEntries(entries, true, opened.note, !sources.isEmpty());
        return;
    }
    const quint64 id = worker_->submitFileJob(SourceOpener::groupingJob(opened.sources));
    grouping_.insert(id, {opened.sources, opened.note});
    status_->setStatus(tr("Reading %n file(s) to group series…", nullptr, files));
}

void MainWindow::groupingDone(const jobs::FileOutcome& outcome) {
    const auto it = grouping_.find(outcome.id);
    if (it == grouping_.end()) return;  // another panel's file job
    const auto [sources, note] = it.value();
    grouping_.erase(it);
    const auto* grouped = dynamic_cast<const SourceOpener::Entries*>(outcome.rendering.get());
    QList<QStringList> entries;
    if (grouped) {
        entries = grouped->entries;
    } else {  // grouping failed: every file an entry of its own, as before grouping existed
        for (const QString& source : sources)
            entries << QStringList{source};
    }
    addEntries(entries, true, outcome.error.isEmpty() ? note : outcome.error, true);
}

void MainWindow::addEntries(const QList<QStringList>& entries, bool remember, const QString& note,
                            bool askedForSome) {
    QListWidgetItem* first = nullptr;
    for (const QStringList& files : entries) {
        QListWidgetItem* item = images_->add(files.first());
        if (files.size() > 1) {
            inspection_->setStack(files.first(), files);
            images_->setFrames(files.first(), 0, int(files.size()));
        } else if (remember) {
            recent_->add(files.first());
        }
        if (!first) first = item;
    }
    if (!note.isEmpty())
        status_->setStatus(note);
    else if (entries.isEmpty() && askedForSome)
        status_->setStatus(tr("No images found in what was opened."));
    if (first && images_->currentItem() == first)
        inspection_->show(SourceList::sourceOf(first));
    else if (first)
        images_->setCurrentItem(first);
    updateActions();
    Q_EMIT sourcesOpened(int(entries.size()));
}

// Not in File > Recent: a stack's files may be the PACS cache's, gone when the app exits.
void MainWindow::openStack(const QStringList& files) {
    if (!files.isEmpty()) addEntries({files}, false, QString(), false);
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
    const QStringList sources = opener_->fromClipboard(QApplication::clipboard()->mimeData());
    if (sources.isEmpty()) {
        status_->setStatus(tr("The clipboard holds no image, path or address."));
        return;
    }
    openSources(sources);
}

PacsBrowser* MainWindow::pacsBrowser() {
    if (pacs_) return pacs_;
    pacs_ = new PacsBrowser(pacs::ArchiveProfile::appSettings(), remote::KeyStore(),
                            jobs::PacsCache(), this);
    // Each retrieved series opens as one stack in the Images list (its files in InstanceNumber
    // order, named by UIDs).
    connect(pacs_, &PacsBrowser::seriesRetrieved, this,
            [this](const jobs::RetrievedSeries& series) { openStack(series.files); });
    pacsDock_ = new QDockWidget(tr("PACS"), this);
    pacsDock_->setObjectName(QStringLiteral("pacsDock"));
    pacsDock_->setWidget(pacs_);
    addDockWidget(Qt::BottomDockWidgetArea, pacsDock_);
    viewMenu_->addAction(pacsDock_->toggleViewAction());
    return pacs_;
}

void MainWindow::showPacsBrowser() {
    pacsBrowser();
    pacsDock_->show();
    pacsDock_->raise();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() || event->mimeData()->hasText()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList sources = SourceOpener::fromDrop(event->mimeData());
    if (sources.isEmpty()) return;
    event->acceptProposedAction();
    openSources(sources);
}

// On a screen narrower than a panel's controls its page scrolls: the window's minimum width must
// not exceed the screen (the docks would be clipped).
QScrollArea* MainWindow::scrolled(QWidget* page) {
    auto* area = new QScrollArea(this);
    area->setWidget(page);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

void MainWindow::addPanel(QWidget* panel, const QString& title) {
    tabs_->addTab(scrolled(panel), title);
}

std::pair<QString, at::Tensor> MainWindow::currentZ() const {
    const auto outcome = inspection_->shownOutcome();
    if (!outcome || !outcome->ok()) return {};
    return {QString::fromStdString(outputStem(outcome->source.toStdString())) + "_z.npy",
            outcome->result.z};
}

void MainWindow::closeImage() {
    QListWidgetItem* item = images_->currentItem();
    if (!item) return;
    delete images_->takeItem(images_->row(item));
    if (images_->count() == 0) inspection_->clear();
    updateActions();
}

// ---- jobs, models, dialogs -----------------------------------------------------------------

void MainWindow::cancelJob() {
    inspection_->cancel();
    updateActions();
}

void MainWindow::chooseCheckpoint() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load checkpoint"), QString(),
        tr("Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)"));
    if (!path.isEmpty()) loadModel(path);
}

void MainWindow::editEndpointProfiles() {
    remote::EndpointSettings settings;
    remote::KeyStore keys;
    EndpointProfilesDialog dialog(settings, keys, this);
    dialog.exec();
    modelPanel_->modelBChooser()->setActiveEndpoint(activeEndpointName());
}

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

}  // namespace medvae::ui
