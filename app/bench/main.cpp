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
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "engine.h"
#include "error.h"
#include "memory_estimate.h"
#include "synthetic_weights.h"
#include "torch_compat.h"

namespace {

struct Arguments {
    int size = 384;  // width
    int height = 0;  // 0: square (--size N)
    int threads = 0;
    int runs = 3;
    int warmup = 1;
    int batch = 1;
    bool json = false;
    bool encodeOnly = false;
    bool compareFp32 = true;
    bool peak = false;
    bool cancelProbe = false;
    bool roundtripOnly = false;
    std::string model;
    std::uint64_t seed = 1;
    std::size_t attentionChunkMb = 256;
    std::size_t bandMb = 64;
    double maxMemoryGb = 0;  // 0: no budget
    medvae::EngineOptions options;
};

const char* const kUsage =
    "Usage: medvae-bench [--size N|WxH] [--batch B] [--threads T] [--runs R] [--warmup W]\n"
    "                    [--device cpu|cuda|cuda:N] [--precision fp32|bf16|fp16] [--encode-only]\n"
    "                    [--model CKPT] [--seed S] [--attention fused|chunked]\n"
    "                    [--attention-chunk-mb M] [--band-mb M] [--max-memory-gb G]\n"
    "                    [--tiled] [--tile-size PX] [--tile-overlap PX] [--peak]\n"
    "                    [--cancel-probe] [--roundtrip-only] [--no-compare] [--json]\n"
    "\n"
    "Times encode and encode+decode of B N x N (or W x H) images in one pass (median of R runs "
    "after W\n"
    "warm-up runs) on the medvae_8_4_2d network with random weights (or CKPT), and reports\n"
    "images/s, latency, achieved GFLOP/s, peak resident memory and, on a GPU, peak device memory.\n"
    "With --precision bf16 or fp16 it also reports the relative error of the outputs against\n"
    "float32 on the same weights (skip with --no-compare). --attention chunked uses the engine's\n"
    "own attention instead of LibTorch's fused kernel (LibTorch 2.1+). --band-mb sets the size of\n"
    "the row bands the full-resolution layers of large images run in (0: whole images).\n"
    "--max-memory-gb bounds the engine's memory (weights and activations): smaller bands and\n"
    "attention chunks where the image needs them; an image that cannot fit is refused.\n"
    "--tiled runs images larger than --tile-size (default 1024) in tiles overlapping by\n"
    "--tile-overlap (default 128) pixels, and reports the PSNR of the tiled reconstruction\n"
    "against the exact float32 one on the same input (skip with --no-compare).\n"
    "--peak first measures this machine's best convolution throughput with the engine's own\n"
    "convolution call (3x3, channels-last, the run's precision and threads) and reports the\n"
    "run's GFLOP/s as a fraction of it.\n"
    "--cancel-probe asks the engine whether to stop, as the app's Cancel does, and reports the\n"
    "longest time between two such checks (the worst wait for a Cancel) and between two progress\n"
    "reports, over every timed run (on a GPU each check waits for the queued work).\n"
    "--roundtrip-only times encode+decode runs alone, their encode part standing for the encode\n"
    "time (for sizes where each run takes many minutes).\n";

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

double gigabytes(const char* text) {
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    if (!*text || *end || !(v > 0) || v > 1e6) usage("--max-memory-gb takes a positive number");
    return v;
}

// --size N (square) or WxH: a mammogram's 4096x3328 is not square.
void parseSize(const std::string& text, Arguments& a) {
    const std::size_t x = text.find('x');
    if (x == std::string::npos) {
        a.size = a.height = int(number(text.c_str(), "--size"));
        return;
    }
    a.size = int(number(text.substr(0, x).c_str(), "--size"));
    a.height = int(number(text.substr(x + 1).c_str(), "--size"));
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
            parseSize(value(), a);
        else if (arg == "--threads")
            a.threads = int(number(value(), "--threads"));
        else if (arg == "--batch")
            a.batch = int(number(value(), "--batch"));
        else if (arg == "--runs")
            a.runs = int(number(value(), "--runs"));
        else if (arg == "--warmup")
            a.warmup = int(number(value(), "--warmup"));
        else if (arg == "--seed")
            a.seed = std::uint64_t(number(value(), "--seed"));
        else if (arg == "--attention-chunk-mb")
            a.attentionChunkMb = std::size_t(number(value(), "--attention-chunk-mb"));
        else if (arg == "--band-mb")
            a.bandMb = std::size_t(number(value(), "--band-mb"));
        else if (arg == "--max-memory-gb")
            a.maxMemoryGb = gigabytes(value());
        else if (arg == "--model")
            a.model = value();
        else if (arg == "--json")
            a.json = true;
        else if (arg == "--encode-only")
            a.encodeOnly = true;
        else if (arg == "--no-compare")
            a.compareFp32 = false;
        else if (arg == "--peak")
            a.peak = true;
        else if (arg == "--cancel-probe")
            a.cancelProbe = true;
        else if (arg == "--roundtrip-only")
            a.roundtripOnly = true;
        else if (arg == "--tiled")
            a.options.tileSize = a.options.tileSize ? a.options.tileSize : 1024;
        else if (arg == "--tile-size")
            a.options.tileSize = number(value(), "--tile-size");
        else if (arg == "--tile-overlap")
            a.options.tileOverlap = number(value(), "--tile-overlap");
        else if (arg == "--device") {
            try {
                medvae::parseDevice(value(), a.options);
            } catch (const medvae::Error& e) {
                usage(e.what());
            }
        } else if (arg == "--precision") {
            try {
                a.options.precision = medvae::parsePrecision(value());
            } catch (const medvae::Error& e) {
                usage(e.what());
            }
        } else if (arg == "--attention") {
            const std::string k = value();
            if (k == "chunked")
                a.options.attention = medvae::AttentionKernel::Chunked;
            else if (k != "fused")
                usage("--attention must be fused or chunked");
        } else if (arg == "--help" || arg == "-h") {
            std::printf("%s", kUsage);
            std::exit(0);
        } else {
            usage("unknown option " + arg);
        }
    }
    if (a.height == 0) a.height = a.size;
    if (a.size < 8 || a.height < 8 || a.size > 65536 || a.height > 65536)
        usage("--size must be 8 to 65536 pixels a side");
    if (a.runs < 1) usage("--runs must be at least 1");
    if (a.roundtripOnly && a.encodeOnly)
        usage("--roundtrip-only and --encode-only exclude each other");
    if (a.batch < 1 || a.batch > 256) usage("--batch must be 1 to 256");
    a.options.threads = a.threads;
    a.options.attentionChunkBytes = a.attentionChunkMb << 20;
    a.options.bandBytes = a.bandMb << 20;
    a.options.maxMemoryBytes = std::uint64_t(a.maxMemoryGb * 1e9);
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

// The best throughput this machine reaches with the engine's own convolution call (3x3,
// channels-last, the run's precision, device and threads) over the network's widest layer shapes.
struct PeakConv {
    double gflopsPerS = 0;
    std::string shape;
};

PeakConv measurePeak(const medvae::Engine& engine) {
    using Clock = std::chrono::steady_clock;
    const medvae::ModelInfo& info = engine.info();
    const at::ScalarType type = info.precision == medvae::Precision::BFloat16  ? at::kBFloat16
                                : info.precision == medvae::Precision::Float16 ? at::kHalf
                                                                               : at::kFloat;
    const at::Device device = info.device == medvae::DeviceKind::Cuda
                                  ? at::Device(at::kCUDA, c10::DeviceIndex(info.deviceIndex))
                                  : at::Device(at::kCPU);
    const auto options = at::TensorOptions().dtype(type).device(device);
    const auto last = at::MemoryFormat::ChannelsLast;
    c10::InferenceMode inference;
    PeakConv best;
    const int shapes[][2] = {{128, 256}, {256, 128}, {512, 64}};  // channels, side
    for (const auto& shape : shapes) {
        const int c = shape[0], side = shape[1];
        at::Generator gen = at::detail::createCPUGenerator(7);
        const at::Tensor x = at::randn({1, c, side, side}, gen).to(options).contiguous(last);
        const at::Tensor w = at::randn({c, c, 3, 3}, gen).mul_(0.02).to(options).contiguous(last);
        const at::Tensor b = at::randn({c}, gen).to(options);
        const double flops = 2.0 * c * c * 9 * side * side;
        medvae::torch_compat::synchronize(device);
        at::conv2d(x, w, b, {1, 1}, {1, 1});  // warm-up: kernel choice, buffers
        medvae::torch_compat::synchronize(device);
        double total = 0;
        for (int rep = 0; rep < 20 && (rep < 3 || total < 1.0); ++rep) {
            const auto start = Clock::now();
            at::conv2d(x, w, b, {1, 1}, {1, 1});
            medvae::torch_compat::synchronize(device);
            const double s = std::chrono::duration<double>(Clock::now() - start).count();
            total += s;
            if (flops / s / 1e9 > best.gflopsPerS) {
                best.gflopsPerS = flops / s / 1e9;
                best.shape = "3x3 conv " + std::to_string(c) + "->" + std::to_string(c) + " on " +
                             std::to_string(side) + "x" + std::to_string(side);
            }
        }
    }
    return best;
}

// PSNR (dB) of a reconstruction against a reference, both in the model's [-1, 1] range.
double psnrModelRange(const at::Tensor& value, const at::Tensor& reference) {
    const double mse = (value - reference).square().mean().item<double>();
    return 10.0 * std::log10(4.0 / std::max(mse, 1e-30));
}

// What --cancel-probe saw: the longest interval during a call between its start, each stop check
// (or progress report) and its end, and where in the call it was: the progress reported (a share
// of the call's work) before it began and when it ended, which names the layers that ran in it.
struct ControlProbe {
    using Clock = std::chrono::steady_clock;
    Clock::time_point lastCheck, lastReport;
    double longestCheckGapS = 0, longestReportGapS = 0;
    long checks = 0, reports = 0;
    double progress = 0, progressAtCheck = 0;  // shares of the call's work
    double longestCheckGapFrom = 0, longestCheckGapTo = 0;

