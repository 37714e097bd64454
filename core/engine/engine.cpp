#include "engine.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>  // mallopt
#endif

#include "autoencoder_kl.h"
#include "error.h"
#include "key_mapping.h"
#include "memory_estimate.h"
#include "tiled_inference.h"
#include "torch_compat.h"
#include "torch_errors.h"

namespace medvae {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Out of memory (GPU or host) inside an inference call; turned into LimitExceeded by guardedRun.
class OutOfMemory : public Error {
  public:
    using Error::Error;
};

// Reconstructions live in model space: inputs are scaled to [-1, 1] and a decoder trained on them
// answers in about that range (random test networks reach a few units). Values this far beyond it
// mean the numbers broke down (an overflow, a kernel fault); such a result is refused rather than
// shown or written as if it were an image.
constexpr double kImplausibleDecoded = 50.0;

// What is wrong with a result ("" when nothing): NaN/Inf anywhere, or a reconstruction beyond
// kImplausibleDecoded.
std::string resultFault(const EncodeResult& r) {
    const std::pair<const at::Tensor*, const char*> outputs[] = {
        {&r.z, "z"}, {&r.latent, "latent"}, {&r.decoded, "reconstruction"}};
    for (const auto& [t, name] : outputs)
        if (t->defined() && t->numel() && !at::isfinite(*t).all().item<bool>())
            return std::string("the ") + name + " contains NaN or infinite values";
    if (r.decoded.defined() && r.decoded.numel()) {
        const double peak = r.decoded.abs().max().item<double>();
        if (peak > kImplausibleDecoded)
            return "the reconstruction is implausible: its values reach " + std::to_string(peak) +
                   " where the model's output range is about [-1, 1] (" +
                   shapeString(r.decoded.sizes()) + ")";
    }
    return {};
}

[[noreturn]] void failWith(const std::string& fault, Precision precision) {
    const bool overflow = fault.find("NaN") != std::string::npos;
    throw Error(fault + (overflow ? " (numerical overflow in " : " (") + precisionName(precision) +
                "); the result was discarded" +
                (precision == Precision::Float32 ? ". Please report the model and image size"
                                                 : ". Try float32"));
}

std::string overflowNote(const std::string& fault) {
    return "float16 overflowed (" + fault + "); this image was computed again in bfloat16";
}

at::ScalarType bodyType(Precision precision) {
    switch (precision) {
        case Precision::BFloat16:
            return at::kBFloat16;
        case Precision::Float16:
            return at::kHalf;
        default:
            return at::kFloat;
    }
}

void checkImage(const at::Tensor& image, const Architecture& arch) {
    if (!image.defined() || image.dim() != 3)
        throw Error("the model input must be an image of shape [C, H, W]");
    if (image.size(0) != arch.inChannels)
        throw Error("the model takes " + std::to_string(arch.inChannels) + "-channel images, got " +
                    std::to_string(image.size(0)) + " channels");
    if (image.size(1) < arch.factor() || image.size(2) < arch.factor())
        throw Error(
            "the image (" + std::to_string(image.size(2)) + "x" + std::to_string(image.size(1)) +
            ") is smaller than the model's downsampling factor " + std::to_string(arch.factor()));
}

const char* floatTypeName(at::ScalarType type) {
    switch (type) {
        case at::kHalf:
            return "float16";
        case at::kBFloat16:
            return "bfloat16";
        case at::kDouble:
            return "float64";
        default:
            return "float32";
    }
}

// Flushes denormal floats to zero on this thread and on every thread of LibTorch's CPU pool (each
// has its own floating-point control register; one parallel item per thread reaches them all).
// Smooth images (constant backgrounds, gradients) drive exp() in softmax and SiLU into the
// denormal range, where x86 arithmetic is ~100x slower: a 1024² encode took 12 s instead of 2.7 s.
// Values below 1.2e-38 do not change any result that matters.
void flushDenormals() {
    at::globalContext().setFlushDenormal(true);
    at::parallel_for(0, at::get_num_threads(), 1, [](std::int64_t, std::int64_t) {
        at::globalContext().setFlushDenormal(true);
    });
}

std::string imageText(std::int64_t height, std::int64_t width, int count) {
    const std::string size = std::to_string(width) + "x" + std::to_string(height);
    return count == 1 ? "a " + size + " image"
                      : "a batch of " + std::to_string(count) + " " + size + " images";
}

}  // namespace

