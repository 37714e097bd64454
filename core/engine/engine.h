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
// Float16 runs on CUDA devices only; an image whose float16 result overflows (NaN/Inf) is
// computed again in bfloat16 and the result says so (EncodeResult::note).
enum class Precision { Float32, BFloat16, Float16 };
// Fused: LibTorch's scaled_dot_product_attention where the build has it (LibTorch 2.1+), else
// the chunked computation; Chunked: always the engine's own chunked attention.
enum class AttentionKernel { Fused, Chunked };

const char* deviceName(DeviceKind device);
const char* precisionName(Precision precision);  // "float32", "bfloat16", "float16"
const char* precisionFlag(Precision precision);  // "fp32", "bf16", "fp16"

struct EngineOptions {
    DeviceKind device = DeviceKind::Cpu;
    int deviceIndex = 0;                       // which CUDA device ("cuda:N")
    Precision precision = Precision::Float32;  // of the encoder/decoder bodies; heads stay float32
    int threads = 0;  // CPU threads for LibTorch (process-wide, set at load); 0 = all cores
    std::size_t attentionChunkBytes = std::size_t(256) << 20;  // bound on attention scratch memory
    // Full-resolution layers of large images run in bands of rows of about this many bytes
    // (no second activation-sized buffer beside a layer's input and output); 0 = whole images.
    std::size_t bandBytes = std::size_t(64) << 20;
    // Memory the engine may take for one call, weights and activations (the process's own
    // overhead, ~0.3-0.5 GB for LibTorch, not included); 0 = no budget. Calls whose estimate
    // exceeds it run with smaller bands and attention chunks (slower, same numbers), and calls
    // that do not fit even at the smallest are refused with LimitExceeded before any work.
    std::uint64_t maxMemoryBytes = 0;
    AttentionKernel attention = AttentionKernel::Fused;
    // Tiled mode (tiled_inference.h), for images whose exact run does not fit: images (or z) with
    // more than tileSize pixels on a side are computed in overlapping tiles of tileSize pixels,
    // an approximation whose result says so (EncodeResult::note) with how far the tiles
    // disagreed. 0 = off (exact, the default). Multiples of the model's factor; overlap at most
    // half the tile.
    std::int64_t tileSize = 0;
    std::int64_t tileOverlap = 128;
};

// The spellings every program accepts. Device: "cpu", "cuda" (= "cuda:0"), "cuda:N", "gpu";
// precision: "fp32"/"float32", "bf16"/"bfloat16", "fp16"/"float16"/"half". Both throw Error
// naming the accepted values.
void parseDevice(const std::string& text, EngineOptions& options);
Precision parsePrecision(const std::string& text);
// "cpu" or "cuda:N".
std::string deviceLabel(DeviceKind device, int index);

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
    int deviceIndex = 0;
    Precision precision = Precision::Float32;
    bool fusedAttention = false;  // the attention kernel in use (see AttentionKernel)
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
    Precision precision = Precision::Float32;  // what computed this result
    // Said to the user and recorded in manifests; empty when nothing is worth saying (e.g. "the
    // float16 result overflowed (NaN/Inf); this image was computed again in bfloat16").
    std::string note;
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
    // Several images of one size in one pass (faster on a GPU); results in the same order, each
    // as encode() gives it (a seed applies to every image alike). Throws for the whole batch: a
    // caller wanting per-image errors encodes the images of a failed batch one by one.
    std::vector<EncodeResult> encodeBatch(const std::vector<at::Tensor>& images,
                                          const EncodeOptions& options = {},
                                          const RunControl* control = nullptr);
    // z: [embed, h, w] -> reconstruction [out, h*f, w*f] float32 in model space. `note`
    // (optional) receives what encode()'s note would say.
    at::Tensor decode(const at::Tensor& z, const RunControl* control = nullptr,
                      std::string* note = nullptr);
    // The stage-2 latent of a z ([embed, h, w] -> [embed, h, w]), as encode() makes it from the
    // z it computed (tiled encoding blends z and then applies this).
    at::Tensor latentOf(const at::Tensor& z);

    // Peak memory of encode()/decode() for an image (or z) of `height` x `width`, worked out
    // before running (see memory_estimate.h): weights plus the largest set of live buffers.
    // On a CUDA device this is device memory; `batch` images of that size at once.
    std::uint64_t estimateEncodeBytes(std::int64_t height, std::int64_t width, bool decode,
                                      int batch = 1) const;
    std::uint64_t estimateDecodeBytes(std::int64_t height, std::int64_t width) const;

    // Whether this LibTorch build can use a CUDA device right now, and how many there are.
    static bool cudaAvailable();
    static int cudaDeviceCount();
    // Peak device memory allocated by LibTorch on this engine's CUDA device since the last reset
    // (0 on the CPU), and the reset.
    std::uint64_t peakDeviceBytes() const;
    void resetPeakDeviceBytes();
    // Process-wide CPU setup that must precede the first LibTorch kernel: lets ATen use its
    // AVX-512 kernels where the processor has them (unless ATEN_CPU_CAPABILITY is already set),
    // and has large buffers returned to the system when freed (glibc's mmap threshold).
    static void configureCpuKernels();

  private:
    struct Impl;
    explicit Engine(std::unique_ptr<Impl> impl);
    // The exact calls, and the tiled ones made of them (engine_tiled.cpp).
    std::vector<EncodeResult> encodeExact(const std::vector<at::Tensor>& images,
                                          const EncodeOptions& options, const RunControl* control);
    at::Tensor decodeExact(const at::Tensor& z, const RunControl* control, std::string* note);
    bool tiledFor(std::int64_t latentHeight, std::int64_t latentWidth) const;
    EncodeResult encodeTiled(const at::Tensor& image, const EncodeOptions& options,
                             const RunControl* control);
    at::Tensor decodeTiled(const at::Tensor& z, const RunControl* control, std::string* note);
    std::uint64_t estimateTiledBytes(std::int64_t height, std::int64_t width, bool encode,
                                     bool decode) const;

    std::unique_ptr<Impl> impl_;
    std::int64_t tileSize_ = 0, tileOverlap_ = 0;  // pixels; 0: exact
};

}  // namespace medvae
