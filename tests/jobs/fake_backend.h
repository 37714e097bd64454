#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>

#include "inference_backend.h"

namespace medvae::test {

// A backend a test controls, to make jobs exactly as slow as it needs instead of using big
// images: while holding, every run() blocks until the test releases it (or the run is
// cancelled, or a watchdog gives up so that a broken test fails instead of hanging); it counts
// calls, the calls running, and how they ended. The result comes from `inner` when given (a
// real engine, for real pixels), else from a tiny stand-in: latent = the input's 8x8 block means
// per channel (4 channels), decoded = the model input itself.
class FakeBackend : public jobs::InferenceBackend {
  public:
    explicit FakeBackend(std::shared_ptr<jobs::InferenceBackend> inner = nullptr);

    jobs::BackendDescription describe() const override;
    EncodeResult run(const Image& image, const EncodeOptions& options,
                     const RunControl* control = nullptr) override;

    // From now on, runs wait in run() until released.
    void hold();
    // Lets `count` waiting (or future) runs go; stopHolding() lets every run go from now on.
    void release(int count = 1);
    void stopHolding();
    // Whether a held run leaves when its caller cancels (on by default); off, it waits for a
    // release whatever happens, so that a test can queue more work behind it first.
    void setCancellable(bool cancellable);

    // Blocks the calling thread until `count` runs have entered run() in total (or are waiting
    // there, for waitForWaiting); false after `timeoutMs`.
    bool waitForCalls(int count, int timeoutMs = 10000);
    bool waitForWaiting(int count, int timeoutMs = 10000);

    int calls() const;      // run() entered
    int active() const;     // inside run() now
    int waiting() const;    // held in run() now
    int cancelled() const;  // left run() because the caller cancelled
    int completed() const;  // returned a result
    int timedOut() const;   // gave up waiting for a release (a test bug or a hang)

    static constexpr int kWatchdogMs = 20000;

  private:
    EncodeResult compute(const Image& image, const EncodeOptions& options,
                         const RunControl* control);

    std::shared_ptr<jobs::InferenceBackend> inner_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool holding_ = false;
    bool cancellable_ = true;
    int releases_ = 0;
    int calls_ = 0, active_ = 0, waiting_ = 0, cancelled_ = 0, completed_ = 0, timedOut_ = 0;
};

}  // namespace medvae::test
