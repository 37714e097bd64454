#include "dimse_association.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dimse.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/oflog/oflog.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "error.h"
#include "instance_buffer.h"

namespace medvae::pacs {
namespace {

int seconds(int ms) {
    return ms <= 0 ? 1 : (ms + 999) / 1000;
}

std::string hex4(unsigned value) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%04X", value & 0xffffu);
    return text;
}

// dcmnet's DEBUG and TRACE levels dump whole datasets (patient names and IDs) into the log:
// keep them off whatever the environment configured.
void keepDcmnetLogQuiet() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (const char* name : {"dcmtk.dcmnet", "dcmtk.dcmdata"}) {
            OFLogger logger = OFLog::getLogger(name);
            if (logger.isEnabledFor(OFLogger::DEBUG_LOG_LEVEL))
                logger.setLogLevel(OFLogger::WARN_LOG_LEVEL);
        }
    });
}

// What a failed DCMTK network condition means, in words. `waitedS` and `timeout` name the wait
// that ran out when the condition is a timeout ("ACSE", "DIMSE").
std::string networkWords(const OFCondition& c, const DimseTimeouts& t, int waitedS,
                         const char* timeout) {
    const std::string text = c.text();
    const auto has = [&](const char* s) { return text.find(s) != std::string::npos; };
    if (has("Connection refused"))
        return "connection refused: nothing listens there (is the archive running, are the host "
               "and port right?)";
    if (c == DUL_READTIMEOUT || c == DIMSE_NODATAAVAILABLE)
        return "timeout: no answer within " + std::to_string(waitedS) + " s (" + timeout +
               " timeout)";
    if (has("timed out") || has("Operation now in progress"))
        return "timeout: could not connect within " + std::to_string(seconds(t.connectMs)) +
               " s (connection timeout)";
    if (has("unknown host") || has("Name or service not known") || has("Unknown host"))
        return "the host name is unknown (" + text + ")";
    if (c == DUL_PEERABORTEDASSOCIATION) return "the archive aborted the association";
    if (c == DUL_PEERREQUESTEDRELEASE || has("closed") || has("Network Closed"))
        return "the archive closed the connection (" + text + ")";
    return text;
}

std::string networkWords(const OFCondition& c, const DimseTimeouts& t) {
    return networkWords(c, t, seconds(t.dimseMs), "DIMSE");
}

std::string rejectionWords(T_ASC_Parameters* params, const std::string& called,
                           const std::string& calling) {
    T_ASC_RejectParameters rejection;
    std::memset(&rejection, 0, sizeof rejection);
    ASC_getRejectParameters(params, &rejection);
    switch (rejection.reason) {
        case ASC_REASON_SU_CALLEDAETITLENOTRECOGNIZED:
            return "the archive rejected the association: called AE title '" + called +
                   "' not recognised (check the archive's AE title)";
        case ASC_REASON_SU_CALLINGAETITLENOTRECOGNIZED:
            return "the archive rejected the association: calling AE title '" + calling +
                   "' not recognised (register it in the archive, or set the calling AE title "
                   "the archive knows)";
        case ASC_REASON_SU_APPCONTEXTNAMENOTSUPPORTED:
            return "the archive rejected the association: application context not supported";
        case ASC_REASON_SP_PRES_TEMPORARYCONGESTION:
            return "the archive rejected the association: it is busy (temporary congestion); "
                   "try again later";
        case ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED:
            return "the archive rejected the association: its limit of open associations is "
                   "reached; try again later";
        default:
            return std::string("the archive rejected the association (") +
                   (rejection.result == ASC_RESULT_REJECTEDTRANSIENT ? "transient" : "permanent") +
                   ", reason " + hex4(unsigned(rejection.reason)) + ")";
    }
}

}  // namespace

struct DimseAssociation::Command {
    T_DIMSE_Message message;
    T_ASC_PresentationContextID context = 0;
    DcmDataset* statusDetail = nullptr;
    Command() { std::memset(&message, 0, sizeof message); }
    ~Command() { delete statusDetail; }
};

DimseAssociation::DimseAssociation(const DimseAddress& archive, const std::string& callingAeTitle,
                                   const std::vector<PresentationContextOffer>& offers,
                                   const DimseTimeouts& timeouts, std::function<bool()> cancelled)
    : archive_(archive),
      callingAeTitle_(callingAeTitle),
      description_("DIMSE " + archive.text()),
      timeouts_(timeouts),
      cancelled_(std::move(cancelled)),
      slot_(description_, timeouts.connectMs + timeouts.acseMs, cancelled_) {
    keepDcmnetLogQuiet();
    checkAeTitle(callingAeTitle_, "calling");
    try {
        request(offers);
    } catch (...) {
        if (association_) {
            ASC_abortAssociation(association_);
            ASC_destroyAssociation(&association_);
        }
        if (network_) ASC_dropNetwork(&network_);
        throw;
    }
}

