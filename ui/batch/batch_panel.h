#pragma once

#include <QElapsedTimer>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

#include "batch_inputs.h"
#include "batch_pipeline.h"
#include "batch_rows.h"
#include "inference_backend.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace medvae::jobs {
class BatchRun;
}

namespace medvae::ui {

class BatchReportJob;

// Batch export in the studio: files and folders dropped onto the panel (or added with its
// buttons) become a table of items; Start runs them through the batch pipeline with the backend
// the main window gives (local engine or remote endpoint), writing into the chosen folder with
// the chosen formats and a manifest. The table shows each item's status and metrics, a
// multi-frame input as one row per frame once its frames are counted (BatchRows); the progress
// bar the count, rate and remaining time. Clicking an item asks the main window to
// inspect it (inspectRequested). The run (jobs::BatchRun) has its own threads; the panel stays
// responsive, and closing it cancels the run and waits for it.
// Sources: batch_panel.cpp (layout, settings, actions, the run), batch_panel_table.cpp (the
// table of items and the progress).
class BatchPanel : public QWidget {
    Q_OBJECT

  public:
    explicit BatchPanel(QWidget* parent = nullptr);
    ~BatchPanel() override;

    void setBackend(std::shared_ptr<medvae::jobs::InferenceBackend> backend);

    // Adds files, folders or list files as inputs (what a drop does). Returns how many items
    // were added.
    int addInputs(const QStringList& paths);
    void clearInputs();
    void setOutputFolder(const QString& folder);
    QString outputFolder() const;
    bool isRunning() const { return running_; }
    int itemCount() const { return int(items_.size()); }
    // Rows of the table: one per input, and one per frame of a multi-frame input once a result
    // of it came (each frame has its own metrics, files and manifest record).
    int rowCount() const { return rows_.count(); }
    // The text of column `column` of row `row` (0: the output name, 1: status, ...).
    QString cellText(int row, int column) const;
    // The items' inputs (files, URLs), in the table's order.
    QStringList itemSources() const;
    // The status text shown for row `row` ("Done", "Failed", ...).
    QString statusText(int row) const;
    const medvae::jobs::BatchSummary& lastSummary() const { return summary_; }
    // The status line under the table (progress, summary, or why something did not happen).
    QString statusLine() const;
    // What opens a folder in the desktop's file manager; false when nothing could. By default
    // QDesktopServices::openUrl (tests give their own).
    using FolderOpener = std::function<bool(const QUrl&)>;
    void setFolderOpener(FolderOpener opener) { folderOpener_ = std::move(opener); }
    // The medvae-cli that writes reports (default: the one next to the app, else on PATH).
    void setReportProgram(const QString& program);
    bool isWritingReport() const;

  public Q_SLOTS:
    void start();
    void togglePause();
    void cancel();
    // Shows the output folder in a file manager; when there is none (or the folder does not
    // exist yet) the status line says so, and the path stays in its field to be copied.
    bool openOutputFolder();
    void copyOutputPath();
    // Writes the batch fidelity report of the output folder's manifests to
    // <folder>/report.html, in a medvae-cli process (reportFinished when done); false when
    // there is nothing to report or one is being written.
    bool writeReport();
    // Opens the folder's report.html (with the folder opener); false when there is none.
    bool openReport();

  Q_SIGNALS:
    // The user chose an item to look at in the main views; `path` is its input file or URL.
    void inspectRequested(QString path);
    void runningChanged(bool running);
    void finished();
    // `error` is empty when the report was written to `path`.
    void reportFinished(QString path, QString error);

  protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    // The table's columns.
    enum Column {
        ColInput,
        ColStatus,
        ColPsnr,
        ColSsim,
        ColMae,
        ColLatent,
        ColTime,
        ColMessage,
        ColCount
    };
    void layOut();
    void connectControls();
    void retranslate();
    void rebuildItems();
    void updateButtons();
    void itemFinished(const medvae::jobs::BatchItemResult& result);
    void addRow(int row, const medvae::jobs::BatchItem& item);
    int rowOf(const medvae::jobs::BatchItem& item);
    void setState(int row, int state);
    void itemStarted(int index);
    void runFinished(const medvae::jobs::BatchSummary& summary);
    void updateProgress();
    void reportWritten(const QString& path, const QString& error);
    QString outputDir() const;
    void setMessage(int row, const std::string& englishError);
    medvae::jobs::BatchSettings settingsFromUi() const;

    std::shared_ptr<medvae::jobs::InferenceBackend> backend_;
    QStringList inputs_;
    std::vector<medvae::jobs::BatchItem> items_;
    BatchRows rows_;
    std::unique_ptr<medvae::jobs::BatchRun> run_;
    bool running_ = false;
    bool remote_ = false;
    int finishedCount_ = 0, processedCount_ = 0;
    QElapsedTimer elapsed_;
    medvae::jobs::BatchSummary summary_;
    FolderOpener folderOpener_;

    QLabel* dropHint_ = nullptr;
    QPushButton* addFiles_ = nullptr;
    QPushButton* addFolder_ = nullptr;
    QPushButton* clear_ = nullptr;
    QTableWidget* table_ = nullptr;
    QLabel* outputLabel_ = nullptr;
    QLineEdit* output_ = nullptr;
    QPushButton* browse_ = nullptr;
    QCheckBox* latent_ = nullptr;
    QCheckBox* z_ = nullptr;
    QCheckBox* decoded_ = nullptr;
    QCheckBox* error_ = nullptr;
    QCheckBox* nifti_ = nullptr;
    QCheckBox* decode_ = nullptr;
    QCheckBox* resume_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* pause_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* openFolder_ = nullptr;
    QPushButton* copyPath_ = nullptr;
    QPushButton* report_ = nullptr;
    QPushButton* openReport_ = nullptr;
    BatchReportJob* reportJob_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
};

}  // namespace medvae::ui
