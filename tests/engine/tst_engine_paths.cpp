// The engine's alternative paths against each other and against the reference, on the CPU:
// LibTorch's fused attention (LibTorch 2.1+) against the chunked attention, batches against
// single images, the device and precision spellings every program accepts, float16 on the CPU.
// Part of tst_engine (same fixtures, same runner).

#include <ATen/ATen.h>

#include "engine.h"
#include "engine_check.h"
#include "engine_fixtures.h"
#include "error.h"
#include "network_blocks.h"
#include "torch_compat.h"

using namespace medvae;
using namespace medvae::test;

namespace {

Engine load(const std::string& file, AttentionKernel kernel,
            Precision precision = Precision::Float32) {
    EngineOptions o;
    o.attention = kernel;
    o.precision = precision;
    return Engine::fromFile(fixture(file), o);
}

}  // namespace

ENGINE_TEST(fusedAttentionMatchesChunked) {
    if (!torch_compat::kHasFusedAttention)
        skip("this LibTorch (" TORCH_VERSION ") has no fused attention: chunked only");
    // Attention inside levels (v8_1, v4_1) and in the mid block only (v8_4), every size: the
    // same numbers as the chunked path, and as the reference.
    for (const char* file : {"v8_1.ckpt", "v4_1.ckpt", "v8_4.ckpt"}) {
        const std::string stem = std::string(file).substr(0, 4);
        for (const char* size : {"_64x48", "_100x76"}) {
            row(std::string(file) + size, [&] {
                Engine fused = load(file, AttentionKernel::Fused);
                Engine chunked = load(file, AttentionKernel::Chunked);
                VERIFY(fused.info().fusedAttention);
                VERIFY(!chunked.info().fusedAttention);
                const at::Tensor input = loadNpy(fixture(stem + size + "_input.npy"));
                const EncodeResult a = fused.encode(input, {true, false, 0});
                const EncodeResult b = chunked.encode(input, {true, false, 0});
                // Both are float32 paths that differ only in the order of their sums: the
                // latents agree to a few ulps; the decoder amplifies that (latents 7e-7 apart
                // have given decoded images 1.06e-5 apart, values up to 3.7, with LibTorch 2.x),
                // so the decoded images are held to the reference parity tolerance, against
                // each other as against the reference.
                const double dl = maxAbsDiff(a.latent, b.latent);
                VERIFY_MSG(dl <= 1e-5, "fused vs chunked: latents " + describe(dl) + " apart");
                std::string why;
                VERIFY_MSG(close(a.decoded, b.decoded, 1e-4, 1e-5, &why),
                           "fused vs chunked decoded: " + why);
                VERIFY_MSG(close(a.decoded, loadNpy(fixture(stem + size + "_decoded.npy")), 1e-4,
                                 1e-5, &why),
                           why);
            });
        }
    }
    // The kernel itself against softmax(q kᵀ / sqrt(C)) v written out, on a size where the CPU
    // kernel works in several blocks (rows > 256).
    at::manual_seed(5);
    const at::Tensor q = at::randn({2, 1, 700, 32}), k = at::randn({2, 1, 700, 32}),
                     v = at::randn({2, 1, 700, 32});
    const at::Tensor expected =
        at::matmul(at::softmax(at::matmul(q, k.transpose(2, 3)) / std::sqrt(32.0), 3), v);
    const double d = maxAbsDiff(torch_compat::fusedAttention(q, k, v), expected);
    VERIFY_MSG(d < 1e-5, "fused attention vs the formula: " + describe(d));
}

ENGINE_TEST(bfloat16FusedMatchesChunked) {
    if (!torch_compat::kHasFusedAttention) skip("this LibTorch has no fused attention");
    const at::Tensor input = loadNpy(fixture("v8_1_100x76_input.npy"));
    const at::Tensor refLatent = loadNpy(fixture("v8_1_100x76_latent.npy"));
    const at::Tensor refDecoded = loadNpy(fixture("v8_1_100x76_decoded.npy"));
    const EncodeResult a = load("v8_1.ckpt", AttentionKernel::Fused, Precision::BFloat16)
                               .encode(input, {true, false, 0});
    const EncodeResult b = load("v8_1.ckpt", AttentionKernel::Chunked, Precision::BFloat16)
                               .encode(input, {true, false, 0});
    // The two paths round differently in bfloat16 (the fused one runs q, k and v as three
    // convolutions, the chunked one as one), and the decoder amplifies single elements: what
    // must hold is that both are as close to the float32 reference as bfloat16StaysClose asks,
    // and to each other.
    for (const auto& [r, name] : {std::pair{&a, "fused"}, std::pair{&b, "chunked"}}) {
        const double latent = relativeL2(r->latent, refLatent),
                     decoded = relativeL2(r->decoded, refDecoded);
        VERIFY_MSG(latent < 0.05 && decoded < 0.05 && latent > 0,
                   std::string(name) + " bf16 vs the float32 reference: latent " +
                       describe(latent) + ", decoded " + describe(decoded));
    }
    const double apart = relativeL2(a.decoded, b.decoded);
    VERIFY_MSG(apart < 0.05, "bf16 fused vs chunked, decoded L2 rel " + describe(apart) +
                                 " (max rel " + describe(relativeMax(a.decoded, b.decoded)) + ")");
}

