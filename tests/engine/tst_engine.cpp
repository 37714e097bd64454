// The engine against the independent PyTorch reference: every variant shape, with and without
// LoRA, float32/float16/bfloat16 checkpoints, every layout, odd image sizes, sampling, chunked
// attention, decode of z, refusal of incomplete or mismatched weights, progress and cancel.

#include <ATen/ATen.h>

#include <map>
#include <memory>
#include <set>

#include "checkpoint_reader.h"
#include "engine.h"
#include "engine_check.h"
#include "engine_fixtures.h"
#include "error.h"
#include "group_norm_silu.h"
#include "key_mapping.h"
#include "network_blocks.h"
#include "state_dict.h"
#include "synthetic_weights.h"

using namespace medvae;
using namespace medvae::test;

namespace {

// float32 against float64-accurate references: see the generator's notes on sensitivity.
constexpr double kAtol = 1e-4, kRtol = 1e-5;

std::map<std::string, std::unique_ptr<Engine>>& engines() {
    static std::map<std::string, std::unique_ptr<Engine>> cache;
    return cache;
}

// The engine for a fixture checkpoint, loaded once. With the default attention (LibTorch's
// fused kernel where the build has it) unless `kernel` says chunked.
Engine& engineFor(const std::string& file, std::size_t chunkBytes = std::size_t(256) << 20,
                  AttentionKernel kernel = AttentionKernel::Fused) {
    const std::string key = file + std::to_string(chunkBytes) + std::to_string(int(kernel));
    auto& e = engines()[key];
    if (!e) {
        EngineOptions o;
        o.attentionChunkBytes = chunkBytes;
        o.attention = kernel;
        e = std::make_unique<Engine>(Engine::fromFile(fixture(file), o));
    }
    return *e;
}

Engine& chunkedEngineFor(const std::string& file, std::size_t chunkBytes) {
    return engineFor(file, chunkBytes, AttentionKernel::Chunked);
}

#define VERIFY_CLOSE(a, b)                                    \
    do {                                                      \
        std::string why;                                      \
        VERIFY_MSG(close((a), (b), kAtol, kRtol, &why), why); \
    } while (0)

std::vector<std::int64_t> sizesOf(const at::Tensor& t) {
    return t.sizes().vec();
}

}  // namespace

ENGINE_TEST(matchesReference) {
    const JsonValue& cases = member(manifest(), "cases");
    for (const auto& [kase, c] : cases.members()) {
        for (const JsonValue& file : member(c, "files").array()) {
            const std::string prefix = member(file, "expected_prefix").string();
            const JsonValue& outputs =
                prefix == "v8_4_fp16" ? member(c, "outputs_fp16_checkpoint") : member(c, "outputs");
            for (const JsonValue& o : outputs.array()) {
                const std::string input = member(o, "input").string();
                const std::string stem =
                    input.substr(0, input.size() - std::string("_input.npy").size());
                const std::string name = member(file, "file").string();
                row(name + " " + stem, [&] {
                    Engine& engine = engineFor(name);
                    const at::Tensor x = loadNpy(fixture(stem + "_input.npy"));
                    EncodeOptions eo;
                    eo.decode = true;
                    const EncodeResult r = engine.encode(x, eo);
                    VERIFY_CLOSE(r.z, loadNpy(fixture(stem + "_z.npy")));
                    VERIFY_CLOSE(r.latent, loadNpy(fixture(stem + "_latent.npy")));
                    VERIFY_CLOSE(r.decoded, loadNpy(fixture(stem + "_decoded.npy")));
                    // decode(z) is the same computation as the decode inside encode
                    COMPARE(maxAbsDiff(engine.decode(r.z), r.decoded), 0.0);
                    VERIFY(r.note.empty());
                });
            }
        }
    }
}

