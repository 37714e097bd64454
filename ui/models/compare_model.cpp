#include "compare_model.h"

#include "scalar_map.h"
#include "windowed_image.h"

namespace medvae::ui {

namespace {

CompareModel::Heatmap heatmapOf(const std::shared_ptr<const Reconstruction>& rec,
                                ErrorHeatmap::Kind kind) {
    ErrorHeatmap e = ErrorHeatmap::of(rec->signedError, kind);
    CompareModel::Heatmap h;
    // Same spacing (scale bar) and units (readout) as the images it compares. Both maps of a
    // grey image are drawn from its signed error itself (the absolute one as its magnitudes):
    // shared, not copied.
    if (rec->signedError.channels == 1)
        h.map = std::make_shared<const ScalarMap>(
            std::shared_ptr<const Image>(rec, &rec->signedError), e.colormap(), e.low(), e.high(),
            kind == ErrorHeatmap::Kind::Absolute ? ScalarMap::Values::Magnitude
                                                 : ScalarMap::Values::AsStored);
    else
        h.map =
            std::make_shared<const ScalarMap>(e.takeValues(), e.width(), e.height(), e.colormap(),
                                              e.low(), e.high(), rec->original.meta);
    h.peak = e.peak();
    h.clipped = e.clipped();
    return h;
}

}  // namespace

std::shared_ptr<const CompareModel> CompareModel::prepare(std::shared_ptr<const Reconstruction> rec,
                                                          int factor) {
    if (!rec) return nullptr;
    const Image& o = rec->original;
    const Image& r = rec->reconstruction;
    const Image& e = rec->signedError;
    if (o.width <= 0 || o.height <= 0 || r.width != o.width || r.height != o.height ||
        e.width != o.width || e.height != o.height || r.channels != o.channels ||
        e.channels != o.channels)
        return nullptr;
    auto model = std::make_shared<CompareModel>();
    model->rec_ = rec;
    model->factor_ = factor;
    // The images stay in the reconstruction; the views share them.
    model->original_ =
        std::make_shared<const WindowedImage>(std::shared_ptr<const Image>(rec, &rec->original));
    model->reconstructed_ = std::make_shared<const WindowedImage>(
        std::shared_ptr<const Image>(rec, &rec->reconstruction), model->original_->initialCenter(),
        model->original_->initialWidth());
    model->absolute_ = heatmapOf(rec, ErrorHeatmap::Kind::Absolute);
    model->signed_ = heatmapOf(rec, ErrorHeatmap::Kind::Signed);
    return model;
}

const CompareModel::Heatmap& CompareModel::heatmap(ErrorHeatmap::Kind kind) const {
    return kind == ErrorHeatmap::Kind::Signed ? signed_ : absolute_;
}

void CompareModel::tally(MemoryTally& tally) const {
    tally.add(*rec_);
    for (const auto& picture : {original_, reconstructed_})
        if (picture) picture->tally(tally);
    for (const Heatmap* h : {&absolute_, &signed_})
        if (h->map) h->map->tally(tally);
}

}  // namespace medvae::ui
