#include "memory_estimate.h"

#include <algorithm>
#include <cstdio>

#include "band_plan.h"

namespace medvae {
namespace {

// Replays the engine's forward passes on sizes only: alloc/release of each activation buffer in
// the order the code makes them, keeping the peak. Sizes in elements are converted to bytes with
// the body's element size (4 for float32, 2 for bfloat16/float16) unless a step is float32
// whatever the body. A batch of N images is N times the pixels of one.
class Replay {
  public:
    Replay(const ModelInfo& model, std::size_t chunkBytes, std::size_t bandBytes, int batch)
        : a_(model.architecture),
          body_(model.precision == Precision::Float32 ? 4 : 2),
          // The fused kernel computes in the body's type on CUDA, in float32 on the CPU.
          attentionElement_(model.device == DeviceKind::Cuda ? body_ : 4),
          fused_(model.fusedAttention),
          chunkBytes_(chunkBytes),
          // Banded layers run on the CPU only (banded_layers.h).
          bandBytes_(model.device == DeviceKind::Cpu ? bandBytes : 0),
          batch_(std::uint64_t(std::max(batch, 1))) {}

    std::uint64_t peak() const { return peak_; }

    void alloc(std::uint64_t bytes) {
        live_ += bytes;
        peak_ = std::max(peak_, live_);
    }
    void release(std::uint64_t bytes) { live_ -= std::min(live_, bytes); }

    std::uint64_t body(std::int64_t channels, std::uint64_t pixels) const {
        return std::uint64_t(channels) * pixels * batch_ * body_;
    }
    std::uint64_t f32(std::int64_t channels, std::uint64_t pixels) const {
        return std::uint64_t(channels) * pixels * batch_ * 4;
    }

    // Rows per band of a layer over an h x w activation with `c` channels at its widest, as
    // bandRows() decides; 0 = the whole-image layer.
    std::int64_t bandRows(std::int64_t c, std::int64_t h, std::int64_t w) const {
        return planBandRows(h, double(body(c, std::uint64_t(w))),
                            double(batch_) * convRowWork(c, w), bandBytes_, kBandWork);
    }
    // convBandRows: a 1x1 convolution from c into `out` channels in bands (attention's).
    std::int64_t pointwiseRows(std::int64_t c, std::int64_t out, std::int64_t h,
                               std::int64_t w) const {
        return planBandRows(h, double(body(out, std::uint64_t(w))),
                            convRowWork(c, out, 1, double(batch_) * double(w)), bandBytes_,
                            kBandWork);
    }

    // ResnetBlock::forward with x (cin channels) alive; leaves its output (cout) alive, x released.
    void resnet(std::int64_t cin, std::int64_t cout, std::int64_t h, std::int64_t w) {
        const std::uint64_t px = std::uint64_t(h) * std::uint64_t(w);
        if (const std::int64_t rows = bandRows(std::max(cin, cout), h, w)) {
            const std::uint64_t band = std::uint64_t(rows + 2) * std::uint64_t(w);
            alloc(body(cout, px));  // the output
            // A normalised band of x and its convolution.
            alloc(body(cin, band) + body(cout, band));
            release(body(cin, band) + body(cout, band));
            // conv2 in place: this band's copy, the previous one (its last row is the halo),
            // the convolution and the shortcut.
            const std::uint64_t inPlace = 3 * body(cout, band) + body(cout, band);
            alloc(inPlace);
            release(inPlace);
            release(body(cin, px));  // the caller drops x for the output
            return;
        }
        alloc(body(cin, px));   // SiLU(GroupNorm(x))
        alloc(body(cout, px));  // conv1
        release(body(cin, px));
        alloc(body(cout, px));  // conv2 (norm2 ran in place)
        release(body(cout, px));
        if (cin != cout) {
            alloc(body(cout, px));  // nin_shortcut(x), added in place
            release(body(cout, px));
        }
        release(body(cin, px));  // the caller drops x for the output
    }

