#pragma once

#include <QHash>
#include <QMainWindow>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>
#include <utility>

#include "backend_switch.h"
#include "inference_job.h"
#include "inference_worker.h"
#include "inspection_controller.h"
#include "job_status_bar.h"

class QAction;
class QActionGroup;
class QDockWidget;
class QMenu;
class QScrollArea;
class QSplitter;
class QTabWidget;

namespace medvae::ui {

class BatchPanel;
class LatentLabPanel;
class LanguageMenu;
class SourceList;
class ComparePanel;
class LanguageSwitcher;
class LatentPanel;
class ModelPanel;
class PacsBrowser;
class RecentSources;
class SourceOpener;

// The studio's main window, in the shape of Qt's Image Viewer example: actions built in
// createActions() and enabled in updateActions(), menus, docks (the images opened, the model
// panel), the Inspect and Batch tabs, the status bar, and the dialogs. The work is elsewhere:
// what is open (SourceOpener), what is shown and the jobs behind it (InspectionController), which
// backend runs (BackendSwitch), all on the one worker thread it owns (jobs::InferenceWorker).
class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    // `languages` may be null (no language menu).
    explicit MainWindow(LanguageSwitcher* languages = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a checkpoint off the GUI thread (BackendSwitch::loadModel).
    void loadModel(const QString& checkpointPath) { backends_->loadModel(checkpointPath); }
    // At start: the remembered checkpoint, else the bundled demo model.
    void loadDefaultModel() { backends_->loadDefaultModel(); }
    // Adds files, folders (recursively), list files, URLs, data: URIs; shows the first new one.
    // Single-frame DICOM files of one series become one entry (a stack, as openStack): the
    // headers are read on the worker (a file job), so with several files the entries come when
    // it is done (sourcesOpened), the status saying so meanwhile.
    void openSources(const QStringList& sources);
    // Files of one series in slice order (a series retrieved from an archive, or grouped by
    // SeriesStacks::group) as one entry of the Images list, named after the first file and paged
    // as a multi-frame file is; shows it.
    void openStack(const QStringList& files);
    // Another panel as a tab beside the image inspection.
    void addPanel(QWidget* panel, const QString& title);

    ComparePanel* comparePanel() const { return compare_; }
    LatentPanel* latentPanel() const { return latent_; }
    ModelPanel* modelPanel() const { return modelPanel_; }
    BatchPanel* batchPanel() const { return batch_; }
    LatentLabPanel* latentLabPanel() const { return lab_; }
    SourceList* imageList() const { return images_; }
    // The PACS browser in its dock, made on first use (File > PACS Browser).
    PacsBrowser* pacsBrowser();
    QAction* cancelAction() const { return cancelAct_; }
    jobs::InferenceWorker* worker() const { return worker_; }
    InspectionController* inspection() const { return inspection_; }
    BackendSwitch* backends() const { return backends_; }
    // The backend image jobs run on (nullptr: none open yet).
    std::shared_ptr<jobs::InferenceBackend> backend() const {
        return worker_->backend(jobs::EngineGate::Priority::Interactive);
    }
    QString currentSource() const { return inspection_->currentSource(); }
    std::shared_ptr<const jobs::InferenceOutcome> currentOutcome() const {
        return inspection_->shownOutcome();
    }
    QString jobText() const { return status_->status(); }
    QString timingText() const { return inspection_->timingText(); }
    bool jobRunning() const { return inspection_->jobRunning(); }

  public Q_SLOTS:
    void cancelJob();
    void openFiles();
    void openFolder();
    void openUrl();
    void pasteFromClipboard();
    void showPacsBrowser();

  Q_SIGNALS:
    void modelLoaded(bool ok, const QString& message);
    // A result (ok) or an error was put into the views for `source`.
    void resultShown(const QString& source, bool ok);
    void jobEnded(quint64 id, bool ok, bool cancelled);
    // What openSources opened is in the Images list: `entries` new entries.
    void sourcesOpened(int entries);

  protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

  private:
    void createActions();
    void createDocks();
    void createStatusBar();
    void connectParts();
    void connectModelB();
    void compareWithEndpoint();
    QString activeEndpointName() const;
    void updateActions();
    void retranslate();
    QScrollArea* scrolled(QWidget* page);
    void readSettings();
    // Shrinks and moves the window into the screen's available geometry.
    void fitToScreen();
    QSize firstSize() const;
    void writeSettings() const;
    void closeImage();
    void groupingDone(const jobs::FileOutcome& outcome);
    // Adds entries (a file, or a series' files in slice order) and shows the first one;
    // `remember`: single files go to File > Recent.
    void addEntries(const QList<QStringList>& entries, bool remember, const QString& note,
                    bool askedForSome);
    // The shown result's z for the Latent lab, named "<stem>_z.npy" as encode names it.
    std::pair<QString, at::Tensor> currentZ() const;
    void chooseCheckpoint();
    void editEndpointProfiles();
    void about();

    LanguageSwitcher* languages_;
    jobs::InferenceWorker* worker_;
    SourceOpener* opener_;
    QTabWidget* tabs_;
    QSplitter* inspect_;
    QScrollArea* inspectPage_ = nullptr;  // the Inspect tab: inspect_, scrolled when too narrow
    QScrollArea* batchPage_ = nullptr;
    QScrollArea* labPage_ = nullptr;  // the Latent lab tab
    ComparePanel* compare_;
    LatentPanel* latent_;
    ModelPanel* modelPanel_;
    BatchPanel* batch_;
    LatentLabPanel* lab_ = nullptr;
    SourceList* images_;
    InspectionController* inspection_;
    BackendSwitch* backends_;
    RecentSources* recent_ = nullptr;
    QDockWidget* imagesDock_ = nullptr;
    QDockWidget* modelDock_ = nullptr;
    QDockWidget* pacsDock_ = nullptr;
    PacsBrowser* pacs_ = nullptr;
    JobStatusBar* status_ = nullptr;
    // Grouping jobs of openSources on the worker: what they group and the note of expand().
    QHash<quint64, QPair<QStringList, QString>> grouping_;

    QMenu* fileMenu_ = nullptr;
    QMenu* runMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    LanguageMenu* languageMenu_ = nullptr;
    QMenu* helpMenu_ = nullptr;
    QAction* openAct_ = nullptr;
    QAction* openFolderAct_ = nullptr;
    QAction* openUrlAct_ = nullptr;
    QAction* pasteAct_ = nullptr;
    QAction* pacsAct_ = nullptr;
    QAction* loadModelAct_ = nullptr;
    QAction* closeImageAct_ = nullptr;
    QAction* quitAct_ = nullptr;
    QAction* recomputeAct_ = nullptr;
    QAction* cancelAct_ = nullptr;
    QAction* localAct_ = nullptr;
    QAction* remoteAct_ = nullptr;
    QAction* profilesAct_ = nullptr;
    QAction* aboutAct_ = nullptr;
    QAction* aboutQtAct_ = nullptr;
};

}  // namespace medvae::ui
