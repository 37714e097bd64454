#pragma once

#include <QtGlobal>

#include <functional>

namespace medvae::ui {

// Elapsed time and an estimate of the time left for one job, from the rate of its progress
// steps. The first step is the origin of the rate (start-up work before it, such as loading,
// does not count), so an estimate exists from the second step that advanced on. The clock is
// a parameter so that tests can drive it.
class ProgressClock {
  public:
    // Milliseconds on a monotonic clock.
    using Clock = std::function<qint64()>;
    static Clock steadyClock();

    explicit ProgressClock(Clock clock = steadyClock());

    // A new job starts now; forgets the steps of the last one.
    void start();
    // The job reached `done` of `total` steps now (`total` 0: amount unknown).
    void step(int done, int total);

    bool running() const { return running_; }
    // The job ended: the elapsed time stops, the estimate goes.
    void stop();
    // Milliseconds since start() (until stop()).
    qint64 elapsedMs() const;
    // Milliseconds left, or -1 while estimating (fewer than two advancing steps, or no total).
    // Counts down between steps; 0 once the time the rate predicts has passed.
    qint64 remainingMs() const;

  private:
    Clock clock_;
    bool running_ = false;
    qint64 started_ = 0, stopped_ = 0;
    qint64 firstAt_ = -1, lastAt_ = -1;  // when the first and the last step arrived
    int firstDone_ = 0, lastDone_ = 0, total_ = 0;
};

}  // namespace medvae::ui
