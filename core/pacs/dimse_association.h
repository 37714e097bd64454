#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "association_slots.h"
#include "dimse_address.h"

class DcmDataset;
class OFCondition;
struct T_ASC_Network;
struct T_ASC_Association;

namespace medvae::pacs {

// How long a DIMSE exchange may stay silent. DCMTK waits forever by default; every wait here is
// bounded.
struct DimseTimeouts {
    int connectMs = 10000;  // TCP connection
    int acseMs = 30000;     // association request/release answer
    int dimseMs = 60000;    // silence between DIMSE messages
};

// One abstract syntax (SOP class) with the transfer syntaxes offered for it; `scpRole` asks to
// play the storage SCP for it (C-GET sub-operations).
struct PresentationContextOffer {
    std::string abstractSyntax;
    std::vector<std::string> transferSyntaxes;
    bool scpRole = false;
};

// One open DIMSE association with an archive, built on DCMTK's dcmnet association (ASC_*) and
// message (DIMSE_*) layer rather than DcmSCU: DcmSCU keeps the association's reject parameters
// private, and without them a rejection cannot be told apart in words (called AE title, calling
// AE title, no service). The association holds one AssociationSlots slot; the destructor
// releases it (or aborts it after an error). Every failure throws medvae::Error naming the
// archive, the operation and the reason; never a patient attribute.
class DimseAssociation {
  public:
    // Connects and negotiates. `cancelled` (may be empty) is polled while waiting.
    DimseAssociation(const DimseAddress& archive, const std::string& callingAeTitle,
                     const std::vector<PresentationContextOffer>& offers,
                     const DimseTimeouts& timeouts, std::function<bool()> cancelled);
    ~DimseAssociation();
    DimseAssociation(const DimseAssociation&) = delete;
    DimseAssociation& operator=(const DimseAssociation&) = delete;

    void echo();

    // C-FIND on `sopClass` with `keys`: each pending response's identifier goes to `onMatch`
    // (which keeps what it needs); when it returns false the C-FIND is cancelled (C-CANCEL) and
    // the remaining responses are read and dropped. Returns true when cancelled that way.
    bool find(const std::string& sopClass, DcmDataset& keys,
              const std::function<bool(DcmDataset&)>& onMatch);

    // One instance received by C-GET: its dataset's bytes exactly as the archive encoded them
    // (in `transferSyntaxUid`; no File Meta Information), and its SOP class and instance UIDs.
    struct ReceivedInstance {
        std::vector<std::uint8_t> dataset;
        std::string transferSyntaxUid, sopClassUid, sopInstanceUid;
    };
    // C-GET on `sopClass` with `keys`; the C-STORE sub-operations are answered here, in
    // memory: each instance goes to `onInstance` (which may throw to end the retrieval; the
    // association is then aborted). An instance larger than `maxInstanceBytes` is refused
    // (status A700) without being kept, and ends the retrieval with medvae::LimitExceeded.
    // `silenceMs` bounds the wait for each message (RetrieveLimits::timeoutMs).
    void get(const std::string& sopClass, DcmDataset& keys, int silenceMs,
             std::uint64_t maxInstanceBytes,
             const std::function<void(ReceivedInstance&&)>& onInstance);

    // C-STORE of one dataset (not taken) in `transferSyntaxUid`.
    void store(DcmDataset& dataset, const std::string& sopClassUid,
               const std::string& sopInstanceUid, const std::string& transferSyntaxUid);

    // "DIMSE AET@HOST:PORT", for messages.
    const std::string& describe() const { return description_; }

  private:
    struct Command;
    [[noreturn]] void fail(const std::string& operation, const std::string& why);
    // The same, remembering when `c` says the archive went silent.
    [[noreturn]] void fail(const std::string& operation, const OFCondition& c,
                           const std::string& why);
    unsigned char contextFor(const std::string& sopClass, const std::string& operation);
    void receiveCommand(const std::string& operation, int silenceMs, Command& command);
    DcmDataset* receiveDataset(const std::string& operation, int silenceMs, unsigned char& context);
    void receiveInstance(const Command& command, int silenceMs, std::uint64_t maxInstanceBytes,
                         const std::function<void(ReceivedInstance&&)>& onInstance);
    void answerStore(const Command& command, std::uint16_t status);
    void drainAfterCancel(const std::string& operation, std::uint16_t messageId);
    void request(const std::vector<PresentationContextOffer>& offers);

    DimseAddress archive_;
    std::string callingAeTitle_;
    std::string description_;
    DimseTimeouts timeouts_;
    std::function<bool()> cancelled_;
    AssociationSlots::Slot slot_;
    T_ASC_Network* network_ = nullptr;
    T_ASC_Association* association_ = nullptr;
    bool broken_ = false;  // after an error: abort instead of release
    bool silent_ = false;  // after a timeout: close the connection, awaiting nothing more
};

}  // namespace medvae::pacs
