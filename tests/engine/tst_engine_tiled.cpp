// Tiled mode (EngineOptions::tileSize, tiled_inference.h): where tiles go, how they are blended,
// and what a tiled result says of its own error, against direct computations from the exact
// engine's results on each tile. Part of tst_engine (same fixtures, same runner).

#include <ATen/ATen.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine.h"
#include "engine_check.h"
#include "engine_fixtures.h"
#include "error.h"
#include "tiled_inference.h"

using namespace medvae;
using namespace medvae::test;

namespace {

Engine engineWithTiles(const std::string& file, std::int64_t tile, std::int64_t overlap) {
    EngineOptions o;
    o.tileSize = tile;
    o.tileOverlap = overlap;
    return Engine::fromFile(fixture(file), o);
}

struct Placed {
    at::Tensor values;  // [C, h, w]
    std::int64_t y, x;
};

// The blend written out directly: sum of each tile's values times its row and column weights.
at::Tensor blend(const std::vector<Placed>& tiles, const std::vector<std::vector<float>>& wy,
                 const std::vector<std::vector<float>>& wx, std::int64_t channels,
                 std::int64_t height, std::int64_t width) {
    at::Tensor out = at::zeros({channels, height, width}, at::kDouble);
    auto acc = out.accessor<double, 3>();
    const std::size_t across = wx.size();
    for (std::size_t k = 0; k < tiles.size(); ++k) {
        const at::Tensor v = tiles[k].values.to(at::kDouble);
        auto a = v.accessor<double, 3>();
        const auto& rows = wy[k / across];
        const auto& cols = wx[k % across];
        for (std::int64_t c = 0; c < channels; ++c)
            for (std::int64_t i = 0; i < v.size(1); ++i)
                for (std::int64_t j = 0; j < v.size(2); ++j)
                    acc[c][tiles[k].y + i][tiles[k].x + j] +=
                        double(rows[std::size_t(i)]) * double(cols[std::size_t(j)]) * a[c][i][j];
    }
    return out.to(at::kFloat);
}

// Mean over the cells of two or more tiles of the mean over their pairs of tiles of the squared
// difference of their values, by brute force.
double pairwiseMeanSquare(const std::vector<Placed>& tiles, std::int64_t height,
                          std::int64_t width) {
    double total = 0;
    std::int64_t cells = 0;
    const std::int64_t channels = tiles.front().values.size(0);
    for (std::int64_t y = 0; y < height; ++y)
        for (std::int64_t x = 0; x < width; ++x)
            for (std::int64_t c = 0; c < channels; ++c) {
                std::vector<double> v;
                for (const Placed& t : tiles)
                    if (y >= t.y && y < t.y + t.values.size(1) && x >= t.x &&
                        x < t.x + t.values.size(2))
                        v.push_back(t.values[c][y - t.y][x - t.x].item<double>());
                if (v.size() < 2) continue;
                double pairs = 0;
                int count = 0;
                for (std::size_t i = 0; i < v.size(); ++i)
                    for (std::size_t j = i + 1; j < v.size(); ++j, ++count)
                        pairs += (v[i] - v[j]) * (v[i] - v[j]);
                total += pairs / count;
                ++cells;
            }
    return total / double(cells);
}

}  // namespace

ENGINE_TEST(tileStartsAndWeightsOnKnownLayouts) {
    COMPARE(tileStarts(20, 8, 2), (std::vector<std::int64_t>{0, 6, 12}));
    COMPARE(tileStarts(12, 8, 2), (std::vector<std::int64_t>{0, 4}));
    COMPARE(tileStarts(8, 8, 2), (std::vector<std::int64_t>{0}));
    COMPARE(tileStarts(5, 8, 2), (std::vector<std::int64_t>{0}));
    // Two tiles overlapping by 4 cells with a 2-cell transition centred at cell 6.
    const std::vector<std::int64_t> two{0, 4};
    COMPARE(tileWeights(two, 0, 8, 12, 2, 1), (std::vector<float>{1, 1, 1, 1, 1, 0.75f, 0.25f, 0}));
    COMPARE(tileWeights(two, 1, 8, 12, 2, 1), (std::vector<float>{0, 0.25f, 0.75f, 1, 1, 1, 1, 1}));
    // The same in pixels of a factor-2 model: the transition is 4 pixels wide.
    COMPARE(
        tileWeights(two, 0, 8, 12, 2, 2),
        (std::vector<float>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.875f, 0.625f, 0.375f, 0.125f, 0, 0}));
    // Every layout: tiles in order from 0 to the end, overlapping by at least what was asked,
    // weights in [0, 1] summing to one at every position.
    for (std::int64_t length = 1; length <= 60; ++length)
        for (std::int64_t tile = 2; tile <= 12; ++tile)
            for (std::int64_t overlap = 0; 2 * overlap <= tile; ++overlap)
                for (std::int64_t scale : {1, 8}) {
                    const auto starts = tileStarts(length, tile, overlap);
                    const std::string what = describe(length) + "/" + describe(tile) + "/" +
                                             describe(overlap) + "/" + describe(scale);
                    VERIFY_MSG(
                        starts.front() == 0 && starts.back() + std::min(tile, length) == length,
                        what);
                    std::vector<double> sum(std::size_t(length * scale), 0.0);
                    for (std::size_t k = 0; k < starts.size(); ++k) {
                        if (k > 0)
                            VERIFY_MSG(starts[k - 1] + tile - starts[k] >= overlap &&
                                           starts[k] > starts[k - 1],
                                       what);
                        const auto w = tileWeights(starts, k, tile, length, overlap, scale);
                        VERIFY_MSG(std::int64_t(w.size()) == std::min(tile, length) * scale, what);
                        for (std::size_t i = 0; i < w.size(); ++i) {
                            VERIFY_MSG(w[i] >= 0 && w[i] <= 1, what);
                            sum[std::size_t(starts[k] * scale) + i] += w[i];
                        }
                    }
                    for (double s : sum)
                        VERIFY_MSG(std::abs(s - 1.0) < 1e-6, what + ": sum " + describe(s));
                }
    bool refused = false;
    try {
        checkTileLayout(60, 16, 8);
    } catch (const Error& e) {
        refused = std::string(e.what()).find("multiple of 8") != std::string::npos;
    }
    VERIFY(refused);
}