void DimseAssociation::request(const std::vector<PresentationContextOffer>& offers) {
    const std::string operation = "connecting";
    OFCondition c = ASC_initializeNetwork(NET_REQUESTOR, 0, seconds(timeouts_.acseMs), &network_);
    if (c.bad()) fail(operation, c.text());
    T_ASC_Parameters* params = nullptr;
    c = ASC_createAssociationParameters(&params, ASC_DEFAULTMAXPDU);
    if (c.bad()) fail(operation, c.text());
    ASC_setAPTitles(params, callingAeTitle_.c_str(), archive_.aeTitle.c_str(), nullptr);
    const std::string peer = archive_.host + ":" + std::to_string(archive_.port);
    ASC_setPresentationAddresses(params, OFStandard::getHostName().c_str(), peer.c_str());
    int id = 1;
    for (const PresentationContextOffer& offer : offers) {
        if (id > 255) break;  // 128 contexts at most
        std::vector<const char*> syntaxes;
        for (const std::string& ts : offer.transferSyntaxes)
            syntaxes.push_back(ts.c_str());
        c = ASC_addPresentationContext(
            params, T_ASC_PresentationContextID(id), offer.abstractSyntax.c_str(), syntaxes.data(),
            int(syntaxes.size()), offer.scpRole ? ASC_SC_ROLE_SCUSCP : ASC_SC_ROLE_DEFAULT);
        if (c.bad()) {
            ASC_destroyAssociationParameters(&params);
            fail(operation, c.text());
        }
        id += 2;
    }
    // The connection timeout is one process-wide DCMTK setting; each request sets its own.
    static std::mutex connectMutex;
    {
        std::lock_guard<std::mutex> lock(connectMutex);
        dcmConnectionTimeout.set(Sint32(seconds(timeouts_.connectMs)));
        c = ASC_requestAssociation(network_, params, &association_);
    }
    if (c.bad()) {
        const std::string why = c == DUL_ASSOCIATIONREJECTED
                                    ? rejectionWords(params, archive_.aeTitle, callingAeTitle_)
                                    : networkWords(c, timeouts_, seconds(timeouts_.acseMs), "ACSE");
        if (!association_) ASC_destroyAssociationParameters(&params);
        fail(operation, why);
    }
    if (ASC_countAcceptedPresentationContexts(association_->params) == 0)
        fail(operation,
             "no acceptable presentation context: the archive accepted none of the requested "
             "services");
}

DimseAssociation::~DimseAssociation() {
    if (association_) {
        // An A-ABORT waits for the archive to close the connection: not for a silent one.
        if (silent_)
            ASC_dropAssociation(association_);
        else if (broken_ || ASC_releaseAssociation(association_).bad())
            ASC_abortAssociation(association_);
        ASC_destroyAssociation(&association_);
    }
    if (network_) ASC_dropNetwork(&network_);
}

void DimseAssociation::fail(const std::string& operation, const OFCondition& c,
                            const std::string& why) {
    if (c == DIMSE_NODATAAVAILABLE || c == DUL_READTIMEOUT) silent_ = true;
    fail(operation, why);
}

void DimseAssociation::fail(const std::string& operation, const std::string& why) {
    broken_ = true;
    throw Error(description_ + ": " + operation + " failed: " + why);
}

T_ASC_PresentationContextID DimseAssociation::contextFor(const std::string& sopClass,
                                                         const std::string& operation) {
    const T_ASC_PresentationContextID id =
        ASC_findAcceptedPresentationContextID(association_, sopClass.c_str());
    if (id == 0)
        fail(operation, "no acceptable presentation context for " +
                            std::string(dcmFindNameOfUID(sopClass.c_str(), sopClass.c_str())) +
                            " (the archive does not offer this service to us)");
    return id;
}

