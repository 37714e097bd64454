// Banded execution of the full-resolution layers (banded_layers.h) against the whole-image layers
// and the reference: each banded layer (ResnetBlock halves, upsampling, downsampling) on its own
// at odd sizes, every band height down to one row
// and batches of two; then whole networks forced into small bands against the same networks
// unbanded and against the PyTorch reference. Part of tst_engine (same fixtures, same runner).

#include <ATen/ATen.h>

#include <cmath>

#include "banded_layers.h"
#include "engine.h"
#include "engine_check.h"
#include "engine_fixtures.h"
#include "error.h"
#include "group_norm_silu.h"
#include "network_blocks.h"

using namespace medvae;
using namespace medvae::test;

namespace {

const auto kChannelsLast = at::MemoryFormat::ChannelsLast;

template <typename Layer>
std::shared_ptr<Layer> randomLayer(std::shared_ptr<Layer> layer) {
    for (auto& p : layer->parameters())
        p.set_data(at::randn(p.sizes()) * 0.1);
    layer->prepare(at::TensorOptions().dtype(at::kFloat));
    return layer;
}

at::Tensor activation(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) {
    return (at::randn({n, c, h, w}) * 2.0 + 0.5).contiguous(kChannelsLast);
}

// Numbers equal up to float rounding of the convolutions: 1e-5 of the largest value.
void verifyClose(const at::Tensor& banded, const at::Tensor& whole, const std::string& what) {
    const double d = relativeMax(banded, whole);
    VERIFY_MSG(d <= 1e-5, what + ": banded vs whole, max rel " + describe(d));
}

// A block of random weights, its convolutions and norms prepared for float32 inference.
template <typename Block>
std::shared_ptr<Block> randomized(std::shared_ptr<Block> block) {
    for (auto& p : block->parameters())
        p.set_data(at::randn(p.sizes()) * 0.1);
    for (const auto& m : block->modules(true)) {
        if (auto conv = std::dynamic_pointer_cast<ConvLayer>(m)) conv->prepare(at::kFloat);
        if (auto norm = std::dynamic_pointer_cast<NormLayer>(m)) norm->prepare(at::kFloat);
    }
    return block;
}

std::shared_ptr<ResnetBlock> randomBlock(std::int64_t in, std::int64_t out) {
    return randomized(std::make_shared<ResnetBlock>(in, out));
}

Engine engineWithBands(const std::string& file, std::size_t bandBytes,
                       Precision precision = Precision::Float32) {
    EngineOptions o;
    o.bandBytes = bandBytes;
    o.precision = precision;
    return Engine::fromFile(fixture(file), o);
}

}  // namespace

ENGINE_TEST(bandedLayersMatchWholeLayers) {
    c10::InferenceMode guard;
    at::manual_seed(11);
    auto norm = randomLayer(std::make_shared<NormLayer>(64));
    auto conv = randomLayer(std::make_shared<ConvLayer>(64, 32, 3, 1, 1));
    auto same = randomLayer(std::make_shared<ConvLayer>(32, 32, 3, 1, 1));
    auto shortcut = randomLayer(std::make_shared<ConvLayer>(64, 32, 1));
    auto down = randomLayer(std::make_shared<ConvLayer>(32, 32, 3, 2, 0));
    auto first = randomLayer(std::make_shared<ConvLayer>(1, 32, 3, 1, 1));
    const at::Tensor x = activation(2, 64, 37, 29);  // odd height: a short last band
    for (std::int64_t rows : {1, 2, 5, 18, 36}) {
        row("rows " + std::to_string(rows), [&] {
            const at::Tensor whole = conv->forward(norm->forwardSilu(x));
            const at::Tensor banded = normSiluConvByRows(x, *norm, *conv, rows);
            verifyClose(banded, whole, "norm, SiLU, conv");
            at::Tensor normed = x.clone();
            normSiluInPlaceByRows(normed, *norm, rows);
            verifyClose(normed, norm->forwardSilu(x), "norm, SiLU in place");
            const at::Tensor image = activation(2, 1, 37, 29);  // the network's first convolution
            verifyClose(convByRows(image, *first, rows), first->forward(image), "conv of an image");
            VERIFY(banded.is_contiguous(kChannelsLast));

            // In place with a 1x1 shortcut of x, and with x itself as the residual.
            at::Tensor h = banded.clone();
            const at::Tensor expected = same->forward(h) + shortcut->forward(x);
            convAddInPlaceByRows(h, *same, x, shortcut.get(), rows);
            verifyClose(h, expected, "conv + shortcut in place");
            const at::Tensor y = activation(2, 32, 37, 29);
            at::Tensor g = y.clone();
            convAddInPlaceByRows(g, *same, y, nullptr, rows);
            verifyClose(g, same->forward(y) + y, "conv + x in place");

            const at::Tensor small = activation(2, 32, 19, 15);  // -> 38 x 30
            const at::Tensor up = at::upsample_nearest2d(small, {38, 30});
            verifyClose(upsampleConvByRows(small, *same, rows), same->forward(up),
                        "upsample, conv");

            // Downsampling of odd and even sides: zero row and column below and right.
            for (const at::Tensor& in : {y, activation(2, 32, 38, 30)}) {
                const at::Tensor padded = at::constant_pad_nd(in, {0, 1, 0, 1});
                const at::Tensor expected = at::conv2d(padded, down->weight, down->bias, {2, 2});
                verifyClose(downsampleByRows(in, *down, rows), expected, "downsample");
            }
        });
    }
    // The band height from the byte budget; no bands where autograd is on, or fewer than three.
    const at::Tensor big = activation(1, 64, 100, 10);  // 2560 bytes a row of 64 channels
    COMPARE(bandRows(big, 64, 1, 2560 * 7), std::int64_t(7));
    COMPARE(bandRows(big, 64, 1, 2560 * 50), std::int64_t(0));  // two bands: not worth it
    COMPARE(bandRows(big, 64, 2, 2560 * 7), std::int64_t(3));   // upsampled rows are twice as wide
    COMPARE(bandRows(big, 64, 1, 0), std::int64_t(0));
    COMPARE(bandRows(big, 64, 1, 1), std::int64_t(1));
    {
        at::AutoGradMode grad(true);
        COMPARE(bandRows(big, 64, 1, 2560 * 7), std::int64_t(0));
    }
    COMPARE(bandRows(big.contiguous(), 64, 1, 2560 * 7), std::int64_t(0));  // not channels-last
}

