#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <memory>

#include "inference_worker.h"
#include "result_cache.h"

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QMenu;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QTemporaryDir;
class QThread;

namespace medvae::ui {

class BatchPanel;
class ComparePanel;
class LanguageSwitcher;
class LatentPanel;
class ModelPanel;

// The studio's main window: what is open (thumbnails), the compare and latent panels of the
// current image, the model panel, menus and the status bar. It owns the inference worker; all
// loading, inference and downloads happen off the GUI thread, and results come back as values.
// Failures of one image are shown in its views and the status bar, never as a blocking dialog.
class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    // `languages` may be null (no language menu).
    explicit MainWindow(LanguageSwitcher* languages = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    // The backend every image goes through (local engine or a remote endpoint); cached results of
    // other backends stay but are not shown for this one. `parameters`: 0 when unknown.
    void setBackend(std::shared_ptr<jobs::InferenceBackend> backend, qint64 parameters = 0);
    std::shared_ptr<jobs::InferenceBackend> backend() const { return backend_; }
    // Loads a checkpoint off the GUI thread with the model panel's engine settings; on success
    // it becomes the backend and is remembered for the next start.
    void loadModel(const QString& checkpointPath);
    // At start: the remembered checkpoint, else the bundled demo model.
    void loadDefaultModel();

    // Adds files, folders (recursively), URLs, data: URIs; shows the first new one.
    void openSources(const QStringList& sources);
    // Shows `source` (opening it when new), computing it unless a result is cached.
    void showSource(const QString& source);
    // Another panel as a tab beside the image inspection (the batch panel, say).
    void addPanel(QWidget* panel, const QString& title);
    // Saves the window to `path` once the first result (or error) is shown, then quits.
    void setScreenshotPath(const QString& path);

    ComparePanel* comparePanel() const { return compare_; }
    LatentPanel* latentPanel() const { return latent_; }
    ModelPanel* modelPanel() const { return modelPanel_; }
    BatchPanel* batchPanel() const { return batch_; }
    QListWidget* imageList() const { return images_; }
    QAction* cancelAction() const { return cancelAct_; }
    QString currentSource() const { return currentSource_; }
    std::shared_ptr<const jobs::InferenceOutcome> currentOutcome() const { return shown_; }
    QString jobText() const;
    QString timingText() const;
    bool jobRunning() const { return runningId_ != 0; }

  public Q_SLOTS:
    void cancelJob();
    void openFiles();
    void openFolder();
    void openUrl();
    void pasteFromClipboard();

  Q_SIGNALS:
    void modelLoaded(bool ok, const QString& message);
    // A result (ok) or an error was put into the views for `source`.
    void resultShown(const QString& source, bool ok);
    void jobEnded(quint64 id, bool ok, bool cancelled);

  protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void createActions();
    void createDocks();
    void createStatusBar();
    void updateActions();
    void retranslate();
    void readSettings();
    void writeSettings() const;
    void updateRecentMenu();
    void addRecent(const QString& source);
    QStringList expand(const QStringList& sources) const;
    QListWidgetItem* itemFor(const QString& source) const;
    void compute(const QString& source);
    void onJobStarted(quint64 id, const QString& source);
    void onJobProgress(quint64 id, const QString& stage, int done, int total);
    void onJobFinished(const jobs::InferenceOutcome& outcome);
    void display(const std::shared_ptr<const jobs::InferenceOutcome>& outcome);
    void onModelLoaded(std::shared_ptr<jobs::InferenceBackend> backend, qint64 parameters,
                       const QString& path, const QString& error);
    void about();
    void useLocalBackend();
    void useRemoteBackend();
    void takeScreenshot();

    LanguageSwitcher* languages_;
    jobs::InferenceWorker* worker_;
    std::shared_ptr<jobs::InferenceBackend> backend_;
    qint64 parameters_ = 0;
    ResultCache cache_;
    std::shared_ptr<const jobs::InferenceOutcome> shown_;

    QTabWidget* tabs_;
    QSplitter* inspect_;
    ComparePanel* compare_;
    LatentPanel* latent_;
    ModelPanel* modelPanel_;
    BatchPanel* batch_ = nullptr;
    QListWidget* images_;
    QDockWidget* imagesDock_ = nullptr;
    QDockWidget* modelDock_ = nullptr;
    QLabel* jobLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* timingLabel_ = nullptr;

    QMenu* fileMenu_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QMenu* languageMenu_ = nullptr;
    QMenu* helpMenu_ = nullptr;
    QAction* openAct_ = nullptr;
    QAction* openFolderAct_ = nullptr;
    QAction* openUrlAct_ = nullptr;
    QAction* pasteAct_ = nullptr;
    QAction* loadModelAct_ = nullptr;
    QAction* closeImageAct_ = nullptr;
    QAction* clearRecentAct_ = nullptr;
    QAction* quitAct_ = nullptr;
    QAction* cancelAct_ = nullptr;
    QAction* recomputeAct_ = nullptr;
    QAction* systemLanguageAct_ = nullptr;
    QAction* aboutAct_ = nullptr;
    QAction* aboutQtAct_ = nullptr;
    QActionGroup* languageGroup_ = nullptr;
    QActionGroup* backendGroup_ = nullptr;
    QAction* localAct_ = nullptr;
    QAction* remoteAct_ = nullptr;
    QAction* profilesAct_ = nullptr;
    std::shared_ptr<jobs::InferenceBackend> localBackend_;  // kept while a remote one is used
    qint64 localParameters_ = 0;

    QString currentSource_;
    quint64 runningId_ = 0;  // job in the worker (0: none)
    quint64 wantedId_ = 0;   // the job whose result the views wait for
    QString wantedKey_;
    QString runningSource_;
    QString runningStage_;
    QString lastTiming_;
    QString lastError_;
    bool padToFactor_ = false;
    bool userCancelled_ = false;
    QStringList recent_;
    QString checkpointPath_;
    QPointer<QThread> modelLoader_;
    bool modelLoading_ = false;
    QString pendingModel_;
    std::unique_ptr<QTemporaryDir> pasteDir_;
    QString screenshotPath_;
};

}  // namespace medvae::ui
