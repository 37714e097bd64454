// medvae-bench: speed and memory of the engine on a network of the real medvae_8_4_2d size with
// random weights (LoRA adapters present in the weights, merged at load as for real checkpoints).
// Depends on the engine only, so it builds wherever LibTorch does.

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <malloc.h>
#include <sys/resource.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "engine.h"
#include "error.h"
#include "synthetic_weights.h"

namespace {

struct Arguments {
    int size = 384;
    int threads = 0;
    int runs = 3;
    int warmup = 1;
    bool json = false;
    bool encodeOnly = false;
    bool compareFp32 = true;
    std::string model;
    std::uint64_t seed = 1;
    std::size_t attentionChunkMb = 256;
    medvae::EngineOptions options;
};

const char* const kUsage =
    "Usage: medvae-bench [--size N] [--threads T] [--runs R] [--warmup W] [--device cpu|cuda]\n"
    "                    [--precision fp32|bf16] [--encode-only] [--model CKPT] [--seed S]\n"
    "                    [--attention-chunk-mb M] [--no-compare] [--json]\n"
    "\n"
    "Times encode and encode+decode of one N x N image (median of R runs after W warm-up runs)\n"
    "on the medvae_8_4_2d network with random weights (or CKPT), and reports images/s, achieved\n"
    "GFLOP/s and peak resident memory. With --precision bf16 it also reports the relative error\n"
    "of the bf16 outputs against float32 on the same weights (skip with --no-compare).\n";

[[noreturn]] void usage(const std::string& message) {
    std::fprintf(stderr, "medvae-bench: %s\n\n%s", message.c_str(), kUsage);
    std::exit(2);
}

long number(const char* text, const char* option) {
    char* end = nullptr;
    const long v = std::strtol(text, &end, 10);
    if (!*text || *end || v < 0) usage(std::string(option) + " takes a whole number");
    return v;
}

Arguments parse(int argc, char** argv) {
    Arguments a;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--size")
            a.size = int(number(value(), "--size"));
        else if (arg == "--threads")
            a.threads = int(number(value(), "--threads"));
        else if (arg == "--runs")
            a.runs = int(number(value(), "--runs"));
        else if (arg == "--warmup")
            a.warmup = int(number(value(), "--warmup"));
        else if (arg == "--seed")
            a.seed = std::uint64_t(number(value(), "--seed"));
        else if (arg == "--attention-chunk-mb")
            a.attentionChunkMb = std::size_t(number(value(), "--attention-chunk-mb"));
        else if (arg == "--model")
            a.model = value();
        else if (arg == "--json")
            a.json = true;
        else if (arg == "--encode-only")
            a.encodeOnly = true;
        else if (arg == "--no-compare")
            a.compareFp32 = false;
        else if (arg == "--device") {
            const std::string d = value();
            if (d == "cuda")
                a.options.device = medvae::DeviceKind::Cuda;
            else if (d != "cpu")
                usage("--device must be cpu or cuda");
        } else if (arg == "--precision") {
            const std::string p = value();
            if (p == "bf16" || p == "bfloat16")
                a.options.precision = medvae::Precision::BFloat16;
            else if (p != "fp32" && p != "float32")
                usage("--precision must be fp32 or bf16");
        } else if (arg == "--help" || arg == "-h") {
            std::printf("%s", kUsage);
            std::exit(0);
        } else {
            usage("unknown option " + arg);
        }
    }
    if (a.size < 8) usage("--size must be at least 8");
    if (a.runs < 1) usage("--runs must be at least 1");
    a.options.threads = a.threads;
    a.options.attentionChunkBytes = a.attentionChunkMb << 20;
    return a;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// A line of /proc/self/status in MiB ("VmRSS", "VmHWM"); 0 when unreadable.
double statusMb(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0 && line.size() > std::strlen(field) &&
            line[std::strlen(field)] == ':')
            return std::atof(line.c_str() + std::strlen(field) + 1) / 1024.0;  // kB
    return 0.0;
}