ENGINE_TEST(anImageWithinOneTileIsComputedExactly) {
    Engine exact = Engine::fromFile(fixture("v8_1.ckpt"));
    Engine tiled = engineWithTiles("v8_1.ckpt", 64, 16);
    at::manual_seed(5);
    const at::Tensor image = at::rand({1, 70, 64}) * 2 - 1;  // latent 8 x 8: one tile
    const EncodeResult a = exact.encode(image, {true, false, 0});
    const EncodeResult b = tiled.encode(image, {true, false, 0});
    VERIFY(at::equal(a.z, b.z) && at::equal(a.latent, b.latent) && at::equal(a.decoded, b.decoded));
    VERIFY_MSG(b.note.empty(), b.note);
}

ENGINE_TEST(tiledResultsAreTheBlendOfExactTiles) {
    // v8_4 (3 image channels, 4 latent), a 160x100 image in 64 px tiles overlapping by 16:
    // latent 12 x 20, tiles of 8 cells
    // at rows {0, 4} and columns {0, 6, 12}; the last row of tiles also takes the 4 pixel rows
    // short of a latent cell, as the exact run does.
    const std::int64_t tile = 64, overlap = 16, f = 8;
    Engine exact = Engine::fromFile(fixture("v8_4.ckpt"));
    Engine tiled = engineWithTiles("v8_4.ckpt", tile, overlap);
    at::manual_seed(9);
    const at::Tensor image = at::rand({3, 100, 160}) * 2 - 1;
    const EncodeResult r = tiled.encode(image, {true, false, 0});
    COMPARE(r.z.sizes().vec(), (std::vector<std::int64_t>{4, 12, 20}));

    const std::vector<std::int64_t> ys{0, 4}, xs{0, 6, 12};
    COMPARE(tileStarts(12, 8, 2), ys);
    COMPARE(tileStarts(20, 8, 2), xs);
    std::vector<Placed> zTiles;
    std::vector<std::vector<float>> wy, wx, py, px;
    for (std::size_t ky = 0; ky < ys.size(); ++ky) {
        wy.push_back(tileWeights(ys, ky, 8, 12, 2, 1));
        py.push_back(tileWeights(ys, ky, 8, 12, 2, f));
        for (std::size_t kx = 0; kx < xs.size(); ++kx) {
            const std::int64_t rows = ky + 1 == ys.size() ? 100 - ys[ky] * f : tile;
            const at::Tensor crop = image.narrow(1, ys[ky] * f, rows).narrow(2, xs[kx] * f, tile);
            zTiles.push_back({exact.encode(crop.contiguous()).z, ys[ky], xs[kx]});
        }
    }
    for (std::size_t kx = 0; kx < xs.size(); ++kx) {
        wx.push_back(tileWeights(xs, kx, 8, 20, 2, 1));
        px.push_back(tileWeights(xs, kx, 8, 20, 2, f));
    }
    const at::Tensor z = blend(zTiles, wy, wx, 4, 12, 20);
    VERIFY_MSG(maxAbsDiff(r.z, z) < 1e-5, "z: " + describe(maxAbsDiff(r.z, z)));
    VERIFY_MSG(maxAbsDiff(r.latent, exact.latentOf(z)) < 1e-5, "latent");

    // The decoder's tiles are latent tiles of the blended z, blended in pixels.
    std::vector<Placed> pixelTiles;
    for (std::int64_t y : ys)
        for (std::int64_t x : xs)
            pixelTiles.push_back(
                {exact.decode(r.z.narrow(1, y, 8).narrow(2, x, 8).contiguous()), y * f, x * f});
    const at::Tensor decoded = blend(pixelTiles, py, px, 3, 96, 160);
    VERIFY_MSG(maxAbsDiff(r.decoded, decoded) < 1e-5,
               "decoded: " + describe(maxAbsDiff(r.decoded, decoded)));

    // What the result says: its tiles and how far they disagreed, as measured here.
    const double seamPsnr = 10 * std::log10(4.0 / pairwiseMeanSquare(pixelTiles, 96, 160));
    char expected[64];
    std::snprintf(expected, sizeof expected, "agree to %.1f dB", seamPsnr);
    VERIFY_MSG(r.note.rfind("tiled: 6 tiles of 64 px (16 px overlap)", 0) == 0 &&
                   r.note.find(expected) != std::string::npos,
               r.note + " (expected " + expected + ")");
    TileCalls calls;
    calls.factor = f;
    calls.encodeZ = [&](const at::Tensor& t, const RunControl* c) {
        return exact.encode(t, {}, c).z;
    };
    TiledReport report;
    encodeTiledZ(calls, image, tile, overlap, nullptr, report);
    const double zRms = std::sqrt(z.square().mean().item<double>());
    const double zSeam = std::sqrt(pairwiseMeanSquare(zTiles, 12, 20)) / zRms;
    VERIFY_MSG(std::abs(report.zSeamRelative - zSeam) < 1e-4 * zSeam,
               describe(report.zSeamRelative) + " vs " + describe(zSeam));

    // A z decoded alone is tiled the same way, and says so.
    std::string note;
    const at::Tensor again = tiled.decode(r.z, nullptr, &note);
    VERIFY(at::equal(again, r.decoded));
    VERIFY_MSG(note.rfind("tiled: 6 tiles", 0) == 0, note);
}