struct Engine::Impl {
    ModelInfo info;
    std::shared_ptr<AutoencoderKL> net;
    at::Device device = at::kCPU;
    // Float16 only: the float32 weights (CPU) of the bfloat16 network that recomputes images
    // whose float16 result overflowed, and that network once it was needed.
    StateDict fallbackWeights;
    std::shared_ptr<AutoencoderKL> fallback;
    // The chunk and band sizes asked for, and the memory budget (0: none) that may shrink them.
    ForwardSettings requested;
    std::uint64_t budget = 0;

    // A call of h x w (encode: images; else a z) fitted to the budget.
    BudgetedRun plan(std::int64_t h, std::int64_t w, bool encode, bool decode, int batch) const {
        return fitToBudget(info, h, w, encode, decode, batch, requested.chunkBytes,
                           requested.bandBytes, budget);
    }
    // The network set to the plan's sizes; LimitExceeded before any work when it does not fit.
    std::uint64_t applyPlan(const BudgetedRun& run, const std::string& workload) {
        if (!run.fits) throw LimitExceeded(budgetRefusal(run, budget, workload));
        net->settings.chunkBytes = run.chunkBytes;
        net->settings.bandBytes = run.bandBytes;
        return run.estimate.total();
    }

    static at::Device chooseDevice(const EngineOptions& options) {
        if (options.device == DeviceKind::Cpu) {
            if (options.precision == Precision::Float16)
                throw Error(
                    "float16 runs on CUDA devices only (on the CPU it is slower than float32 and "
                    "overflows where bfloat16 does not): use bf16 or fp32 on the CPU");
            return at::kCPU;
        }
        const int devices = cudaDeviceCount();
        if (devices == 0)
            throw Error(
                "CUDA was requested but is not available (this LibTorch build has no CUDA support "
                "or no GPU is visible); use --device cpu");
        if (options.deviceIndex < 0 || options.deviceIndex >= devices)
            throw Error("CUDA device " + std::to_string(options.deviceIndex) +
                        " was requested, but there " +
                        (devices == 1
                             ? "is 1 device (cuda:0)"
                             : "are " + std::to_string(devices) + " devices (cuda:0 to cuda:" +
                                   std::to_string(devices - 1) + ")"));
        torch_compat::configureCudaMath();
        return at::Device(at::kCUDA, c10::DeviceIndex(options.deviceIndex));
    }

    void waitForDevice(StepCounter& steps) const {
        if (device.is_cuda()) {
            const at::Device on = device;
            steps.setWait([on] { torch_compat::synchronize(on); });
        }
    }

    at::Tensor toDevice(const at::Tensor& cpu) const {
        if (!device.is_cuda()) return cpu.to(at::kFloat);
        // From page-locked memory the copy runs asynchronously, behind the work already queued.
        return torch_compat::pinned(cpu.to(at::kFloat).contiguous())
            .to(device, at::kFloat, /*non_blocking=*/true);
    }

    std::vector<at::Tensor> toHost(const std::vector<at::Tensor>& outputs) const {
        std::vector<at::Tensor> host;
        for (const at::Tensor& t : outputs) {
            if (!t.defined()) {
                host.emplace_back();
            } else if (!t.is_cuda()) {
                host.push_back(t.to(at::kFloat).contiguous());
            } else {
                // All copies queued at once into page-locked memory, then one wait.
                at::Tensor out = torch_compat::pinned(at::empty(t.sizes(), at::kFloat));
                out.copy_(t, /*non_blocking=*/out.is_pinned());
                host.push_back(out);
            }
        }
        torch_compat::synchronize(device);
        return host;
    }