ENGINE_TEST(bandedNetworksMatchWholeNetworks) {
    // Every variant shape (attention inside levels for v8_1/v4_1; shortcuts at level changes),
    // forced into one-row bands and into a few rows, against the same network unbanded and
    // against the PyTorch reference.
    for (const std::string file : {"v8_1.ckpt", "v4_1.ckpt", "v8_4.ckpt", "v4_3.ckpt"}) {
        row(file, [&] {
            const std::string stem = file.substr(0, 4) + "_100x76";
            const at::Tensor input = loadNpy(fixture(stem + "_input.npy"));
            const EncodeResult whole = engineWithBands(file, 0).encode(input, {true, false, 0});
            for (std::size_t bytes : {std::size_t(1), std::size_t(40000)}) {
                const EncodeResult banded =
                    engineWithBands(file, bytes).encode(input, {true, false, 0});
                verifyClose(banded.z, whole.z, "z");
                verifyClose(banded.latent, whole.latent, "latent");
                verifyClose(banded.decoded, whole.decoded, "decoded");
                std::string why;
                VERIFY_MSG(close(banded.decoded, loadNpy(fixture(stem + "_decoded.npy")), 1e-4,
                                 1e-5, &why),
                           why);
            }
        });
    }
    // bfloat16 bodies: banded and whole round the convolutions' outputs to bfloat16 alike.
    const at::Tensor input = loadNpy(fixture("v8_4_100x76_input.npy"));
    const EncodeResult whole =
        engineWithBands("v8_4.ckpt", 0, Precision::BFloat16).encode(input, {true, false, 0});
    const EncodeResult banded =
        engineWithBands("v8_4.ckpt", 1, Precision::BFloat16).encode(input, {true, false, 0});
    const double d = relativeL2(banded.decoded, whole.decoded);
    VERIFY_MSG(d < 1e-2, "bf16 banded vs whole, decoded L2 rel " + describe(d));
}

ENGINE_TEST(bandedGroupNormStatisticsMatchWhole) {
    // Statistics added band by band (the bands of an activation made on the fly) give the affine
    // map of the whole activation: odd heights, every band height down to one row, two images,
    // and a large mean against a small spread (where a naive E[x^2] - E[x]^2 cancels).
    c10::InferenceMode guard;
    at::manual_seed(12);
    const at::Tensor gamma = at::randn({64}), beta = at::randn({64});
    const at::Tensor wide = activation(2, 64, 37, 29);
    const at::Tensor offset = (at::randn({1, 64, 23, 17}) * 0.01 + 300.0).contiguous(kChannelsLast);
    for (const at::Tensor& x : {wide, offset}) {
        const GroupNormAffine whole = groupNormAffine(x, gamma, beta, 32, 1e-6);
        for (std::int64_t rows : {1, 2, 5, 18, 36}) {
            row("rows " + std::to_string(rows), [&] {
                GroupNormSums sums;
                for (std::int64_t r = 0; r < x.size(2); r += rows) {
                    const std::int64_t count = std::min(rows, x.size(2) - r);
                    addGroupNormRows(x.narrow(2, r, count).contiguous(kChannelsLast), sums);
                }
                COMPARE(sums.pixels, double(x.size(2) * x.size(3)));
                const GroupNormAffine banded = groupNormAffineFromSums(sums, gamma, beta, 32, 1e-6);
                auto vec = [](const std::vector<float>& v) {
                    return at::tensor(at::ArrayRef<float>(v));
                };
                verifyClose(vec(banded.center), vec(whole.center), "center");
                verifyClose(vec(banded.scale), vec(whole.scale), "scale");
                verifyClose(vec(banded.shift), vec(whole.shift), "shift");
            });
        }
    }
}

