#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive_client.h"
#include "archive_profile.h"
#include "image.h"
#include "inference_job.h"
#include "key_store.h"
#include "pacs_cache.h"

namespace medvae::jobs {

// A series retrieved into the cache: its files in the order of their InstanceNumber (ties and
// instances without one: by SOP Instance UID), for the Images list or a stack view.
struct RetrievedSeries {
    QString studyUid;
    QString seriesUid;
    QString label;  // "<series number> <series description>", or the series UID when neither
    QStringList files;
};

// The archive work of the PACS browser, off the GUI thread: each call opens its own client on a
// thread of a private pool (ArchiveClient: one thread per client), reads the profile's secret
// from the keychain there, and reports back on the GUI thread through a signal. A newer search
// supersedes an older one (its answer is dropped). One retrieval at a time; cancelRetrieval()
// ends it within the clients' polling interval (well under a second). The destructor cancels
// what can be cancelled and waits at most kCloseWaitMs: a thread still blocked on an archive that
// does not answer (a query has no cancel) is left to end on its own timeout; it holds only
// copies and shared state, and its answer is dropped.
class ArchiveJobs : public QObject {
    Q_OBJECT
  public:
    static constexpr int kCloseWaitMs = 2000;

    // A series' preview from its first instance, at most `size` pixels, made on a pool thread
    // (the user interface's own value: a picture, as the inference worker's Rendering).
    using ThumbnailMaker = std::function<std::shared_ptr<const Rendering>(const Image&, int size)>;

    ArchiveJobs(remote::KeyStore keys, PacsCache cache, ThumbnailMaker makeThumbnail = {},
                QObject* parent = nullptr);
    ~ArchiveJobs() override;

    // `secret` given: used instead of the keychain's (a password typed but not saved yet).
    void verify(const pacs::ArchiveProfile& profile,
                const std::optional<std::string>& secret = std::nullopt);
    void search(const pacs::ArchiveProfile& profile, const pacs::Query& query);
    void listSeries(const pacs::ArchiveProfile& profile, const std::string& studyUid);
    // A preview of the series' first instance (lowest InstanceNumber), at most `size` pixels.
    void thumbnail(const pacs::ArchiveProfile& profile, const std::string& studyUid,
                   const std::string& seriesUid, int size);
    // Retrieves the series (an empty list: every series of the study) into the cache.
    void retrieve(const pacs::ArchiveProfile& profile, const std::string& studyUid,
                  const std::vector<std::string>& seriesUids, pacs::RetrieveLimits limits);
    void cancelRetrieval();
    bool retrieving() const { return retrieving_; }
    const PacsCache& cache() const;

  Q_SIGNALS:
    void verified(bool ok, const QString& message);
    void searched(const pacs::QueryAnswer& answer, const QString& error);
    void seriesListed(const QString& studyUid, const pacs::QueryAnswer& answer,
                      const QString& error);
    // `thumbnail`: what the ThumbnailMaker made; null with `error` when there is none.
    void thumbnailReady(const QString& seriesUid,
                        std::shared_ptr<const medvae::jobs::Rendering> thumbnail,
                        const QString& error);
    void retrievalProgress(int instancesDone, int instancesTotal, qint64 bytes);
    void seriesRetrieved(const RetrievedSeries& series);
    // ok false: `error` says why (cancelled included); the series finished before stay.
    void retrievalEnded(bool ok, bool cancelled, const QString& error);

  private:
    // What the worker threads share with this object; it outlives it while they run.
    struct Link;
    using Report = std::function<void(ArchiveJobs&)>;  // runs on the GUI thread
    using Work = std::function<void(pacs::ArchiveClient& client, const std::shared_ptr<Link>&)>;

    // Runs `work` on the pool with a client of `profile`; a failure (medvae::Error) goes to
    // `failed` on the GUI thread.
    void start(const pacs::ArchiveProfile& profile, const std::optional<std::string>& secret,
               Work work, std::function<void(ArchiveJobs&, const QString&)> failed);
    // Runs `report` on the GUI thread, unless this is gone by then.
    static void post(const std::shared_ptr<Link>& link, Report report);
    static void retrieveSeries(pacs::ArchiveClient& client, const std::shared_ptr<Link>& link,
                               const std::string& studyUid, const pacs::QueryRow& series,
                               const pacs::RetrieveLimits& limits, int& done, int total,
                               qint64& bytes);

    remote::KeyStore keys_;
    ThumbnailMaker makeThumbnail_;
    std::shared_ptr<Link> link_;
    QThreadPool* pool_;  // not owned by this: left running when a thread is stuck at the close
    std::shared_ptr<std::atomic<bool>> stopRetrieval_;
    std::shared_ptr<std::atomic<quint64>> searchGeneration_ =
        std::make_shared<std::atomic<quint64>>(0);
    bool retrieving_ = false;
};

}  // namespace medvae::jobs

Q_DECLARE_METATYPE(medvae::pacs::QueryAnswer)
Q_DECLARE_METATYPE(medvae::jobs::RetrievedSeries)