    std::vector<EncodeResult> runEncode(AutoencoderKL& net, const at::Tensor& x,
                                        const EncodeOptions& options, StepCounter& steps) const {
        const std::int64_t count = x.size(0);
        auto start = std::chrono::steady_clock::now();
        auto [mean, logvar] = net.encodeMoments(x, steps);  // [N, embed, h, w] float32 each
        at::Tensor z = mean;
        if (options.sample) {
            // Noise drawn on the CPU from a seeded generator, so results repeat across devices;
            // every image of a batch gets the noise it would get alone.
            std::vector<at::Tensor> noise;
            for (std::int64_t i = 0; i < count; ++i) {
                at::Generator gen = at::detail::createCPUGenerator(options.seed);
                noise.push_back(
                    at::randn(mean[0].sizes(), gen, at::TensorOptions().dtype(at::kFloat)));
            }
            z = mean + at::exp(0.5 * logvar) * at::stack(noise).to(mean.device());
        }
        at::Tensor latent = net.stage2Latent(z);
        const std::vector<at::Tensor> encoded = toHost({z, latent});
        const double encodeSeconds = secondsSince(start);
        at::Tensor decoded;
        double decodeSeconds = 0;
        if (options.decode) {
            start = std::chrono::steady_clock::now();
            decoded = toHost({net.decode(z, steps)}).front();
            decodeSeconds = secondsSince(start);
        }
        std::vector<EncodeResult> results(static_cast<std::size_t>(count));
        for (std::int64_t i = 0; i < count; ++i) {
            EncodeResult& r = results[std::size_t(i)];
            r.z = encoded[0][i].contiguous();
            r.latent = encoded[1][i].contiguous();
            if (decoded.defined()) r.decoded = decoded[i].contiguous();
            r.encodeSeconds = encodeSeconds / double(count);  // this image's share of the batch
            r.decodeSeconds = decodeSeconds / double(count);
        }
        return results;
    }

    // Runs an inference call: LibTorch's errors become the project's; running out of memory becomes
    // LimitExceeded naming the work, what the engine estimated it needs, and what the device has.
    template <typename F>
    auto guardedRun(const std::string& workload, std::uint64_t needed, F&& f) const
        -> decltype(f()) {
        try {
            return guarded("inference on " + workload + " failed", [&] {
                try {
                    return f();
                } catch (const c10::OutOfMemoryError& e) {
                    throw OutOfMemory(e.what_without_backtrace());
                } catch (const std::bad_alloc&) {
                    throw OutOfMemory("the allocation failed");
                }
            });
        } catch (const OutOfMemory& e) {
            torch_compat::releaseCachedMemory(device);
            std::string where = "memory";
            if (device.is_cuda()) {
                std::uint64_t free = 0, total = 0;
                torch_compat::deviceMemory(device, free, total);
                where = deviceLabel(DeviceKind::Cuda, device.index()) + " memory (" +
                        formatBytes(free) + " free of " + formatBytes(total) + ")";
            }
            throw LimitExceeded("out of " + where + " for " + workload + ": the engine estimates " +
                                formatBytes(needed) + " for it (" + precisionName(info.precision) +
                                "). Use a smaller image or batch, bf16/fp16, or the CPU. (" +
                                e.what() + ")");
        }
    }

