#pragma once

#include <QImage>
#include <QString>

#include <atomic>
#include <memory>

#include "ab_comparison.h"
#include "compare_model.h"
#include "inference_job.h"
#include "latent_maps.h"

namespace medvae::ui {

class ModelB;

// Everything the Inspect tab draws for one finished image job, made on the worker thread by
// prepare() (the request's `prepare`), so that showing a result, new or cached, only paints.
struct RenderedResult : jobs::Rendering {
    static constexpr int kThumbnailSide = 96;

    QImage thumbnail;                                // at most kThumbnailSide on its longer side
    std::shared_ptr<const CompareModel> comparison;  // null without a reconstruction
    LatentMaps latent;
    // Only in the report of a loaded image (prepareLoaded): the image as the original's view
    // draws it while the model runs.
    std::shared_ptr<const WindowedImage> loaded;
    // With a model B: the A/B comparison, or why there is none (B could not be opened or run,
    // takes other input channels, ...).
    bool compared = false;
    QString modelB;  // ModelB::identity() of the model compared with
    std::shared_ptr<const ABComparison> ab;
    QString abError;

    // `latent`: the latent panel's settings when the job was asked for. With `modelB`, B runs on
    // the same input (padded to B's factor when A's was padded) and the A/B comparison is made;
    // `abort` stops B's run (the job was superseded or cancelled).
    static std::shared_ptr<const RenderedResult> prepare(const jobs::InferenceOutcome& outcome,
                                                         const LatentMaps::Settings& latent,
                                                         const ModelB* modelB = nullptr,
                                                         const std::atomic<bool>* abort = nullptr);
    // The loaded image, before the model runs (the request's `prepareLoaded`); throws
    // medvae::Error when the image cannot be shown.
    static std::shared_ptr<const RenderedResult> prepareLoaded(const Image& image);
    void tally(MemoryTally& tally) const override;
    // The rendering of `outcome`, or nullptr when it has none.
    static const RenderedResult* of(const jobs::InferenceOutcome& outcome);
};

}  // namespace medvae::ui
