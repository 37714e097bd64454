#include "dimse_client.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <set>

#include "dimse_query.h"
#include "error.h"
#include "part10_file.h"

namespace medvae::pacs {
namespace {

const std::vector<std::string> kUncompressed = {UID_LittleEndianExplicitTransferSyntax,
                                                UID_LittleEndianImplicitTransferSyntax};

std::string text(DcmItem& item, const DcmTagKey& tag) {
    OFString value;
    item.findAndGetOFString(tag, value);
    return value.c_str();
}

// C-GET: the retrieve service, and every storage SOP class in the SCP role so the archive can
// send the instances back on the same association (PS3.4 C.4.3.1.1).
std::vector<PresentationContextOffer> getOffers() {
    std::vector<PresentationContextOffer> offers{
        {UID_GETStudyRootQueryRetrieveInformationModel, kUncompressed, false}};
    // 127 storage classes at most: one of the 128 contexts is C-GET's own.
    for (int i = 0; i < numberOfDcmLongSCUStorageSOPClassUIDs && offers.size() < 128; ++i)
        offers.push_back({dcmLongSCUStorageSOPClassUIDs[i], kUncompressed, true});
    return offers;
}

// The series an instance belongs to, for retrievals of a whole study.
std::string seriesOf(const std::vector<std::uint8_t>& part10, const std::string& sopInstanceUid) {
    const auto file = Part10File::decode(part10, "instance " + sopInstanceUid);
    return text(*file->getDataset(), DCM_SeriesInstanceUID);
}

}  // namespace

DimseClient::DimseClient(DimseClientOptions options) : options_(std::move(options)) {
    checkAeTitle(options_.callingAeTitle, "calling");
}

std::string DimseClient::describe() const {
    return "DIMSE " + options_.archive.text();
}

void DimseClient::verify() {
    DimseAssociation association(options_.archive, options_.callingAeTitle,
                                 {{UID_VerificationSOPClass, kUncompressed, false}},
                                 options_.timeouts, options_.cancelled);
    association.echo();
}

QueryAnswer DimseClient::find(const Query& query) {
    const std::unique_ptr<DcmDataset> keys = DimseQuery::identifier(query);
    DimseAssociation association(
        options_.archive, options_.callingAeTitle,
        {{UID_FINDStudyRootQueryRetrieveInformationModel, kUncompressed, false}}, options_.timeouts,
        options_.cancelled);
    QueryAnswer answer;
    std::size_t seen = 0;
    const bool cancelled = association.find(UID_FINDStudyRootQueryRetrieveInformationModel, *keys,
                                            [&](DcmDataset& response) {
                                                if (seen++ < query.offset) return true;
                                                if (answer.rows.size() >= query.limit) return false;
                                                answer.rows.push_back(DimseQuery::row(response));
                                                return true;
                                            });
    answer.truncated = cancelled;
    return answer;
}

void DimseClient::retrieve(
    const std::string& studyUid, const std::string& seriesUid, const RetrieveLimits& limits,
    const std::function<void(const InstanceRef&, std::vector<std::uint8_t>&&)>& onInstance) {
    if (studyUid.empty()) throw Error(describe() + ": a retrieval needs a study UID");
    get(seriesUid.empty() ? "STUDY" : "SERIES", {studyUid, seriesUid, ""}, limits, onInstance);
}

std::vector<std::uint8_t> DimseClient::retrieveInstance(const InstanceRef& ref,
                                                        const RetrieveLimits& limits) {
    if (ref.studyUid.empty() || ref.seriesUid.empty() || ref.sopInstanceUid.empty())
        throw Error(describe() +
                    ": retrieving an instance needs its study, series and SOP "
                    "instance UIDs");
    std::vector<std::uint8_t> bytes;
    bool received = false;
    get("IMAGE", ref, limits, [&](const InstanceRef&, std::vector<std::uint8_t>&& b) {
        if (received)
            throw Error(describe() + ": the archive sent more than one instance for " +
                        ref.sopInstanceUid);
        bytes = std::move(b);
        received = true;
    });
    if (!received)
        throw Error(describe() + ": the archive sent no instance for " + ref.sopInstanceUid +
                    " (is it still in the archive?)");
    return bytes;
}

void DimseClient::get(
    const std::string& level, const InstanceRef& ref, const RetrieveLimits& limits,
    const std::function<void(const InstanceRef&, std::vector<std::uint8_t>&&)>& onInstance) {
    DcmDataset keys;
    keys.putAndInsertString(DCM_QueryRetrieveLevel, level.c_str());
    keys.putAndInsertString(DCM_StudyInstanceUID, ref.studyUid.c_str());
    if (!ref.seriesUid.empty())
        keys.putAndInsertString(DCM_SeriesInstanceUID, ref.seriesUid.c_str());
    if (!ref.sopInstanceUid.empty())
        keys.putAndInsertString(DCM_SOPInstanceUID, ref.sopInstanceUid.c_str());
    const auto clientCancelled = options_.cancelled;
    const auto retrievalCancelled = limits.cancelled;
    const auto cancelled = [clientCancelled, retrievalCancelled] {
        return (clientCancelled && clientCancelled()) ||
               (retrievalCancelled && retrievalCancelled());
    };
    DimseAssociation association(options_.archive, options_.callingAeTitle, getOffers(),
                                 options_.timeouts, cancelled);
    std::size_t count = 0;
    std::uint64_t total = 0;
    association.get(
        UID_GETStudyRootQueryRetrieveInformationModel, keys, limits.timeoutMs,
        limits.maxInstanceBytes, [&](DimseAssociation::ReceivedInstance&& received) {
            if (++count > limits.maxInstances)
                throw LimitExceeded(describe() + ": the retrieval has more than " +
                                    std::to_string(limits.maxInstances) + " instances");
            total += received.dataset.size();
            if (total > limits.maxTotalBytes)
                throw LimitExceeded(describe() + ": the retrieval exceeds the limit of " +
                                    std::to_string(limits.maxTotalBytes) + " bytes");
            std::vector<std::uint8_t> bytes =
                Part10File::wrap(received.dataset, received.transferSyntaxUid, received.sopClassUid,
                                 received.sopInstanceUid);
            std::vector<std::uint8_t>().swap(received.dataset);
            onInstance(
                {ref.studyUid, seriesOf(bytes, received.sopInstanceUid), received.sopInstanceUid},
                std::move(bytes));
        });
}

void DimseClient::store(const std::vector<std::vector<std::uint8_t>>& objects) {
    if (objects.empty()) return;
    std::vector<std::unique_ptr<DcmFileFormat>> files;
    std::set<std::pair<std::string, std::string>> classes;  // SOP class, transfer syntax
    for (std::size_t i = 0; i < objects.size(); ++i) {
        files.push_back(
            Part10File::decode(objects[i], "object " + std::to_string(i + 1) + " to store"));
        DcmMetaInfo* meta = files.back()->getMetaInfo();
        const std::string sopClass = text(*meta, DCM_MediaStorageSOPClassUID);
        if (sopClass.empty() || text(*meta, DCM_MediaStorageSOPInstanceUID).empty())
            throw Error(describe() + ": object " + std::to_string(i + 1) +
                        " to store has no SOP class or instance UID in its meta header");
        classes.insert({sopClass, text(*meta, DCM_TransferSyntaxUID)});
    }
    std::vector<PresentationContextOffer> offers;
    for (const auto& [sopClass, transferSyntax] : classes) {
        std::vector<std::string> syntaxes{transferSyntax};
        for (const std::string& ts : kUncompressed)
            if (ts != transferSyntax) syntaxes.push_back(ts);
        offers.push_back({sopClass, syntaxes, false});
    }
    DimseAssociation association(options_.archive, options_.callingAeTitle, offers,
                                 options_.timeouts, options_.cancelled);
    for (const auto& file : files) {
        DcmMetaInfo* meta = file->getMetaInfo();
        association.store(*file->getDataset(), text(*meta, DCM_MediaStorageSOPClassUID),
                          text(*meta, DCM_MediaStorageSOPInstanceUID),
                          text(*meta, DCM_TransferSyntaxUID));
    }
}

}  // namespace medvae::pacs
