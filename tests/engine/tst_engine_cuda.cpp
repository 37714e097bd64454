// The engine on a CUDA device against its own CPU results and the reference: float32 exact (TF32
// off) within 1e-4 relative, bfloat16 and float16 within their rounding, the float16 overflow
// recomputed in bfloat16 and said, fused against chunked attention, batches, out-of-memory as a
// clear error after which the device still works, cancelling within a block. Every test skips
// (exit code 77, SKIPPED in CTest) where no CUDA device is visible.

#include <ATen/ATen.h>

#include <chrono>

#include "checkpoint_reader.h"
#include "engine.h"
#include "engine_check.h"
#include "engine_fixtures.h"
#include "error.h"
#include "state_dict.h"
#include "step_counter.h"
#include "torch_compat.h"

using namespace medvae;
using namespace medvae::test;

namespace {

void requireGpu() {
    if (!Engine::cudaAvailable())
        skip(torch_compat::builtWithCuda() ? "no CUDA device is visible"
                                           : "this LibTorch build has no CUDA support");
}

Engine load(const std::string& file, DeviceKind device, Precision precision = Precision::Float32,
            AttentionKernel kernel = AttentionKernel::Fused) {
    EngineOptions o;
    o.device = device;
    o.precision = precision;
    o.attention = kernel;
    return Engine::fromFile(fixture(file), o);
}

const char* const kCases[] = {"v8_4", "v8_1", "v4_3", "v4_1"};

}  // namespace

ENGINE_TEST(float32MatchesCpu) {
    requireGpu();
    for (const std::string kase : kCases) {
        row(kase, [&] {
            const std::string file = kase + ".ckpt";
            Engine gpu = load(file, DeviceKind::Cuda), cpu = load(file, DeviceKind::Cpu);
            const at::Tensor input = loadNpy(fixture(kase + "_100x76_input.npy"));
            const EncodeResult g = gpu.encode(input, {true, false, 0});
            const EncodeResult c = cpu.encode(input, {true, false, 0});
            for (auto [a, b, what] :
                 {std::tuple{&g.z, &c.z, "z"}, std::tuple{&g.latent, &c.latent, "latent"},
                  std::tuple{&g.decoded, &c.decoded, "decoded"}}) {
                const double r = relativeMax(*a, *b);
                VERIFY_MSG(r <= 1e-4, std::string(what) + " max rel vs CPU " + describe(r));
            }
            std::string why;
            VERIFY_MSG(
                close(g.decoded, loadNpy(fixture(kase + "_100x76_decoded.npy")), 1e-4, 1e-4, &why),
                why);
            COMPARE(gpu.info().deviceIndex, 0);
        });
    }
}

ENGINE_TEST(reducedPrecisionStaysClose) {
    requireGpu();
    const at::Tensor input = loadNpy(fixture("v8_4_128x128_input.npy"));
    const at::Tensor ref = loadNpy(fixture("v8_4_128x128_latent.npy"));
    const at::Tensor refDecoded = loadNpy(fixture("v8_4_128x128_decoded.npy"));
    for (Precision p : {Precision::BFloat16, Precision::Float16}) {
        row(precisionName(p), [&] {
            const EncodeResult r =
                load("v8_4.ckpt", DeviceKind::Cuda, p).encode(input, {true, false, 0});
            const double rel = relativeL2(r.latent, ref),
                         relDecoded = relativeL2(r.decoded, refDecoded);
            // The CPU's bfloat16 bound (tst_engine bfloat16StaysClose); float16 has 3 more bits.
            VERIFY_MSG(rel < (p == Precision::Float16 ? 0.01 : 0.05) && rel > 0,
                       "latent L2 rel " + describe(rel));
            VERIFY_MSG(relDecoded < 0.05, "decoded L2 rel " + describe(relDecoded));
            VERIFY(r.precision == p);
            VERIFY(r.note.empty());
        });
    }
}

ENGINE_TEST(float16OverflowIsRecomputedInBfloat16) {
    requireGpu();
    // The decoder's first convolution scaled up: activations beyond float16's 65504 (GroupNorm
    // downstream makes the output itself the same), as decoders overflow in practice.
    StateDict w = toStateDict(std::move(CheckpointReader::read(fixture("v8_1.ckpt")).tensors));
    w["decoder.conv_in.weight"].mul_(3e5);
    w["decoder.conv_in.bias"].mul_(3e5);
    StateDict copy;
    for (const auto& [k, t] : w)
        copy[k] = t.clone();
    EngineOptions o;
    o.device = DeviceKind::Cuda;
    o.precision = Precision::Float16;
    Engine fp16 = Engine::fromStateDict(std::move(w), "scaled decoder", o);
    o.precision = Precision::BFloat16;
    Engine bf16 = Engine::fromStateDict(std::move(copy), "scaled decoder", o);
    const at::Tensor input = loadNpy(fixture("v8_1_64x48_input.npy"));
    const EncodeResult r = fp16.encode(input, {true, false, 0});
    VERIFY(at::isfinite(r.decoded).all().item<bool>());
    VERIFY(r.precision == Precision::BFloat16);
    VERIFY_MSG(r.note.find("float16 overflowed") != std::string::npos &&
                   r.note.find("bfloat16") != std::string::npos,
               r.note);
    const EncodeResult expected = bf16.encode(input, {true, false, 0});
    VERIFY_MSG(maxAbsDiff(r.decoded, expected.decoded) <= 1e-6,
               describe(maxAbsDiff(r.decoded, expected.decoded)));
    // decode() alone recomputes too, and says so.
    std::string note;
    const at::Tensor decoded = fp16.decode(r.z, nullptr, &note);
    VERIFY(at::isfinite(decoded).all().item<bool>());
    VERIFY_MSG(note.find("float16 overflowed") != std::string::npos, note);
    // A batch recomputes only the images that overflowed (here: all) and keeps the order.
    const std::vector<EncodeResult> batch = fp16.encodeBatch({input, input}, {true, false, 0});
    for (const EncodeResult& item : batch)
        VERIFY(!item.note.empty() && at::isfinite(item.decoded).all().item<bool>());
}