    // AttnBlock::forward with x (c channels) alive; leaves its output alive, x released.
    void attention(std::int64_t c, std::int64_t h, std::int64_t w) {
        const std::uint64_t px = std::uint64_t(h) * std::uint64_t(w);
        if (fused_) {
            fusedAttention(c, h, w);
            return;
        }
        const bool f32Body = body_ == 4;
        alloc(body(c, px));  // normed
        if (const std::int64_t rows = pointwiseRows(c, 3 * c, h, w)) {
            // q/k/v made in bands straight into float32
            const std::uint64_t band = std::uint64_t(rows) * std::uint64_t(w);
            alloc(f32(3 * c, px) + body(3 * c, band));
            release(body(3 * c, band) + body(c, px));
        } else {
            alloc(body(3 * c, px));  // fused q/k/v
            release(body(c, px));
            if (!f32Body) {  // [B, N, 3C] rows converted to float32, then q/k/v released
                alloc(f32(3 * c, px));
                release(body(3 * c, px));
            }
        }
        alloc(f32(c, px));  // attended
        // Scores and their softmax for one chunk of query rows, chosen as chunkedAttention
        // chooses them (of at most attentionChunkWork(kBandWork) operations where bands are used).
        const std::uint64_t perRow = 2 * 4 * px * batch_;  // for all images of the batch
        const std::uint64_t rows =
            std::uint64_t(attentionChunkRows(std::int64_t(batch_), std::int64_t(px), c, chunkBytes_,
                                             bandBytes_ ? attentionChunkWork(kBandWork) : 0));
        alloc(rows * perRow + rows * std::uint64_t(c) * 4 * batch_);
        release(rows * perRow + rows * std::uint64_t(c) * 4 * batch_);
        release(f32(3 * c, px));           // rows (the q/k/v memory itself in float32)
        if (!f32Body) alloc(body(c, px));  // attended back in the body's type
        alloc(body(c, px));                // proj_out, x added in place
        if (!f32Body) release(body(c, px));
        release(f32(c, px));
        release(body(c, px));  // x
    }

    // The fused path: q, k, v by three convolutions (each converted to the attention's type
    // where that differs from the body's), LibTorch's kernel writing the attended values (its own
    // scratch is per thread or tile: in the margin), then back to the body's type and proj_out.
    void fusedAttention(std::int64_t c, std::int64_t h, std::int64_t w) {
        const std::uint64_t px = std::uint64_t(h) * std::uint64_t(w);
        const std::uint64_t att = std::uint64_t(c) * px * batch_ * attentionElement_;
        const bool convert = attentionElement_ != body_;
        const std::int64_t rows = pointwiseRows(c, c, h, w);
        alloc(body(c, px));  // normed
        for (int i = 0; i < 3; ++i) {
            if (rows) {  // q, k or v made in bands in the attention's type
                alloc(att);
                continue;
            }
            alloc(body(c, px));  // q, k or v
            if (convert) {
                alloc(att);
                release(body(c, px));
            }
        }
        release(body(c, px));  // normed
        alloc(att);            // attended
        release(3 * (convert ? att : body(c, px)));
        if (convert) alloc(body(c, px));  // attended back in the body's type
        alloc(body(c, px));               // proj_out, x added in place
        if (convert) release(body(c, px));
        release(att);
        release(body(c, px));  // x
    }

    // Downsample: x padded by one row and column, then a stride-2 convolution.
    void downsample(std::int64_t c, std::int64_t h, std::int64_t w) {
        if (const std::int64_t rows = bandRows(c, h, w)) {
            const std::uint64_t band = std::uint64_t(rows + 1) * std::uint64_t(w + 1);
            alloc(body(c, std::uint64_t(h / 2) * std::uint64_t(w / 2)));  // the output
            alloc(body(c, band) + body(c, band / 4));  // a padded band and its convolution
            release(body(c, band) + body(c, band / 4));
            release(body(c, std::uint64_t(h) * std::uint64_t(w)));
            return;
        }
        const std::uint64_t padded = std::uint64_t(h + 1) * std::uint64_t(w + 1);
        alloc(body(c, padded));
        alloc(body(c, std::uint64_t(h / 2) * std::uint64_t(w / 2)));
        release(body(c, padded));
        release(body(c, std::uint64_t(h) * std::uint64_t(w)));
    }

    // Upsample: nearest x2, then a 3x3 convolution at the new size (2h x 2w).
    void upsample(std::int64_t c, std::int64_t h, std::int64_t w) {
        const std::uint64_t px = std::uint64_t(h) * std::uint64_t(w);
        if (const std::int64_t rows = bandRows(c, 2 * h, 2 * w)) {
            const std::uint64_t band = std::uint64_t(rows + 4) * std::uint64_t(2 * w);
            alloc(body(c, 4 * px));    // the output
            alloc(3 * body(c, band));  // an upsampled band, its copy, its convolution
            release(3 * body(c, band));
            release(body(c, px));
            return;
        }
        alloc(body(c, 4 * px));
        alloc(body(c, 4 * px));
        release(body(c, 4 * px));
        release(body(c, px));
    }

