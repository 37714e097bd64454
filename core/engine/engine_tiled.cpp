// The engine's tiled mode: encode() and decode() of images larger than the tile size asked for
// (EngineOptions::tileSize), made of exact calls on tiles (tiled_inference.h).

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>

#include "engine.h"
#include "error.h"
#include "tiled_inference.h"

namespace medvae {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A tile's own note (a float16 overflow recomputed) is kept beside the tiled summary.
void keepNote(std::string& notes, const std::string& note) {
    if (!note.empty() && notes.find(note) == std::string::npos)
        notes += (notes.empty() ? "" : "; ") + note;
}

}  // namespace

bool Engine::tiledFor(std::int64_t latentHeight, std::int64_t latentWidth) const {
    if (tileSize_ <= 0) return false;
    const std::int64_t cells = tileSize_ / info().architecture.factor();
    return latentHeight > cells || latentWidth > cells;
}

EncodeResult Engine::encodeTiled(const at::Tensor& image, const EncodeOptions& options,
                                 const RunControl* control) {
    if (options.sample)
        throw Error(
            "tiled mode computes the posterior mean only: sampling needs the exact run (without "
            "tiles)");
    const Architecture& arch = info().architecture;
    std::string tileNotes;
    TileCalls calls;
    calls.factor = arch.factor();
    calls.encodeZ = [&](const at::Tensor& tile, const RunControl* c) {
        EncodeResult r = std::move(encodeExact({tile}, EncodeOptions{}, c).front());
        keepNote(tileNotes, r.note);
        return r.z;
    };
    calls.decode = [&](const at::Tensor& z, const RunControl* c) {
        std::string note;
        at::Tensor out = decodeExact(z, c, &note);
        keepNote(tileNotes, note);
        return out;
    };
    // The encoder's share of the work: its blocks run at the image's resolution, as the decoder's.
    const double encodePart = options.decode ? 0.4 : 1.0;
    EncodeResult r;
    r.precision = info().precision;
    const auto start = std::chrono::steady_clock::now();
    TiledReport report;
    const RunControl encodePass = progressPart(control, 0.0, encodePart);
    r.z = encodeTiledZ(calls, image, tileSize_, tileOverlap_, control ? &encodePass : nullptr,
                       report);
    r.latent = latentOf(r.z);
    r.encodeSeconds = secondsSince(start);
    if (options.decode) {
        const auto decodeStart = std::chrono::steady_clock::now();
        const RunControl decodePass = progressPart(control, encodePart, 1.0);
        r.decoded = medvae::decodeTiled(calls, r.z, tileSize_, tileOverlap_,
                                        control ? &decodePass : nullptr, report);
        r.decodeSeconds = secondsSince(decodeStart);
    }
    r.note = report.summary();
    keepNote(r.note, tileNotes);
    return r;
}

at::Tensor Engine::decodeTiled(const at::Tensor& z, const RunControl* control, std::string* note) {
    std::string tileNotes;
    TileCalls calls;
    calls.factor = info().architecture.factor();
    calls.decode = [&](const at::Tensor& tile, const RunControl* c) {
        std::string n;
        at::Tensor out = decodeExact(tile, c, &n);
        keepNote(tileNotes, n);
        return out;
    };
    TiledReport report;
    at::Tensor out = medvae::decodeTiled(calls, z, tileSize_, tileOverlap_, control, report);
    if (note) {
        *note = report.summary();
        keepNote(*note, tileNotes);
    }
    return out;
}

std::uint64_t Engine::estimateTiledBytes(std::int64_t height, std::int64_t width, bool encode,
                                         bool decode) const {
    const Architecture& arch = info().architecture;
    const std::int64_t f = arch.factor();
    // `height` x `width` are pixels when encoding, latent cells when only decoding.
    const std::int64_t h = encode ? height / f : height, w = encode ? width / f : width;
    const std::int64_t cells = std::min(tileSize_ / f, std::max(h, w));
    std::uint64_t tile = 0;
    if (encode) tile = estimateEncodeBytes(cells * f + f - 1, cells * f + f - 1, false);
    if (decode) tile = std::max(tile, estimateDecodeBytes(cells, cells));
    // Blending: the result, the running mean and spread of the tiles' values, their counts.
    const std::uint64_t zBuffers = std::uint64_t(h * w) * (3 * 4 * arch.embedChannels + 1);
    const std::uint64_t imageBuffers =
        decode ? std::uint64_t(h * f * w * f) * (3 * 4 * arch.outChannels + 1) : 0;
    return tile + zBuffers + imageBuffers;
}

}  // namespace medvae