void DimseAssociation::receiveCommand(const std::string& operation, int silenceMs,
                                      Command& command) {
    const auto start = std::chrono::steady_clock::now();
    if (cancelled_ && cancelled_()) fail(operation, "cancelled");
    // Wait in one-second steps so that a cancel is seen while the archive is silent.
    while (!ASC_dataWaiting(association_, 1)) {
        if (cancelled_ && cancelled_()) fail(operation, "cancelled");
        const auto waited = std::chrono::steady_clock::now() - start;
        if (waited >= std::chrono::milliseconds(silenceMs)) {
            silent_ = true;
            fail(operation, "timeout: the archive sent nothing for " +
                                std::to_string(seconds(silenceMs)) + " s (DIMSE timeout)");
        }
    }
    const OFCondition c =
        DIMSE_receiveCommand(association_, DIMSE_NONBLOCKING, seconds(silenceMs), &command.context,
                             &command.message, &command.statusDetail);
    if (c.bad()) {
        if (c == DUL_PEERABORTEDASSOCIATION)
            fail(operation,
                 "the archive aborted the association (an archive does that when it "
                 "does not allow the calling AE title '" +
                     callingAeTitle_ + "' this service)");
        fail(operation, networkWords(c, timeouts_));
    }
}

DcmDataset* DimseAssociation::receiveDataset(const std::string& operation, int silenceMs,
                                             T_ASC_PresentationContextID& context) {
    DcmDataset* dataset = nullptr;
    const OFCondition c = DIMSE_receiveDataSetInMemory(
        association_, DIMSE_NONBLOCKING, seconds(silenceMs), &context, &dataset, nullptr, nullptr);
    if (c.bad()) {
        delete dataset;
        fail(operation, c,
             "receiving a dataset: " + networkWords(c, timeouts_, seconds(silenceMs), "DIMSE"));
    }
    return dataset;
}

void DimseAssociation::echo() {
    const std::string operation = "C-ECHO";
    const T_ASC_PresentationContextID context = contextFor(UID_VerificationSOPClass, operation);
    T_DIMSE_Message message;
    std::memset(&message, 0, sizeof message);
    message.CommandField = DIMSE_C_ECHO_RQ;
    T_DIMSE_C_EchoRQ& request = message.msg.CEchoRQ;
    request.MessageID = association_->nextMsgID++;
    OFStandard::strlcpy(request.AffectedSOPClassUID, UID_VerificationSOPClass,
                        sizeof request.AffectedSOPClassUID);
    request.DataSetType = DIMSE_DATASET_NULL;
    const OFCondition c = DIMSE_sendMessageUsingMemoryData(association_, context, &message, nullptr,
                                                           nullptr, nullptr, nullptr);
    if (c.bad()) fail(operation, "sending the request: " + networkWords(c, timeouts_));
    Command response;
    receiveCommand(operation, timeouts_.dimseMs, response);
    if (response.message.CommandField != DIMSE_C_ECHO_RSP)
        fail(operation, "the archive answered with an unexpected message");
    const DIC_US status = response.message.msg.CEchoRSP.DimseStatus;
    if (status != STATUS_Success) fail(operation, "the archive returned status " + hex4(status));
}

bool DimseAssociation::find(const std::string& sopClass, DcmDataset& keys,
                            const std::function<bool(DcmDataset&)>& onMatch) {
    const std::string operation = "C-FIND";
    const T_ASC_PresentationContextID context = contextFor(sopClass, operation);
    T_DIMSE_Message message;
    std::memset(&message, 0, sizeof message);
    message.CommandField = DIMSE_C_FIND_RQ;
    T_DIMSE_C_FindRQ& request = message.msg.CFindRQ;
    request.MessageID = association_->nextMsgID++;
    OFStandard::strlcpy(request.AffectedSOPClassUID, sopClass.c_str(),
                        sizeof request.AffectedSOPClassUID);
    request.Priority = DIMSE_PRIORITY_MEDIUM;
    request.DataSetType = DIMSE_DATASET_PRESENT;
    OFCondition c = DIMSE_sendMessageUsingMemoryData(association_, context, &message, nullptr,
                                                     &keys, nullptr, nullptr);
    if (c.bad()) fail(operation, "sending the request: " + networkWords(c, timeouts_));
    for (;;) {
        Command response;
        receiveCommand(operation, timeouts_.dimseMs, response);
        if (response.message.CommandField != DIMSE_C_FIND_RSP)
            fail(operation, "the archive answered with an unexpected message");
        const T_DIMSE_C_FindRSP& answer = response.message.msg.CFindRSP;
        std::unique_ptr<DcmDataset> identifier;
        if (answer.DataSetType != DIMSE_DATASET_NULL) {
            T_ASC_PresentationContextID id = 0;
            identifier.reset(receiveDataset(operation, timeouts_.dimseMs, id));
        }
        if (!DICOM_PENDING_STATUS(answer.DimseStatus)) {
            if (answer.DimseStatus != STATUS_Success)
                fail(operation, std::string("the archive returned status ") +
                                    hex4(answer.DimseStatus) + " (" +
                                    DU_cfindStatusString(answer.DimseStatus) + ")");
            return false;
        }
        if (identifier && !onMatch(*identifier)) {
            drainAfterCancel(operation, request.MessageID);
            return true;
        }
    }
}

