#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace medvae {

// How the layers of a large image are cut into bands of rows: shared by the engine's banded
// layers (banded_layers.h) and the memory estimate, which must decide alike.

// Floating-point operations of one band at most, by default. The engine asks whether to stop
// between bands, so this bounds how long a Cancel waits: 64 GFLOP is 0.2-0.5 s on two cores of a
// current x86 CPU (150-300 GFLOP/s). Smaller bands cost a little speed, never accuracy.
constexpr double kBandWork = 64e9;

// Operations of one output row of a `kernel` x `kernel` convolution from `in` to `out` channels
// over `width` pixels (the images of a batch side by side).
inline double convRowWork(std::int64_t in, std::int64_t out, std::int64_t kernel, double width) {
    return 2.0 * double(kernel * kernel) * double(in) * double(out) * width;
}

// The same for a 3x3 convolution with `channels` inputs and outputs (an upper bound for the
// narrower or 1x1 convolutions of the same layer).
inline double convRowWork(std::int64_t channels, std::int64_t width) {
    return convRowWork(channels, channels, 3, double(width));
}

// Operations of one query row of attention over `tokens` positions of `channels` channels (its
// scores, and their products with v), for `batch` images.
inline double queryRowWork(std::int64_t batch, std::int64_t tokens, std::int64_t channels) {
    return 4.0 * double(batch) * double(tokens) * double(channels);
}

// Operations of one chunk of attention's query rows at most, where bands are bounded by
// `bandWork`: attention computes in float32 (scores, softmax over rows as long as the image has
// positions, products with v) at about half the speed of the convolutions (measured at 2048²:
// 108 GFLOP/s against 207 for the bfloat16 encode as a whole), so its chunks get half the work
// for the same wait between two questions whether to stop.
inline double attentionChunkWork(double bandWork) {
    return bandWork / 2;
}

// Query rows per chunk of chunked attention over `tokens` positions of `channels` channels for
// `batch` images: its scores and their softmax (two float32 [rows, tokens] buffers per image)
// within `chunkBytes`, and at most `chunkWork` operations (0: no bound). At least 16 rows: a
// one-row product would go through a matrix-vector path that rounds differently; whole blocks of
// rows keep chunked and unchunked results equal to within float rounding (measured: identical,
// or about 3e-7 apart for unit-scale values).
inline std::int64_t attentionChunkRows(std::int64_t batch, std::int64_t tokens,
                                       std::int64_t channels, std::size_t chunkBytes,
                                       double chunkWork) {
    const std::int64_t perRow = std::int64_t(2 * sizeof(float)) * tokens * batch;
    const std::int64_t byWork =
        chunkWork > 0 ? std::int64_t(chunkWork / queryRowWork(batch, tokens, channels))
                      : std::numeric_limits<std::int64_t>::max();
    return std::clamp<std::int64_t>(
        std::min(std::int64_t(chunkBytes) / std::max<std::int64_t>(perRow, 1), byWork), 16,
        std::max<std::int64_t>(tokens, 16));
}

// Rows per band of a layer with `height` output rows, each `rowBytes` bytes of its widest
// activation and `rowWork` operations: bands of at most `bandBytes` and `bandWork`, all of about
// the same height. 0 means the whole layer at once: when `bandBytes` is 0 (whole images asked
// for), or when neither its memory (three bands or more) nor its work (more than one band's)
// calls for bands. `bandWork` 0: no bound on work.
inline std::int64_t planBandRows(std::int64_t height, double rowBytes, double rowWork,
                                 std::size_t bandBytes, double bandWork) {
    if (bandBytes == 0 || height <= 0) return 0;
    const std::int64_t byBytes =
        std::max<std::int64_t>(1, std::int64_t(double(bandBytes) / std::max(rowBytes, 1.0)));
    std::int64_t rows = byBytes;
    bool split = height > 2 * byBytes;
    if (bandWork > 0) {
        const std::int64_t byWork =
            std::max<std::int64_t>(1, std::int64_t(bandWork / std::max(rowWork, 1.0)));
        rows = std::min(rows, byWork);
        split = split || height > byWork;
    }
    if (!split) return 0;
    const std::int64_t bands = (height + rows - 1) / rows;
    return (height + bands - 1) / bands;  // the same number of bands, of even heights
}

}  // namespace medvae
