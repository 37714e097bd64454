#include "archive_inputs.h"

#include <QCommandLineParser>
#include <QSettings>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <tuple>

#include "archive_factory.h"
#include "error.h"

namespace medvae::cli {
namespace {

constexpr std::size_t kPage = 1000;  // rows per query answer

struct Found {
    std::string study, series, sop;
    long long number = 0;  // InstanceNumber; instances without one come first
    bool operator<(const Found& o) const {
        return std::tie(study, series, number, sop) < std::tie(o.study, o.series, o.number, o.sop);
    }
};

bool isUid(const std::string& s) {
    return !s.empty() && s.size() <= 64 && s.find_first_not_of("0123456789.") == std::string::npos;
}

// Every row of a query, page by page; stops after `cap` rows (the caller tells the user).
std::vector<pacs::QueryRow> findAll(pacs::ArchiveClient& archive, pacs::Query query,
                                    std::size_t cap) {
    std::vector<pacs::QueryRow> rows;
    query.limit = kPage;
    for (query.offset = 0;; query.offset += kPage) {
        pacs::QueryAnswer answer = archive.find(query);
        rows.insert(rows.end(), answer.rows.begin(), answer.rows.end());
        if (!answer.truncated || answer.rows.empty() || rows.size() > cap) return rows;
    }
}

// What every fetch shares: how to reach the archive, and the bytes retrieved so far.
struct Retrieval {
    pacs::ArchiveProfile profile;
    std::string secret;
    std::uint64_t maxBytes = 0;
    std::atomic<std::uint64_t> retrieved{0};

