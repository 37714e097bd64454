#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "architecture.h"
#include "checkpoint_reader.h"
#include "run_control.h"

namespace medvae {

enum class DeviceKind { Cpu, Cuda };
enum class Precision { Float32, BFloat16 };

const char* deviceName(DeviceKind device);
const char* precisionName(Precision precision);

struct EngineOptions {
    DeviceKind device = DeviceKind::Cpu;
    Precision precision = Precision::Float32;  // of the encoder/decoder bodies; heads stay float32
    int threads = 0;  // CPU threads for LibTorch (process-wide, set at load); 0 = all cores
    std::size_t attentionChunkBytes = std::size_t(256) << 20;  // bound on attention scratch memory
};

// What was loaded, for display and manifests.
struct ModelInfo {
    std::string source;     // checkpoint path, or a description for built weights
    std::string format;     // "PyTorch zip (torch.save)", "safetensors", ...
    std::string layout;     // where the weights sat: state_dict, autoencoder, bare
    std::string keyPrefix;  // stripped key prefix, empty when none
    std::vector<std::string> otherEntries;
    std::map<std::string, std::string>
        metadata;  // written by this project's tools ("kind", "name", ...)
    Architecture architecture;
    std::string variant;                // medvae_8_4_2d, ..., or "custom"
    std::int64_t parameters = 0;        // network parameters after merging LoRA
    std::int64_t storedParameters = 0;  // tensor elements in the file, LoRA adapters included
    std::string storedDType;            // dtype(s) of the network's weights in the file
    int loraMerged = 0;
    std::vector<std::string> unexpectedKeys;  // keys in the file the network does not use
    // Python objects the checkpoint's pickle references beyond tensors and plain data (never run
    // here; Python's torch.load would run them unless weights_only=True): worth a warning.
    std::vector<std::string> unexpectedGlobals;
    DeviceKind device = DeviceKind::Cpu;
    Precision precision = Precision::Float32;
};

struct EncodeOptions {
    bool decode = false;  // also reconstruct the image from z
    bool sample = false;  // z = mean + std * noise instead of the posterior mean
    std::uint64_t seed =
        0;  // noise seed when sampling (same noise as torch.Generator().manual_seed)
};

// Outputs as float32 CPU tensors without the batch dimension.
struct EncodeResult {
    at::Tensor z;        // stage-1 latent [embed, h, w]: posterior mean, or a sample
    at::Tensor latent;   // stage-2 latent [embed, h, w] = channel_proj(channel_ds(z) + z)
    at::Tensor decoded;  // reconstruction [out, h*f, w*f] in model space; undefined unless asked
    double encodeSeconds = 0;
    double decodeSeconds = 0;
};

// The local inference engine: loads a MedVAE 2D checkpoint and runs it.
//
// Thread-safety: an Engine may be moved between threads but must not be used from two threads
// at once (it owns one network and LibTorch's thread pool settings are process-wide). All
// failures, LibTorch's included, surface as medvae::Error; a cancelled call throws Cancelled.
class Engine {
  public:
    static Engine fromFile(const std::string& path, const EngineOptions& options = {});
    // Builds from weights already read (a Checkpoint or generated weights); `source` names them.
    static Engine fromCheckpoint(Checkpoint checkpoint, const std::string& source,
                                 const EngineOptions& options = {});
    static Engine fromStateDict(StateDict weights, const std::string& source,
                                const EngineOptions& options = {});

    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;
    ~Engine();

    const ModelInfo& info() const;

    // image: [C, H, W] float32 in model space ([-1, 1], see preprocessing), C = in channels.
    // Any H, W >= the factor; the latent side is floor(side / factor).
    EncodeResult encode(const at::Tensor& image, const EncodeOptions& options = {},
                        const RunControl* control = nullptr);
    // z: [embed, h, w] -> reconstruction [out, h*f, w*f] float32 in model space.
    at::Tensor decode(const at::Tensor& z, const RunControl* control = nullptr);

    // Peak memory of encode()/decode() for an image (or z) of `height` x `width`, worked out
    // before running (see memory_estimate.h): weights plus the largest set of live buffers.
    std::uint64_t estimateEncodeBytes(std::int64_t height, std::int64_t width, bool decode) const;
    std::uint64_t estimateDecodeBytes(std::int64_t height, std::int64_t width) const;

    // Whether this LibTorch build can use a CUDA device right now.
    static bool cudaAvailable();
    // Process-wide CPU setup that must precede the first LibTorch kernel: lets ATen use its
    // AVX-512 kernels where the processor has them (unless ATEN_CPU_CAPABILITY is already set),
    // and has large buffers returned to the system when freed (glibc's mmap threshold).
    static void configureCpuKernels();

  private:
    struct Impl;
    explicit Engine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace medvae
