#include "engine.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>

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

namespace medvae {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs `f`, turning LibTorch's exceptions into the project's error with `what` as context.
template <typename F>
auto guarded(const std::string& what, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Error&) {
        throw;
    } catch (const c10::Error& e) {
        throw Error(what + ": " + e.what_without_backtrace());
    } catch (const std::bad_alloc&) {
        throw Error(what + ": out of memory");
    } catch (const std::exception& e) {
        throw Error(what + ": " + e.what());
    }
}

void checkFinite(const at::Tensor& t, const char* what, Precision precision) {
    if (!t.defined()) return;
    if (!at::isfinite(t).all().item<bool>())
        throw Error(std::string("the ") + what +
                    " contains NaN or infinite values (numerical overflow in " +
                    precisionName(precision) +
                    (precision == Precision::Float32 ? ")" : "; try float32)"));
}

// Reconstructions live in model space: inputs are scaled to [-1, 1] and a decoder trained on them
// answers in about that range (random test networks reach a few units). Values this far beyond it
// mean the numbers broke down (an overflow, a kernel fault); such a result is refused rather than
// shown or written as if it were an image.
constexpr double kImplausibleDecoded = 50.0;

void checkPlausible(const at::Tensor& decoded, Precision precision) {
    if (!decoded.defined() || decoded.numel() == 0) return;
    const double peak = decoded.abs().max().item<double>();
    if (peak <= kImplausibleDecoded) return;
    throw Error("the reconstruction is implausible: its values reach " + std::to_string(peak) +
                " where the model's output range is about [-1, 1] (" + precisionName(precision) +
                ", " + shapeString(decoded.sizes()) +
                "); the result was discarded. Try the other precision, and please report the "
                "model and image size");
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

}  // namespace

const char* deviceName(DeviceKind device) {
    return device == DeviceKind::Cuda ? "cuda" : "cpu";
}
const char* precisionName(Precision precision) {
    return precision == Precision::BFloat16 ? "bfloat16" : "float32";
}

struct Engine::Impl {
    ModelInfo info;
    std::shared_ptr<AutoencoderKL> net;
    at::Device device = at::kCPU;
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;
Engine::~Engine() = default;

const ModelInfo& Engine::info() const {
    return impl_->info;
}

std::uint64_t Engine::estimateEncodeBytes(std::int64_t height, std::int64_t width,
                                          bool decode) const {
    return estimateEncodeMemory(impl_->info, height, width, decode, impl_->net->attentionChunkBytes)
        .total();
}

std::uint64_t Engine::estimateDecodeBytes(std::int64_t height, std::int64_t width) const {
    return estimateDecodeMemory(impl_->info, height, width, impl_->net->attentionChunkBytes)
        .total();
}

bool Engine::cudaAvailable() {
    try {
        return torch::cuda::is_available();
    } catch (...) {
        return false;
    }
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
        ModelInfo& info = impl->info;
        info.source = source;
        info.format = "weights in memory";
        info.device = options.device;
        info.precision = options.precision;

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
        net->attentionChunkBytes = options.attentionChunkBytes;
        info.unexpectedKeys = net->loadWeights(w, source);
        for (const auto& item : net->named_parameters(true))
            info.parameters += item.value().numel();
        w.clear();
        if (options.device == DeviceKind::Cuda) {
            if (!cudaAvailable())
                throw Error(
                    "CUDA was requested but is not available (this LibTorch build has no CUDA "
                    "support or no GPU is visible)");
            impl->device = at::Device(at::kCUDA, 0);
        }
        net->prepare(impl->device,
                     options.precision == Precision::BFloat16 ? at::kBFloat16 : at::kFloat);
        impl->net = std::move(net);
        return Engine(std::move(impl));
    });
}

EncodeResult Engine::encode(const at::Tensor& image, const EncodeOptions& options,
                            const RunControl* control) {
    const Architecture& arch = impl_->info.architecture;
    if (!image.defined() || image.dim() != 3)
        throw Error("the model input must be an image of shape [C, H, W]");
    if (image.size(0) != arch.inChannels)
        throw Error("the model takes " + std::to_string(arch.inChannels) + "-channel images, got " +
                    std::to_string(image.size(0)) + " channels");
    if (image.size(1) < arch.factor() || image.size(2) < arch.factor())
        throw Error(
            "the image (" + std::to_string(image.size(2)) + "x" + std::to_string(image.size(1)) +
            ") is smaller than the model's downsampling factor " + std::to_string(arch.factor()));
    return guarded("inference failed", [&] {
        c10::InferenceMode inference;
        flushDenormals();
        AutoencoderKL& net = *impl_->net;
        const int total =
            net.encoder->blockCount() + (options.decode ? net.decoder->blockCount() : 0);
        StepCounter steps(control, total);
        EncodeResult result;

        auto start = std::chrono::steady_clock::now();
        at::Tensor x = image.to(impl_->device, at::kFloat).unsqueeze(0);  // [1, C, H, W]
        auto [mean, logvar] = net.encodeMoments(x, steps);
        x.reset();
        at::Tensor z = mean;
        if (options.sample) {
            // Noise drawn on the CPU from a seeded generator, so results repeat across devices.
            at::Generator gen = at::detail::createCPUGenerator(options.seed);
            at::Tensor noise = at::randn(mean.sizes(), gen, at::TensorOptions().dtype(at::kFloat));
            z = mean + at::exp(0.5 * logvar) * noise.to(mean.device());
        }
        at::Tensor latent = net.stage2Latent(z);
        result.z = z.squeeze(0).to(at::kCPU).contiguous();
        result.latent = latent.squeeze(0).to(at::kCPU).contiguous();
        result.encodeSeconds = secondsSince(start);

        if (options.decode) {
            start = std::chrono::steady_clock::now();
            result.decoded = net.decode(z, steps).squeeze(0).to(at::kCPU).contiguous();
            result.decodeSeconds = secondsSince(start);
        }
        checkFinite(result.latent, "latent", impl_->info.precision);
        checkFinite(result.decoded, "reconstruction", impl_->info.precision);
        checkPlausible(result.decoded, impl_->info.precision);
        return result;
    });
}

at::Tensor Engine::decode(const at::Tensor& z, const RunControl* control) {
    const Architecture& arch = impl_->info.architecture;
    if (!z.defined() || z.dim() != 3 || z.size(0) != arch.embedChannels)
        throw Error("z must have shape [" + std::to_string(arch.embedChannels) +
                    ", h, w] for this model" +
                    (z.defined() ? ", got " + shapeString(z.sizes()) : std::string()));
    if (z.size(1) < 1 || z.size(2) < 1) throw Error("z is empty");
    return guarded("decoding failed", [&] {
        c10::InferenceMode inference;
        flushDenormals();
        StepCounter steps(control, impl_->net->decoder->blockCount());
        at::Tensor out = impl_->net->decode(z.to(impl_->device, at::kFloat).unsqueeze(0), steps);
        out = out.squeeze(0).to(at::kCPU).contiguous();
        checkFinite(out, "reconstruction", impl_->info.precision);
        checkPlausible(out, impl_->info.precision);
        return out;
    });
}

}  // namespace medvae