ENGINE_TEST(fusedAttentionMatchesChunkedOnGpu) {
    requireGpu();
    if (!torch_compat::kHasFusedAttention) skip("this LibTorch has no fused attention");
    const at::Tensor input = loadNpy(fixture("v8_1_100x76_input.npy"));
    const EncodeResult a = load("v8_1.ckpt", DeviceKind::Cuda).encode(input, {true, false, 0});
    const EncodeResult b =
        load("v8_1.ckpt", DeviceKind::Cuda, Precision::Float32, AttentionKernel::Chunked)
            .encode(input, {true, false, 0});
    VERIFY_MSG(relativeMax(a.decoded, b.decoded) <= 1e-4,
               describe(relativeMax(a.decoded, b.decoded)));
    VERIFY_MSG(relativeMax(a.latent, b.latent) <= 1e-4, describe(relativeMax(a.latent, b.latent)));
}

ENGINE_TEST(batchEqualsSingleOnGpu) {
    requireGpu();
    Engine engine = load("v8_4.ckpt", DeviceKind::Cuda);
    at::manual_seed(2);
    std::vector<at::Tensor> images;
    for (int i = 0; i < 4; ++i)
        images.push_back(at::rand({3, 64, 64}) * 2 - 1);
    const std::vector<EncodeResult> batch = engine.encodeBatch(images, {true, false, 0});
    for (std::size_t i = 0; i < images.size(); ++i) {
        const EncodeResult single = engine.encode(images[i], {true, false, 0});
        VERIFY_MSG(relativeMax(batch[i].decoded, single.decoded) <= 1e-4,
                   describe(relativeMax(batch[i].decoded, single.decoded)));
    }
}

ENGINE_TEST(outOfMemoryIsAClearErrorAndTheDeviceGoesOn) {
    requireGpu();
    Engine engine = load("v8_1.ckpt", DeviceKind::Cuda);
    // 40000² pixels: the first activation alone (32 channels, float32) is 205 GB.
    const at::Tensor huge = at::zeros({1, 40000, 40000});
    try {
        engine.encode(huge);
        VERIFY_MSG(false, "a 40000x40000 image was encoded");
    } catch (const LimitExceeded& e) {
        const std::string m = e.what();
        VERIFY_MSG(m.find("out of cuda:0 memory") != std::string::npos &&
                       m.find("40000x40000") != std::string::npos &&
                       m.find("estimates") != std::string::npos,
                   m);
    }
    const EncodeResult after =
        engine.encode(loadNpy(fixture("v8_1_64x48_input.npy")), {true, false, 0});
    std::string why;
    VERIFY_MSG(close(after.decoded, loadNpy(fixture("v8_1_64x48_decoded.npy")), 1e-4, 1e-4, &why),
               why);
}

ENGINE_TEST(cancelStopsWithinABlock) {
    requireGpu();
    Engine engine = load("v8_4.ckpt", DeviceKind::Cuda);
    const at::Tensor input = at::rand({3, 1024, 1024}) * 2 - 1;
    int checks = 0;
    RunControl control;
    control.cancelled = [&] { return ++checks >= 3; };
    VERIFY_THROWS(Cancelled, engine.encode(input, {true, false, 0}, &control));
    COMPARE(checks, 3);
    // Progress on the GPU reports every finished block (and parts of blocks), in order.
    std::vector<int> seen;
    control.cancelled = nullptr;
    control.progress = [&](int done, int) { seen.push_back(done); };
    engine.encode(input, {false, false, 0}, &control);
    int ends = 0;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        VERIFY_MSG(i == 0 || seen[i] > seen[i - 1], "progress went back or stood still");
        if (seen[i] % StepCounter::kUnitsPerBlock == 0) ++ends;
    }
    COMPARE(ends,
            engine.info().architecture.numResBlocks * engine.info().architecture.levels() + 2);
}

ENGINE_TEST(refusesAMissingDevice) {
    requireGpu();
    EngineOptions o;
    o.device = DeviceKind::Cuda;
    o.deviceIndex = Engine::cudaDeviceCount();
    try {
        Engine::fromFile(fixture("v8_1.ckpt"), o);
        VERIFY_MSG(false, "a device beyond the last was accepted");
    } catch (const Error& e) {
        const std::string expected =
            "CUDA device " + std::to_string(o.deviceIndex) + " was requested";
        VERIFY_MSG(std::string(e.what()).find(expected) != std::string::npos, e.what());
    }
}
