#include "tiled_inference.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "error.h"

namespace medvae {
namespace {

// Length in cells of the tile starting at `start`.
std::int64_t tileLength(std::int64_t start, std::int64_t tile, std::int64_t length) {
    return std::min(tile, length - start);
}

// Each boundary between neighbouring tiles is a transition of `ramp` cells centred in their
// overlap, where the weight passes linearly from one tile to the next. One ramp length for all
// boundaries, no longer than the overlap asked for, any actual overlap, or the distance between
// neighbouring boundaries: transitions never meet, so the weights sum to one everywhere.
double rampCells(const std::vector<std::int64_t>& starts, std::int64_t tile, std::int64_t length,
                 std::int64_t overlap) {
    double ramp = double(overlap);
    for (std::size_t k = 0; k + 1 < starts.size(); ++k) {
        const std::int64_t end = starts[k] + tileLength(starts[k], tile, length);
        ramp = std::min(ramp, double(end - starts[k + 1]));
        if (k + 2 < starts.size()) {
            const std::int64_t nextEnd = starts[k + 1] + tileLength(starts[k + 1], tile, length);
            ramp = std::min(ramp, 0.5 * double(starts[k + 2] + nextEnd - starts[k + 1] - end));
        }
    }
    return std::max(ramp, 0.0);
}

// Running mean and sum of squared deviations (Welford) of the values tiles give the same cell,
// for how far overlapping tiles disagree.
struct Disagreement {
    at::Tensor mean, m2, count;  // [C, H, W], [C, H, W], [H, W] bytes

    Disagreement(std::int64_t channels, std::int64_t height, std::int64_t width)
        : mean(at::zeros({channels, height, width}, at::kFloat)),
          m2(at::zeros({channels, height, width}, at::kFloat)),
          count(at::zeros({height, width}, at::kByte)) {}

    void add(const at::Tensor& values, std::int64_t y, std::int64_t x) {
        const std::int64_t h = values.size(1), w = values.size(2);
        at::Tensor n = count.narrow(0, y, h).narrow(1, x, w);
        n.add_(1);
        at::Tensor mu = mean.narrow(1, y, h).narrow(2, x, w);
        at::Tensor delta = values - mu;
        mu.add_(delta / n.to(at::kFloat).unsqueeze(0));
        m2.narrow(1, y, h).narrow(2, x, w).add_(delta * (values - mu));
    }