ENGINE_TEST(architectureIsInferred) {
    for (const auto& [kase, c] : member(manifest(), "cases").members()) {
        row(kase, [&] {
            const JsonValue& cfg = member(c, "config");
            const ModelInfo& info =
                engineFor(member(member(c, "files").array()[0], "file").string()).info();
            const Architecture& a = info.architecture;
            COMPARE(info.variant, member(c, "variant").string());
            COMPARE(std::int64_t(a.ch), member(cfg, "ch").integer());
            COMPARE(a.chMult.size(), member(cfg, "ch_mult").array().size());
            for (int i = 0; i < a.levels(); ++i)
                COMPARE(std::int64_t(a.chMult[std::size_t(i)]),
                        member(cfg, "ch_mult").array()[std::size_t(i)].integer());
            COMPARE(std::int64_t(a.numResBlocks), member(cfg, "num_res_blocks").integer());
            std::set<int> attn;
            for (const JsonValue& l : member(cfg, "attn_levels").array())
                attn.insert(int(l.integer()));
            COMPARE(a.encoderAttnLevels, attn);
            COMPARE(a.decoderAttnLevels, attn);
            COMPARE(std::int64_t(a.inChannels), member(cfg, "in_channels").integer());
            COMPARE(std::int64_t(a.outChannels), member(cfg, "out_ch").integer());
            COMPARE(std::int64_t(a.zChannels), member(cfg, "z_channels").integer());
            COMPARE(std::int64_t(a.embedChannels), member(cfg, "embed_dim").integer());
            COMPARE(std::int64_t(a.factor()), member(cfg, "factor").integer());
            VERIFY(member(cfg, "lora").isBool());
            COMPARE(a.lora, member(cfg, "lora").boolean());
            COMPARE(double(info.parameters), member(c, "params_merged").number());
            COMPARE(double(info.storedParameters), member(c, "params_with_lora").number());
            COMPARE(info.storedDType, member(c, "stored_dtype").string());
            VERIFY(info.unexpectedKeys.empty());
        });
    }
}

ENGINE_TEST(layoutsGiveIdenticalOutputs) {
    const at::Tensor input = loadNpy(fixture("v8_4_100x76_input.npy"));
    EncodeOptions o;
    o.decode = true;
    const EncodeResult base = engineFor("v8_4.ckpt").encode(input, o);
    for (const char* file : {"v8_4.safetensors", "v8_4_noncontig.ckpt", "v8_4_bare_module.ckpt"}) {
        const EncodeResult r = engineFor(file).encode(input, o);
        COMPARE(maxAbsDiff(r.latent, base.latent), 0.0);
        COMPARE(maxAbsDiff(r.decoded, base.decoded), 0.0);
    }
    COMPARE(engineFor("v8_4_bare_module.ckpt").info().keyPrefix, std::string("module."));
    COMPARE(engineFor("v4_3.ckpt").info().keyPrefix, std::string("model."));
}

ENGINE_TEST(oddSizesFloorLikeUpstream) {
    // 100 x 76 at factor 8 -> 12 x 9 latent and a 96 x 72 reconstruction
    const EncodeResult r =
        engineFor("v8_4.ckpt").encode(loadNpy(fixture("v8_4_100x76_input.npy")), {true, false, 0});
    COMPARE(sizesOf(r.latent), std::vector<std::int64_t>({4, 12, 9}));
    COMPARE(sizesOf(r.decoded), std::vector<std::int64_t>({3, 96, 72}));
    const EncodeResult r4 =
        engineFor("v4_1.ckpt").encode(loadNpy(fixture("v4_1_37x53_input.npy")), {true, false, 0});
    COMPARE(sizesOf(r4.latent), std::vector<std::int64_t>({1, 9, 13}));
    COMPARE(sizesOf(r4.decoded), std::vector<std::int64_t>({1, 36, 52}));
}

ENGINE_TEST(sampledZIsReproducible) {
    Engine& engine = engineFor("v8_4.ckpt");
    const at::Tensor input = loadNpy(fixture("v8_4_64x48_input.npy"));
    EncodeOptions o;
    o.sample = true;
    o.seed = 7;
    const EncodeResult a = engine.encode(input, o);
    const EncodeResult b = engine.encode(input, o);
    COMPARE(maxAbsDiff(a.z, b.z), 0.0);
    VERIFY_CLOSE(a.z, loadNpy(fixture("v8_4_64x48_zsample_seed7.npy")).squeeze(0));
    o.seed = 8;
    VERIFY(maxAbsDiff(engine.encode(input, o).z, a.z) > 1e-3);
    // the mean is the default
    VERIFY_CLOSE(engine.encode(input).z, loadNpy(fixture("v8_4_64x48_z.npy")));
}

