#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "run_control.h"

namespace medvae {

// Tiled mode: an approximation for images whose exact run does not fit in memory, never the
// default. The image is encoded in overlapping tiles and their z blended in latent space; the
// blended z is decoded in overlapping latent tiles and their reconstructions blended in image
// space. Blending weights fall linearly across each overlap and sum to one everywhere (a
// partition of unity), so a pixel or latent covered by one tile takes that tile's value. Where
// tiles overlap, how far they disagree is measured (TiledReport), which is what the result says
// of its own error; an image no larger than a tile is computed exactly, as without tiling.

// A control for one part of a call, [from, to) of its work: progress reported to `parent` in
// units of 1/10000 of the whole, the parent's stop request passed on. Empty when parent is null.
RunControl progressPart(const RunControl* parent, double from, double to);

// Throws Error unless `tile` is a multiple of `factor` of at least two latent cells and `overlap` a
// multiple of `factor` of at most half the tile.
void checkTileLayout(std::int64_t tile, std::int64_t overlap, std::int64_t factor);

// Starts (in latent cells) of the tiles covering `length` cells with tiles of `tile` cells that
// overlap by at least `overlap` cells, spread evenly, the last ending at `length`. One tile
// starting at 0 when `length` <= `tile`. Requires 0 <= overlap < tile.
std::vector<std::int64_t> tileStarts(std::int64_t length, std::int64_t tile, std::int64_t overlap);

// Blending weights of the positions of tile `index` (of those `starts` place on an axis of
// `length` cells, tiles of `tile` cells asked to overlap by `overlap`), in units where a latent
// cell is `scale` positions (1 for latents, the model's factor for pixels). Each boundary between
// neighbouring tiles is a linear transition centred in their overlap, as long as the overlap asked
// for where the tiles allow it; the weights of all tiles sum to one at every position.
std::vector<float> tileWeights(const std::vector<std::int64_t>& starts, std::size_t index,
                               std::int64_t tile, std::int64_t length, std::int64_t overlap,
                               std::int64_t scale);

// What a tiled call did and how far its overlapping tiles disagreed.
struct TiledReport {
    std::int64_t tile = 0, overlap = 0;  // pixels
    int tilesDown = 0, tilesAcross = 0;  // of the pass that ran last
    // Root-mean-square difference between overlapping tiles' values of the same cells, relative
    // to the root-mean-square of the result: for z (encoding), and as a PSNR in dB on the model's
    // [-1, 1] range for the reconstruction (decoding); negative / infinite when nothing overlapped.
    double zSeamRelative = -1;
    double decodedSeamPsnr = -1;
    // "tiled: 6 tiles of 1024 px (128 px overlap), an approximation; overlapping tiles agree to
    // 48.3 dB": said with every tiled result.
    std::string summary() const;
};

// The untiled engine calls a tiled run is made of.
struct TileCalls {
    // image [C, h, w] -> z [embed, h/f, w/f] (posterior mean)
    std::function<at::Tensor(const at::Tensor& image, const RunControl* control)> encodeZ;
    std::function<at::Tensor(const at::Tensor& z, const RunControl* control)> decode;
    std::int64_t factor = 8;
};

// z of `image` [C, H, W] ([embed, H/f, W/f]) from tiles of `tile` x `tile` pixels overlapping by
// `overlap` pixels (both multiples of the factor). Progress counts the tiles' work together;
// cancelling takes effect within a tile's block.
at::Tensor encodeTiledZ(const TileCalls& calls, const at::Tensor& image, std::int64_t tile,
                        std::int64_t overlap, const RunControl* control, TiledReport& report);
// Reconstruction [out, h*f, w*f] of z [embed, h, w] from latent tiles of tile/f cells.
at::Tensor decodeTiled(const TileCalls& calls, const at::Tensor& z, std::int64_t tile,
                       std::int64_t overlap, const RunControl* control, TiledReport& report);

}  // namespace medvae
