#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace medvae::jobs {

// A bounded multi-producer multi-consumer queue between two pipeline stages: push() blocks while
// the queue is full, so a fast stage cannot run ahead and fill memory; pop() blocks while it is
// empty and returns nothing once the queue is closed and drained. abort() wakes everyone and
// makes both return at once (cancel, fatal error).
template <typename T>
class BatchQueue {
  public:
    explicit BatchQueue(std::size_t capacity) : capacity_(capacity ? capacity : 1) {}

    // False when the queue was aborted (the value is dropped).
    bool push(T value) {
        std::unique_lock<std::mutex> lock(mutex_);
        notFull_.wait(lock, [&] { return aborted_ || items_.size() < capacity_; });
        if (aborted_) return false;
        items_.push_back(std::move(value));
        notEmpty_.notify_one();
        return true;
    }

    std::optional<T> pop() {
        std::unique_lock<std::mutex> lock(mutex_);
        notEmpty_.wait(lock, [&] { return aborted_ || closed_ || !items_.empty(); });
        if (aborted_ || items_.empty()) return std::nullopt;
        T value = std::move(items_.front());
        items_.pop_front();
        notFull_.notify_one();
        return value;
    }

    // No more pushes: consumers drain what is queued, then pop() returns nothing.
    void close() {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
        notEmpty_.notify_all();
    }

    void abort() {
        std::lock_guard<std::mutex> lock(mutex_);
        aborted_ = true;
        items_.clear();
        notEmpty_.notify_all();
        notFull_.notify_all();
    }

  private:
    std::mutex mutex_;
    std::condition_variable notEmpty_, notFull_;
    std::deque<T> items_;
    std::size_t capacity_;
    bool closed_ = false, aborted_ = false;
};

}  // namespace medvae::jobs
