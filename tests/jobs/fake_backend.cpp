#include "fake_backend.h"

#include <ATen/ATen.h>

#include <chrono>

#include "error.h"
#include "preprocessing.h"

namespace medvae::test {

FakeBackend::FakeBackend(std::shared_ptr<jobs::InferenceBackend> inner)
    : inner_(std::move(inner)) {}

jobs::BackendDescription FakeBackend::describe() const {
    if (inner_) return inner_->describe();
    jobs::BackendDescription d;
    d.kind = "local";
    d.model = "fake";
    d.location = "fake backend";
    d.modelSha256 = std::string(64, '0');
    d.device = "cpu";
    d.precision = "fp32";
    return d;
}

EncodeResult FakeBackend::run(const Image& image, const EncodeOptions& options,
                              const RunControl* control) {
    std::unique_lock<std::mutex> lock(mutex_);
    ++calls_;
    ++active_;
    changed_.notify_all();
    struct Leave {
        FakeBackend* self;
        ~Leave() {
            --self->active_;
            self->changed_.notify_all();
        }
    } leave{this};
    if (holding_) {
        ++waiting_;
        changed_.notify_all();
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(kWatchdogMs);
        for (;;) {
            if (releases_ > 0) {
                --releases_;
                break;
            }
            if (cancellable_ && control && control->cancelled && control->cancelled()) {
                --waiting_;
                ++cancelled_;
                throw Cancelled();
            }
            if (std::chrono::steady_clock::now() > deadline) {
                --waiting_;
                ++timedOut_;
                throw Error("fake backend: never released (the test did not let this run go)");
            }
            // The caller's cancel flag cannot wake this wait: look again shortly.
            changed_.wait_for(lock, std::chrono::milliseconds(5));
        }
        --waiting_;
    }
    lock.unlock();
    EncodeResult result;
    try {
        result = compute(image, options, control);
    } catch (...) {
        lock.lock();  // `leave` counts under the lock
        throw;
    }
    lock.lock();
    ++completed_;
    return result;
}

EncodeResult FakeBackend::compute(const Image& image, const EncodeOptions& options,
                                  const RunControl* control) {
    if (inner_) return inner_->run(image, options, control);
    const at::Tensor input = Preprocessing::toModelInput(image, 3);  // [3, H, W]
    const int64_t h = input.size(1) / 8 * 8, w = input.size(2) / 8 * 8;
    const at::Tensor cropped = input.slice(1, 0, h).slice(2, 0, w);
    const at::Tensor means = at::avg_pool2d(cropped.unsqueeze(0), {8, 8}).squeeze(0);
    EncodeResult r;
    r.latent = at::cat({means, means.mean(0, true)}, 0).contiguous();  // [4, h/8, w/8]
    r.z = r.latent.clone();
    if (options.decode) r.decoded = cropped.contiguous();
    return r;
}

void FakeBackend::hold() {
    std::lock_guard<std::mutex> lock(mutex_);
    holding_ = true;
}

void FakeBackend::setCancellable(bool cancellable) {
    std::lock_guard<std::mutex> lock(mutex_);
    cancellable_ = cancellable;
}

void FakeBackend::release(int count) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        releases_ += count;
    }
    changed_.notify_all();
}

void FakeBackend::stopHolding() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        holding_ = false;
        releases_ += waiting_;
    }
    changed_.notify_all();
}

bool FakeBackend::waitForCalls(int count, int timeoutMs) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                             [&] { return calls_ >= count; });
}

bool FakeBackend::waitForWaiting(int count, int timeoutMs) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                             [&] { return waiting_ >= count; });
}

int FakeBackend::calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
}
int FakeBackend::active() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return active_;
}
int FakeBackend::waiting() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return waiting_;
}
int FakeBackend::cancelled() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return cancelled_;
}
int FakeBackend::completed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return completed_;
}
int FakeBackend::timedOut() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return timedOut_;
}

}  // namespace medvae::test