    // Seconds since `last`, which becomes now.
    static double lap(Clock::time_point& last) {
        const auto now = Clock::now();
        const double s = std::chrono::duration<double>(now - last).count();
        last = now;
        return s;
    }
    void noteCheck() {
        const double gap = lap(lastCheck);
        if (gap > longestCheckGapS) {
            longestCheckGapS = gap;
            longestCheckGapFrom = progressAtCheck;
            longestCheckGapTo = progress;
        }
        progressAtCheck = progress;
        ++checks;
    }
    void noteReport(int done, int total) {
        longestReportGapS = std::max(longestReportGapS, lap(lastReport));
        progress = total > 0 ? double(done) / total : 0.0;
        ++reports;
    }
    void callStarts() {
        lastCheck = lastReport = Clock::now();
        progress = progressAtCheck = 0;
    }
    void callEnded() { noteCheck(); }
    // What the engine is given for one call: it notes each question and report, never stops.
    medvae::RunControl control() {
        medvae::RunControl c;
        c.cancelled = [this] {
            noteCheck();
            return false;
        };
        c.progress = [this](int done, int total) { noteReport(done, total); };
        return c;
    }
};

struct Measurement {
    std::vector<double> encodeRuns, roundtripRuns;
    medvae::EncodeResult first;  // of the last run: compared with float32
    double peakRssMb = 0, rssBeforeMb = 0, peakDeviceMb = 0;
    bool peakIsInference = false;
    int notes = 0;            // results said to be other than exact (float16 overflow, tiled)
    PeakConv peak;            // with --peak
    ControlProbe probe;       // with --cancel-probe
    double psnrVsExact = -1;  // with --tiled: decoded against the exact float32 run
};

// B random images in model space, [-1, 1].
std::vector<at::Tensor> makeImages(const Arguments& a, int channels) {
    at::Generator gen = at::detail::createCPUGenerator(a.seed + 1000);
    std::vector<at::Tensor> images;
    for (int i = 0; i < a.batch; ++i)
        images.push_back(
            at::rand({channels, a.height, a.size}, gen, at::TensorOptions().dtype(at::kFloat))
                .mul_(2)
                .sub_(1));
    return images;
}

Measurement measure(const Arguments& a, medvae::Engine& engine,
                    const std::vector<at::Tensor>& images) {
    using Clock = std::chrono::steady_clock;
    Measurement m;
    auto timed = [&](bool decode) {
        medvae::EncodeOptions o;
        o.decode = decode;
        const auto start = Clock::now();
        const medvae::RunControl probe = m.probe.control();
        if (a.cancelProbe) m.probe.callStarts();
        std::vector<medvae::EncodeResult> r =
            engine.encodeBatch(images, o, a.cancelProbe ? &probe : nullptr);
        const double s = std::chrono::duration<double>(Clock::now() - start).count();
        if (a.cancelProbe) m.probe.callEnded();
        for (const auto& item : r)
            m.notes += item.note.find("float16") == std::string::npos ? 0 : 1;
        m.first = std::move(r.front());
        return s;
    };
    malloc_trim(0);  // hand the heap freed while loading back first: RSS is then what is used
    m.peakIsInference = resetPeakRss();
    m.rssBeforeMb = statusMb("VmRSS");
    engine.resetPeakDeviceBytes();
    for (int i = 0; i < a.warmup; ++i)
        timed(!a.encodeOnly);
    m.notes = 0;
    m.probe = ControlProbe{};  // timed runs only
    if (!a.roundtripOnly)
        for (int i = 0; i < a.runs; ++i)
            m.encodeRuns.push_back(timed(false));
    if (!a.encodeOnly)
        for (int i = 0; i < a.runs; ++i) {
            m.roundtripRuns.push_back(timed(true));
            if (a.roundtripOnly) m.encodeRuns.push_back(m.first.encodeSeconds * a.batch);
        }
    m.peakRssMb = peakRssMb();
    m.peakDeviceMb = double(engine.peakDeviceBytes()) / (1 << 20);
    return m;
}

void printJson(const Arguments& a, const medvae::Engine& engine, const Measurement& m,
               double errLatent, double errDecoded) {
    const medvae::ModelInfo& info = engine.info();
    const medvae::Architecture& arch = info.architecture;
    const double encodeS = median(m.encodeRuns);
    const double roundtripS = a.encodeOnly ? 0.0 : median(m.roundtripRuns);
    const double encFlops = arch.encoderFlops(a.height, a.size) * a.batch;
    const double decFlops = arch.decoderFlops(a.height, a.size) * a.batch;
    const char* capability = std::getenv("ATEN_CPU_CAPABILITY");
    const std::string device = medvae::deviceLabel(info.device, info.deviceIndex);
    std::printf(
        "{\"size\": %d, \"height\": %d, \"batch\": %d, \"threads\": %d, \"device\": \"%s\", "
        "\"precision\": \"%s\", \"attention\": \"%s\", \"band_mb\": %zu, \"runs\": %d, "
        "\"variant\": \"%s\", \"parameters\": %lld, \"encode_s\": %.4f, \"roundtrip_s\": %.4f, "
        "\"images_per_s\": %.4f, \"roundtrip_images_per_s\": %.4f, \"peak_rss_mb\": %.1f, "
        "\"rss_before_runs_mb\": %.1f, \"peak_is_inference\": %s, \"peak_device_mb\": %.1f, "
        "\"estimated_peak_mb\": %.1f, \"max_memory_gb\": %.3g, "
        "\"estimated_peak_unbudgeted_mb\": %.1f, \"encode_gflop\": %.1f, \"decode_gflop\": %.1f, "
        "\"encode_gflops_per_s\": %.1f, \"roundtrip_gflops_per_s\": %.1f, "
        "\"encode_runs_s\": %s, \"roundtrip_runs_s\": %s, \"rel_error_latent_vs_fp32\": %.3g, "
        "\"rel_error_decoded_vs_fp32\": %.3g, \"recomputed_results\": %d, "
        "\"latent_shape\": [%lld, %lld, %lld], \"cpu_kernels\": \"%s\", \"libtorch\": \"%s\", "
        "\"tile_size\": %lld, \"tile_overlap\": %lld, \"psnr_decoded_vs_exact_fp32_db\": %.2f, "
        "\"peak_conv_gflops_per_s\": %.1f, \"encode_fraction_of_peak\": %.3f, "
        "\"roundtrip_fraction_of_peak\": %.3f, \"cancel_checks\": %ld, "
        "\"longest_cancel_check_gap_s\": %.3f, \"longest_cancel_check_gap_progress\": [%.4f, "
        "%.4f], \"progress_reports\": %ld, "
        "\"longest_progress_gap_s\": %.3f, \"note\": \"%s\"}\n",
        a.size, a.height, a.batch, at::get_num_threads(), device.c_str(),
        medvae::precisionFlag(info.precision), info.fusedAttention ? "fused" : "chunked", a.bandMb,
        a.runs, info.variant.c_str(), (long long)info.parameters, encodeS, roundtripS,
        a.batch / encodeS, a.encodeOnly ? 0.0 : a.batch / roundtripS, m.peakRssMb, m.rssBeforeMb,
        m.peakIsInference ? "true" : "false", m.peakDeviceMb,
        double(engine.estimateEncodeBytes(a.height, a.size, !a.encodeOnly, a.batch)) / (1 << 20),
        a.maxMemoryGb,
        double(medvae::estimateEncodeMemory(info, a.height, a.size, !a.encodeOnly,
                                            a.options.attentionChunkBytes, a.options.bandBytes,
                                            a.batch)
                   .total()) /
            (1 << 20),
        encFlops / 1e9, decFlops / 1e9, encFlops / encodeS / 1e9,
        a.encodeOnly ? 0.0 : (encFlops + decFlops) / roundtripS / 1e9, list(m.encodeRuns).c_str(),
        list(m.roundtripRuns).c_str(), errLatent, errDecoded, m.notes,
        (long long)m.first.latent.size(0), (long long)m.first.latent.size(1),
        (long long)m.first.latent.size(2), capability ? capability : "default", TORCH_VERSION,
        (long long)a.options.tileSize, (long long)(a.options.tileSize ? a.options.tileOverlap : 0),
        m.psnrVsExact, m.peak.gflopsPerS,
        m.peak.gflopsPerS > 0 ? encFlops / encodeS / 1e9 / m.peak.gflopsPerS : 0.0,
        m.peak.gflopsPerS > 0 && !a.encodeOnly
            ? (encFlops + decFlops) / roundtripS / 1e9 / m.peak.gflopsPerS
            : 0.0,
        m.probe.checks, a.cancelProbe ? m.probe.longestCheckGapS : -1.0,
        m.probe.longestCheckGapFrom, m.probe.longestCheckGapTo, m.probe.reports,
        a.cancelProbe ? m.probe.longestReportGapS : -1.0, m.first.note.c_str());
}

void printText(const Arguments& a, const medvae::Engine& engine, const Measurement& m,
               double errLatent, double errDecoded) {
    const medvae::ModelInfo& info = engine.info();
    const medvae::Architecture& arch = info.architecture;
    const double encodeS = median(m.encodeRuns);
    const double encFlops = arch.encoderFlops(a.height, a.size) * a.batch;
    const double decFlops = arch.decoderFlops(a.height, a.size) * a.batch;
    std::printf("model:        %s, %lld parameters (%s)\n", info.variant.c_str(),
                (long long)info.parameters, info.source.c_str());
    std::printf("setting:      %d x %dx%d, %s, %s, %s attention, %d threads, median of %d runs\n",
                a.batch, a.size, a.height,
                medvae::deviceLabel(info.device, info.deviceIndex).c_str(),
                medvae::precisionName(info.precision), info.fusedAttention ? "fused" : "chunked",
                at::get_num_threads(), a.runs);
    std::printf("encode:       %.3f s  (%.1f GFLOP, %.1f GFLOP/s, %.2f images/s)\n", encodeS,
                encFlops / 1e9, encFlops / encodeS / 1e9, a.batch / encodeS);
    if (!a.encodeOnly) {
        const double roundtripS = median(m.roundtripRuns);
        std::printf("encode+decode %.3f s  (%.1f GFLOP, %.1f GFLOP/s, %.2f images/s)\n", roundtripS,
                    (encFlops + decFlops) / 1e9, (encFlops + decFlops) / roundtripS / 1e9,
                    a.batch / roundtripS);
    }
    const double estimateMb =
        double(engine.estimateEncodeBytes(a.height, a.size, !a.encodeOnly, a.batch)) / (1 << 20);
    if (info.device == medvae::DeviceKind::Cuda)
        std::printf("peak GPU:     %.0f MB allocated (engine estimate %.0f MB)\n", m.peakDeviceMb,
                    estimateMb);
    std::printf("peak RSS:     %.0f MB%s\n", m.peakRssMb,
                info.device == medvae::DeviceKind::Cuda
                    ? ""
                    : (" (engine estimate " + std::to_string(int(estimateMb)) +
                       " MB, process overhead not included)")
                          .c_str());
    if (m.notes)
        std::printf("recomputed:   %d results (float16 overflow, bfloat16 used)\n", m.notes);
    if (m.peak.gflopsPerS > 0) {
        std::printf("peak conv:    %.1f GFLOP/s (%s, best measured); encode at %.0f %%",
                    m.peak.gflopsPerS, m.peak.shape.c_str(),
                    100.0 * encFlops / encodeS / 1e9 / m.peak.gflopsPerS);
        if (!a.encodeOnly)
            std::printf(
                ", encode+decode at %.0f %%",
                100.0 * (encFlops + decFlops) / median(m.roundtripRuns) / 1e9 / m.peak.gflopsPerS);
        std::printf(" of it\n");
    }
    if (a.cancelProbe)
        std::printf(
            "cancel probe: %ld stop checks, longest %.3f s apart (progress %.2f %% to %.2f %%); "
            "%ld progress reports, longest %.3f s apart\n",
            m.probe.checks, m.probe.longestCheckGapS, 100 * m.probe.longestCheckGapFrom,
            100 * m.probe.longestCheckGapTo, m.probe.reports, m.probe.longestReportGapS);
    if (a.options.tileSize > 0) std::printf("tiled:        %s\n", m.first.note.c_str());
    if (m.psnrVsExact >= 0)
        std::printf("tiled vs exact float32: decoded PSNR %.2f dB\n", m.psnrVsExact);
    if (errLatent >= 0) std::printf("vs exact fp32: latent rel. error %.3g", errLatent);
    if (errDecoded >= 0) std::printf(", decoded rel. error %.3g", errDecoded);
    if (errLatent >= 0) std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
    const Arguments a = parse(argc, argv);
    try {
        medvae::Engine engine = makeEngine(a, a.options);
        const std::vector<at::Tensor> images = makeImages(a, engine.info().architecture.inChannels);
        PeakConv peak;
        if (a.peak) peak = measurePeak(engine);
        Measurement m = measure(a, engine, images);
        m.peak = peak;

        double errLatent = -1, errDecoded = -1;
        const bool tiled = a.options.tileSize > 0;
        if ((a.options.precision != medvae::Precision::Float32 || tiled) && a.compareFp32) {
            medvae::EngineOptions fp32 = a.options;
            fp32.precision = medvae::Precision::Float32;
            fp32.tileSize = 0;  // the exact run
            medvae::Engine reference = makeEngine(a, fp32);
            medvae::EncodeOptions o;
            o.decode = !a.encodeOnly;
            const medvae::EncodeResult r = reference.encode(images.front(), o);
            errLatent = relativeError(m.first.latent, r.latent);
            if (!a.encodeOnly) errDecoded = relativeError(m.first.decoded, r.decoded);
            if (!a.encodeOnly && tiled) m.psnrVsExact = psnrModelRange(m.first.decoded, r.decoded);
        }
        if (a.json) {
            printJson(a, engine, m, errLatent, errDecoded);
        } else {
            printText(a, engine, m, errLatent, errDecoded);
        }
        return 0;
    } catch (const medvae::Error& e) {
        std::fprintf(stderr, "medvae-bench: error: %s\n", e.what());
        return 1;
    }
}
