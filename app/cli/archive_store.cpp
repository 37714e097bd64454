#include "archive_store.h"

#include "archive_factory.h"
#include "error.h"
#include "error_heatmap.h"

namespace medvae::cli {
namespace {

// The instance an archive item is, from its output stem study/series/instance[/...]
// (ArchiveInputs names archive items so).
pacs::InstanceRef instanceOf(const jobs::BatchItem& item) {
    pacs::InstanceRef ref;
    std::string* parts[] = {&ref.studyUid, &ref.seriesUid, &ref.sopInstanceUid};
    std::size_t start = 0;
    for (std::string* part : parts) {
        const std::size_t slash = item.relativeStem.find('/', start);
        *part = item.relativeStem.substr(start, slash - start);
        if (part->empty() || part->find_first_not_of("0123456789.") != std::string::npos)
            throw Error("the item '" + item.relativeStem +
                        "' is not an archive instance, so it has no archive to be stored in");
        start = slash == std::string::npos ? item.relativeStem.size() : slash + 1;
    }
    return ref;
}

}  // namespace

ArchiveStore::ArchiveStore(const pacs::ArchiveProfile& profile, const std::string& secret,
                           pacs::ModelDescription model)
    : archive_(pacs::openArchive(profile, secret)), sink_(*archive_), model_(std::move(model)) {}

std::function<std::vector<std::string>(const jobs::BatchItem&, const Reconstruction&)>
ArchiveStore::hook(const pacs::ArchiveProfile& profile, const std::string& secret,
                   pacs::ModelDescription model) {
    auto store = std::make_shared<ArchiveStore>(profile, secret, std::move(model));
    return [store](const jobs::BatchItem& item, const Reconstruction& rec) {
        return store->store(item, rec);
    };
}

std::vector<std::string> ArchiveStore::store(const jobs::BatchItem& item,
                                             const Reconstruction& rec) {
    const pacs::InstanceRef ref = instanceOf(item);
    pacs::RetrieveLimits limits;
    limits.maxInstances = 1;
    pacs::DerivedResult result;
    result.source = archive_->retrieveInstance(ref, limits);
    result.reconstruction = rec.reconstruction;
    // The heatmap batch export writes as <stem>_error.png (BatchOutputs), so both agree.
    result.heatmap = ErrorHeatmap::of(rec.signedError, ErrorHeatmap::Kind::Absolute);
    result.model = model_;
    std::vector<std::string> uids;
    for (const pacs::InstanceRef& stored : sink_.store(result))
        uids.push_back(stored.sopInstanceUid);
    return uids;
}

}  // namespace medvae::cli
