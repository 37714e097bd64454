#include "step_counter.h"

#include <algorithm>

#include "error.h"

namespace medvae {

void StepCounter::step() {
    done_ += kUnitsPerBlock;
    reported_ = done_;
    if (control_ && (control_->progress || control_->cancelled)) wait();
    if (control_ && control_->progress) control_->progress(done_, total_);
    if (control_ && control_->cancelled && control_->cancelled()) throw Cancelled();
}

void StepCounter::part(double fraction) const {
    const int units = done_ + std::clamp(int(fraction * kUnitsPerBlock), 0, kUnitsPerBlock - 1);
    if (control_ && control_->progress && units > reported_) {
        wait();
        reported_ = units;
        control_->progress(units, total_);
    }
    checkCancelled();
}

void StepCounter::checkCancelled() const {
    if (control_ && control_->cancelled) wait();
    if (control_ && control_->cancelled && control_->cancelled()) throw Cancelled();
}

}  // namespace medvae
