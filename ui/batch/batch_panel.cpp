#include "batch_panel.h"

#include <QCheckBox>
#include <QClipboard>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

#include "batch_report_job.h"
#include "batch_run.h"
#include "error.h"
#include "error_wording.h"

namespace medvae::ui {

BatchPanel::BatchPanel(QWidget* parent)
    : QWidget(parent),
      folderOpener_([](const QUrl& url) { return QDesktopServices::openUrl(url); }) {
    setAcceptDrops(true);
    layOut();
    connectControls();
    retranslate();
    updateButtons();
}

void BatchPanel::layOut() {
    auto* layout = new QVBoxLayout(this);

    dropHint_ = new QLabel(this);
    dropHint_->setWordWrap(true);
    auto* inputRow = new QHBoxLayout;
    addFiles_ = new QPushButton(this);
    addFolder_ = new QPushButton(this);
    clear_ = new QPushButton(this);
    inputRow->addWidget(dropHint_, 1);
    inputRow->addWidget(addFiles_);
    inputRow->addWidget(addFolder_);
    inputRow->addWidget(clear_);
    layout->addLayout(inputRow);

    table_ = new QTableWidget(0, ColCount, this);
    table_->setObjectName("itemsTable");
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setSectionResizeMode(ColInput, QHeaderView::Interactive);
    // "Fehlgeschlagen" and other translated states are wider than the default column.
    table_->horizontalHeader()->setSectionResizeMode(ColStatus, QHeaderView::ResizeToContents);
    layout->addWidget(table_, 1);

    auto* options = new QGridLayout;
    outputLabel_ = new QLabel(this);
    output_ = new QLineEdit(this);
    output_->setObjectName("outputEdit");
    browse_ = new QPushButton(this);
    openFolder_ = new QPushButton(this);
    openFolder_->setObjectName("openFolderButton");
    copyPath_ = new QPushButton(this);
    copyPath_->setObjectName("copyPathButton");
    options->addWidget(outputLabel_, 0, 0);
    options->addWidget(output_, 0, 1, 1, 3);
    options->addWidget(browse_, 0, 4);
    options->addWidget(copyPath_, 0, 5);
    options->addWidget(openFolder_, 0, 6);
    latent_ = new QCheckBox(this);
    latent_->setChecked(true);
    z_ = new QCheckBox(this);
    decoded_ = new QCheckBox(this);
    error_ = new QCheckBox(this);
    nifti_ = new QCheckBox(this);
    decode_ = new QCheckBox(this);
    resume_ = new QCheckBox(this);
    resume_->setChecked(true);
    latent_->setObjectName("latentCheck");
    z_->setObjectName("zCheck");
    decoded_->setObjectName("decodedCheck");
    error_->setObjectName("errorCheck");
    nifti_->setObjectName("niftiCheck");
    decode_->setObjectName("decodeCheck");
    resume_->setObjectName("resumeCheck");
    int col = 0;
    for (QCheckBox* c : {latent_, z_, decoded_, error_, nifti_, decode_, resume_})
        options->addWidget(c, 1, col++);
    layout->addLayout(options);

    auto* runRow = new QHBoxLayout;
    start_ = new QPushButton(this);
    start_->setObjectName("startButton");
    pause_ = new QPushButton(this);
    pause_->setObjectName("pauseButton");
    cancel_ = new QPushButton(this);
    cancel_->setObjectName("cancelButton");
    progress_ = new QProgressBar(this);
    status_ = new QLabel(this);
    status_->setObjectName("statusLabel");
    // Long messages (a path, an error) wrap instead of widening the window.
    status_->setWordWrap(true);
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    runRow->addWidget(start_);
    runRow->addWidget(pause_);
    runRow->addWidget(cancel_);
    runRow->addWidget(progress_, 1);
    runRow->addWidget(status_, 1);
    report_ = new QPushButton(this);
    report_->setObjectName("reportButton");
    openReport_ = new QPushButton(this);
    openReport_->setObjectName("openReportButton");
    reportJob_ = new BatchReportJob(this);
    runRow->addWidget(report_);
    runRow->addWidget(openReport_);
    layout->addLayout(runRow);
}

void BatchPanel::connectControls() {
    connect(addFiles_, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add images"));
        if (!files.isEmpty()) addInputs(files);
    });
    connect(addFolder_, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a folder"));
        if (!folder.isEmpty()) addInputs({folder});
    });
    connect(clear_, &QPushButton::clicked, this, &BatchPanel::clearInputs);
    connect(browse_, &QPushButton::clicked, this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Output folder"), output_->text());
        if (!folder.isEmpty()) output_->setText(folder);
    });
    connect(openFolder_, &QPushButton::clicked, this, &BatchPanel::openOutputFolder);
    connect(copyPath_, &QPushButton::clicked, this, &BatchPanel::copyOutputPath);
    connect(report_, &QPushButton::clicked, this, &BatchPanel::writeReport);
    connect(openReport_, &QPushButton::clicked, this, &BatchPanel::openReport);
    connect(reportJob_, &BatchReportJob::finished, this, &BatchPanel::reportWritten);
    connect(start_, &QPushButton::clicked, this, &BatchPanel::start);
    connect(pause_, &QPushButton::clicked, this, &BatchPanel::togglePause);
    connect(cancel_, &QPushButton::clicked, this, &BatchPanel::cancel);
    connect(output_, &QLineEdit::textChanged, this, &BatchPanel::updateButtons);
    // png and error need the reconstruction: ticking them ticks (and locks) "reconstruct".
    for (QCheckBox* c : {decoded_, error_})
        connect(c, &QCheckBox::toggled, this, [this] {
            const bool needed = decoded_->isChecked() || error_->isChecked();
            if (needed) decode_->setChecked(true);
            decode_->setEnabled(!needed && !running_);
        });
    connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) {
        const int index = rows_.indexAt(row);
        if (index >= 0 && index < int(items_.size()))
            Q_EMIT inspectRequested(QString::fromStdString(items_[std::size_t(index)].source));
    });
}