    // upsampleResnetByRows over x (c channels, h x w) into a block with `out` channels at 2h x 2w:
    // the output, and the largest set of band buffers of its passes (upsampled source rows and
    // their convolution, conv1's band; then conv2's input copies, its output and the shortcut).
    void upsampleResnet(std::int64_t c, std::int64_t out, std::int64_t h, std::int64_t w,
                        std::int64_t rows) {
        const std::uint64_t px = std::uint64_t(h) * std::uint64_t(w);
        const std::uint64_t band = std::uint64_t(rows + 2) * std::uint64_t(2 * w);
        const std::uint64_t source = std::uint64_t(rows + 5) * std::uint64_t(2 * w);
        alloc(body(out, 4 * px));  // the output
        const std::uint64_t first = 2 * body(c, source) + body(out, band);
        alloc(first);
        release(first);
        const std::uint64_t second = 4 * body(out, band) + 2 * body(c, source);
        alloc(second);
        release(second);
        release(body(c, px));  // the caller drops x for the output
    }

    // conv_out(SiLU(norm_out(x))) with x (c channels) alive; leaves the output alive, x released.
    void normSiluConvOut(std::int64_t c, std::int64_t out, std::int64_t h, std::int64_t w) {
        const std::uint64_t px = std::uint64_t(h) * std::uint64_t(w);
        if (const std::int64_t rows = bandRows(c, h, w)) {
            const std::uint64_t band = std::uint64_t(rows + 2) * std::uint64_t(w);
            alloc(body(out, px));
            alloc(body(c, band) + body(out, band));
            release(body(c, band) + body(out, band));
        } else {
            alloc(body(c, px));    // norm_out + SiLU
            alloc(body(out, px));  // conv_out
            release(body(c, px));
        }
        release(body(c, px));
    }

    // MidBlock::forward, leaving its output alive.
    void mid(std::int64_t c, std::int64_t h, std::int64_t w) {
        resnet(c, c, h, w);
        if (a_.midAttention) attention(c, h, w);
        resnet(c, c, h, w);
    }

    // Encoder + quant_conv for an h x w image; leaves the moments [2E, h', w'] float32 alive.
    void encoder(std::int64_t h, std::int64_t w) {
        alloc(body(a_.inChannels, std::uint64_t(h) * std::uint64_t(w)));  // channels-last copy
        std::int64_t c = a_.ch;
        alloc(body(c, std::uint64_t(h) * std::uint64_t(w)));  // conv_in
        release(body(a_.inChannels, std::uint64_t(h) * std::uint64_t(w)));
        for (int i = 0; i < a_.levels(); ++i) {
            const std::int64_t out = std::int64_t(a_.ch) * a_.chMult[std::size_t(i)];
            for (int j = 0; j < a_.numResBlocks; ++j) {
                resnet(c, out, h, w);
                c = out;
                if (a_.encoderAttnLevels.count(i)) attention(c, h, w);
            }
            if (i + 1 < a_.levels()) {
                downsample(c, h, w);
                h /= 2;
                w /= 2;
            }
        }
        const std::uint64_t px = std::uint64_t(h) * std::uint64_t(w);
        mid(c, h, w);
        normSiluConvOut(c, 2 * a_.zChannels, h, w);
        alloc(f32(2 * a_.zChannels, px));      // in float32
        alloc(f32(2 * a_.embedChannels, px));  // quant_conv: the moments
        release(f32(2 * a_.zChannels, px) + body(2 * a_.zChannels, px));
    }

    // post_quant_conv + Decoder for a z of h x w; leaves the reconstruction alive as the engine
    // returns it (float32, plain layout).
    void decoder(std::int64_t h, std::int64_t w) {
        std::int64_t c = std::int64_t(a_.ch) * a_.chMult.back();
        std::uint64_t px = std::uint64_t(h) * std::uint64_t(w);
        alloc(f32(a_.zChannels, px));  // post_quant_conv
        alloc(body(c, px));            // conv_in
        release(f32(a_.zChannels, px));
        mid(c, h, w);
        bool firstDone = false;  // the level's first block ran fused with the upsampling
        for (int i = a_.levels() - 1; i >= 0; --i) {
            const std::int64_t out = std::int64_t(a_.ch) * a_.chMult[std::size_t(i)];
            for (int j = firstDone ? 1 : 0; j <= a_.numResBlocks; ++j) {
                resnet(c, out, h, w);
                c = out;
                if (a_.decoderAttnLevels.count(i)) attention(c, h, w);
            }
            firstDone = false;
            if (i == 0) continue;
            const std::int64_t next = std::int64_t(a_.ch) * a_.chMult[std::size_t(i - 1)];
            // Decoder::fusedUpsampleRows: into the full-resolution level, without attention.
            const std::int64_t rows = i == 1 && !a_.decoderAttnLevels.count(0)
                                          ? bandRows(std::max(c, next), 2 * h, 2 * w)
                                          : 0;
            if (rows) {
                upsampleResnet(c, next, h, w, rows);
                c = next;
                firstDone = true;
            } else {
                upsample(c, h, w);
            }
            px *= 4;
            h *= 2;
            w *= 2;
        }
        normSiluConvOut(c, a_.outChannels, h, w);
        alloc(f32(a_.outChannels, px));  // float32
        alloc(f32(a_.outChannels, px));  // plain layout on the CPU, then the checks' temporaries
        alloc(f32(a_.outChannels, px));
        release(f32(a_.outChannels, px) + body(a_.outChannels, px));
    }

