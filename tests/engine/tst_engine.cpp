// The engine against the independent PyTorch reference: every variant shape, with and without
// LoRA, float32/float16/bfloat16 checkpoints, every layout, odd image sizes, sampling, chunked
// attention, decode of z, refusal of incomplete or mismatched weights, progress and cancel.

#include <ATen/ATen.h>

#include <QJsonArray>
#include <QTest>

#include "checkpoint_reader.h"
#include "engine.h"
#include "error.h"
#include "fixture_data.h"
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

std::map<QString, std::unique_ptr<Engine>>& engines() {
    static std::map<QString, std::unique_ptr<Engine>> cache;
    return cache;
}

Engine& engineFor(const QString& file, std::size_t chunkBytes = std::size_t(256) << 20) {
    const QString key = file + QString::number(chunkBytes);
    auto& e = engines()[key];
    if (!e) {
        EngineOptions o;
        o.attentionChunkBytes = chunkBytes;
        e = std::make_unique<Engine>(Engine::fromFile(fixture(file).toStdString(), o));
    }
    return *e;
}

#define VERIFY_CLOSE(a, b)                                              \
    do {                                                                \
        QString why;                                                    \
        QVERIFY2(close((a), (b), kAtol, kRtol, &why), qPrintable(why)); \
    } while (0)

}  // namespace

