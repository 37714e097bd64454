// Banded execution of the full-resolution layers (banded_layers.h) against the whole-image layers
// and the reference: each banded layer (ResnetBlock halves, upsampling, downsampling) on its own
// at odd sizes, every band height down to one row
// and batches of two; then whole networks forced into small bands against the same networks
// unbanded and against the PyTorch reference. Part of tst_engine (same fixtures, same runner).

#include <ATen/ATen.h>

#include "banded_layers.h"
#include "engine.h"
#include "engine_check.h"
#include "engine_fixtures.h"
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

std::shared_ptr<ResnetBlock> randomBlock(std::int64_t in, std::int64_t out) {
    auto block = std::make_shared<ResnetBlock>(in, out);
    for (auto& p : block->parameters())
        p.set_data(at::randn(p.sizes()) * 0.1);
    for (const auto& m : block->modules(true)) {
        if (auto conv = std::dynamic_pointer_cast<ConvLayer>(m)) conv->prepare(at::kFloat);
        if (auto norm = std::dynamic_pointer_cast<NormLayer>(m)) norm->prepare(at::kFloat);
    }
    return block;
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
    const at::Tensor x = activation(2, 64, 37, 29);  // odd height: a short last band
    for (std::int64_t rows : {1, 2, 5, 18, 36}) {
        row("rows " + std::to_string(rows), [&] {
            const at::Tensor whole = conv->forward(norm->forwardSilu(x));
            const at::Tensor banded = normSiluConvByRows(x, *norm, *conv, rows);
            verifyClose(banded, whole, "norm, SiLU, conv");
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
