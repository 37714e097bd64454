#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace medvae::cli {

// While an InterruptWatch lives, Ctrl+C (SIGINT) and SIGTERM do not end the process: the first one
// calls `onInterrupt` (from a thread of its own, so it may take locks), e.g. to cancel a batch,
// which then stops between items and leaves only complete outputs; later ones are ignored. The
// signal handler only writes a byte to a pipe (what is safe in a handler). One at a time per
// process; the destructor restores the previous handlers.
class InterruptWatch {
  public:
    explicit InterruptWatch(std::function<void()> onInterrupt);
    ~InterruptWatch();
    InterruptWatch(const InterruptWatch&) = delete;
    InterruptWatch& operator=(const InterruptWatch&) = delete;

    bool interrupted() const { return interrupted_; }

  private:
    std::function<void()> onInterrupt_;
    std::atomic<bool> interrupted_{false};
    int pipe_[2] = {-1, -1};
    struct sigaction previousInt_ {};
    struct sigaction previousTerm_ {};
    std::thread waiter_;
};

}  // namespace medvae::cli
