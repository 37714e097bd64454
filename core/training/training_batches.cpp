#include "training_batches.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <tuple>

#include "error.h"
#include "trainer.h"

namespace medvae {
namespace {

// Window shapes (width, height) in eighths of the crop side: a square and four aspect ratios
// from 7:9 to 11:6, each holding about crop x crop pixels: a few fixed shapes, so that the
// kernels LibTorch prepares for a shape are reused rather than prepared again every step.
const int kShapes[][2] = {{8, 8}, {7, 9}, {9, 7}, {6, 11}, {11, 6}};

int multipleOf8(double side) {
    return std::max(8, 8 * int(std::lround(side / 8)));
}

// The window (x0, y0, w, h) of `img`, mirrored or not, renormalised into dst (model range).
// False when the window is (nearly) constant: a patch of empty background teaches nothing.
bool copyWindow(const DatasetImage& img, int x0, int y0, int w, int h, bool flip, float* dst) {
    float lo = 1e30f, hi = -1e30f;
    for (int y = 0; y < h; ++y) {
        const float* row = img.pixels.data() + std::size_t(y0 + y) * std::size_t(img.width) + x0;
        for (int x = 0; x < w; ++x) {
            lo = std::min(lo, row[x]);
            hi = std::max(hi, row[x]);
        }
    }
    if (hi - lo < 0.02f) return false;
    const float scale = 2.0f / (hi - lo);
    for (int y = 0; y < h; ++y) {
        const float* row = img.pixels.data() + std::size_t(y0 + y) * std::size_t(img.width) + x0;
        for (int x = 0; x < w; ++x)
            dst[std::size_t(y) * std::size_t(w) + std::size_t(x)] =
                (row[flip ? w - 1 - x : x] - lo) * scale - 1.0f;
    }
    return true;
}

}  // namespace

TrainingBatches::TrainingBatches(const std::vector<DatasetImage>& images,
                                 const std::map<std::string, double>& modalityWeights) {
    std::map<std::string, std::vector<const DatasetImage*>> groups;
    smallestSide_ = 1 << 30;
    for (const auto& img : images)
        if (!img.heldOut) {
            groups[img.modality].push_back(&img);
            smallestSide_ = std::min({smallestSide_, img.width, img.height});
        }
    if (groups.empty()) throw Error("no training images");
    // The whole-image stage's shapes: the five most common among the training images (their
    // sides rounded down to multiples of 8), so that each step's images are whole or nearly.
    std::map<std::pair<int, int>, int> shapes;
    for (const auto& img : images)
        if (!img.heldOut && img.width >= 8 && img.height >= 8)
            ++shapes[{img.width / 8 * 8, img.height / 8 * 8}];
    std::vector<std::pair<int, std::pair<int, int>>> ranked;
    for (const auto& [shape, count] : shapes)
        ranked.push_back({count, shape});
    std::sort(ranked.rbegin(), ranked.rend());
    for (std::size_t i = 0; i < ranked.size() && i < 5; ++i)
        wholeShapes_.push_back(ranked[i].second);
    for (const auto& [modality, weight] : modalityWeights)
        if (!groups.count(modality) || !validWeight(weight))
            throw Error("modality weight '" + modality + "': " +
                        (groups.count(modality) ? "weights must be finite and >= 0"
                                                : "no training images of that modality"));
    double total = 0;
    for (auto& [modality, list] : groups) {
        byModality_.push_back(std::move(list));
        if (modalityWeights.empty()) continue;  // all equal: sample() draws rng() % n
        const auto weight = modalityWeights.find(modality);
        total += weight == modalityWeights.end() ? 1.0 : weight->second;
        cumulativeWeight_.push_back(total);
    }
    if (!modalityWeights.empty() && !(total > 0))
        throw Error("the modality weights leave no training image to draw");
    for (double& c : cumulativeWeight_)
        c /= total;
}

void TrainingBatches::check(const std::vector<TrainStage>& stages) const {
    if (stages.empty()) throw Error("no training stages");
    for (const auto& stage : stages)
        if (!stage.countsValid() || stage.crop % 8 != 0 ||
            multipleOf8(stage.crop * 11 / 8.0) > smallestSide_)
            throw Error(
                "each stage's crop must be 0 (whole images) or a multiple of 8 with 11/8 "
                "of it at most the smallest training image's side (" +
                std::to_string(smallestSide_) + "), its batches positive");
}

at::Tensor TrainingBatches::sample(const TrainStage& stage, std::uint64_t seed, int step) const {
    std::mt19937_64 rng(seed * 1000003ull + std::uint64_t(step));
    auto pick = [&]() -> const DatasetImage& {
        std::size_t m = 0;
        if (cumulativeWeight_.empty()) {  // equal weights: the draw the shipped model had
            m = rng() % byModality_.size();
        } else {
            const double u = double(rng() >> 11) * 0x1.0p-53;  // uniform in [0, 1)
            while (m + 1 < cumulativeWeight_.size() && u >= cumulativeWeight_[m])
                ++m;
        }
        const auto& list = byModality_[m];
        return *list[rng() % list.size()];
    };
    std::vector<const DatasetImage*> chosen;
    int w, h, n = stage.batch;
    const bool whole = stage.crop == 0 ||
                       (stage.wholeEvery > 0 && step % stage.wholeEvery == stage.wholeEvery - 1);
    if (!whole) {
        const auto& shape = kShapes[rng() % 5];
        w = multipleOf8(stage.crop * shape[0] / 8.0);
        h = multipleOf8(stage.crop * shape[1] / 8.0);
        n = std::max(
            1, int(std::lround(double(stage.batch) * stage.crop * stage.crop / (double(w) * h))));
    } else {
        std::tie(w, h) = wholeShapes_[rng() % wholeShapes_.size()];
        if (stage.crop > 0) n = stage.wholeBatch;
    }
    while (int(chosen.size()) < n) {
        const DatasetImage& img = pick();
        if (img.width >= w && img.height >= h) chosen.push_back(&img);
    }
    at::Tensor batch = at::empty({std::int64_t(chosen.size()), 1, h, w}, at::kFloat);
    float* dst = batch.data_ptr<float>();
    for (std::size_t b = 0; b < chosen.size(); ++b) {
        const DatasetImage* img = chosen[b];
        for (int attempt = 0;; ++attempt) {
            const int x0 = int(rng() % std::uint64_t(img->width - w + 1)),
                      y0 = int(rng() % std::uint64_t(img->height - h + 1));
            const bool flip = rng() & 1;
            if (copyWindow(*img, x0, y0, w, h, flip, dst + b * std::size_t(w) * std::size_t(h)))
                break;
            if (attempt % 8 == 7) {  // this image offers only flat windows of this shape
                do
                    img = &pick();
                while (img->width < w || img->height < h);
            }
        }
    }
    return batch;
}

}  // namespace medvae