ENGINE_TEST(tiledRunsReportProgressCancelAndRefuseSampling) {
    Engine tiled = engineWithTiles("v8_1.ckpt", 64, 16);
    at::manual_seed(3);
    const at::Tensor image = at::rand({1, 128, 128}) * 2 - 1;  // 3 x 3 tiles
    std::vector<std::pair<int, int>> seen;
    RunControl control;
    control.progress = [&](int done, int total) { seen.emplace_back(done, total); };
    tiled.encode(image, {true, false, 0}, &control);
    VERIFY(!seen.empty());
    for (std::size_t i = 0; i < seen.size(); ++i) {
        VERIFY(seen[i].second == 10000 && seen[i].first >= 0 && seen[i].first <= 10000);
        if (i) VERIFY_MSG(seen[i].first >= seen[i - 1].first, describe(i));
    }
    VERIFY_MSG(seen.back().first == 10000, describe(seen.back().first));

    // A stop asked for while the second tile runs ends the call there.
    int reports = 0, firstOfSecondTile = -1;
    RunControl stop;
    stop.progress = [&](int done, int) {
        ++reports;
        if (firstOfSecondTile < 0 && done > 10000 * 0.4 / 9) firstOfSecondTile = reports;
    };
    stop.cancelled = [&] { return firstOfSecondTile >= 0; };
    bool cancelled = false;
    try {
        tiled.encode(image, {true, false, 0}, &stop);
    } catch (const Cancelled&) {
        cancelled = true;
    }
    VERIFY(cancelled);
    VERIFY_MSG(reports < int(seen.size()) / 3, describe(reports) + " of " + describe(seen.size()));

    bool refused = false;
    try {
        tiled.encode(image, {false, true, 1});
    } catch (const Error& e) {
        refused = std::string(e.what()).find("posterior mean only") != std::string::npos;
    }
    VERIFY(refused);
}

ENGINE_TEST(tiledMemoryEstimateIsOneTileAndTheBlend) {
    // A 4096x3328 mammogram in 1024 px tiles: the estimate is that of one tile (with the rows
    // short of a latent cell) and the blending buffers, far under the exact run's.
    Engine exact = Engine::fromFile(fixture("v8_1.ckpt"));
    Engine tiled = engineWithTiles("v8_1.ckpt", 1024, 128);
    const std::uint64_t whole = exact.estimateEncodeBytes(3328, 4096, true);
    const std::uint64_t tileOnly =
        std::max(exact.estimateEncodeBytes(1031, 1031, false), exact.estimateDecodeBytes(128, 128));
    const std::uint64_t buffers =
        std::uint64_t(416 * 512) * (3 * 4 * 1 + 1) + std::uint64_t(3328 * 4096) * (3 * 4 * 1 + 1);
    COMPARE(tiled.estimateEncodeBytes(3328, 4096, true), tileOnly + buffers);
    VERIFY_MSG(tileOnly + buffers < whole / 4,
               describe(tileOnly + buffers) + " vs exact " + describe(whole));
}
