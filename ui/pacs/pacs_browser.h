#pragma once

#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

#include "archive_jobs.h"
#include "archive_profile.h"
#include "key_store.h"
#include "pacs_cache.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;
class QTableWidget;

namespace medvae::ui {

class StudyQueryForm;

// The app's PACS browser: choose an archive profile (edit them in ArchiveProfilesDialog), search
// studies, look at a study's series with a thumbnail each, and retrieve a series or a whole study
// into the private cache (PacsCache) with progress and Cancel. All archive work runs off the GUI
// thread (ArchiveJobs). Patient identifiers appear only in the study table: never in the status
// line, errors, or the names of the retrieved files (UIDs). Each retrieved series is announced
// once through seriesRetrieved(), its files in InstanceNumber order. The cache is cleared when the
// browser goes (the app's exit) and by Clear cache.
class PacsBrowser : public QWidget {
    Q_OBJECT
  public:
    // `settings`: where the profiles are (ArchiveProfile::appSettings() in the app).
    PacsBrowser(std::shared_ptr<QSettings> settings, remote::KeyStore keys, jobs::PacsCache cache,
                QWidget* parent = nullptr);
    ~PacsBrowser() override;  // cancels, waits for the archive threads, clears the cache

    static constexpr int kThumbnailSize = 64;

    void reloadProfiles(const QString& select = QString());
    bool selectProfile(const QString& name);
    std::optional<pacs::ArchiveProfile> currentProfile() const;

    StudyQueryForm* form() const { return form_; }
    QTableWidget* studyTable() const { return studies_; }
    QTableWidget* seriesTable() const { return series_; }
    QString statusText() const;
    QString countText() const;
    jobs::ArchiveJobs* jobs() const { return jobs_; }
    const jobs::PacsCache& cache() const { return jobs_->cache(); }
    QSpinBox* pageSize() const { return pageSize_; }

  public Q_SLOTS:
    void search();  // from the first page
    void nextPage();
    void retrieveSeries();  // the selected series (every selected row)
    void retrieveStudy();   // every series of the selected study
    void cancelRetrieval();
    void clearCache();
    void editProfiles();

  Q_SIGNALS:
    // A series is in the cache: its files, in InstanceNumber order (for the Images list or a
    // stack view).
    void seriesRetrieved(const medvae::jobs::RetrievedSeries& series);
    void searchFinished(bool ok);
    void seriesListed(bool ok);
    void retrievalEnded(bool ok, bool cancelled, const QString& message);

  private:
    QWidget* createResults();
    void runSearch(std::size_t offset);
    void showStudies(const pacs::QueryAnswer& answer, const QString& error);
    void showSeries(const QString& studyUid, const pacs::QueryAnswer& answer, const QString& error);
    void showThumbnail(const QString& seriesUid,
                       std::shared_ptr<const medvae::jobs::Rendering> thumbnail,
                       const QString& error);
    // Runs on an archive thread: the preview the series table shows.
    static std::shared_ptr<const jobs::Rendering> makeThumbnail(const Image& image, int size);
    void studyChosen();
    void startRetrieval(const std::vector<std::string>& seriesUids);
    void retrievalFinished(bool ok, bool cancelled, const QString& message);
    QString selectedStudyUid() const;
    void setStatus(const QString& text);
    void updateActions();

    std::shared_ptr<QSettings> settings_;
    remote::KeyStore keys_;
    jobs::ArchiveJobs* jobs_;
    std::size_t offset_ = 0;
    bool searching_ = false;
    bool more_ = false;
    QString shownStudy_;

    QComboBox* profile_;
    QPushButton* profiles_;
    StudyQueryForm* form_;
    QPushButton* search_;
    QSpinBox* pageSize_;
    QPushButton* next_;
    QLabel* count_;
    QTableWidget* studies_;
    QTableWidget* series_;
    QPushButton* retrieveSeries_;
    QPushButton* retrieveStudy_;
    QPushButton* cancel_;
    QPushButton* clearCache_;
    QProgressBar* progress_;
    QLabel* status_;
};

}  // namespace medvae::ui