    AutoencoderKL& fallbackNet() {
        if (!fallback) {
            fallback = std::make_shared<AutoencoderKL>(info.architecture);
            fallback->loadWeights(fallbackWeights, info.source);
            fallback->prepare(device, at::kBFloat16);
        }
        fallback->settings = net->settings;  // this call's (budgeted) sizes
        return *fallback;
    }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;
Engine::~Engine() = default;

const ModelInfo& Engine::info() const {
    return impl_->info;
}

std::uint64_t Engine::estimateEncodeBytes(std::int64_t height, std::int64_t width, bool decode,
                                          int batch) const {
    const std::int64_t f = impl_->info.architecture.factor();
    if (tiledFor(height / f, width / f))
        return estimateTiledBytes(height, width, true, decode);  // one image at a time
    return impl_->plan(height, width, true, decode, batch).estimate.total();
}

std::uint64_t Engine::estimateDecodeBytes(std::int64_t height, std::int64_t width) const {
    if (tiledFor(height, width)) return estimateTiledBytes(height, width, false, true);
    return impl_->plan(height, width, false, false, 1).estimate.total();
}

bool Engine::cudaAvailable() {
    return cudaDeviceCount() > 0;
}

int Engine::cudaDeviceCount() {
    try {
        return torch::cuda::is_available() ? torch_compat::cudaDeviceCount() : 0;
    } catch (...) {
        return 0;
    }
}

std::uint64_t Engine::peakDeviceBytes() const {
    return torch_compat::peakAllocatedBytes(impl_->device);
}

void Engine::resetPeakDeviceBytes() {
    torch_compat::resetPeakAllocated(impl_->device);
}

void Engine::configureCpuKernels() {
    // Once per process: the environment is read by ATen at its first kernel call.
    static std::once_flag once;
    std::call_once(once, [] {
#if defined(__GLIBC__)
        // Activation buffers above 4 MiB are mapped and unmapped directly, so the memory of a
        // block is returned to the system when the block is done. With glibc's default (a
        // threshold that rises to 32 MiB), buffers below that stay on the heap after use and a
        // large image left the process hundreds of MB above what it needed, and above the
        // engine's estimate (memory_estimate.h).
        mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
        at::globalContext().setFlushDenormal(true);  // inherited by threads created later
#if defined(__x86_64__) || defined(__i386__)
        if (std::getenv("ATEN_CPU_CAPABILITY")) return;
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
            __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
            setenv("ATEN_CPU_CAPABILITY", "avx512", 0);
#endif
    });
}

Engine Engine::fromFile(const std::string& path, const EngineOptions& options) {
    configureCpuKernels();
    Checkpoint ckpt = CheckpointReader::read(path);
    return fromCheckpoint(std::move(ckpt), path, options);
}

Engine Engine::fromCheckpoint(Checkpoint checkpoint, const std::string& source,
                              const EngineOptions& options) {
    configureCpuKernels();
    ModelInfo partial;
    partial.format = checkpoint.format;
    partial.layout = checkpoint.layout;
    partial.otherEntries = checkpoint.otherEntries;
    partial.metadata = checkpoint.metadata;
    partial.unexpectedGlobals = checkpoint.unexpectedGlobals;
    StateDict weights = guarded("cannot load '" + source + "'",
                                [&] { return toStateDict(std::move(checkpoint.tensors)); });
    Engine engine = fromStateDict(std::move(weights), source, options);
    engine.impl_->info.format = partial.format;
    engine.impl_->info.layout = partial.layout;
    engine.impl_->info.otherEntries = partial.otherEntries;
    engine.impl_->info.metadata = partial.metadata;
    engine.impl_->info.unexpectedGlobals = partial.unexpectedGlobals;
    return engine;
}

Engine Engine::fromStateDict(StateDict stored, const std::string& source,
                             const EngineOptions& options) {
    configureCpuKernels();
    return guarded("cannot load '" + source + "'", [&] {
        if (options.threads > 0) {
            at::set_num_threads(options.threads);
        } else {
            at::set_num_threads(int(std::max(1u, std::thread::hardware_concurrency())));
        }
        auto impl = std::make_unique<Impl>();
        impl->device = Impl::chooseDevice(options);
        ModelInfo& info = impl->info;
        info.source = source;
        info.format = "weights in memory";
        info.device = options.device;
        info.deviceIndex = options.device == DeviceKind::Cuda ? options.deviceIndex : 0;
        info.precision = options.precision;
        info.fusedAttention =
            options.attention == AttentionKernel::Fused && torch_compat::kHasFusedAttention;

        std::set<std::string> dtypes;
        for (const auto& [key, t] : stored)
            if (at::isFloatingType(t.scalar_type())) dtypes.insert(floatTypeName(t.scalar_type()));
        for (const auto& d : dtypes)
            info.storedDType += (info.storedDType.empty() ? "" : ", ") + d;

        KeyMappingReport report;
        StateDict w = KeyMapping::apply(std::move(stored), source, report);
        info.keyPrefix = report.strippedPrefix;
        info.loraMerged = report.loraMerged;
        info.storedParameters = report.storedParameters;

        Architecture arch = Architecture::infer(w, source);
        arch.lora = report.loraMerged > 0;
        info.architecture = arch;
        info.variant = arch.variantName();

        auto net = std::make_shared<AutoencoderKL>(arch);
        net->settings = {options.attentionChunkBytes, info.fusedAttention, options.bandBytes};
        impl->requested = net->settings;
        impl->budget = options.maxMemoryBytes;
        info.unexpectedKeys = net->loadWeights(w, source);
        for (const auto& item : net->named_parameters(true))
            info.parameters += item.value().numel();
        if (options.precision == Precision::Float16) {
            impl->fallbackWeights = std::move(w);
        } else {
            w.clear();
        }
        net->prepare(impl->device, bodyType(options.precision));
        impl->net = std::move(net);
        Engine engine(std::move(impl));
        if (options.tileSize > 0) {
            checkTileLayout(options.tileSize, options.tileOverlap, arch.factor());
            engine.tileSize_ = options.tileSize;
            engine.tileOverlap_ = options.tileOverlap;
        }
        return engine;
    });
}

std::vector<EncodeResult> Engine::encodeBatch(const std::vector<at::Tensor>& images,
                                              const EncodeOptions& options,
                                              const RunControl* control) {
    if (images.empty()) return {};
    const std::int64_t f = impl_->info.architecture.factor();
    if (images.front().dim() == 3 &&
        tiledFor(images.front().size(1) / f, images.front().size(2) / f)) {
        std::vector<EncodeResult> results;
        for (const at::Tensor& image : images)
            results.push_back(encodeTiled(image, options, control));
        return results;
    }
    return encodeExact(images, options, control);
}

std::vector<EncodeResult> Engine::encodeExact(const std::vector<at::Tensor>& images,
                                              const EncodeOptions& options,
                                              const RunControl* control) {
    if (images.empty()) return {};
    const Architecture& arch = impl_->info.architecture;
    for (const at::Tensor& image : images) {
        checkImage(image, arch);
        if (image.sizes() != images.front().sizes())
            throw Error("the images of a batch must have one size: " +
                        shapeString(images.front().sizes()) + " and " + shapeString(image.sizes()));
    }
    const std::int64_t height = images.front().size(1), width = images.front().size(2);
    const int count = int(images.size());
    const std::string workload = imageText(height, width, count);
    const std::uint64_t needed =
        impl_->applyPlan(impl_->plan(height, width, true, options.decode, count), workload);
    return impl_->guardedRun(workload, needed, [&] {
        c10::InferenceMode inference;
        flushDenormals();
        AutoencoderKL& net = *impl_->net;
        StepCounter steps(
            control, net.encoder->blockCount() + (options.decode ? net.decoder->blockCount() : 0));
        impl_->waitForDevice(steps);
        at::Tensor x =
            count == 1 ? images.front().unsqueeze(0) : at::stack(images);  // [N, C, H, W]
        std::vector<EncodeResult> results =
            impl_->runEncode(net, impl_->toDevice(x), options, steps);
        for (int i = 0; i < count; ++i) {
            EncodeResult& r = results[std::size_t(i)];
            r.precision = impl_->info.precision;
            const std::string fault = resultFault(r);
            if (fault.empty()) continue;
            if (impl_->info.precision != Precision::Float16) failWith(fault, impl_->info.precision);
            // Float16's range ends at 65504, and decoders overflow it: this image again in
            // bfloat16 (float32's range), said in the result.
            StepCounter again(nullptr, 0);
            EncodeResult redo =
                std::move(impl_
                              ->runEncode(impl_->fallbackNet(),
                                          impl_->toDevice(images[std::size_t(i)].unsqueeze(0)),
                                          options, again)
                              .front());
            redo.precision = Precision::BFloat16;
            const std::string still = resultFault(redo);
            if (!still.empty()) failWith(still, Precision::BFloat16);
            redo.note = overflowNote(fault);
            r = std::move(redo);
        }
        return results;
    });
}

EncodeResult Engine::encode(const at::Tensor& image, const EncodeOptions& options,
                            const RunControl* control) {
    return std::move(encodeBatch({image}, options, control).front());
}

namespace {

void checkZ(const at::Tensor& z, const Architecture& arch) {
    if (!z.defined() || z.dim() != 3 || z.size(0) != arch.embedChannels)
        throw Error("z must have shape [" + std::to_string(arch.embedChannels) +
                    ", h, w] for this model" +
                    (z.defined() ? ", got " + shapeString(z.sizes()) : std::string()));
    if (z.size(1) < 1 || z.size(2) < 1) throw Error("z is empty");
}

}  // namespace

at::Tensor Engine::latentOf(const at::Tensor& z) {
    checkZ(z, impl_->info.architecture);
    return impl_->guardedRun("the stage-2 head", 0, [&] {
        c10::InferenceMode inference;
        const at::Tensor input = impl_->toDevice(z.unsqueeze(0));
        return impl_->toHost({impl_->net->stage2Latent(input)}).front().squeeze(0).contiguous();
    });
}

at::Tensor Engine::decode(const at::Tensor& z, const RunControl* control, std::string* note) {
    checkZ(z, impl_->info.architecture);
    if (tiledFor(z.size(1), z.size(2))) return decodeTiled(z, control, note);
    return decodeExact(z, control, note);
}

at::Tensor Engine::decodeExact(const at::Tensor& z, const RunControl* control, std::string* note) {
    const Architecture& arch = impl_->info.architecture;
    checkZ(z, arch);
    const std::string workload = "a z of " + std::to_string(z.size(2)) + "x" +
                                 std::to_string(z.size(1)) + " (an image of " +
                                 std::to_string(z.size(2) * arch.factor()) + "x" +
                                 std::to_string(z.size(1) * arch.factor()) + ")";
    const std::uint64_t needed =
        impl_->applyPlan(impl_->plan(z.size(1), z.size(2), false, false, 1), workload);
    return impl_->guardedRun(workload, needed, [&] {
        c10::InferenceMode inference;
        flushDenormals();
        StepCounter steps(control, impl_->net->decoder->blockCount());
        impl_->waitForDevice(steps);
        const at::Tensor input = impl_->toDevice(z.unsqueeze(0));
        EncodeResult r;
        r.decoded = impl_->toHost({impl_->net->decode(input, steps)}).front().squeeze(0);
        const std::string fault = resultFault(r);
        if (fault.empty()) return r.decoded;
        if (impl_->info.precision != Precision::Float16) failWith(fault, impl_->info.precision);
        StepCounter again(nullptr, 0);
        r.decoded = impl_->toHost({impl_->fallbackNet().decode(input, again)}).front().squeeze(0);
        const std::string still = resultFault(r);
        if (!still.empty()) failWith(still, Precision::BFloat16);
        if (note) *note = overflowNote(fault);
        return r.decoded;
    });
}

}  // namespace medvae
