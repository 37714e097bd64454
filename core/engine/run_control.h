#pragma once

#include <functional>
#include <utility>

namespace medvae {

// Progress and cancellation for a long engine call. Both callbacks are optional and are invoked
// on the thread running the call, between network blocks.
struct RunControl {
    std::function<void(int done, int total)> progress;
    std::function<bool()> cancelled;  // return true to stop; the call then throws Cancelled
};

// Counts finished blocks of one call and reports them through a RunControl.
class StepCounter {
  public:
    StepCounter(const RunControl* control, int total) : control_(control), total_(total) {}
    // Work queued on a GPU runs after the call that queued it returns: `wait` (e.g. a device
    // synchronisation) is run before each report and stop check, so that both refer to finished
    // work and a stop takes effect within one block. Only when there is a control to ask.
    void setWait(std::function<void()> wait) { wait_ = std::move(wait); }
    void step();  // one block done: report progress, then throw Cancelled if asked to stop
    // Throws Cancelled if asked to stop, without counting a block: for long blocks (attention
    // over a large image runs for seconds) so that cancelling takes effect within one chunk.
    void checkCancelled() const;
    int done() const { return done_; }

  private:
    void wait() const {
        if (wait_) wait_();
    }
    const RunControl* control_;
    std::function<void()> wait_;
    int total_;
    int done_ = 0;
};

}  // namespace medvae
