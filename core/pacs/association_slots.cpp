#include "association_slots.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "error.h"

namespace medvae::pacs {
namespace {

struct SlotState {
    std::mutex mutex;
    std::condition_variable freed;
    int capacity = AssociationSlots::kDefaultCapacity;
    int inUse = 0;
};

SlotState& state() {
    static SlotState s;
    return s;
}

}  // namespace

AssociationSlots::Slot::Slot(const std::string& archive, int timeoutMs,
                             const std::function<bool()>& cancelled) {
    SlotState& s = state();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    std::unique_lock<std::mutex> lock(s.mutex);
    while (s.inUse >= s.capacity) {
        if (cancelled && cancelled()) throw Error("cancelled before connecting to " + archive);
        if (std::chrono::steady_clock::now() >= deadline)
            throw Error("no free connection to " + archive + " after " +
                        std::to_string((timeoutMs + 999) / 1000) + " s: all " +
                        std::to_string(s.capacity) +
                        " DIMSE associations this program may open are in use; try again later");
        // Wake now and then to poll `cancelled`.
        s.freed.wait_for(lock, std::chrono::milliseconds(100));
    }
    ++s.inUse;
}

AssociationSlots::Slot::~Slot() {
    SlotState& s = state();
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        --s.inUse;
    }
    s.freed.notify_one();
}

void AssociationSlots::setCapacity(int capacity) {
    SlotState& s = state();
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        s.capacity = capacity < 1 ? 1 : capacity;
    }
    s.freed.notify_all();
}

int AssociationSlots::capacity() {
    std::lock_guard<std::mutex> lock(state().mutex);
    return state().capacity;
}

int AssociationSlots::inUse() {
    std::lock_guard<std::mutex> lock(state().mutex);
    return state().inUse;
}

}  // namespace medvae::pacs
