#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "architecture.h"
#include "demo_dataset.h"
#include "engine.h"

namespace medvae {

// The demo models: base width 32 (a quarter of the published 128, the deepest levels narrower
// still), one block per level, no LoRA. Factor 8: the medvae_8_4_2d layout (4 latent channels,
// 3-channel images, stage-2 head); factor 4: the medvae_4_3_2d layout (3 latent channels,
// 3-channel images, stage-2 head). Throws medvae::Error for another factor.
Architecture demoArchitecture(int factor);

// One phase of training: `steps` steps with a linear warm-up to `learningRate` and a cosine
// decay to 1 % of it. Each step takes random windows of training images, each renormalised to
// [0, 1] on its own as upstream normalises a user's image: with crop > 0, `batch` windows of
// about crop x crop pixels, square or of one of four aspect ratios from 7:9 to 11:6 (sides
// multiples of 8); with crop == 0, `batch` whole images of one of the five most common shapes
// (sides rounded down to multiples of 8), cut at random where an image is larger.
struct TrainStage {
    int steps = 0;
    int batch = 16;
    int crop = 64;  // 0: whole images
    double learningRate = 1e-3;
    int warmupSteps = 100;
    // With crop > 0: every wholeEvery-th step (0: none) takes wholeBatch whole images instead of
    // windows, so that GroupNorm and attention see full-size statistics all along.
    int wholeEvery = 0;
    int wholeBatch = 2;

    // Counts that make sense whatever the images: steps >= 0, batches >= 1, crop >= 0,
    // wholeEvery >= 0 (TrainingBatches::check adds what the images allow).
    bool countsValid() const {
        return steps >= 0 && batch >= 1 && crop >= 0 && wholeEvery >= 0 && wholeBatch >= 1;
    }
};

struct TrainOptions {
    // Crops are cheap and varied, but GroupNorm and attention then only see small windows: whole
    // images mixed in (TrainStage::wholeEvery) or a final stage on them teach the network the
    // statistics of full-size inputs.
    std::vector<TrainStage> stages{TrainStage{3000, 16, 64, 1e-3, 100}};
    // Weight of the KL term against the reconstruction loss summed over an image's elements, as
    // upstream's kl_weight weighs it: the balance does not change with the image's size.
    double klWeight = 1e-6;
    double ssimWeight = 0.2;  // weight of (1 - SSIM) beside the L1 term
    // How often each modality is drawn, relative to the others ("mr" -> 2: twice as often as a
    // modality of weight 1); empty: all equally often (TrainingBatches).
    std::map<std::string, double> modalityWeights;
    std::uint64_t seed = 1;
    int threads = 0;  // 0: all cores
    DeviceKind device = DeviceKind::Cpu;
    int logEvery = 50;
    int saveEvery = 500;  // resumable state is written this often
    int stopAt = 0;       // when > 0, stop (state saved) after this global step; resume later

    int totalSteps() const;
};

// Mean quality of reconstructions over a set of images.
struct Quality {
    int images = 0;
    double psnr = 0;  // dB, data range 1
    double ssim = 0;
    double mae = 0;
};

struct Evaluation {
    Quality all;
    std::map<std::string, Quality> byModality;  // "mr", "ct", "radiograph", "other"
    std::map<std::string, Quality> byGroup;     // DatasetImage::group
    Quality whole, crops;                       // whole images, and crops of them
};

// Trains a MedVAE-layout autoencoder from scratch on 2D images with LibTorch: reconstruction
// loss L1 + ssimWeight * (1 - SSIM) in model space, plus a small KL term on the posterior; z is
// sampled during training as upstream does. Fixed seeds make runs repeatable on one machine.
// The stage-2 head (channel_ds, channel_proj) is not trained: it is set so that latent = z,
// since its upstream training signal (BiomedCLIP consistency) is not available here.
class Trainer {
  public:
    using Log = std::function<void(const std::string& line)>;

    // Starts from random weights, or from the weights of checkpoint `initFrom` when given.
    Trainer(const Architecture& architecture, const TrainOptions& options,
            const std::string& initFrom = {});
    ~Trainer();

    // Trains on the images whose heldOut flag is false, from scratch or from `statePath`
    // (written every saveEvery steps; training resumes where it stopped). Returns the final
    // weights as a state dict in the upstream key layout.
    StateDict train(const std::vector<DatasetImage>& images, const std::string& statePath,
                    const Log& log);

    // Writes weights as a float16 upstream-format checkpoint with `metadata` beside the state dict.
    static void saveCheckpoint(const StateDict& weights, const std::string& path,
                               const std::map<std::string, std::string>& metadata, bool half);

    // Reconstructs each held-out image at its own size with `engine` and compares the
    // reconstruction (clamped to [0, 1]) with the original where both exist: the model returns
    // factor * floor(side / factor) pixels a side, as upstream's does.
    static Evaluation evaluate(Engine& engine, const std::vector<DatasetImage>& images);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace medvae