void DimseAssociation::drainAfterCancel(const std::string& operation, std::uint16_t messageId) {
    const T_ASC_PresentationContextID context = ASC_findAcceptedPresentationContextID(
        association_, UID_FINDStudyRootQueryRetrieveInformationModel);
    const OFCondition c = DIMSE_sendCancelRequest(association_, context, messageId);
    if (c.bad()) fail(operation, "sending C-CANCEL: " + networkWords(c, timeouts_));
    // Responses already on their way still arrive; read and drop them until the final one (an
    // archive that ignores the cancel is cut off by the DIMSE timeout).
    for (;;) {
        Command response;
        receiveCommand(operation + " (cancelling)", timeouts_.dimseMs, response);
        if (response.message.CommandField != DIMSE_C_FIND_RSP)
            fail(operation, "the archive answered with an unexpected message");
        const T_DIMSE_C_FindRSP& answer = response.message.msg.CFindRSP;
        if (answer.DataSetType != DIMSE_DATASET_NULL) {
            T_ASC_PresentationContextID id = 0;
            delete receiveDataset(operation, timeouts_.dimseMs, id);
        }
        if (!DICOM_PENDING_STATUS(answer.DimseStatus)) return;
    }
}

void DimseAssociation::get(const std::string& sopClass, DcmDataset& keys, int silenceMs,
                           std::uint64_t maxInstanceBytes,
                           const std::function<void(ReceivedInstance&&)>& onInstance) {
    const std::string operation = "C-GET";
    const T_ASC_PresentationContextID context = contextFor(sopClass, operation);
    T_DIMSE_Message message;
    std::memset(&message, 0, sizeof message);
    message.CommandField = DIMSE_C_GET_RQ;
    T_DIMSE_C_GetRQ& request = message.msg.CGetRQ;
    request.MessageID = association_->nextMsgID++;
    OFStandard::strlcpy(request.AffectedSOPClassUID, sopClass.c_str(),
                        sizeof request.AffectedSOPClassUID);
    request.Priority = DIMSE_PRIORITY_MEDIUM;
    request.DataSetType = DIMSE_DATASET_PRESENT;
    const OFCondition c = DIMSE_sendMessageUsingMemoryData(association_, context, &message, nullptr,
                                                           &keys, nullptr, nullptr);
    if (c.bad()) fail(operation, "sending the request: " + networkWords(c, timeouts_));
    for (;;) {
        Command command;
        receiveCommand(operation, silenceMs, command);
        if (command.message.CommandField == DIMSE_C_STORE_RQ) {
            receiveInstance(command, silenceMs, maxInstanceBytes, onInstance);
            continue;
        }
        if (command.message.CommandField != DIMSE_C_GET_RSP)
            fail(operation, "the archive answered with an unexpected message");
        const T_DIMSE_C_GetRSP& answer = command.message.msg.CGetRSP;
        if (answer.DataSetType != DIMSE_DATASET_NULL) {
            T_ASC_PresentationContextID id = 0;
            delete receiveDataset(operation, silenceMs, id);  // the failed instances' UIDs
        }
        if (DICOM_PENDING_STATUS(answer.DimseStatus)) continue;
        if (answer.DimseStatus == STATUS_Success) return;
        if (DICOM_WARNING_STATUS(answer.DimseStatus))
            fail(operation, std::to_string(answer.NumberOfFailedSubOperations) +
                                " instances could not be sent by the archive (status " +
                                hex4(answer.DimseStatus) + ")");
        fail(operation, "the archive returned status " + hex4(answer.DimseStatus) + " (" +
                            DU_cgetStatusString(answer.DimseStatus) + ")");
    }
}