class TestEngine : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void matchesReference_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("kase");
        QTest::addColumn<QString>("stem");
        const QJsonObject cases = manifest()["cases"].toObject();
        for (const QString& kase : cases.keys()) {
            const QJsonObject c = cases[kase].toObject();
            for (const auto& f : c["files"].toArray()) {
                const QJsonObject file = f.toObject();
                const QString prefix = file["expected_prefix"].toString();
                const QJsonArray outputs = prefix == "v8_4_fp16"
                                               ? c["outputs_fp16_checkpoint"].toArray()
                                               : c["outputs"].toArray();
                for (const auto& o : outputs) {
                    const QString input = o.toObject()["input"].toString();
                    const QString stem = input.left(input.size() - QString("_input.npy").size());
                    QTest::newRow(qPrintable(file["file"].toString() + " " + stem))
                        << file["file"].toString() << kase << stem;
                }
            }
        }
    }
    void matchesReference() {
        QFETCH(QString, file);
        QFETCH(QString, stem);
        Engine& engine = engineFor(file);
        const at::Tensor input = loadNpy(fixture(stem + "_input.npy"));
        EncodeOptions o;
        o.decode = true;
        const EncodeResult r = engine.encode(input, o);
        VERIFY_CLOSE(r.z, loadNpy(fixture(stem + "_z.npy")));
        VERIFY_CLOSE(r.latent, loadNpy(fixture(stem + "_latent.npy")));
        VERIFY_CLOSE(r.decoded, loadNpy(fixture(stem + "_decoded.npy")));
        // decode(z) is the same computation as the decode inside encode
        QCOMPARE(maxAbsDiff(engine.decode(r.z), r.decoded), 0.0);
    }

    void architectureIsInferred_data() {
        QTest::addColumn<QString>("kase");
        for (const QString& kase : manifest()["cases"].toObject().keys())
            QTest::newRow(qPrintable(kase)) << kase;
    }
    void architectureIsInferred() {
        QFETCH(QString, kase);
        const QJsonObject c = manifest()["cases"].toObject()[kase].toObject();
        const QJsonObject cfg = c["config"].toObject();
        const ModelInfo& info =
            engineFor(c["files"].toArray()[0].toObject()["file"].toString()).info();
        const Architecture& a = info.architecture;
        QCOMPARE(QString::fromStdString(info.variant), c["variant"].toString());
        QCOMPARE(a.ch, cfg["ch"].toInt());
        QCOMPARE(int(a.chMult.size()), cfg["ch_mult"].toArray().size());
        for (int i = 0; i < a.levels(); ++i)
            QCOMPARE(a.chMult[std::size_t(i)], cfg["ch_mult"].toArray()[i].toInt());
        QCOMPARE(a.numResBlocks, cfg["num_res_blocks"].toInt());
        std::set<int> attn;
        for (const auto& l : cfg["attn_levels"].toArray())
            attn.insert(l.toInt());
        QCOMPARE(a.encoderAttnLevels, attn);
        QCOMPARE(a.decoderAttnLevels, attn);
        QCOMPARE(a.inChannels, cfg["in_channels"].toInt());
        QCOMPARE(a.outChannels, cfg["out_ch"].toInt());
        QCOMPARE(a.zChannels, cfg["z_channels"].toInt());
        QCOMPARE(a.embedChannels, cfg["embed_dim"].toInt());
        QCOMPARE(a.factor(), cfg["factor"].toInt());
        QCOMPARE(a.lora, cfg["lora"].toBool());
        QCOMPARE(double(info.parameters), c["params_merged"].toDouble());
        QCOMPARE(double(info.storedParameters), c["params_with_lora"].toDouble());
        QCOMPARE(QString::fromStdString(info.storedDType), c["stored_dtype"].toString());
        QVERIFY(info.unexpectedKeys.empty());
    }

    void layoutsGiveIdenticalOutputs() {
        const at::Tensor input = loadNpy(fixture("v8_4_100x76_input.npy"));
        EncodeOptions o;
        o.decode = true;
        const EncodeResult base = engineFor("v8_4.ckpt").encode(input, o);
        for (const char* file :
             {"v8_4.safetensors", "v8_4_noncontig.ckpt", "v8_4_bare_module.ckpt"}) {
            const EncodeResult r = engineFor(file).encode(input, o);
            QCOMPARE(maxAbsDiff(r.latent, base.latent), 0.0);
            QCOMPARE(maxAbsDiff(r.decoded, base.decoded), 0.0);
        }
        QCOMPARE(QString::fromStdString(engineFor("v8_4_bare_module.ckpt").info().keyPrefix),
                 QString("module."));
        QCOMPARE(QString::fromStdString(engineFor("v4_3.ckpt").info().keyPrefix),
                 QString("model."));
    }

    void oddSizesFloorLikeUpstream() {
        // 100 x 76 at factor 8 -> 12 x 9 latent and a 96 x 72 reconstruction
        const EncodeResult r =
            engineFor("v8_4.ckpt")
                .encode(loadNpy(fixture("v8_4_100x76_input.npy")), {true, false, 0});
        QCOMPARE(r.latent.sizes().vec(), std::vector<std::int64_t>({4, 12, 9}));
        QCOMPARE(r.decoded.sizes().vec(), std::vector<std::int64_t>({3, 96, 72}));
        const EncodeResult r4 =
            engineFor("v4_1.ckpt")
                .encode(loadNpy(fixture("v4_1_37x53_input.npy")), {true, false, 0});
        QCOMPARE(r4.latent.sizes().vec(), std::vector<std::int64_t>({1, 9, 13}));
        QCOMPARE(r4.decoded.sizes().vec(), std::vector<std::int64_t>({1, 36, 52}));
    }

    void sampledZIsReproducible() {
        Engine& engine = engineFor("v8_4.ckpt");
        const at::Tensor input = loadNpy(fixture("v8_4_64x48_input.npy"));
        EncodeOptions o;
        o.sample = true;
        o.seed = 7;
        const EncodeResult a = engine.encode(input, o);
        const EncodeResult b = engine.encode(input, o);
        QCOMPARE(maxAbsDiff(a.z, b.z), 0.0);
        VERIFY_CLOSE(a.z, loadNpy(fixture("v8_4_64x48_zsample_seed7.npy")).squeeze(0));
        o.seed = 8;
        QVERIFY(maxAbsDiff(engine.encode(input, o).z, a.z) > 1e-3);
        // the mean is the default
        VERIFY_CLOSE(engine.encode(input).z, loadNpy(fixture("v8_4_64x48_z.npy")));
    }

    void chunkedAttentionIsExact() {
        // The smallest chunks (16 query rows) against the whole matrix at once: the same numbers up
        // to float rounding.
        for (const char* file :
             {"v8_1.ckpt", "v4_1.ckpt"}) {  // these have attention inside levels too
            const QString stem = QString(file).left(4) + "_64x48";
            const at::Tensor input = loadNpy(fixture(stem + "_input.npy"));
            const EncodeResult whole = engineFor(file).encode(input, {true, false, 0});
            const EncodeResult chunked = engineFor(file, 1).encode(input, {true, false, 0});
            const double dl = maxAbsDiff(whole.latent, chunked.latent),
                         dd = maxAbsDiff(whole.decoded, chunked.decoded);
            QVERIFY2(dl <= 1e-5 && dd <= 1e-5,
                     qPrintable(QString("latent %1, decoded %2 apart").arg(dl).arg(dd)));
            VERIFY_CLOSE(chunked.decoded, loadNpy(fixture(stem + "_decoded.npy")));
        }
        // The free function against softmax(q kᵀ / sqrt(C)) v written out.
        at::manual_seed(3);
        const at::Tensor q = at::randn({2, 300, 16}), k = at::randn({2, 300, 16}),
                         v = at::randn({2, 300, 16});
        const at::Tensor expected = at::bmm(at::softmax(at::bmm(q, k.transpose(1, 2)) / 4.0, 2), v);
        for (std::size_t bytes : {std::size_t(1), std::size_t(5000), std::size_t(1) << 30})
            QVERIFY(maxAbsDiff(chunkedAttention(q, k, v, bytes), expected) < 1e-5);

        // Cancelling is noticed between chunks, not only between blocks: 300 rows in chunks of
        // 16 are 19 chunks; a stop asked at the third check ends the call there.
        int asked = 0;
        RunControl control;
        control.cancelled = [&asked] { return ++asked >= 3; };
        StepCounter steps(&control, 1);
        QVERIFY_THROWS_EXCEPTION(Cancelled, chunkedAttention(q, k, v, 1, &steps));
        QCOMPARE(asked, 3);
        asked = -1000;
        QVERIFY(maxAbsDiff(chunkedAttention(q, k, v, 1, &steps), expected) < 1e-5);
        QCOMPARE(asked, -1000 + 19);
    }

    void groupNormKernelIsAccurate() {
        // The own kernel (bfloat16, and in place) against LibTorch's GroupNorm in double, on
        // data whose mean is large next to its spread.
        at::manual_seed(4);
        const at::Tensor x =
            (at::randn({2, 64, 37, 29}) * 0.01 + 1000.0).contiguous(at::MemoryFormat::ChannelsLast);
        const at::Tensor gamma = at::randn({64}) * 0.1 + 1, beta = at::randn({64}) * 0.1;
        const at::Tensor expected = at::silu(at::group_norm(
            x.to(at::kDouble), 32, gamma.to(at::kDouble), beta.to(at::kDouble), 1e-6));
        at::Tensor inPlace = x.clone();
        {
            c10::InferenceMode guard;
            groupNormSiluInPlace(inPlace, gamma, beta, 32, 1e-6, true);
        }
        QVERIFY2(maxAbsDiff(inPlace, expected) < 2e-3,
                 qPrintable(QString::number(maxAbsDiff(inPlace, expected))));
        // Into a new float32 buffer too: LibTorch 1.13's channels-last float32 kernel (used here
        // before) computed E[x^2] - E[x]^2 in float and was off by ~1e2 on this input.
        at::Tensor outOfPlace;
        {
            c10::InferenceMode guard;
            outOfPlace = groupNormSilu(x, gamma, beta, 32, 1e-6, true);
        }
        QVERIFY(outOfPlace.is_contiguous(at::MemoryFormat::ChannelsLast));
        QVERIFY2(maxAbsDiff(outOfPlace, expected) < 2e-3,
                 qPrintable(QString::number(maxAbsDiff(outOfPlace, expected))));
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
        QCOMPARE(bf.scalar_type(), at::kBFloat16);
        QVERIFY(bf.is_contiguous(at::MemoryFormat::ChannelsLast));
        const double rel =
            (bf.to(at::kDouble) - ref).norm().item<double>() / ref.norm().item<double>();
        QVERIFY2(rel < 6e-3, qPrintable(QString("bf16 GroupNorm relative error %1").arg(rel)));
    }

    void bfloat16StaysClose() {
        EngineOptions o;
        o.precision = Precision::BFloat16;
        Engine engine = Engine::fromFile(fixture("v8_4.ckpt").toStdString(), o);
        const at::Tensor input = loadNpy(fixture("v8_4_128x128_input.npy"));
        const EncodeResult r = engine.encode(input, {true, false, 0});
        const at::Tensor ref = loadNpy(fixture("v8_4_128x128_latent.npy"));
        const double rel = (r.latent - ref).norm().item<double>() / ref.norm().item<double>();
        QVERIFY2(rel < 0.05, qPrintable(QString("bf16 latent relative error %1").arg(rel)));
        QVERIFY(rel > 0);  // it really ran in reduced precision
        QCOMPARE(r.latent.scalar_type(), at::kFloat);
    }

    void refusesIncompleteOrMismatchedWeights() {
        auto error = [](const char* file) {
            try {
                Engine::fromFile(fixture(file).toStdString());
            } catch (const Error& e) {
                return QString::fromStdString(e.what());
            }
            return QString();
        };
        const QString missing = error("bad_missing_key.ckpt");
        QVERIFY2(missing.contains("lacks weights") && missing.contains("decoder.conv_out.weight"),
                 qPrintable(missing));
        const QString shape = error("bad_shape.ckpt");
        QVERIFY2(shape.contains("wrong shape") && shape.contains("decoder.conv_in.weight"),
                 qPrintable(shape));
    }

    void reportsUnexpectedKeys() {
        Architecture a = medvae84Architecture();
        a.ch = 32;
        a.chMult = {1, 1};
        a.numResBlocks = 1;
        StateDict w = syntheticWeights(a, false, 5);
        w["loss.discriminator.main.0.weight"] = at::zeros({4});
        w["model_ema.decay"] = at::zeros({});
        Engine e = Engine::fromStateDict(std::move(w), "synthetic");
        QCOMPARE(e.info().unexpectedKeys,
                 std::vector<std::string>({"loss.discriminator.main.0.weight", "model_ema.decay"}));
        QCOMPARE(QString::fromStdString(e.info().variant),
                 QString("custom"));  // factor 2 is no published variant
    }

    void loraMergeEqualsAdapterSum() {
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
        QCOMPARE(report.loraMerged, 1);
        QVERIFY(m.count("encoder.down.0.downsample.conv.weight"));
        // conv(x) + up(down(x)) == merged conv(x)
        const at::Tensor x = at::randn({1, 6, 11, 9});
        const at::Tensor expected =
            at::conv2d(x, W, b, 1, 1) + at::conv2d(at::conv2d(x, down, {}, 1, 1), up);
        const at::Tensor merged = at::conv2d(x, m.at("encoder.down.0.block.0.conv1.weight"),
                                             m.at("encoder.down.0.block.0.conv1.bias"), 1, 1);
        QVERIFY(maxAbsDiff(merged, expected) < 1e-4);
        // a half adapter is refused
        w.erase("encoder.down.0.block.0.conv1.lora_up.weight");
        QVERIFY_THROWS_EXCEPTION(Error, KeyMapping::apply(w, "t", report));
    }

    void refusesImplausibleReconstruction() {
        // A decoder whose output layer is scaled up answers far outside model space, as a
        // numerical breakdown does: the engine refuses the result instead of returning it.
        StateDict w = toStateDict(
            std::move(CheckpointReader::read(fixture("v8_1.ckpt").toStdString()).tensors));
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
                QFAIL("an implausible reconstruction was returned");
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).contains("implausible"), e.what());
            }
        }
    }

    void rejectsUnsuitableInput() {
        Engine& engine = engineFor("v8_4.ckpt");
        QVERIFY_THROWS_EXCEPTION(
            Error, engine.encode(at::zeros({1, 64, 64})));  // 1 channel into a 3-channel model
        QVERIFY_THROWS_EXCEPTION(Error,
                                 engine.encode(at::zeros({3, 7, 64})));  // smaller than the factor
        QVERIFY_THROWS_EXCEPTION(Error, engine.encode(at::zeros({64, 64})));
        QVERIFY_THROWS_EXCEPTION(Error, engine.decode(at::zeros({3, 4, 4})));  // z has 4 channels
    }

    void progressAndCancel() {
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
        QVERIFY(total > 10);
        QCOMPARE(int(seen.size()), total);
        for (int i = 0; i < total; ++i)
            QCOMPARE(seen[std::size_t(i)], i + 1);

        int calls = 0;
        control.progress = nullptr;
        control.cancelled = [&] { return ++calls >= 3; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, engine.encode(input, {true, false, 0}, &control));
        QCOMPARE(calls, 3);
    }

    void cudaDevice() {
        // With a GPU: same numbers as the CPU. Without: a clear refusal, not a crash.
        EngineOptions o;
        o.device = DeviceKind::Cuda;
        if (Engine::cudaAvailable()) {
            Engine gpu = Engine::fromFile(fixture("v8_1.ckpt").toStdString(), o);
            const at::Tensor input = loadNpy(fixture("v8_1_100x76_input.npy"));
            const EncodeResult r = gpu.encode(input, {true, false, 0});
            QString why;
            QVERIFY2(
                close(r.decoded, loadNpy(fixture("v8_1_100x76_decoded.npy")), 1e-3, 1e-3, &why),
                qPrintable(why));
            return;
        }
        try {
            Engine::fromFile(fixture("v8_1.ckpt").toStdString(), o);
            QFAIL("CUDA accepted without a GPU");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("CUDA"));
        }
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