// Restarts the peak-RSS count (VmHWM) at the current RSS, so the peak measured afterwards is that
// of inference, not of loading the model (Linux: clear_refs value 5). False when not possible.
bool resetPeakRss() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    out.flush();
    return bool(out);
}

double peakRssMb() {
    const double hwm = statusMb("VmHWM");
    if (hwm > 0) return hwm;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

medvae::Engine makeEngine(const Arguments& a, const medvae::EngineOptions& options) {
    if (!a.model.empty()) return medvae::Engine::fromFile(a.model, options);
    const medvae::Architecture arch = medvae::medvae84Architecture();
    return medvae::Engine::fromStateDict(medvae::syntheticWeights(arch, true, a.seed),
                                         "random medvae_8_4_2d weights", options);
}

double relativeError(const at::Tensor& value, const at::Tensor& reference) {
    return (value - reference).norm().item<double>() /
           std::max(reference.norm().item<double>(), 1e-30);
}

std::string list(const std::vector<double>& v) {
    std::string s = "[";
    char buf[32];
    for (std::size_t i = 0; i < v.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%s%.4f", i ? ", " : "", v[i]);
        s += buf;
    }
    return s + "]";
}

// What one benchmark run measured.
struct Measurement {
    std::vector<double> encodeRuns, roundtripRuns;
    double encodeS = 0, roundtripS = 0, peakRss = 0, rssBefore = 0, estimateMb = 0;
    bool peakIsInference = false;
    double encFlops = 0, decFlops = 0;
    double errLatent = -1, errDecoded = -1;
    medvae::EncodeResult last;
};

Measurement measure(const Arguments& a, medvae::Engine& engine) {
    const medvae::Architecture& arch = engine.info().architecture;
    at::Generator gen = at::detail::createCPUGenerator(a.seed + 1000);
    const at::Tensor image =
        at::rand({arch.inChannels, a.size, a.size}, gen, at::TensorOptions().dtype(at::kFloat))
            .mul_(2)
            .sub_(1);
    using Clock = std::chrono::steady_clock;
    Measurement m;
    auto timed = [&](bool decode, medvae::EncodeResult* keep) {
        medvae::EncodeOptions o;
        o.decode = decode;
        const auto start = Clock::now();
        medvae::EncodeResult r = engine.encode(image, o);
        const double s = std::chrono::duration<double>(Clock::now() - start).count();
        if (keep) *keep = std::move(r);
        return s;
    };

    malloc_trim(0);  // hand the heap freed while loading back first: RSS is then what is used
    m.peakIsInference = resetPeakRss();
    m.rssBefore = statusMb("VmRSS");
    for (int i = 0; i < a.warmup; ++i)
        timed(!a.encodeOnly, nullptr);
    for (int i = 0; i < a.runs; ++i)
        m.encodeRuns.push_back(timed(false, &m.last));
    if (!a.encodeOnly)
        for (int i = 0; i < a.runs; ++i)
            m.roundtripRuns.push_back(timed(true, &m.last));
    m.peakRss = peakRssMb();
    m.estimateMb = double(engine.estimateEncodeBytes(a.size, a.size, !a.encodeOnly)) / (1 << 20);

    m.encodeS = median(m.encodeRuns);
    m.roundtripS = a.encodeOnly ? 0.0 : median(m.roundtripRuns);
    m.encFlops = arch.encoderFlops(a.size, a.size);
    m.decFlops = arch.decoderFlops(a.size, a.size);

    if (a.options.precision != medvae::Precision::Float32 && a.compareFp32) {
        medvae::EngineOptions fp32 = a.options;
        fp32.precision = medvae::Precision::Float32;
        medvae::Engine reference = makeEngine(a, fp32);
        medvae::EncodeOptions o;
        o.decode = !a.encodeOnly;
        medvae::EncodeResult r = reference.encode(image, o);
        m.errLatent = relativeError(m.last.latent, r.latent);
        if (!a.encodeOnly) m.errDecoded = relativeError(m.last.decoded, r.decoded);
    }
    return m;
}

void printJson(const Arguments& a, const medvae::ModelInfo& info, const Measurement& m) {
    const char* capability = std::getenv("ATEN_CPU_CAPABILITY");
    std::printf(
        "{\"size\": %d, \"threads\": %d, \"device\": \"%s\", \"precision\": \"%s\", "
        "\"runs\": %d, "
        "\"variant\": \"%s\", \"parameters\": %lld, \"encode_s\": %.4f, \"roundtrip_s\": "
        "%.4f, "
        "\"images_per_s\": %.4f, \"peak_rss_mb\": %.1f, \"rss_before_runs_mb\": %.1f, "
        "\"peak_is_inference\": %s, \"estimated_peak_mb\": %.1f, "
        "\"encode_gflop\": %.1f, "
        "\"decode_gflop\": %.1f, "
        "\"encode_gflops_per_s\": %.1f, \"roundtrip_gflops_per_s\": %.1f, "
        "\"encode_runs_s\": %s, "
        "\"roundtrip_runs_s\": %s, \"rel_error_latent_vs_fp32\": %.3g, "
        "\"rel_error_decoded_vs_fp32\": %.3g, "
        "\"latent_shape\": [%lld, %lld, %lld], \"cpu_kernels\": \"%s\", \"libtorch\": "
        "\"%s\"}\n",
        a.size, at::get_num_threads(), medvae::deviceName(a.options.device),
        medvae::precisionName(a.options.precision), a.runs, info.variant.c_str(),
        (long long)info.parameters, m.encodeS, m.roundtripS, 1.0 / m.encodeS, m.peakRss,
        m.rssBefore, m.peakIsInference ? "true" : "false", m.estimateMb, m.encFlops / 1e9,
        m.decFlops / 1e9, m.encFlops / m.encodeS / 1e9,
        a.encodeOnly ? 0.0 : (m.encFlops + m.decFlops) / m.roundtripS / 1e9,
        list(m.encodeRuns).c_str(), list(m.roundtripRuns).c_str(), m.errLatent, m.errDecoded,
        (long long)m.last.latent.size(0), (long long)m.last.latent.size(1),
        (long long)m.last.latent.size(2), capability ? capability : "default", TORCH_VERSION);
}

void printText(const Arguments& a, const medvae::ModelInfo& info, const Measurement& m) {
    std::printf("model:        %s, %lld parameters (%s)\n", info.variant.c_str(),
                (long long)info.parameters, info.source.c_str());
    std::printf("setting:      %dx%d, %s, %s, %d threads, median of %d runs\n", a.size, a.size,
                medvae::deviceName(a.options.device), medvae::precisionName(a.options.precision),
                at::get_num_threads(), a.runs);
    std::printf("encode:       %.3f s  (%.1f GFLOP, %.1f GFLOP/s, %.2f images/s)\n", m.encodeS,
                m.encFlops / 1e9, m.encFlops / m.encodeS / 1e9, 1.0 / m.encodeS);
    if (!a.encodeOnly)
        std::printf("encode+decode %.3f s  (%.1f GFLOP, %.1f GFLOP/s)\n", m.roundtripS,
                    (m.encFlops + m.decFlops) / 1e9,
                    (m.encFlops + m.decFlops) / m.roundtripS / 1e9);
    std::printf(
        "peak RSS:     %.0f MB (engine estimate %.0f MB, process overhead not "
        "included)\n",
        m.peakRss, m.estimateMb);
    if (m.errLatent >= 0) std::printf("vs float32:   latent rel. error %.3g", m.errLatent);
    if (m.errDecoded >= 0) std::printf(", decoded rel. error %.3g", m.errDecoded);
    if (m.errLatent >= 0) std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
    const Arguments a = parse(argc, argv);
    try {
        medvae::Engine engine = makeEngine(a, a.options);
        const Measurement m = measure(a, engine);
        if (a.json)
            printJson(a, engine.info(), m);
        else
            printText(a, engine.info(), m);
        return 0;
    } catch (const medvae::Error& e) {
        std::fprintf(stderr, "medvae-bench: error: %s\n", e.what());
        return 1;
    }
}
