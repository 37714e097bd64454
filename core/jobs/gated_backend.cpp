#include "gated_backend.h"

namespace medvae::jobs {

GatedBackend::GatedBackend(std::shared_ptr<InferenceBackend> inner,
                           std::shared_ptr<EngineGate> gate, EngineGate::Priority priority)
    : inner_(std::move(inner)), gate_(std::move(gate)), priority_(priority) {}

EncodeResult GatedBackend::run(const Image& image, const EncodeOptions& options,
                               const RunControl* control) {
    const EngineGate::Pass pass =
        gate_->enter(priority_, control ? control->cancelled : std::function<bool()>());
    return inner_->run(image, options, control);
}

at::Tensor GatedBackend::decode(const at::Tensor& z, const RunControl* control) {
    const EngineGate::Pass pass =
        gate_->enter(priority_, control ? control->cancelled : std::function<bool()>());
    return inner_->decode(z, control);
}

}  // namespace medvae::jobs
