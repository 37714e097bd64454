#pragma once

#include <memory>

#include "engine_gate.h"
#include "inference_backend.h"

namespace medvae::jobs {

// A backend whose runs pass an EngineGate with one priority: the inference worker hands the view
// and the batch pipeline the same local engine through two of these (interactive, batch), so a
// view job goes before the next batch item and can be cancelled while it waits.
class GatedBackend : public InferenceBackend {
  public:
    GatedBackend(std::shared_ptr<InferenceBackend> inner, std::shared_ptr<EngineGate> gate,
                 EngineGate::Priority priority);

    BackendDescription describe() const override { return inner_->describe(); }
    // Waits at the gate (leaving with Cancelled when `control` asks to stop), then runs.
    EncodeResult run(const Image& image, const EncodeOptions& options,
                     const RunControl* control = nullptr) override;
    at::Tensor decode(const at::Tensor& z, const RunControl* control = nullptr) override;
    std::uint64_t estimateBytes(std::int64_t width, std::int64_t height,
                                bool decode) const override {
        return inner_->estimateBytes(width, height, decode);
    }
    const std::shared_ptr<InferenceBackend>& inner() const { return inner_; }

  private:
    std::shared_ptr<InferenceBackend> inner_;
    std::shared_ptr<EngineGate> gate_;
    EngineGate::Priority priority_;
};

}  // namespace medvae::jobs
