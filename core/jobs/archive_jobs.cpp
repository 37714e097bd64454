#include "archive_jobs.h"

#include <QCoreApplication>

#include <algorithm>
#include <map>
#include <utility>

#include "archive_factory.h"
#include "error.h"
#include "image_loader.h"

namespace medvae::jobs {
namespace {

// InstanceNumber as a number; instances without one sort after those with one.
long long instanceNumber(const pacs::QueryRow& row) {
    bool ok = false;
    const long long n =
        QString::fromStdString(row.value("InstanceNumber")).trimmed().toLongLong(&ok);
    return ok ? n : std::numeric_limits<long long>::max();
}

// The instances of a series in InstanceNumber order (then by SOP Instance UID).
std::vector<pacs::QueryRow> instancesInOrder(pacs::ArchiveClient& client, const std::string& study,
                                             const std::string& series, std::size_t limit) {
    pacs::Query query;
    query.level = pacs::QueryLevel::Instance;
    query.studyUid = study;
    query.seriesUid = series;
    query.limit = limit;
    std::vector<pacs::QueryRow> rows = client.find(query).rows;
    std::stable_sort(rows.begin(), rows.end(),
                     [](const pacs::QueryRow& a, const pacs::QueryRow& b) {
                         const long long na = instanceNumber(a), nb = instanceNumber(b);
                         if (na != nb) return na < nb;
                         return a.value("SOPInstanceUID") < b.value("SOPInstanceUID");
                     });
    return rows;
}

bool bySeriesNumber(const pacs::QueryRow& a, const pacs::QueryRow& b) {
    return QString::fromStdString(a.value("SeriesNumber")).toInt() <
           QString::fromStdString(b.value("SeriesNumber")).toInt();
}

QString seriesLabel(const pacs::QueryRow& series) {
    const QString number = QString::fromStdString(series.value("SeriesNumber")).trimmed();
    const QString description = QString::fromStdString(series.value("SeriesDescription")).trimmed();
    const QString label = (number + QLatin1Char(' ') + description).trimmed();
    return label.isEmpty() ? QString::fromStdString(series.value("SeriesInstanceUID")) : label;
}

}  // namespace

struct ArchiveJobs::Link {
    QPointer<ArchiveJobs> jobs;  // read on the GUI thread only
    PacsCache cache;
    std::atomic<bool> closing{false};
};

ArchiveJobs::ArchiveJobs(remote::KeyStore keys, PacsCache cache, ThumbnailMaker makeThumbnail,
                         QObject* parent)
    : QObject(parent),
      keys_(std::move(keys)),
      makeThumbnail_(std::move(makeThumbnail)),
      link_(std::make_shared<Link>()),
      pool_(new QThreadPool) {
    link_->jobs = this;
    link_->cache = std::move(cache);
    qRegisterMetaType<pacs::QueryAnswer>();
    qRegisterMetaType<RetrievedSeries>();
    qRegisterMetaType<std::shared_ptr<const medvae::jobs::Rendering>>();
    // A search, a retrieval and a few thumbnails at once; the DIMSE client caps associations.
    pool_->setMaxThreadCount(4);
}

ArchiveJobs::~ArchiveJobs() {
    link_->closing.store(true);
    if (stopRetrieval_) stopRetrieval_->store(true);
    if (pool_->waitForDone(kCloseWaitMs))
        delete pool_;
    else  // its threads end on their own timeouts; deleting it would wait for them
        qWarning("PACS browser: an archive did not answer; its thread is left to time out");
}

const PacsCache& ArchiveJobs::cache() const {
    return link_->cache;
}

void ArchiveJobs::post(const std::shared_ptr<Link>& link, Report report) {
    QCoreApplication* app = QCoreApplication::instance();
    if (!app || link->closing.load()) return;
    QMetaObject::invokeMethod(
        app,
        [link, report = std::move(report)] {
            if (link->jobs) report(*link->jobs);
        },
        Qt::QueuedConnection);
}

void ArchiveJobs::start(const pacs::ArchiveProfile& profile,
                        const std::optional<std::string>& secret, Work work,
                        std::function<void(ArchiveJobs&, const QString&)> failed) {
    remote::KeyStore keys = keys_;
    const std::shared_ptr<Link> link = link_;
    pool_->start([link, profile, secret, keys, work = std::move(work),
                  failed = std::move(failed)]() mutable {
        QString error;
        try {
            const std::string key = secret ? *secret : profile.readSecret(&keys);
            const std::unique_ptr<pacs::ArchiveClient> client = pacs::openArchive(profile, key);
            work(*client, link);
            return;
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        post(link, [failed, error](ArchiveJobs& jobs) { failed(jobs, error); });
    });
}

void ArchiveJobs::verify(const pacs::ArchiveProfile& profile,
                         const std::optional<std::string>& secret) {
    start(
        profile, secret,
        [](pacs::ArchiveClient& client, const std::shared_ptr<Link>& link) {
            client.verify();
            const QString what = QString::fromStdString(client.describe());
            post(link, [what](ArchiveJobs& jobs) {
                Q_EMIT jobs.verified(true, tr("%1 answers.").arg(what));
            });
        },
        [](ArchiveJobs& jobs, const QString& error) { Q_EMIT jobs.verified(false, error); });
}

void ArchiveJobs::search(const pacs::ArchiveProfile& profile, const pacs::Query& query) {
    const quint64 generation = ++*searchGeneration_;
    const auto current = searchGeneration_;
    start(
        profile, std::nullopt,
        [query, generation, current](pacs::ArchiveClient& client,
                                     const std::shared_ptr<Link>& link) {
            pacs::QueryAnswer answer = client.find(query);
            post(link, [answer = std::move(answer), generation, current](ArchiveJobs& jobs) {
                if (generation == current->load()) Q_EMIT jobs.searched(answer, QString());
            });
        },
        [generation, current](ArchiveJobs& jobs, const QString& error) {
            if (generation == current->load()) Q_EMIT jobs.searched(pacs::QueryAnswer(), error);
        });
}

void ArchiveJobs::listSeries(const pacs::ArchiveProfile& profile, const std::string& studyUid) {
    const QString study = QString::fromStdString(studyUid);
    start(
        profile, std::nullopt,
        [studyUid, study](pacs::ArchiveClient& client, const std::shared_ptr<Link>& link) {
            pacs::Query query;
            query.level = pacs::QueryLevel::Series;
            query.studyUid = studyUid;
            pacs::QueryAnswer answer = client.find(query);
            post(link, [study, answer = std::move(answer)](ArchiveJobs& jobs) {
                Q_EMIT jobs.seriesListed(study, answer, QString());
            });
        },
        [study](ArchiveJobs& jobs, const QString& error) {
            Q_EMIT jobs.seriesListed(study, pacs::QueryAnswer(), error);
        });
}

void ArchiveJobs::thumbnail(const pacs::ArchiveProfile& profile, const std::string& studyUid,
                            const std::string& seriesUid, int size) {
    const QString series = QString::fromStdString(seriesUid);
    if (!makeThumbnail_) {
        Q_EMIT thumbnailReady(series, nullptr, QStringLiteral("no previews are made here"));
        return;
    }
    start(
        profile, std::nullopt,
        [studyUid, seriesUid, series, size, make = makeThumbnail_](
            pacs::ArchiveClient& client, const std::shared_ptr<Link>& link) {
            const std::vector<pacs::QueryRow> rows =
                instancesInOrder(client, studyUid, seriesUid, 10000);
            if (rows.empty()) throw Error("the series has no instances");
            pacs::RetrieveLimits limits;
            limits.maxInstanceBytes = 256ull << 20;  // a preview is not worth more
            limits.timeoutMs = 30000;
            limits.cancelled = [link] { return link->closing.load(); };
            const pacs::InstanceRef ref{studyUid, seriesUid, rows.front().value("SOPInstanceUID")};
            const std::vector<std::uint8_t> bytes = client.retrieveInstance(ref, limits);
            const std::shared_ptr<const Rendering> preview =
                make(ImageLoader::decode(bytes, ref.sopInstanceUid), size);
            post(link, [series, preview](ArchiveJobs& jobs) {
                Q_EMIT jobs.thumbnailReady(series, preview, QString());
            });
        },
        [series](ArchiveJobs& jobs, const QString& error) {
            Q_EMIT jobs.thumbnailReady(series, nullptr, error);
        });
}

void ArchiveJobs::cancelRetrieval() {
    if (stopRetrieval_) stopRetrieval_->store(true);
}

void ArchiveJobs::retrieve(const pacs::ArchiveProfile& profile, const std::string& studyUid,
                           const std::vector<std::string>& seriesUids,
                           pacs::RetrieveLimits limits) {
    if (retrieving_) return;
    retrieving_ = true;
    stopRetrieval_ = std::make_shared<std::atomic<bool>>(false);
    const auto stop = stopRetrieval_;
    limits.cancelled = [stop] { return stop->load(); };
    start(
        profile, std::nullopt,
        [studyUid, seriesUids, limits, stop](pacs::ArchiveClient& client,
                                             const std::shared_ptr<Link>& link) {
            pacs::Query query;
            query.level = pacs::QueryLevel::Series;
            query.studyUid = studyUid;
            std::vector<pacs::QueryRow> series;
            for (pacs::QueryRow& row : client.find(query).rows)
                if (seriesUids.empty() ||
                    std::find(seriesUids.begin(), seriesUids.end(),
                              row.value("SeriesInstanceUID")) != seriesUids.end())
                    series.push_back(std::move(row));
            std::stable_sort(series.begin(), series.end(), bySeriesNumber);
            int total = 0;
            for (const pacs::QueryRow& row : series)
                total +=
                    QString::fromStdString(row.value("NumberOfSeriesRelatedInstances")).toInt();
            int done = 0;
            qint64 bytes = 0;
            for (const pacs::QueryRow& row : series) {
                if (stop->load()) throw Error("the retrieval was cancelled");
                retrieveSeries(client, link, studyUid, row, limits, done, total, bytes);
            }
            post(link, [](ArchiveJobs& jobs) {
                jobs.retrieving_ = false;
                Q_EMIT jobs.retrievalEnded(true, false, QString());
            });
        },
        [stop](ArchiveJobs& jobs, const QString& error) {
            jobs.retrieving_ = false;
            const bool cancelled = stop->load();
            Q_EMIT jobs.retrievalEnded(false, cancelled,
                                       cancelled ? tr("The retrieval was cancelled.") : error);
        });
}

void ArchiveJobs::retrieveSeries(pacs::ArchiveClient& client, const std::shared_ptr<Link>& link,
                                 const std::string& studyUid, const pacs::QueryRow& series,
                                 const pacs::RetrieveLimits& limits, int& done, int total,
                                 qint64& bytes) {
    const std::string seriesUid = series.value("SeriesInstanceUID");
    std::map<std::string, std::size_t> order;  // SOP Instance UID -> place in InstanceNumber order
    const std::vector<pacs::QueryRow> instances =
        instancesInOrder(client, studyUid, seriesUid, limits.maxInstances);
    for (std::size_t i = 0; i < instances.size(); ++i)
        order.emplace(instances[i].value("SOPInstanceUID"), i);
    std::vector<std::pair<std::size_t, QString>> files;
    client.retrieve(studyUid, seriesUid, limits,
                    [&](const pacs::InstanceRef& ref, std::vector<std::uint8_t>&& data) {
                        const QString path = link->cache.store(ref, data);
                        const auto it = order.find(ref.sopInstanceUid);
                        files.emplace_back(it == order.end() ? order.size() : it->second, path);
                        bytes += qint64(data.size());
                        ++done;
                        post(link, [done, total, bytes](ArchiveJobs& jobs) {
                            Q_EMIT jobs.retrievalProgress(done, std::max(done, total), bytes);
                        });
                    });
    std::stable_sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second < b.second;
    });
    RetrievedSeries out{QString::fromStdString(studyUid),
                        QString::fromStdString(seriesUid),
                        seriesLabel(series),
                        {}};
    for (const auto& file : files)
        out.files << file.second;
    post(link, [out](ArchiveJobs& jobs) { Q_EMIT jobs.seriesRetrieved(out); });
}

}  // namespace medvae::jobs
