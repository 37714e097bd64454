#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>

namespace medvae::jobs {

// Who runs next on an engine that runs one call at a time (the local engine), when the app's
// interactive view and a batch both want it: a waiting interactive call goes before any waiting
// batch item, so a view job never queues behind more than the batch item already running.
// A caller waiting here leaves as soon as it is cancelled, with Cancelled.
//
// Thread-safety: every member may be called from any thread.
class EngineGate {
  public:
    enum class Priority { Interactive, Batch };

    // Held while a call runs; releasing it lets the next caller in.
    class Pass {
      public:
        explicit Pass(EngineGate* gate) : gate_(gate) {}
        Pass(Pass&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
        Pass(const Pass&) = delete;
        Pass& operator=(const Pass&) = delete;
        Pass& operator=(Pass&&) = delete;
        ~Pass();

      private:
        EngineGate* gate_;
    };

    // Blocks until the engine is free for `priority`. `cancelled` (may be empty) is asked at
    // least every `kPollMs` while waiting; when it returns true this throws Cancelled.
    Pass enter(Priority priority, const std::function<bool()>& cancelled);

    // For tests and status: callers waiting with `priority`; whether a call runs.
    int waiting(Priority priority) const;
    bool busy() const;

    static constexpr int kPollMs = 10;

  private:
    void leave();

    mutable std::mutex mutex_;
    std::condition_variable freed_;
    bool busy_ = false;
    int waiting_[2] = {0, 0};
};

}  // namespace medvae::jobs
