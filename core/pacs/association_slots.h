#pragma once

#include <functional>
#include <string>

namespace medvae::pacs {

// The process-wide cap on open DIMSE associations, so that a batch or several browsers cannot
// flood an archive: every association holds one slot from opening to release. A Slot is taken
// by its constructor and given back by its destructor.
class AssociationSlots {
  public:
    static constexpr int kDefaultCapacity = 4;

    class Slot {
      public:
        // Waits until a slot is free, polling `cancelled` (may be empty). Throws medvae::Error
        // after `timeoutMs` without a free slot, or when cancelled; `archive` names the archive.
        Slot(const std::string& archive, int timeoutMs, const std::function<bool()>& cancelled);
        ~Slot();
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
    };

    // Changes the cap (>= 1); associations already open keep their slots.
    static void setCapacity(int capacity);
    static int capacity();
    static int inUse();
};

}  // namespace medvae::pacs
