#include "engine_gate.h"

#include <chrono>

#include "error.h"

namespace medvae::jobs {

EngineGate::Pass::~Pass() {
    if (gate_) gate_->leave();
}

EngineGate::Pass EngineGate::enter(Priority priority, const std::function<bool()>& cancelled) {
    const int self = int(priority);
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_[self];
    for (;;) {
        const bool interactiveFirst =
            priority == Priority::Batch && waiting_[int(Priority::Interactive)] > 0;
        if (!busy_ && !interactiveFirst) break;
        if (cancelled && cancelled()) {
            --waiting_[self];
            freed_.notify_all();  // a batch item may have been waiting for this one to go
            throw Cancelled();
        }
        // The cancel callback cannot wake this wait: look again after a short while.
        freed_.wait_for(lock, std::chrono::milliseconds(kPollMs));
    }
    --waiting_[self];
    busy_ = true;
    return Pass(this);
}

void EngineGate::leave() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        busy_ = false;
    }
    freed_.notify_all();
}

int EngineGate::waiting(Priority priority) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return waiting_[int(priority)];
}

bool EngineGate::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return busy_;
}

}  // namespace medvae::jobs
