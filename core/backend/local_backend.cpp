#include "local_backend.h"

#include "error.h"
#include "preprocessing.h"
#include "sha256.h"

namespace medvae::jobs {

LocalBackend::LocalBackend(Engine engine, const std::string& checkpointPath)
    : engine_(std::move(engine)), info_(engine_.info()) {
    const Architecture& a = info_.architecture;
    description_.kind = "local";
    description_.model = info_.variant;
    description_.location = checkpointPath;
    description_.modelSha256 =
        checkpointPath.empty() ? std::string() : Sha256::ofFile(checkpointPath);
    description_.factor = a.factor();
    description_.imageChannels = a.inChannels;
    description_.latentChannels = a.embedChannels;
    description_.device = deviceName(info_.device);
    description_.precision = precisionName(info_.precision);
    auto kind = info_.metadata.find("kind");
    description_.demoModel = kind != info_.metadata.end() && kind->second == "demo model";
}

std::shared_ptr<LocalBackend> LocalBackend::open(const std::string& checkpointPath,
                                                 const EngineOptions& options) {
    auto backend =
        std::make_shared<LocalBackend>(Engine::fromFile(checkpointPath, options), checkpointPath);
    if (options.tileSize > 0) {
        backend->description_.tileSize = int(options.tileSize);
        backend->description_.tileOverlap = int(options.tileOverlap);
    }
    return backend;
}

BackendDescription LocalBackend::describe() const {
    return description_;
}

std::uint64_t LocalBackend::estimateBytes(std::int64_t width, std::int64_t height,
                                          bool decode) const {
    // Reads only the model's description, which run() never changes: no lock needed.
    return engine_.estimateEncodeBytes(height, width, decode);
}

EncodeResult LocalBackend::run(const Image& image, const EncodeOptions& options,
                               const RunControl* control) {
    at::Tensor input = Preprocessing::toModelInput(image, description_.imageChannels);  // [C, H, W]
    // Preprocessing a large image takes a while: a stop asked for meanwhile ends here, before
    // the engine starts (which looks again only after its first block).
    if (control && control->cancelled && control->cancelled()) throw Cancelled();
    std::lock_guard<std::mutex> lock(mutex_);
    return engine_.encode(input, options, control);
}

std::vector<EncodeResult> LocalBackend::runBatch(const std::vector<const Image*>& images,
                                                 const EncodeOptions& options,
                                                 const RunControl* control) {
    std::vector<at::Tensor> inputs;
    inputs.reserve(images.size());
    bool oneSize = true;
    for (const Image* image : images) {
        inputs.push_back(Preprocessing::toModelInput(*image, description_.imageChannels));
        oneSize = oneSize && inputs.back().sizes() == inputs.front().sizes();
        if (control && control->cancelled && control->cancelled()) throw Cancelled();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (oneSize && inputs.size() > 1) return engine_.encodeBatch(inputs, options, control);
    std::vector<EncodeResult> results;
    for (const at::Tensor& input : inputs)
        results.push_back(engine_.encode(input, options, control));
    return results;
}

at::Tensor LocalBackend::decode(const at::Tensor& z, const RunControl* control) {
    std::lock_guard<std::mutex> lock(mutex_);
    return engine_.decode(z, control);
}

}  // namespace medvae::jobs