ENGINE_TEST(chunkedAttentionIsExact) {
    // The smallest chunks (16 query rows) against the whole matrix at once: the same numbers up
    // to float rounding.
    for (const std::string file : {"v8_1.ckpt", "v4_1.ckpt"}) {  // attention inside levels too
        const std::string stem = file.substr(0, 4) + "_64x48";
        const at::Tensor input = loadNpy(fixture(stem + "_input.npy"));
        const EncodeResult whole =
            chunkedEngineFor(file, std::size_t(256) << 20).encode(input, {true, false, 0});
        const EncodeResult chunked = chunkedEngineFor(file, 1).encode(input, {true, false, 0});
        const double dl = maxAbsDiff(whole.latent, chunked.latent),
                     dd = maxAbsDiff(whole.decoded, chunked.decoded);
        VERIFY_MSG(dl <= 1e-5 && dd <= 1e-5,
                   "latent " + describe(dl) + ", decoded " + describe(dd) + " apart");
        VERIFY_CLOSE(chunked.decoded, loadNpy(fixture(stem + "_decoded.npy")));
    }
    // The free function against softmax(q kᵀ / sqrt(C)) v written out.
    at::manual_seed(3);
    const at::Tensor q = at::randn({2, 300, 16}), k = at::randn({2, 300, 16}),
                     v = at::randn({2, 300, 16});
    const at::Tensor expected = at::bmm(at::softmax(at::bmm(q, k.transpose(1, 2)) / 4.0, 2), v);
    for (std::size_t bytes : {std::size_t(1), std::size_t(5000), std::size_t(1) << 30})
        VERIFY(maxAbsDiff(chunkedAttention(q, k, v, bytes), expected) < 1e-5);

    // Cancelling is noticed between chunks, not only between blocks: 300 rows in chunks of
    // 16 are 19 chunks; a stop asked at the third check ends the call there.
    int asked = 0;
    RunControl control;
    control.cancelled = [&asked] { return ++asked >= 3; };
    StepCounter steps(&control, 1);
    VERIFY_THROWS(Cancelled, chunkedAttention(q, k, v, 1, &steps));
    COMPARE(asked, 3);
    asked = -1000;
    VERIFY(maxAbsDiff(chunkedAttention(q, k, v, 1, &steps), expected) < 1e-5);
    COMPARE(asked, -1000 + 19);
}

ENGINE_TEST(groupNormKernelIsAccurate) {
    // The own kernel (bfloat16, and in place) against LibTorch's GroupNorm in double, on
    // data whose mean is large next to its spread.
    at::manual_seed(4);
    const at::Tensor x =
        (at::randn({2, 64, 37, 29}) * 0.01 + 1000.0).contiguous(at::MemoryFormat::ChannelsLast);
    const at::Tensor gamma = at::randn({64}) * 0.1 + 1, beta = at::randn({64}) * 0.1;
    const at::Tensor expected = at::silu(
        at::group_norm(x.to(at::kDouble), 32, gamma.to(at::kDouble), beta.to(at::kDouble), 1e-6));
    at::Tensor inPlace = x.clone();
    {
        c10::InferenceMode guard;
        groupNormSiluInPlace(inPlace, gamma, beta, 32, 1e-6, true);
    }
    VERIFY_MSG(maxAbsDiff(inPlace, expected) < 2e-3, describe(maxAbsDiff(inPlace, expected)));
    // Into a new float32 buffer too: LibTorch 1.13's channels-last float32 kernel (used here
    // before) computed E[x^2] - E[x]^2 in float and was off by ~1e2 on this input.
    at::Tensor outOfPlace;
    {
        c10::InferenceMode guard;
        outOfPlace = groupNormSilu(x, gamma, beta, 32, 1e-6, true);
    }
    VERIFY(outOfPlace.is_contiguous(at::MemoryFormat::ChannelsLast));
    VERIFY_MSG(maxAbsDiff(outOfPlace, expected) < 2e-3, describe(maxAbsDiff(outOfPlace, expected)));
    // bfloat16 input: the statistics are exact, only the storage rounds.
    const at::Tensor moderate =
        (at::randn({1, 64, 33, 21}) * 3 + 2).contiguous(at::MemoryFormat::ChannelsLast);
    const at::Tensor ref =
        at::silu(at::group_norm(moderate.to(at::kBFloat16).to(at::kDouble), 32,
                                gamma.to(at::kDouble), beta.to(at::kDouble), 1e-6));
    at::Tensor bf;
    {
        c10::InferenceMode guard;
        bf = groupNormSilu(moderate.to(at::kBFloat16), gamma, beta, 32, 1e-6, true);
    }
    VERIFY(bf.scalar_type() == at::kBFloat16);
    VERIFY(bf.is_contiguous(at::MemoryFormat::ChannelsLast));
    const double rel = (bf.to(at::kDouble) - ref).norm().item<double>() / ref.norm().item<double>();
    VERIFY_MSG(rel < 6e-3, "bf16 GroupNorm relative error " + describe(rel));
}

