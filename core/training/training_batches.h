#pragma once

#include <ATen/core/Tensor.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "demo_dataset.h"

namespace medvae {

struct TrainStage;

// The training images (heldOut false), and the batches a stage draws from them: each modality
// as often as its weight says (equally often without weights) whatever its image count, random
// windows mirrored half the time, each window renormalised to its own [min, max] as upstream's
// load_2d would treat it as an image of its own, then mapped to the model's [-1, 1]. A batch
// depends on the seed and the step only, so a resumed run continues exactly.
class TrainingBatches {
  public:
    // modalityWeights: relative draw weights by modality ("mr", "ct", ...); a modality not named
    // weighs 1. Throws medvae::Error for a weight that is negative or not finite, a name without
    // training images, or weights that leave nothing to draw.
    explicit TrainingBatches(const std::vector<DatasetImage>& images,
                             const std::map<std::string, double>& modalityWeights = {});

    // A weight modalityWeights may hold: finite and >= 0.
    static bool validWeight(double weight) { return weight >= 0 && std::isfinite(weight); }

    // [n, 1, h, w] float32 (see TrainStage for the shapes and counts).
    at::Tensor sample(const TrainStage& stage, std::uint64_t seed, int step) const;

    // Throws medvae::Error when a stage cannot be drawn from these images.
    void check(const std::vector<TrainStage>& stages) const;

  private:
    std::vector<std::vector<const DatasetImage*>> byModality_;
    std::vector<double> cumulativeWeight_;          // by modality, ending at 1; empty: equal
    std::vector<std::pair<int, int>> wholeShapes_;  // (width, height)
    int smallestSide_ = 0;
};

}  // namespace medvae