void DimseAssociation::receiveInstance(const Command& command, int silenceMs,
                                       std::uint64_t maxInstanceBytes,
                                       const std::function<void(ReceivedInstance&&)>& onInstance) {
    const std::string operation = "C-GET";
    const T_DIMSE_C_StoreRQ& store = command.message.msg.CStoreRQ;
    InstanceBuffer buffer(maxInstanceBytes);
    InstanceBuffer::Stream stream(buffer);
    T_ASC_PresentationContextID id = command.context;
    const OFCondition c = DIMSE_receiveDataSetInFile(
        association_, DIMSE_NONBLOCKING, seconds(silenceMs), &id, &stream, nullptr, nullptr);
    if (buffer.overflowed()) {
        if (c.good()) answerStore(command, STATUS_STORE_Refused_OutOfResources);
        broken_ = true;
        throw LimitExceeded(description_ + ": instance " + store.AffectedSOPInstanceUID +
                            " is larger than the limit of " + std::to_string(maxInstanceBytes) +
                            " bytes per instance");
    }
    if (c.bad())
        fail(operation, c,
             "receiving an instance: " + networkWords(c, timeouts_, seconds(silenceMs), "DIMSE"));
    T_ASC_PresentationContext accepted;
    std::memset(&accepted, 0, sizeof accepted);
    ASC_findAcceptedPresentationContext(association_->params, command.context, &accepted);
    answerStore(command, STATUS_Success);
    ReceivedInstance instance;
    instance.dataset = std::move(buffer.bytes());
    instance.transferSyntaxUid = accepted.acceptedTransferSyntax;
    instance.sopClassUid = store.AffectedSOPClassUID;
    instance.sopInstanceUid = store.AffectedSOPInstanceUID;
    try {
        onInstance(std::move(instance));
    } catch (...) {
        broken_ = true;  // the archive is still sending: abort, do not release
        throw;
    }
}

void DimseAssociation::answerStore(const Command& command, std::uint16_t status) {
    const T_DIMSE_C_StoreRQ& request = command.message.msg.CStoreRQ;
    T_DIMSE_C_StoreRSP response;
    std::memset(&response, 0, sizeof response);
    response.MessageIDBeingRespondedTo = request.MessageID;
    response.DimseStatus = status;
    response.DataSetType = DIMSE_DATASET_NULL;
    OFStandard::strlcpy(response.AffectedSOPClassUID, request.AffectedSOPClassUID,
                        sizeof response.AffectedSOPClassUID);
    OFStandard::strlcpy(response.AffectedSOPInstanceUID, request.AffectedSOPInstanceUID,
                        sizeof response.AffectedSOPInstanceUID);
    response.opts = O_STORE_AFFECTEDSOPCLASSUID | O_STORE_AFFECTEDSOPINSTANCEUID;
    const OFCondition c =
        DIMSE_sendStoreResponse(association_, command.context, &request, &response, nullptr);
    if (c.bad()) fail("C-GET", "answering a C-STORE: " + networkWords(c, timeouts_));
}

void DimseAssociation::store(DcmDataset& dataset, const std::string& sopClassUid,
                             const std::string& sopInstanceUid,
                             const std::string& transferSyntaxUid) {
    const std::string operation = "C-STORE of " + sopInstanceUid;
    T_ASC_PresentationContextID context = ASC_findAcceptedPresentationContextID(
        association_, sopClassUid.c_str(), transferSyntaxUid.c_str());
    if (context == 0) context = contextFor(sopClassUid, operation);
    T_DIMSE_C_StoreRQ request;
    std::memset(&request, 0, sizeof request);
    request.MessageID = association_->nextMsgID++;
    OFStandard::strlcpy(request.AffectedSOPClassUID, sopClassUid.c_str(),
                        sizeof request.AffectedSOPClassUID);
    OFStandard::strlcpy(request.AffectedSOPInstanceUID, sopInstanceUid.c_str(),
                        sizeof request.AffectedSOPInstanceUID);
    request.Priority = DIMSE_PRIORITY_MEDIUM;
    request.DataSetType = DIMSE_DATASET_PRESENT;
    T_DIMSE_C_StoreRSP response;
    std::memset(&response, 0, sizeof response);
    DcmDataset* detail = nullptr;
    const OFCondition c =
        DIMSE_storeUser(association_, context, &request, nullptr, &dataset, nullptr, nullptr,
                        DIMSE_NONBLOCKING, seconds(timeouts_.dimseMs), &response, &detail);
    delete detail;
    if (c.bad()) fail(operation, c, networkWords(c, timeouts_));
    if (response.DimseStatus != STATUS_Success && !DICOM_WARNING_STATUS(response.DimseStatus))
        fail(operation, "the archive returned status " + hex4(response.DimseStatus) + " (" +
                            DU_cstoreStatusString(response.DimseStatus) + ")");
}

}  // namespace medvae::pacs
