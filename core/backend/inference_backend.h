#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine.h"
#include "error.h"
#include "image.h"
#include "run_control.h"

// Namespace medvae::jobs, where these classes were first: their callers keep their names.
namespace medvae::jobs {

// What a backend runs, for display, manifests and result caches.
struct BackendDescription {
    std::string kind;         // "local" or "remote"
    std::string model;        // variant name (medvae_8_4_2d, ...) or the endpoint's deployment
    std::string location;     // checkpoint path, or the scoring URI
    std::string modelSha256;  // of the checkpoint file; empty when unknown (remote)
    int factor = 8;           // downsampling per side
    int imageChannels = 3;    // channels the model takes
    int latentChannels = 4;   // channels of z and latent
    std::string device;       // "cpu", "cuda", or "remote"
    std::string precision;    // "fp32", "bf16", or empty when unknown
    bool demoModel = false;   // the bundled demo model, not MedVAE's published weights
    // The local engine's tiled mode (EngineOptions::tileSize, tileOverlap; 0: exact): images
    // larger than a tile give approximate results, which say so (EncodeResult::note).
    int tileSize = 0, tileOverlap = 0;
};

// One implementation per place inference can run (the local engine, a remote endpoint). Every
// backend turns an image into the same EncodeResult, so views, metrics and writers do not care
// where a result came from.
//
// Thread-safety: run() may be called from any thread; each backend serialises or limits calls
// itself (the local engine runs one call at a time).
class InferenceBackend {
  public:
    virtual ~InferenceBackend() = default;
    virtual BackendDescription describe() const = 0;
    // image: pixels in their original units, as the loader gives them. The result's tensors are
    // float32 on the CPU, as Engine::encode gives them; `z` is undefined when the backend cannot
    // provide it (a remote endpoint returns only the latent and the reconstruction). Throws
    // medvae::Error (Cancelled when `control` asked to stop).
    virtual EncodeResult run(const Image& image, const EncodeOptions& options,
                             const RunControl* control = nullptr) = 0;
    // Several images of one size in one call, the results in their order: backends that gain
    // from it (the local engine, most of all on a GPU) run them as one batch; by default they run
    // one after the other. Throws for the whole call; a caller that needs each image's own error
    // runs them one by one then.
    virtual std::vector<EncodeResult> runBatch(const std::vector<const Image*>& images,
                                               const EncodeOptions& options,
                                               const RunControl* control = nullptr) {
        std::vector<EncodeResult> results;
        results.reserve(images.size());
        for (const Image* image : images)
            results.push_back(run(*image, options, control));
        return results;
    }
    // z [embed, h, w] -> reconstruction [out, h*f, w*f] float32 CPU in model space (the Latent
    // lab's decode-only work). Throws medvae::Error; by default, that this backend cannot decode
    // z (a remote endpoint takes images only).
    virtual at::Tensor decode(const at::Tensor& z, const RunControl* control = nullptr) {
        (void)z, (void)control;
        throw Error("this backend cannot decode a z on its own; load a checkpoint to decode");
    }
    // Memory a run needs on this machine for an image of width x height (see MemoryBudget);
    // 0 when the work happens elsewhere (a remote endpoint).
    virtual std::uint64_t estimateBytes(std::int64_t width, std::int64_t height,
                                        bool decode) const {
        (void)width, (void)height, (void)decode;
        return 0;
    }
};

}  // namespace medvae::jobs