    // Mean over the cells of two or more tiles of the mean squared difference between two of
    // their tiles' values (2 * M2 / (n - 1)); negative when no cell was in two tiles.
    double pairwiseMeanSquare() const {
        const at::Tensor shared = count >= 2;
        const std::int64_t cells = shared.sum().item<std::int64_t>();
        if (cells == 0) return -1;
        const at::Tensor n = count.to(at::kFloat).clamp_min(2).sub(1).unsqueeze(0);
        const at::Tensor pairs = (2 * m2 / n) * shared.unsqueeze(0);
        return pairs.sum().item<double>() / double(cells * mean.size(0));
    }
};

at::Tensor outer(const std::vector<float>& rows, const std::vector<float>& cols) {
    const auto n = [](const std::vector<float>& v) { return std::int64_t(v.size()); };
    const at::Tensor r =
        at::from_blob(const_cast<float*>(rows.data()), {n(rows), 1}, at::kFloat).clone();
    const at::Tensor c =
        at::from_blob(const_cast<float*>(cols.data()), {1, n(cols)}, at::kFloat).clone();
    return (r * c).unsqueeze(0);  // [1, h, w]
}

}  // namespace

void checkTileLayout(std::int64_t tile, std::int64_t overlap, std::int64_t factor) {
    if (tile < 2 * factor || tile % factor != 0)
        throw Error("the tile size must be a multiple of " + std::to_string(factor) +
                    " pixels and at least " + std::to_string(2 * factor) + ", not " +
                    std::to_string(tile));
    if (overlap < 0 || overlap % factor != 0 || 2 * overlap > tile)
        throw Error("the tile overlap must be a multiple of " + std::to_string(factor) +
                    " pixels and at most half the tile (" + std::to_string(tile / 2) + "), not " +
                    std::to_string(overlap));
}

RunControl progressPart(const RunControl* parent, double from, double to) {
    RunControl c;
    if (!parent) return c;
    c.cancelled = parent->cancelled;
    if (parent->progress) {
        const auto report = parent->progress;
        c.progress = [report, from, to](int done, int total) {
            constexpr int kUnits = 10000;
            const double f = total > 0 ? double(done) / double(total) : 0.0;
            report(int(kUnits * (from + (to - from) * f)), kUnits);
        };
    }
    return c;
}

std::vector<std::int64_t> tileStarts(std::int64_t length, std::int64_t tile, std::int64_t overlap) {
    if (tile < 1 || overlap < 0 || overlap >= tile)
        throw Error("tileStarts: needs 0 <= overlap < tile");
    if (length <= tile) return {0};
    const std::int64_t stride = tile - overlap;
    const std::int64_t count = 1 + (length - tile + stride - 1) / stride;
    std::vector<std::int64_t> starts;
    for (std::int64_t i = 0; i < count; ++i)
        starts.push_back((i * (length - tile) + (count - 1) / 2) / (count - 1));
    return starts;
}

std::vector<float> tileWeights(const std::vector<std::int64_t>& starts, std::size_t index,
                               std::int64_t tile, std::int64_t length, std::int64_t overlap,
                               std::int64_t scale) {
    const double ramp = rampCells(starts, tile, length, overlap) * double(scale);
    // Up-ramp at the boundary after tile k: 0 before its transition, 1 after.
    auto up = [&](std::size_t k, double position) {
        const std::int64_t end = starts[k] + tileLength(starts[k], tile, length);
        const double centre = 0.5 * double(starts[k + 1] + end) * double(scale);
        if (ramp <= 0) return position >= centre ? 1.0 : 0.0;
        return std::clamp((position - (centre - 0.5 * ramp)) / ramp, 0.0, 1.0);
    };
    const std::int64_t first = starts[index] * scale;
    const std::int64_t size = tileLength(starts[index], tile, length) * scale;
    std::vector<float> w(std::size_t(size), 1.0f);
    for (std::int64_t i = 0; i < size; ++i) {
        const double p = double(first + i) + 0.5;  // the position's centre
        double v = 1.0;
        if (index > 0) v *= up(index - 1, p);
        if (index + 1 < starts.size()) v *= 1.0 - up(index, p);
        w[std::size_t(i)] = float(v);
    }
    return w;
}

std::string TiledReport::summary() const {
    char agree[96] = "";
    if (decodedSeamPsnr >= 0)
        std::snprintf(agree, sizeof agree, "; overlapping tiles' reconstructions agree to %.1f dB",
                      decodedSeamPsnr);
    else if (zSeamRelative >= 0)
        std::snprintf(agree, sizeof agree, "; overlapping tiles' z differ by %.2g of its RMS",
                      zSeamRelative);
    const int tiles = tilesDown * tilesAcross;
    return "tiled: " + std::to_string(tiles) + (tiles == 1 ? " tile" : " tiles") + " of " +
           std::to_string(tile) + " px (" + std::to_string(overlap) +
           " px overlap), an approximation of the exact result" + agree;
}

namespace {

// The tiles of an h x w latent (cells) and what a tiled call says of them.
struct TileGrid {
    std::vector<std::int64_t> ys, xs;  // tile starts, cells
    std::int64_t cells, overlap, h, w;
};

TileGrid tileGrid(std::int64_t h, std::int64_t w, std::int64_t tile, std::int64_t overlap,
                  std::int64_t factor, TiledReport& report) {
    checkTileLayout(tile, overlap, factor);
    const std::int64_t cells = tile / factor;
    TileGrid g{tileStarts(h, cells, overlap / factor),
               tileStarts(w, cells, overlap / factor),
               cells,
               overlap / factor,
               h,
               w};
    report.tile = tile;
    report.overlap = overlap;
    report.tilesDown = int(g.ys.size());
    report.tilesAcross = int(g.xs.size());
    return g;
}

struct Blended {
    at::Tensor values;  // [C, h * scale, w * scale]
    double pairs;       // Disagreement::pairwiseMeanSquare
};

// Runs `compute(ky, kx, part)` for every tile of the grid (its values: [C, tile rows * scale,
// tile columns * scale], `part` its share of the progress) and blends the results with the
// tiles' weights, `scale` positions per latent cell.
template <typename Compute>
Blended blendTiles(const TileGrid& g, std::int64_t scale, const RunControl* control,
                   Compute&& compute) {
    at::Tensor out;
    std::unique_ptr<Disagreement> seams;
    const double tiles = double(g.ys.size() * g.xs.size());
    for (std::size_t ky = 0; ky < g.ys.size(); ++ky) {
        const std::vector<float> wy = tileWeights(g.ys, ky, g.cells, g.h, g.overlap, scale);
        for (std::size_t kx = 0; kx < g.xs.size(); ++kx) {
            const std::vector<float> wx = tileWeights(g.xs, kx, g.cells, g.w, g.overlap, scale);
            const double k = double(ky * g.xs.size() + kx);
            const RunControl part = progressPart(control, k / tiles, (k + 1) / tiles);
            const at::Tensor t = compute(ky, kx, &part);
            if (!out.defined()) {
                out = at::zeros({t.size(0), g.h * scale, g.w * scale}, at::kFloat);
                seams = std::make_unique<Disagreement>(t.size(0), g.h * scale, g.w * scale);
            }
            const std::int64_t y = g.ys[ky] * scale, x = g.xs[kx] * scale;
            out.narrow(1, y, t.size(1)).narrow(2, x, t.size(2)).add_(t * outer(wy, wx));
            seams->add(t, y, x);
        }
    }
    return {out, seams->pairwiseMeanSquare()};
}

}  // namespace

at::Tensor encodeTiledZ(const TileCalls& calls, const at::Tensor& image, std::int64_t tile,
                        std::int64_t overlap, const RunControl* control, TiledReport& report) {
    const std::int64_t f = calls.factor;
    const std::int64_t height = image.size(1), width = image.size(2);
    const TileGrid g = tileGrid(height / f, width / f, tile, overlap, f, report);
    const Blended z =
        blendTiles(g, 1, control, [&](std::size_t ky, std::size_t kx, const RunControl* part) {
            const std::int64_t y0 = g.ys[ky] * f, x0 = g.xs[kx] * f;
            // The last tile of a row or column takes the rows or columns short of a latent cell
            // too, as the exact run sees them.
            const std::int64_t rows =
                ky + 1 == g.ys.size() ? height - y0 : tileLength(g.ys[ky], g.cells, g.h) * f;
            const std::int64_t cols =
                kx + 1 == g.xs.size() ? width - x0 : tileLength(g.xs[kx], g.cells, g.w) * f;
            return calls.encodeZ(image.narrow(1, y0, rows).narrow(2, x0, cols).contiguous(), part);
        });
    const double rms = std::sqrt(z.values.square().mean().item<double>());
    report.zSeamRelative = z.pairs < 0 ? -1 : std::sqrt(z.pairs) / std::max(rms, 1e-30);
    return z.values;
}

at::Tensor decodeTiled(const TileCalls& calls, const at::Tensor& z, std::int64_t tile,
                       std::int64_t overlap, const RunControl* control, TiledReport& report) {
    const std::int64_t f = calls.factor;
    const TileGrid g = tileGrid(z.size(1), z.size(2), tile, overlap, f, report);
    const Blended out =
        blendTiles(g, f, control, [&](std::size_t ky, std::size_t kx, const RunControl* part) {
            const std::int64_t ly = tileLength(g.ys[ky], g.cells, g.h);
            const std::int64_t lx = tileLength(g.xs[kx], g.cells, g.w);
            return calls.decode(z.narrow(1, g.ys[ky], ly).narrow(2, g.xs[kx], lx).contiguous(),
                                part);
        });
    // PSNR on the model's [-1, 1] range: a peak-to-peak of 2.
    report.decodedSeamPsnr =
        out.pairs < 0 ? -1 : 10.0 * std::log10(4.0 / std::max(out.pairs, 1e-30));
    return out.values;
}

}  // namespace medvae
