#pragma once

// The project's stall probe for GUI tests: a 1 ms timer on the GUI thread. Its ticks count only
// while the thread is free to handle timers, and the longest gap between two ticks is the
// longest the thread was held.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>

namespace medvae::test {

class StallProbe : public QObject {
  public:
    StallProbe() {
        timer_.setInterval(1);
        connect(&timer_, &QTimer::timeout, this, [this] {
            if (ticks_++ > 0) longestGap_ = std::max(longestGap_, sinceTick_.elapsed());
            sinceTick_.start();
        });
    }
    void start() { timer_.start(); }
    void stop() { timer_.stop(); }
    int ticks() const { return ticks_; }
    // Milliseconds, since the probe started or the last reset.
    qint64 longestGap() const { return longestGap_; }
    void resetLongestGap() { longestGap_ = 0; }

  private:
    QTimer timer_;
    QElapsedTimer sinceTick_;
    int ticks_ = 0;
    qint64 longestGap_ = 0;
};

}  // namespace medvae::test
