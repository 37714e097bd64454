#pragma once

#include <functional>

namespace medvae {

// Progress and cancellation for a long engine call. Both callbacks are optional and are invoked
// on the thread running the call. `progress(done, total)` counts work units: a network block is
// StepCounter::kUnitsPerBlock of them (step_counter.h), and blocks report parts of themselves
// (after their first convolution, between attention chunks), so that progress moves within a long
// block too.
struct RunControl {
    std::function<void(int done, int total)> progress;
    std::function<bool()> cancelled;  // return true to stop; the call then throws Cancelled
};

}  // namespace medvae
