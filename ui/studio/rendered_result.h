#pragma once

#include <QImage>

#include <memory>

#include "compare_model.h"
#include "inference_job.h"
#include "latent_maps.h"

namespace medvae::ui {

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

    // `latent`: the latent panel's settings when the job was asked for.
    static std::shared_ptr<const RenderedResult> prepare(const jobs::InferenceOutcome& outcome,
                                                         const LatentMaps::Settings& latent);
    // The loaded image, before the model runs (the request's `prepareLoaded`); throws
    // medvae::Error when the image cannot be shown.
    static std::shared_ptr<const RenderedResult> prepareLoaded(const Image& image);
    // The rendering of `outcome`, or nullptr when it has none.
    static const RenderedResult* of(const jobs::InferenceOutcome& outcome);
};

}  // namespace medvae::ui