BatchPanel::~BatchPanel() = default;  // the run cancels and joins

void BatchPanel::retranslate() {
    dropHint_->setText(tr("Drop image files, folders (DICOM folders too) or URL lists here."));
    addFiles_->setText(tr("Add files…"));
    addFolder_->setText(tr("Add folder…"));
    clear_->setText(tr("Clear"));
    table_->setHorizontalHeaderLabels({tr("Input"), tr("Status"), tr("PSNR (dB)"), tr("SSIM"),
                                       tr("MAE"), tr("Latent"), tr("Time (s)"), tr("Message")});
    outputLabel_->setText(tr("Output folder:"));
    output_->setPlaceholderText(tr("Folder for latents, images and the manifest"));
    browse_->setText(tr("Browse…"));
    openFolder_->setText(tr("Open output folder"));
    copyPath_->setText(tr("Copy path"));
    copyPath_->setToolTip(tr("Copy the output folder's path to the clipboard"));
    report_->setText(tr("Report…"));
    report_->setToolTip(tr("Write the batch fidelity report (report.html) into the output folder"));
    openReport_->setText(tr("Open report"));
    latent_->setText(tr("Latent (.npy)"));
    z_->setText(tr("z (.npy)"));
    decoded_->setText(tr("Reconstruction (.png)"));
    error_->setText(tr("Error heatmap (.png)"));
    nifti_->setText(tr("Latent (.nii.gz)"));
    decode_->setText(tr("Reconstruct and measure"));
    resume_->setText(tr("Skip finished items"));
    resume_->setToolTip(
        tr("Items already complete in the output folder for the same model and "
           "settings are not computed again."));
    start_->setText(tr("Start"));
    pause_->setText(run_ && run_->paused() ? tr("Resume") : tr("Pause"));
    cancel_->setText(tr("Cancel"));
    for (int row = 0; row < table_->rowCount(); ++row) {
        if (const QTableWidgetItem* cell = table_->item(row, ColStatus))
            setState(row, cell->data(Qt::UserRole).toInt());
        QTableWidgetItem* message = table_->item(row, ColMessage);
        if (message && message->data(Qt::UserRole).isValid())
            message->setText(ErrorWording::wording(message->data(Qt::UserRole).toString()));
    }
    updateProgress();
}

void BatchPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void BatchPanel::setBackend(std::shared_ptr<jobs::InferenceBackend> backend) {
    backend_ = std::move(backend);
    // A remote endpoint returns the latent and the reconstruction but not z.
    remote_ = backend_ && backend_->describe().kind == "remote";
    if (remote_) z_->setChecked(false);
    z_->setToolTip(remote_ ? tr("The endpoint does not return z (the stage-1 latent).")
                           : QString());
    updateButtons();
}

int BatchPanel::addInputs(const QStringList& paths) {
    if (running_) return 0;
    const int before = int(items_.size());
    for (const QString& p : paths)
        if (!inputs_.contains(p)) inputs_ << p;
    rebuildItems();
    return int(items_.size()) - before;
}

void BatchPanel::clearInputs() {
    if (running_) return;
    inputs_.clear();
    rebuildItems();
}

void BatchPanel::setOutputFolder(const QString& folder) {
    output_->setText(folder);
}

QString BatchPanel::outputFolder() const {
    return output_->text();
}

QStringList BatchPanel::itemSources() const {
    QStringList sources;
    for (const jobs::BatchItem& item : items_)
        sources << QString::fromStdString(item.source);
    return sources;
}

void BatchPanel::updateButtons() {
    const bool ready = backend_ && !items_.empty() && !output_->text().trimmed().isEmpty();
    start_->setEnabled(!running_ && ready);
    start_->setToolTip(backend_ ? QString() : tr("Load a model or connect an endpoint first."));
    pause_->setEnabled(running_);
    cancel_->setEnabled(running_);
    openFolder_->setEnabled(!output_->text().trimmed().isEmpty());
    copyPath_->setEnabled(!output_->text().trimmed().isEmpty());
    // A folder, not its listing: this runs on every keystroke in the output field, and a folder
    // of many outputs (or on a network share) is listed by the report's own process, which says
    // so in words when it holds no manifest.
    const bool folder = !outputDir().isEmpty() && QFileInfo(outputDir()).isDir();
    report_->setEnabled(!running_ && folder && !reportJob_->isRunning());
    openReport_->setEnabled(!outputDir().isEmpty() &&
                            QFileInfo(BatchReportJob::reportPath(outputDir())).isFile());
    for (QWidget* w :
         std::initializer_list<QWidget*>{addFiles_, addFolder_, clear_, output_, browse_, latent_,
                                         z_, decoded_, error_, nifti_, resume_})
        w->setEnabled(!running_);
    z_->setEnabled(!running_ && !remote_);
    decode_->setEnabled(!running_ && !decoded_->isChecked() && !error_->isChecked());
}

jobs::BatchSettings BatchPanel::settingsFromUi() const {
    jobs::BatchSettings s;
    s.outputDir = QDir::cleanPath(output_->text().trimmed()).toStdString();
    s.latentNpy = latent_->isChecked();
    s.zNpy = z_->isChecked();
    s.decodedPng = decoded_->isChecked();
    s.errorPng = error_->isChecked();
    s.nifti = nifti_->isChecked();
    s.decode = decode_->isChecked();
    s.resume = resume_->isChecked();
    s.appVersion = QCoreApplication::applicationVersion().toStdString();
    return s;
}

void BatchPanel::start() {
    if (running_ || !backend_ || items_.empty()) return;
    jobs::BatchSettings settings = settingsFromUi();
    if (settings.formats().empty()) {
        status_->setText(tr("Choose at least one output format."));
        return;
    }
    rebuildItems();  // the folders may have changed since they were dropped
    try {
        run_ = std::make_unique<jobs::BatchRun>(backend_, settings, items_);
    } catch (const Error& e) {
        status_->setText(ErrorWording::wording(QString::fromStdString(e.what())));
        return;
    }
    // The run reports through queued signals, so the table is only touched here.
    connect(run_.get(), &jobs::BatchRun::itemStarted, this, &BatchPanel::itemStarted);
    connect(run_.get(), &jobs::BatchRun::itemFinished, this, &BatchPanel::itemFinished);
    connect(run_.get(), &jobs::BatchRun::runFinished, this, &BatchPanel::runFinished);
    running_ = true;
    elapsed_.start();
    updateButtons();
    updateProgress();
    Q_EMIT runningChanged(true);
    run_->start();
}