ENGINE_TEST(bfloat16StaysClose) {
    EngineOptions o;
    o.precision = Precision::BFloat16;
    Engine engine = Engine::fromFile(fixture("v8_4.ckpt"), o);
    const at::Tensor input = loadNpy(fixture("v8_4_128x128_input.npy"));
    const EncodeResult r = engine.encode(input, {true, false, 0});
    const at::Tensor ref = loadNpy(fixture("v8_4_128x128_latent.npy"));
    const double rel = (r.latent - ref).norm().item<double>() / ref.norm().item<double>();
    VERIFY_MSG(rel < 0.05, "bf16 latent relative error " + describe(rel));
    VERIFY(rel > 0);  // it really ran in reduced precision
    VERIFY(r.latent.scalar_type() == at::kFloat);
    VERIFY(r.precision == Precision::BFloat16);
}

ENGINE_TEST(refusesIncompleteOrMismatchedWeights) {
    auto error = [](const char* file) {
        try {
            Engine::fromFile(fixture(file));
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    const std::string missing = error("bad_missing_key.ckpt");
    VERIFY_MSG(missing.find("lacks weights") != std::string::npos &&
                   missing.find("decoder.conv_out.weight") != std::string::npos,
               missing);
    const std::string shape = error("bad_shape.ckpt");
    VERIFY_MSG(shape.find("wrong shape") != std::string::npos &&
                   shape.find("decoder.conv_in.weight") != std::string::npos,
               shape);
}

ENGINE_TEST(reportsUnexpectedKeys) {
    Architecture a = medvae84Architecture();
    a.ch = 32;
    a.chMult = {1, 1};
    a.numResBlocks = 1;
    StateDict w = syntheticWeights(a, false, 5);
    w["loss.discriminator.main.0.weight"] = at::zeros({4});
    w["model_ema.decay"] = at::zeros({});
    Engine e = Engine::fromStateDict(std::move(w), "synthetic");
    COMPARE(e.info().unexpectedKeys,
            std::vector<std::string>({"loss.discriminator.main.0.weight", "model_ema.decay"}));
    COMPARE(e.info().variant, std::string("custom"));  // factor 2 is no published variant
}

ENGINE_TEST(loraMergeEqualsAdapterSum) {
    at::manual_seed(1);
    StateDict w;
    const at::Tensor W = at::randn({8, 6, 3, 3}), b = at::randn({8});
    const at::Tensor down = at::randn({4, 6, 3, 3}), up = at::randn({8, 4, 1, 1});
    w["encoder.down.0.block.0.conv1.conv.weight"] = W;
    w["encoder.down.0.block.0.conv1.conv.bias"] = b;
    w["encoder.down.0.block.0.conv1.lora_down.weight"] = down;
    w["encoder.down.0.block.0.conv1.lora_up.weight"] = up;
    w["encoder.down.0.downsample.conv.weight"] = at::randn({6, 6, 3, 3});  // not LoRA-wrapped
    KeyMappingReport report;
    const StateDict m = KeyMapping::apply(w, "t", report);
    COMPARE(report.loraMerged, 1);
    VERIFY(m.count("encoder.down.0.downsample.conv.weight"));
    // conv(x) + up(down(x)) == merged conv(x)
    const at::Tensor x = at::randn({1, 6, 11, 9});
    const at::Tensor expected =
        at::conv2d(x, W, b, 1, 1) + at::conv2d(at::conv2d(x, down, {}, 1, 1), up);
    const at::Tensor merged = at::conv2d(x, m.at("encoder.down.0.block.0.conv1.weight"),
                                         m.at("encoder.down.0.block.0.conv1.bias"), 1, 1);
    VERIFY(maxAbsDiff(merged, expected) < 1e-4);
    // a half adapter is refused
    w.erase("encoder.down.0.block.0.conv1.lora_up.weight");
    VERIFY_THROWS(Error, KeyMapping::apply(w, "t", report));
}

ENGINE_TEST(refusesImplausibleReconstruction) {
    // A decoder whose output layer is scaled up answers far outside model space, as a
    // numerical breakdown does: the engine refuses the result instead of returning it.
    StateDict w = toStateDict(std::move(CheckpointReader::read(fixture("v8_1.ckpt")).tensors));
    w["decoder.conv_out.weight"].mul_(1000);
    w["decoder.conv_out.bias"].mul_(1000);
    Engine engine = Engine::fromStateDict(std::move(w), "scaled decoder");
    const at::Tensor input = loadNpy(fixture("v8_1_64x48_input.npy"));
    const EncodeResult latentOnly = engine.encode(input);  // the encoder is unchanged
    VERIFY_CLOSE(latentOnly.z, loadNpy(fixture("v8_1_64x48_z.npy")));
    for (int viaDecode = 0; viaDecode < 2; ++viaDecode) {
        try {
            if (viaDecode) {
                engine.decode(latentOnly.z);
            } else {
                engine.encode(input, {true, false, 0});
            }
            VERIFY_MSG(false, "an implausible reconstruction was returned");
        } catch (const Error& e) {
            VERIFY_MSG(std::string(e.what()).find("implausible") != std::string::npos, e.what());
        }
    }
}

ENGINE_TEST(rejectsUnsuitableInput) {
    Engine& engine = engineFor("v8_4.ckpt");
    VERIFY_THROWS(Error,
                  engine.encode(at::zeros({1, 64, 64})));        // 1 channel into a 3-channel model
    VERIFY_THROWS(Error, engine.encode(at::zeros({3, 7, 64})));  // smaller than the factor
    VERIFY_THROWS(Error, engine.encode(at::zeros({64, 64})));
    VERIFY_THROWS(Error, engine.decode(at::zeros({3, 4, 4})));  // z has 4 channels
}

ENGINE_TEST(progressAndCancel) {
    Engine& engine = engineFor("v8_4.ckpt");
    const at::Tensor input = loadNpy(fixture("v8_4_64x48_input.npy"));
    std::vector<int> seen;
    int total = 0;
    RunControl control;
    control.progress = [&](int done, int all) {
        seen.push_back(done);
        total = all;
    };
    engine.encode(input, {true, false, 0}, &control);
    // Every block's end (the encoder's and the decoder's), and parts of blocks in between: after
    // each ResnetBlock's first convolution and between the mid-block's attention chunks.
    const Architecture& a = engine.info().architecture;
    const int blocks = (a.numResBlocks * a.levels() + 2) + ((a.numResBlocks + 1) * a.levels() + 2);
    COMPARE(total, blocks * StepCounter::kUnitsPerBlock);
    COMPARE(seen.back(), total);
    int ends = 0;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        VERIFY_MSG(i == 0 || seen[i] > seen[i - 1], "progress went back or stood still");
        if (seen[i] % StepCounter::kUnitsPerBlock == 0) ++ends;
    }
    COMPARE(ends, blocks);
    VERIFY_MSG(int(seen.size()) >= 2 * blocks, describe(seen.size()));

    int calls = 0;
    control.progress = nullptr;
    control.cancelled = [&] { return ++calls >= 3; };
    VERIFY_THROWS(Cancelled, engine.encode(input, {true, false, 0}, &control));
    COMPARE(calls, 3);
}

ENGINE_TEST(cudaRefusedWithoutGpu) {
    // With a GPU, tst_engine_cuda compares the numbers. Without: a clear refusal, not a crash.
    if (Engine::cudaAvailable()) skip("a CUDA device is visible: tst_engine_cuda runs on it");
    EngineOptions o;
    o.device = DeviceKind::Cuda;
    try {
        Engine::fromFile(fixture("v8_1.ckpt"), o);
        VERIFY_MSG(false, "CUDA accepted without a GPU");
    } catch (const Error& e) {
        VERIFY_MSG(std::string(e.what()).find("CUDA") != std::string::npos, e.what());
    }
}
