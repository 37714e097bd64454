#pragma once

#include <functional>
#include <utility>

#include "run_control.h"

namespace medvae {

// Counts finished blocks of one call, and parts of the running one, and reports them through a
// RunControl.
class StepCounter {
  public:
    static constexpr int kUnitsPerBlock = 32;
    StepCounter(const RunControl* control, int blocks)
        : control_(control), total_(blocks * kUnitsPerBlock) {}
    // Work queued on a GPU runs after the call that queued it returns: `wait` (e.g. a device
    // synchronisation) is run before each report and stop check, so that both refer to finished
    // work and a stop takes effect within one block. Only when there is a control to ask.
    void setWait(std::function<void()> wait) { wait_ = std::move(wait); }
    void step();  // one block done: report progress, then throw Cancelled if asked to stop
    // `fraction` (0..1) of the running block done: reports progress when it moved by a unit,
    // then throws Cancelled if asked to stop.
    void part(double fraction) const;
    // Throws Cancelled if asked to stop, without counting a block: for long blocks (attention
    // over a large image runs for seconds) so that cancelling takes effect within one chunk.
    void checkCancelled() const;

  private:
    void wait() const {
        if (wait_) wait_();
    }
    const RunControl* control_;
    std::function<void()> wait_;
    int total_;
    int done_ = 0;              // units of the finished blocks
    mutable int reported_ = 0;  // units last reported
};

// What a banded layer tells of its bands (banded_layers.h): after each band it reports the share
// of the layer done as the part [from, to] of the running block (StepCounter::part, which also
// asks whether to stop), or, where from == to, only asks whether to stop. Made from a StepCounter
// pointer alone it only asks; from a null pointer it does nothing.
struct BandProgress {
    BandProgress(const StepCounter* steps_ = nullptr, double from_ = 0, double to_ = 0)
        : steps(steps_), from(from_), to(to_) {}
    void operator()(double layerDone) const {
        if (!steps) return;
        if (to > from)
            steps->part(from + (to - from) * layerDone);
        else
            steps->checkCancelled();
    }
    const StepCounter* steps;
    double from, to;
};

}  // namespace medvae