ENGINE_TEST(batchEqualsSingleImages) {
    for (AttentionKernel kernel : {AttentionKernel::Fused, AttentionKernel::Chunked}) {
        row(kernel == AttentionKernel::Fused ? "fused" : "chunked", [&] {
            Engine engine = load("v8_1.ckpt", kernel);
            std::vector<at::Tensor> images;
            at::manual_seed(9);
            for (int i = 0; i < 3; ++i)
                images.push_back(at::rand({1, 40, 56}) * 2 - 1);
            EncodeOptions o;
            o.decode = true;
            o.sample = true;
            o.seed = 11;
            const std::vector<EncodeResult> batch = engine.encodeBatch(images, o);
            COMPARE(batch.size(), std::size_t(3));
            for (std::size_t i = 0; i < 3; ++i) {
                const EncodeResult single = engine.encode(images[i], o);
                VERIFY_MSG(maxAbsDiff(batch[i].z, single.z) <= 1e-5,
                           describe(maxAbsDiff(batch[i].z, single.z)));
                VERIFY_MSG(maxAbsDiff(batch[i].latent, single.latent) <= 1e-5,
                           describe(maxAbsDiff(batch[i].latent, single.latent)));
                VERIFY_MSG(maxAbsDiff(batch[i].decoded, single.decoded) <= 1e-5,
                           describe(maxAbsDiff(batch[i].decoded, single.decoded)));
            }
            // Images of different sizes are refused, naming both.
            try {
                engine.encodeBatch({images[0], at::zeros({1, 48, 56})});
                VERIFY_MSG(false, "a batch of two sizes was accepted");
            } catch (const Error& e) {
                VERIFY_MSG(std::string(e.what()).find("one size") != std::string::npos, e.what());
            }
            // The estimate grows with the batch (activations scale, weights do not).
            const std::uint64_t one = engine.estimateEncodeBytes(512, 512, true, 1);
            const std::uint64_t four = engine.estimateEncodeBytes(512, 512, true, 4);
            VERIFY(four > 3 * (one - engine.estimateEncodeBytes(8, 8, true, 1)));
            VERIFY(four < 4 * one);
        });
    }
}

ENGINE_TEST(deviceAndPrecisionSpellings) {
    EngineOptions o;
    parseDevice("cuda:3", o);
    VERIFY(o.device == DeviceKind::Cuda);
    COMPARE(o.deviceIndex, 3);
    parseDevice("cpu", o);
    VERIFY(o.device == DeviceKind::Cpu);
    parseDevice("cuda", o);
    VERIFY(o.device == DeviceKind::Cuda);
    COMPARE(o.deviceIndex, 0);
    COMPARE(deviceLabel(DeviceKind::Cuda, 2), std::string("cuda:2"));
    for (const char* bad : {"cuda:", "cuda:x", "cuda:-1", "cuda:1234", "tpu", "CUDA", ""})
        VERIFY_THROWS(Error, parseDevice(bad, o));
    VERIFY(parsePrecision("fp16") == Precision::Float16);
    VERIFY(parsePrecision("half") == Precision::Float16);
    VERIFY(parsePrecision("bfloat16") == Precision::BFloat16);
    VERIFY(parsePrecision("fp32") == Precision::Float32);
    VERIFY_THROWS(Error, parsePrecision("fp8"));
    COMPARE(std::string(precisionFlag(Precision::Float16)), std::string("fp16"));
}

ENGINE_TEST(float16IsRefusedOnTheCpu) {
    // LibTorch's CPU float16 convolutions are slow where they exist at all, and float16 overflows
    // where bfloat16 does not: the CPU offers float32 and bfloat16.
    try {
        load("v8_1.ckpt", AttentionKernel::Fused, Precision::Float16);
        VERIFY_MSG(false, "float16 accepted on the CPU");
    } catch (const Error& e) {
        const std::string m = e.what();
        VERIFY_MSG(m.find("float16") != std::string::npos && m.find("bf16") != std::string::npos,
                   m);
    }
}
