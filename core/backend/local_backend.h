#pragma once

#include <memory>
#include <mutex>

#include "inference_backend.h"

namespace medvae::jobs {

// Inference with the project's own engine on this machine. Owns the Engine; calls from several
// threads are serialised (one network, one LibTorch thread pool).
class LocalBackend : public InferenceBackend {
  public:
    // `checkpointPath` is hashed once here for the description (SHA-256 of the file).
    LocalBackend(Engine engine, const std::string& checkpointPath);
    static std::shared_ptr<LocalBackend> open(const std::string& checkpointPath,
                                              const EngineOptions& options = {});

    BackendDescription describe() const override;
    EncodeResult run(const Image& image, const EncodeOptions& options,
                     const RunControl* control = nullptr) override;
    // One engine pass over images of one size (Engine::encodeBatch); images of different
    // sizes run one by one.
    std::vector<EncodeResult> runBatch(const std::vector<const Image*>& images,
                                       const EncodeOptions& options,
                                       const RunControl* control = nullptr) override;
    std::uint64_t estimateBytes(std::int64_t width, std::int64_t height,
                                bool decode) const override;
    // z [embed, h, w] -> reconstruction [out, h*f, w*f] in model space.
    at::Tensor decode(const at::Tensor& z, const RunControl* control = nullptr) override;

    const ModelInfo& info() const { return info_; }

  private:
    std::mutex mutex_;
    Engine engine_;
    ModelInfo info_;
    BackendDescription description_;
};

}  // namespace medvae::jobs