ENGINE_TEST(fusedUpsampleResnetMatchesWhole) {
    // The decoder's last upsampling fused with the next block (upsampleResnetByRows) against the
    // upsampling and the whole-image block one after the other: with a shortcut (channels
    // change) and without, odd sizes (a short last band), two images, every band height.
    c10::InferenceMode guard;
    at::manual_seed(13);
    auto upConv = randomLayer(std::make_shared<ConvLayer>(64, 64, 3, 1, 1));
    const at::Tensor x = activation(2, 64, 19, 15);  // -> 38 x 30
    ForwardSettings whole;
    whole.bandBytes = 0;
    const at::Tensor up = upConv->forward(at::upsample_nearest2d(x, {38, 30}));
    for (std::int64_t out : {32, 64}) {
        auto block = randomBlock(64, out);
        const at::Tensor expected = block->forward(up, whole);
        for (std::int64_t rows : {1, 2, 5, 18}) {
            row(std::to_string(out) + " channels, rows " + std::to_string(rows), [&] {
                const at::Tensor banded = upsampleResnetByRows(x, *upConv, *block, rows);
                verifyClose(banded, expected, "upsample + ResnetBlock");
                VERIFY(banded.is_contiguous(kChannelsLast));
            });
        }
    }
}

ENGINE_TEST(bandsBoundTheWorkBetweenStopChecks) {
    // A layer whose work exceeds one band's is cut into bands of even height even where its
    // memory would not call for bands, so that a Cancel waits for one band at most; bands from
    // the byte budget and from the work bound together take the smaller.
    c10::InferenceMode guard;
    const at::Tensor tall = activation(1, 64, 2000, 10);
    const double rowWork = convRowWork(512, 10);  // 18 * 512^2 * 10 operations a row
    const std::size_t plenty = std::size_t(1) << 30;
    COMPARE(bandRows(tall, 512, 1, plenty, rowWork * 100.5), std::int64_t(100));
    COMPARE(bandRows(tall, 512, 1, plenty, rowWork * 300.5), std::int64_t(286));  // 7 even bands
    COMPARE(bandRows(tall, 512, 1, plenty, rowWork * 2000.5), std::int64_t(0));   // one band's work
    COMPARE(bandRows(tall, 512, 1, plenty, rowWork * 1999.5), std::int64_t(1000));
    COMPARE(bandRows(tall, 512, 1, plenty, 0), std::int64_t(0));   // no bound on work
    COMPARE(bandRows(tall, 512, 1, 0, rowWork), std::int64_t(0));  // whole images asked for
    // The default bound: 64 GFLOP.
    COMPARE(bandRows(tall, 512, 1, plenty), std::int64_t(std::ceil(2000.0 / 2)));
    COMPARE(planBandRows(2000, 20480, rowWork, 20480 * 7, rowWork * 100.5), std::int64_t(7));
}

namespace {

// A StepCounter that counts how often it is asked whether to stop, and says yes at the `stopAt`th
// question (0: never).
struct CountingStops {
    explicit CountingStops(int stopAt = 0) {
        control.cancelled = [this, stopAt] { return ++asked == stopAt; };
    }
    int asked = 0;
    RunControl control;
    StepCounter steps{&control, 1};
};

}  // namespace

