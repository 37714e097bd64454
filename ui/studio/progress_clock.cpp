#include "progress_clock.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <memory>

namespace medvae::ui {

ProgressClock::Clock ProgressClock::steadyClock() {
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return [timer] { return timer->elapsed(); };
}

ProgressClock::ProgressClock(Clock clock) : clock_(std::move(clock)) {}

void ProgressClock::start() {
    running_ = true;
    started_ = stopped_ = clock_();
    firstAt_ = lastAt_ = -1;
    firstDone_ = lastDone_ = total_ = 0;
}

void ProgressClock::step(int done, int total) {
    if (!running_) start();
    const qint64 now = clock_();
    // Another stage (downloading bytes, then encoding blocks) counts other things: a new rate.
    if (firstAt_ < 0 || total != total_) {
        total_ = total;
        firstAt_ = lastAt_ = now;
        firstDone_ = lastDone_ = done;
        return;
    }
    // A repeated value (the same step announced again) is no progress: the rate keeps its time.
    if (done == lastDone_) return;
    if (done < lastDone_) {  // the job went back (restarted): the rate starts again
        firstAt_ = lastAt_ = now;
        firstDone_ = lastDone_ = done;
        return;
    }
    lastAt_ = now;
    lastDone_ = done;
}

void ProgressClock::stop() {
    if (running_) stopped_ = clock_();
    running_ = false;
}

qint64 ProgressClock::elapsedMs() const {
    return std::max<qint64>(0, (running_ ? clock_() : stopped_) - started_);
}

qint64 ProgressClock::remainingMs() const {
    if (!running_ || total_ <= 0 || firstAt_ < 0 || lastDone_ <= firstDone_ || lastAt_ <= firstAt_)
        return -1;
    const double msPerStep = double(lastAt_ - firstAt_) / double(lastDone_ - firstDone_);
    const double left = msPerStep * std::max(0, total_ - lastDone_);
    const qint64 sinceLast = clock_() - lastAt_;
    return std::max<qint64>(0, qint64(std::llround(left)) - sinceLast);
}

}  // namespace medvae::ui
