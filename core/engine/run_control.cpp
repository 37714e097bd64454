#include "run_control.h"

#include "error.h"

namespace medvae {

void StepCounter::step() {
    ++done_;
    if (control_ && (control_->progress || control_->cancelled)) wait();
    if (control_ && control_->progress) control_->progress(done_, total_);
    if (control_ && control_->cancelled && control_->cancelled()) throw Cancelled();
}

void StepCounter::checkCancelled() const {
    if (control_ && control_->cancelled) wait();
    if (control_ && control_->cancelled && control_->cancelled()) throw Cancelled();
}

}  // namespace medvae