    std::vector<std::uint8_t> fetch(const pacs::InstanceRef& ref,
                                    const std::function<bool()>& cancelled) {
        const std::uint64_t used = retrieved.load();
        if (used >= maxBytes)
            throw Error("the batch has retrieved its limit of " + std::to_string(maxBytes >> 20) +
                        " MiB from the archive; raise --max-retrieve-gb");
        pacs::RetrieveLimits limits;
        limits.maxInstances = 1;
        limits.maxInstanceBytes = std::min(limits.maxInstanceBytes, maxBytes - used);
        limits.maxTotalBytes = limits.maxInstanceBytes + (1u << 20);  // multipart framing
        limits.cancelled = cancelled;
        // One connection per instance: the pipeline's reading threads each make their own.
        std::vector<std::uint8_t> bytes =
            pacs::openArchive(profile, secret)->retrieveInstance(ref, limits);
        retrieved += bytes.size();
        return bytes;
    }
};

std::string sourceOf(const pacs::ArchiveProfile& profile, const Found& f) {
    std::string base = profile.address;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    if (profile.kind == pacs::ArchiveProfile::Kind::Dimse) base = "dimse://" + base;
    return base + "/studies/" + f.study + "/series/" + f.series + "/instances/" + f.sop;
}

// The batch items of the instances found, in their order: named study/series/instance, each
// retrieved by its fetch when the pipeline reaches it.
std::vector<jobs::BatchItem> itemsOf(const ArchiveInputs::Plan& plan,
                                     const std::vector<Found>& found, int firstIndex) {
    auto retrieval = std::make_shared<Retrieval>();
    retrieval->profile = plan.profile;
    retrieval->secret = plan.secret;
    retrieval->maxBytes = plan.maxRetrieveBytes;
    std::vector<jobs::BatchItem> items;
    std::map<std::string, std::string> seen;  // stem -> first source
    for (const Found& f : found) {
        jobs::BatchItem item;
        item.index = firstIndex + int(items.size());
        item.source = sourceOf(plan.profile, f);
        if (!isUid(f.study) || !isUid(f.series) || !isUid(f.sop)) {
            // A UID names the outputs: anything else (a path, a name) is refused.
            item.relativeStem = "invalid-uid-" + std::to_string(item.index);
            item.error = "the archive answered an instance whose UIDs are not DICOM UIDs";
        } else {
            item.relativeStem = f.study + "/" + f.series + "/" + f.sop;
            const auto [it, fresh] = seen.emplace(item.relativeStem, item.source);
            if (!fresh) item.duplicateOf = it->second;
            const pacs::InstanceRef ref{f.study, f.series, f.sop};
            item.fetch = [retrieval, ref](const std::function<bool()>& cancelled) {
                return retrieval->fetch(ref, cancelled);
            };
        }
        items.push_back(std::move(item));
    }
    return items;
}

}  // namespace

void ArchiveInputs::Arguments::addTo(QCommandLineParser& parser) const {
    parser.addOptions(
        {dicomweb, pacs, dimse, callingAet, study, series, query, maxInstances, maxRetrieveGb});
    parser.addOptions({caCert, storeDerived});
}

namespace {

// What to read and how much: the UIDs, the query's keys, the limits. False with the reason.
bool readSelection(const QCommandLineParser& parser, const ArchiveInputs::Arguments& a,
                   ArchiveInputs::Plan& plan, QString& error) {
    for (const QString& s : parser.values(a.study))
        plan.studies.push_back(s.trimmed().toStdString());
    for (const QString& s : parser.values(a.series))
        plan.series.push_back(s.trimmed().toStdString());
    for (const std::string& uid : plan.studies)
        if (!isUid(uid))
            return error = QString("--study '%1' is not a UID").arg(uid.c_str()), false;
    for (const std::string& uid : plan.series)
        if (!isUid(uid))
            return error = QString("--series '%1' is not a UID").arg(uid.c_str()), false;
    for (const QString& pair : parser.value(a.query).split('&', Qt::SkipEmptyParts)) {
        const int eq = pair.indexOf('=');
        if (eq <= 0) return error = "--query takes KEY=VALUE pairs joined by '&'", false;
        plan.queryKeys.emplace_back(pair.left(eq).trimmed().toStdString(),
                                    pair.mid(eq + 1).trimmed().toStdString());
    }
    bool ok = false;
    const qlonglong maxInstances = parser.value(a.maxInstances).toLongLong(&ok);
    if (!ok || maxInstances < 1 || maxInstances > 10'000'000)
        return error = "--max-instances takes a number from 1 to 10000000", false;
    plan.maxInstances = std::size_t(maxInstances);
    const double gb = parser.value(a.maxRetrieveGb).toDouble(&ok);
    if (!ok || !(gb > 0) || gb > 1e6)
        return error = "--max-retrieve-gb takes a positive number", false;
    plan.maxRetrieveBytes = std::uint64_t(gb * double(1ull << 30));
    return true;
}

// The archive given by --dicomweb (credentials from the environment) or --dimse.
void readAddress(const QCommandLineParser& parser, const ArchiveInputs::Arguments& a,
                 ArchiveInputs::Plan& plan) {
    if (parser.isSet(a.dimse)) {
        plan.profile.kind = pacs::ArchiveProfile::Kind::Dimse;
        plan.profile.name = "--dimse";
        plan.profile.address =
            pacs::DimseAddress::parse(parser.value(a.dimse).toStdString()).text();
        plan.profile.callingAet = parser.value(a.callingAet).toStdString();
        if (plan.profile.callingAet.empty() || plan.profile.callingAet.size() > 16)
            throw Error("--calling-aet takes an AE title of 1 to 16 characters");
        return;
    }
    plan.profile.kind = pacs::ArchiveProfile::Kind::Dicomweb;
    plan.profile.name = "--dicomweb";
    plan.profile.address = parser.value(a.dicomweb).toStdString();
    plan.profile.caCertificate = parser.value(a.caCert).toStdString();
    const QByteArray token = qgetenv("MEDVAE_DICOMWEB_TOKEN");
    const QByteArray user = qgetenv("MEDVAE_DICOMWEB_USER");
    if (!token.isEmpty()) {
        plan.profile.auth = pacs::ArchiveProfile::Auth::Bearer;
        plan.secret = token.toStdString();
    } else if (!user.isEmpty()) {
        plan.profile.auth = pacs::ArchiveProfile::Auth::Basic;
        plan.profile.user = user.toStdString();
        plan.secret = qgetenv("MEDVAE_DICOMWEB_PASSWORD").toStdString();
    }
}

// A saved profile (--pacs NAME) and its secret from the keychain.
void readProfile(const std::string& name, ArchiveInputs::Plan& plan) {
    const auto settings = pacs::ArchiveProfile::appSettings();
    const auto profile = pacs::ArchiveProfile::load(*settings, name);
    if (!profile) {
        std::string known;
        for (const auto& p : pacs::ArchiveProfile::loadAll(*settings))
            known += (known.empty() ? "" : ", ") + p.name;
        throw Error("no archive profile '" + name + "' is saved" +
                    (known.empty() ? std::string(" (none is)") : " (saved: " + known + ")"));
    }
    plan.profile = *profile;
    plan.secret = profile->readSecret();
}

}  // namespace

bool ArchiveInputs::read(const QCommandLineParser& parser, const Arguments& a, Plan& plan,
                         QString& error, bool& usage) {
    usage = true;
    const int archives =
        int(parser.isSet(a.dicomweb)) + int(parser.isSet(a.pacs)) + int(parser.isSet(a.dimse));
    const bool selects = parser.isSet(a.study) || parser.isSet(a.series) || parser.isSet(a.query);
    if (archives == 0) {
        // Derived objects file into the original's study, so only an archive item has a place
        // to go; storing a file's results would make a study the archive never held.
        if (parser.isSet(a.storeDerived))
            return error =
                       "--store-derived stores results into the archive the items come from; "
                       "it needs --dicomweb, --pacs or --dimse",
                   false;
        if (selects)
            return error =
                       "--study, --series and --query need an archive "
                       "(--dicomweb, --pacs or --dimse)",
                   false;
        return true;
    }
    if (archives > 1) return error = "--dicomweb, --pacs and --dimse exclude each other", false;
    if (parser.isSet(a.caCert) && !parser.isSet(a.dicomweb))
        return error =
                   "--ca-cert goes with --dicomweb (a saved profile keeps its own CA file; "
                   "DIMSE has no TLS here)",
               false;
    if (!selects) return error = "an archive needs --study, --series or --query", false;
    plan.used = true;
    plan.storeDerived = parser.isSet(a.storeDerived);
    if (!readSelection(parser, a, plan, error)) return false;
    try {
        if (!parser.isSet(a.pacs)) return readAddress(parser, a, plan), true;
        usage = false;  // the profile or the keychain failed, not the command line
        readProfile(parser.value(a.pacs).toStdString(), plan);
    } catch (const Error& e) {
        return error = QString::fromUtf8(e.what()), false;
    }
    return true;
}

std::vector<jobs::BatchItem> ArchiveInputs::collect(const Plan& plan, int firstIndex) {
    const std::unique_ptr<pacs::ArchiveClient> archive =
        pacs::openArchive(plan.profile, plan.secret);
    const std::size_t cap = plan.maxInstances;
    std::vector<std::string> studies = plan.studies;
    if (!plan.queryKeys.empty()) {
        pacs::Query q;
        q.keys.insert(plan.queryKeys.begin(), plan.queryKeys.end());
        for (const pacs::QueryRow& row : findAll(*archive, q, cap))
            studies.push_back(row.value("StudyInstanceUID"));
    }
    std::set<std::pair<std::string, std::string>> series;  // (study, series)
    for (const std::string& study : studies) {
        pacs::Query q;
        q.level = pacs::QueryLevel::Series;
        q.studyUid = study;
        const auto rows = findAll(*archive, q, cap);
        if (rows.empty() && !plan.studies.empty())
            throw Error("the archive " + archive->describe() + " holds no series of the study " +
                        study);
        for (const pacs::QueryRow& row : rows)
            series.emplace(study, row.value("SeriesInstanceUID"));
    }
    for (const std::string& uid : plan.series) {
        pacs::Query q;
        q.level = pacs::QueryLevel::Series;
        q.keys["SeriesInstanceUID"] = uid;
        const auto rows = findAll(*archive, q, cap);
        if (rows.empty())
            throw Error("the archive " + archive->describe() + " holds no series " + uid);
        for (const pacs::QueryRow& row : rows)
            series.emplace(row.value("StudyInstanceUID"), uid);
    }
    std::vector<Found> found;
    for (const auto& [study, seriesUid] : series) {
        pacs::Query q;
        q.level = pacs::QueryLevel::Instance;
        q.studyUid = study;
        q.seriesUid = seriesUid;
        for (const pacs::QueryRow& row : findAll(*archive, q, cap)) {
            bool ok = false;
            const long long number =
                QString::fromStdString(row.value("InstanceNumber")).toLongLong(&ok);
            found.push_back({study, seriesUid, row.value("SOPInstanceUID"), ok ? number : 0});
        }
        if (found.size() > cap)
            throw Error("the archive holds more than " + std::to_string(cap) +
                        " instances for this batch; narrow it (--series, --query) or raise "
                        "--max-instances");
    }
    std::sort(found.begin(), found.end());
    return itemsOf(plan, found, firstIndex);
}

}  // namespace medvae::cli