ENGINE_TEST(bandedLayersAskToStopAfterEachBand) {
    c10::InferenceMode guard;
    at::manual_seed(14);
    auto norm = randomLayer(std::make_shared<NormLayer>(64));
    auto conv = randomLayer(std::make_shared<ConvLayer>(64, 32, 3, 1, 1));
    auto same = randomLayer(std::make_shared<ConvLayer>(32, 32, 3, 1, 1));
    auto down = randomLayer(std::make_shared<ConvLayer>(32, 32, 3, 2, 0));
    auto point = randomLayer(std::make_shared<ConvLayer>(64, 32, 1));
    const at::Tensor x = activation(2, 64, 37, 29);  // 37 rows in bands of 5: 8 bands
    const at::Tensor y = activation(2, 32, 37, 29);
    const at::Tensor small = activation(2, 32, 19, 15);  // upsampled to 38 rows: 8 bands
    {
        CountingStops stops;
        normSiluConvByRows(x, *norm, *conv, 5, &stops.steps);
        COMPARE(stops.asked, 1 + 8);  // after the statistics, then after each band
    }
    {
        CountingStops stops;
        at::Tensor h = x.clone();
        normSiluInPlaceByRows(h, *norm, 5, &stops.steps);
        COMPARE(stops.asked, 1 + 8);
    }
    {
        CountingStops stops;
        convByRows(activation(1, 1, 37, 29),
                   *randomLayer(std::make_shared<ConvLayer>(1, 8, 3, 1, 1)), 5, &stops.steps);
        COMPARE(stops.asked, 8);
    }
    {
        CountingStops stops;
        at::Tensor h = y.clone();
        convAddInPlaceByRows(h, *same, y, nullptr, 5, &stops.steps);
        COMPARE(stops.asked, 8);
    }
    {
        CountingStops stops;
        upsampleConvByRows(small, *same, 5, &stops.steps);
        COMPARE(stops.asked, 8);
    }
    {
        CountingStops stops;  // 18 output rows, 2 a band
        downsampleByRows(y, *down, 5, &stops.steps);
        COMPARE(stops.asked, 9);
    }
    {
        // 1x1 convolution plus a residual, band by band into a float32 output.
        CountingStops stops;
        at::Tensor out = at::empty({2, 32, 37, 29}, x.options().memory_format(kChannelsLast));
        pointwiseConvByRows(x, point->weight, point->bias, &y, out, 5, &stops.steps);
        COMPARE(stops.asked, 8);
        verifyClose(out, point->forward(x) + y, "1x1 conv + residual");
    }
    {
        // Progress within the running block, band by band: conv1 of a ResnetBlock as the first
        // half of its block (units of 1/32 block), at each band's end row of 37.
        CountingStops stops;
        std::vector<int> seen;
        stops.control.progress = [&](int done, int) { seen.push_back(done); };
        normSiluConvByRows(x, *norm, *conv, 5, {&stops.steps, 0, 0.5});
        COMPARE(stops.asked, 1 + 8);
        const std::vector<int> expected = {2, 4, 6, 8, 10, 12, 15, 16};  // 16 * end / 37
        VERIFY_MSG(seen == expected, "progress " + describe(seen));
        COMPARE(StepCounter::kUnitsPerBlock, 32);
    }
    {
        // Told to stop at the third question (after the statistics and two bands): Cancelled,
        // nothing asked after it.
        CountingStops stops(3);
        VERIFY_THROWS(Cancelled, normSiluConvByRows(x, *norm, *conv, 5, &stops.steps));
        COMPARE(stops.asked, 3);
    }
}

ENGINE_TEST(attentionInBandsMatchesWhole) {
    // Attention's 1x1 convolutions (q/k/v, proj_out) in bands of rows and its query chunks
    // bounded by work, as a large image runs them, against the whole-image block; with the fused
    // kernel too where the build has it (query chunks of the fused call).
    c10::InferenceMode guard;
    at::manual_seed(15);
    auto block = randomized(std::make_shared<AttnBlock>(64));
    block->prepare(at::kFloat);  // q/k/v fused from the prepared convolutions
    const at::Tensor x = activation(2, 64, 23, 19);
    for (bool fused : {false, true}) {
        row(fused ? "fused" : "chunked", [&] {
            ForwardSettings whole;
            whole.bandBytes = 0;
            whole.fused = fused;
            const at::Tensor expected = block->forward(x, whole);
            ForwardSettings banded = whole;
            banded.bandBytes = std::size_t(64) << 20;
            // The fused q/k/v convolution: 2 * (2 * 19) * 64 * 192 operations a row, so 4 rows a
            // band, 6 bands; q, k and v apart (fused kernel) and proj_out: 12 rows, 2 bands
            // each; query rows: 4 * 2 * 437 * 64 operations each, chunks of 16 rows, 28 chunks.
            banded.bandWork = 2.0 * 2 * 19 * 64 * 192 * 4;
            CountingStops stops;
            const at::Tensor result = block->forward(x, banded, &stops.steps);
            verifyClose(result, expected, "attention in bands");
            // A question after each band and chunk, and one after the attention.
            COMPARE(stops.asked, 6 + 28 + 1 + 2);
        });
    }
}
