#include "rendered_result.h"

#include <algorithm>
#include <cmath>

#include "error.h"
#include "model_b.h"
#include "picture_tally.h"
#include "windowed_image.h"

namespace medvae::ui {

namespace {

// A small picture of an image for the list: its colour channel(s) sampled on a grid and scaled
// to their range.
QImage thumbnailOf(const Image& image) {
    constexpr int side = RenderedResult::kThumbnailSide;
    if (image.width <= 0 || image.height <= 0 || image.pixels.empty()) return {};
    const int colour = image.channels >= 3 ? 3 : 1;
    const int step = std::max(1, std::max(image.width, image.height) / side);
    const int w = std::max(1, image.width / step), h = std::max(1, image.height / step);
    const auto at = [&](int c, int x, int y) {
        return image.plane(c)[std::size_t(y * step) * image.width + x * step];
    };
    float lo = INFINITY, hi = -INFINITY;
    for (int c = 0; c < colour; ++c)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                if (const float v = at(c, x, y); std::isfinite(v))
                    lo = std::min(lo, v), hi = std::max(hi, v);
    const float span = hi > lo ? hi - lo : 1;
    QImage out(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y) {
        uchar* row = out.scanLine(y);
        for (int x = 0; x < w; ++x)
            for (int k = 0; k < 3; ++k) {
                const float v = at(colour == 3 ? k : 0, x, y);
                row[3 * x + k] =
                    std::isfinite(v) ? uchar(std::clamp((v - lo) / span * 255.f, 0.f, 255.f)) : 0;
            }
    }
    return out.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

// Model B's reconstruction of the image model A reconstructed in `a`, compared with A's: the
// same options, the input padded to B's factor when A's was padded. Throws medvae::Error.
std::shared_ptr<const ABComparison> compareWithModelB(const jobs::InferenceOutcome& a,
                                                      const ModelB& modelB,
                                                      const std::atomic<bool>* abort) {
    const std::shared_ptr<jobs::InferenceBackend> backend = modelB.backend();
    jobs::BackendDescription b = backend->describe();
    const auto checkChannels = [&] {
        if (b.imageChannels != a.backend.imageChannels)
            throw Error("model B (" + b.model + ") takes " + std::to_string(b.imageChannels) +
                        " input channels and model A (" + a.backend.model + ") " +
                        std::to_string(a.backend.imageChannels) +
                        ": compare two models that take the same input channels");
    };
    // An endpoint's channels and factor are known only from its first answer.
    if (!modelB.isRemote()) checkChannels();
    RunControl control;
    if (abort) control.cancelled = [abort] { return abort->load(); };
    const Image input = a.padToFactor ? padToFactor(a.image, b.factor) : a.image;
    const EncodeResult result = backend->run(input, a.options, &control);
    if (!result.decoded.defined())
        throw Error("model B (" + b.model + ") returned no reconstruction");
    if (modelB.isRemote()) {
        b = backend->describe();  // read off the answer
        checkChannels();
    }
    auto recB =
        std::make_shared<const Reconstruction>(compareReconstruction(a.image, result.decoded));
    auto ab = ABComparison::prepare(
        {a.reconstruction, a.backend.model, a.backend.factor, a.backend.latentChannels},
        {recB, b.model, b.factor, b.latentChannels});
    if (!ab) throw Error("the reconstructions of models A and B cannot be compared");
    return ab;
}

}  // namespace

std::shared_ptr<const RenderedResult> RenderedResult::prepare(const jobs::InferenceOutcome& outcome,
                                                              const LatentMaps::Settings& latent,
                                                              const ModelB* modelB,
                                                              const std::atomic<bool>* abort) {
    auto r = std::make_shared<RenderedResult>();
    r->thumbnail = thumbnailOf(outcome.image);
    if (outcome.reconstruction)
        r->comparison = CompareModel::prepare(outcome.reconstruction, outcome.backend.factor);
    if (outcome.result.latent.defined())
        r->latent = LatentMaps::fromTensors(outcome.result.latent, outcome.result.z, latent);
    if (modelB && outcome.ok()) {
        r->compared = true;
        r->modelB = modelB->identity();
        try {
            if (!outcome.reconstruction) throw Error("model A returned no reconstruction");
            r->ab = compareWithModelB(outcome, *modelB, abort);
        } catch (const Cancelled&) {
            throw;  // the job ends cancelled
        } catch (const Error& e) {
            r->abError = QString::fromStdString(e.what());
        }
    }
    return r;
}

std::shared_ptr<const RenderedResult> RenderedResult::prepareLoaded(const Image& image) {
    auto r = std::make_shared<RenderedResult>();
    r->loaded = std::make_shared<const WindowedImage>(std::make_shared<const Image>(image));
    return r;
}

const RenderedResult* RenderedResult::of(const jobs::InferenceOutcome& outcome) {
    return dynamic_cast<const RenderedResult*>(outcome.rendering.get());
}

void RenderedResult::tally(MemoryTally& tally) const {
    tallyPicture(tally, thumbnail);
    if (comparison) comparison->tally(tally);
    latent.tally(tally);
    if (loaded) loaded->tally(tally);
    if (ab) ab->tally(tally);
}

}  // namespace medvae::ui
