#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcostrma.h>

#include <cstdint>
#include <vector>

namespace medvae::pacs {

// The bytes of one dataset as a C-STORE sub-operation of a C-GET delivers them: kept in memory
// exactly as sent (no parsing, no disk), up to a limit. Past the limit the bytes are dropped
// but still accepted, so DCMTK reads the rest of the dataset off the network without keeping
// it: an oversized or hostile instance costs at most `limit` bytes of memory. (Refusing the
// write instead would make DCMTK skip "the rest" of the dataset even when its last fragment has
// already arrived, and then wait for data that never comes.)
class InstanceBuffer : public DcmConsumer {
  public:
    explicit InstanceBuffer(std::uint64_t limit) : limit_(limit) {}

    // The output stream DCMTK writes into (DIMSE_receiveDataSetInFile).
    class Stream : public DcmOutputStream {
      public:
        explicit Stream(InstanceBuffer& buffer) : DcmOutputStream(&buffer) {}
    };

    bool overflowed() const { return overflowed_; }
    std::vector<std::uint8_t>& bytes() { return bytes_; }

    OFBool good() const override { return OFTrue; }
    OFCondition status() const override;
    OFBool isFlushed() const override { return OFTrue; }
    offile_off_t avail() const override;
    offile_off_t write(const void* buffer, offile_off_t length) override;
    void flush() override {}

  private:
    std::uint64_t limit_;
    bool overflowed_ = false;
    std::vector<std::uint8_t> bytes_;
};

}  // namespace medvae::pacs