  private:
    const Architecture& a_;
    const std::uint64_t body_;
    const std::uint64_t attentionElement_;
    const bool fused_;
    const std::size_t chunkBytes_;
    const std::size_t bandBytes_;
    const std::uint64_t batch_;
    std::uint64_t live_ = 0, peak_ = 0;
};

}  // namespace

namespace {

// What the replay does not see: LibTorch's and oneDNN's own scratch and kernel caches (measured
// 10-40 MiB more than the replayed peak for the full-size network, fp32 and bf16, 256²-1024²),
// and allocator rounding. check_memory_estimate.py keeps the estimate at or above real runs.
std::uint64_t withMargin(std::uint64_t replayedPeak) {
    return replayedPeak + replayedPeak / 20 + (std::uint64_t(64) << 20);
}

std::uint64_t weightBytes(const ModelInfo& model) {
    // Bodies are converted to their precision at load; the small heads stay float32.
    return std::uint64_t(model.parameters) * (model.precision == Precision::Float32 ? 4 : 2);
}

}  // namespace

MemoryEstimate estimateEncodeMemory(const ModelInfo& model, std::int64_t height, std::int64_t width,
                                    bool decode, std::size_t attentionChunkBytes,
                                    std::size_t bandBytes, int batch) {
    const Architecture& arch = model.architecture;
    Replay r(model, attentionChunkBytes, bandBytes, batch);
    r.encoder(height, width);
    if (decode) r.decoder(arch.latentSide(height), arch.latentSide(width));
    return {weightBytes(model), withMargin(r.peak())};
}

MemoryEstimate estimateDecodeMemory(const ModelInfo& model, std::int64_t height, std::int64_t width,
                                    std::size_t attentionChunkBytes, std::size_t bandBytes) {
    Replay r(model, attentionChunkBytes, bandBytes, 1);
    r.decoder(height, width);
    return {weightBytes(model), withMargin(r.peak())};
}

BudgetedRun fitToBudget(const ModelInfo& model, std::int64_t height, std::int64_t width,
                        bool encode, bool decode, int batch, std::size_t chunkBytes,
                        std::size_t bandBytes, std::uint64_t budgetBytes) {
    BudgetedRun run;
    run.chunkBytes = chunkBytes;
    run.bandBytes = bandBytes;
    for (;;) {
        run.estimate =
            encode ? estimateEncodeMemory(model, height, width, decode, run.chunkBytes,
                                          run.bandBytes, batch)
                   : estimateDecodeMemory(model, height, width, run.chunkBytes, run.bandBytes);
        run.fits = budgetBytes == 0 || run.estimate.total() <= budgetBytes;
        // Whole images (bandBytes 0) are the widest bands of all.
        const std::size_t band =
            run.bandBytes == 0 ? std::max(bandBytes, kSmallestBandBytes * 32) : run.bandBytes;
        const bool smallest = run.chunkBytes <= kSmallestChunkBytes && band <= kSmallestBandBytes;
        if (run.fits || smallest) return run;
        run.chunkBytes = std::max(kSmallestChunkBytes, run.chunkBytes / 2);
        run.bandBytes = std::max(kSmallestBandBytes, run.bandBytes == 0 ? band : band / 2);
    }
}

std::string budgetRefusal(const BudgetedRun& run, std::uint64_t budgetBytes,
                          const std::string& workload) {
    return workload + " needs about " + formatBytes(run.estimate.total()) +
           " at the smallest bands (weights and activations); the memory budget is " +
           formatBytes(budgetBytes) +
           ". Nothing was computed. Use bf16 precision or a smaller image, raise the budget "
           "(--max-memory-gb) if the machine has the memory, or compute it in tiles (--tiled: "
           "an approximation, said with its result)";
}

std::string formatBytes(std::uint64_t bytes) {
    char text[32];
    if (bytes >= 1000000000ull) {
        std::snprintf(text, sizeof text, "%.1f GB", double(bytes) / 1e9);
    } else {
        std::snprintf(text, sizeof text, "%.0f MB", double(bytes) / 1e6);
    }
    return text;
}

}  // namespace medvae