void BatchPanel::togglePause() {
    if (!running_ || !run_) return;
    if (run_->paused())
        run_->resume();
    else
        run_->pause();
    pause_->setText(run_->paused() ? tr("Resume") : tr("Pause"));
    updateProgress();
}

void BatchPanel::cancel() {
    if (running_ && run_) run_->cancel();
}

QString BatchPanel::statusLine() const {
    return status_->text();
}

bool BatchPanel::openOutputFolder() {
    const QString folder = outputDir();
    if (folder.isEmpty()) return false;
    const QString shown = QDir::toNativeSeparators(QFileInfo(folder).absoluteFilePath());
    if (!QFileInfo(folder).isDir()) {
        status_->setText(
            tr("The output folder %1 does not exist yet; a run creates it.").arg(shown));
        return false;
    }
    if (folderOpener_ && folderOpener_(QUrl::fromLocalFile(QFileInfo(folder).absoluteFilePath())))
        return true;
    status_->setText(
        tr("No file manager could open %1. Copy the path and open it another way.").arg(shown));
    return false;
}

QString BatchPanel::outputDir() const {
    const QString folder = QDir::cleanPath(output_->text().trimmed());
    return folder == QLatin1String(".") ? QString() : folder;
}

void BatchPanel::setReportProgram(const QString& program) {
    reportJob_->setProgram(program);
}

bool BatchPanel::isWritingReport() const {
    return reportJob_->isRunning();
}

bool BatchPanel::writeReport() {
    if (running_ || outputDir().isEmpty() || !reportJob_->start(outputDir())) return false;
    status_->setText(tr("Writing the report…"));
    updateButtons();
    return true;
}

void BatchPanel::reportWritten(const QString& path, const QString& error) {
    status_->setText(error.isEmpty() ? tr("Report written: %1").arg(QDir::toNativeSeparators(path))
                                     : tr("The report could not be written: %1").arg(error));
    updateButtons();
    Q_EMIT reportFinished(path, error);
}

bool BatchPanel::openReport() {
    const QString path = BatchReportJob::reportPath(outputDir());
    if (outputDir().isEmpty() || !QFileInfo(path).isFile()) return false;
    if (folderOpener_ && folderOpener_(QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath())))
        return true;
    status_->setText(tr("Nothing could open %1.").arg(QDir::toNativeSeparators(path)));
    return false;
}

void BatchPanel::copyOutputPath() {
    const QString folder = outputDir();
    if (folder.isEmpty()) return;
    const QString path = QDir::toNativeSeparators(QFileInfo(folder).absoluteFilePath());
    QGuiApplication::clipboard()->setText(path);
    status_->setText(tr("Copied %1").arg(path));
}

void BatchPanel::runFinished(const jobs::BatchSummary& summary) {
    run_->wait();  // its thread ends right after this signal
    summary_ = summary;
    running_ = false;
    pause_->setText(tr("Pause"));
    QString text;
    if (!summary.fatalError.empty())
        text = tr("Stopped: %1")
                   .arg(ErrorWording::wording(QString::fromStdString(summary.fatalError)));
    else
        text = tr("%1 done, %2 skipped, %3 failed, %4 duplicates in %5 s%6")
                   .arg(summary.done)
                   .arg(summary.skipped)
                   .arg(summary.failed)
                   .arg(summary.duplicates)
                   .arg(summary.seconds, 0, 'f', 1)
                   .arg(summary.cancelled ? tr(" (cancelled)") : QString());
    updateProgress();
    status_->setText(text);
    updateButtons();
    Q_EMIT runningChanged(false);
    Q_EMIT finished();
}

void BatchPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (!running_ && event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void BatchPanel::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        paths << (url.isLocalFile() ? url.toLocalFile() : url.toString());
    if (paths.isEmpty()) return;
    addInputs(paths);
    event->acceptProposedAction();
}

}  // namespace medvae::ui
