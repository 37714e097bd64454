#include "trainer.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/types.h>  // before clip_grad.h, which uses torch::Tensor without including it

#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>
#include <torch/serialize.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>
#include <utility>

#include "autoencoder_kl.h"
#include "checkpoint_reader.h"
#include "checkpoint_writer.h"
#include "error.h"
#include "image_metrics.h"
#include "key_mapping.h"
#include "preprocessing.h"
#include "synthetic_weights.h"
#include "torch_errors.h"
#include "training_batches.h"

namespace medvae {
namespace {

const auto kChannelsLast = at::MemoryFormat::ChannelsLast;

// Differentiable SSIM of images in [0, 1]: [B, C, H, W] -> mean over everything.
at::Tensor ssim(const at::Tensor& a, const at::Tensor& b) {
    const std::int64_t channels = a.size(1);
    std::vector<float> g(11);
    double sum = 0;
    for (int i = 0; i < 11; ++i)
        sum += g[std::size_t(i)] = float(std::exp(-double((i - 5) * (i - 5)) / (2 * 1.5 * 1.5)));
    at::Tensor k1 = at::tensor(g).div_(sum);
    at::Tensor window = at::outer(k1, k1).expand({channels, 1, 11, 11}).contiguous().to(a.device());
    auto blur = [&](const at::Tensor& t) {
        return at::conv2d(t, window, at::Tensor(), at::IntArrayRef{1, 1}, at::IntArrayRef{0, 0},
                          at::IntArrayRef{1, 1}, channels);
    };
    const at::Tensor ma = blur(a), mb = blur(b);
    const at::Tensor va = blur(a * a) - ma * ma, vb = blur(b * b) - mb * mb,
                     cov = blur(a * b) - ma * mb;
    const double c1 = 1e-4, c2 = 9e-4;
    return ((2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2)))
        .mean();
}

RawTensor toRaw(const at::Tensor& t, bool half) {
    const at::Tensor c = t.detach().to(at::kCPU, half ? at::kHalf : at::kFloat).contiguous();
    RawTensor r;
    r.dtype = half ? DType::Float16 : DType::Float32;
    r.shape = c.sizes().vec();
    const auto* p = static_cast<const std::uint8_t*>(c.data_ptr());
    r.bytes.assign(p, p + c.numel() * std::int64_t(c.element_size()));
    return r;
}

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Everything but the stage-2 head learns.
std::vector<at::Tensor> learnedParameters(AutoencoderKL& net) {
    std::vector<at::Tensor> params;
    for (auto& item : net.named_parameters(true)) {
        const bool head = item.key().rfind("channel_", 0) == 0;
        item.value().set_requires_grad(!head);
        if (!head) params.push_back(item.value());
    }
    return params;
}

// Resumes from the state saveState wrote, if there is one: the step to go on from (0 without).
// A state that is not one, or one of another network (another --layout), is refused before any
// weight is changed.
int loadState(const std::string& statePath, AutoencoderKL& net, torch::optim::Adam& adam,
              const Trainer::Log& log) {
    if (statePath.empty() || !std::filesystem::exists(statePath)) return 0;
    const std::string refused = "the training state " + statePath +
                                " is not one of this network (another --layout, or damaged; "
                                "delete it to start afresh)";
    const int start = guarded(refused, [&] {
        torch::serialize::InputArchive archive;
        archive.load_from(statePath);
        at::Tensor step;
        archive.read("step", step);
        const int savedStep = int(step.item<std::int64_t>());
        torch::serialize::InputArchive weights;
        archive.read("weights", weights);
        std::vector<std::pair<at::Tensor, at::Tensor>> saved;  // (parameter, its saved value)
        for (auto& item : net.named_parameters(true)) {
            at::Tensor t;
            weights.read(item.key(), t);
            if (!t.sizes().equals(item.value().sizes()))
                throw Error(refused + ": " + item.key() + " has another shape");
            saved.emplace_back(item.value(), t);
        }
        at::NoGradGuard noGrad;
        for (auto& [parameter, value] : saved)
            parameter.copy_(value);
        torch::serialize::InputArchive optimizer;
        archive.read("optimizer", optimizer);
        adam.load(optimizer);
        return savedStep;
    });
    log("resumed from " + statePath + " at step " + std::to_string(start));
    return start;
}

// Written to a temporary name and renamed, so an interrupted save leaves the previous state.
void saveState(const std::string& statePath, AutoencoderKL& net, torch::optim::Adam& adam,
               int step) {
    torch::serialize::OutputArchive archive;
    archive.write("step", at::tensor(std::int64_t(step)));
    torch::serialize::OutputArchive weights;
    for (const auto& item : net.named_parameters(true))
        weights.write(item.key(), item.value().detach().to(at::kCPU));
    archive.write("weights", weights);
    torch::serialize::OutputArchive optimizer;
    adam.save(optimizer);
    archive.write("optimizer", optimizer);
    const std::string temp = statePath + ".partial";
    archive.save_to(temp);
    std::filesystem::rename(temp, statePath);
}

// The stage a global step belongs to, and the step within it.
std::pair<const TrainStage*, int> stageOf(const TrainOptions& o, int step) {
    std::size_t stageIndex = 0;
    int local = step;
    while (local >= o.stages[stageIndex].steps)
        local -= o.stages[stageIndex++].steps;
    return {&o.stages[stageIndex], local};
}

// Linear warm-up, then a cosine decay to 1 % of the peak, per stage.
double learningRate(const TrainStage& stage, int local) {
    if (local < stage.warmupSteps)
        return stage.learningRate * (double(local + 1) / stage.warmupSteps);
    const double t =
        double(local - stage.warmupSteps) / std::max(1, stage.steps - stage.warmupSteps);
    return stage.learningRate * (0.01 + 0.99 * 0.5 * (1 + std::cos(M_PI * t)));
}

struct LossTerms {
    at::Tensor l1, similarity, kl, total;
};

// L1 + ssimWeight * (1 - SSIM) of the reconstruction from a sampled z, plus the weighted KL.
LossTerms lossOf(AutoencoderKL& net, const at::Tensor& x, const TrainOptions& o, int batch,
                 int step) {
    StepCounter steps(nullptr, 0);
    auto [mean, logvar] = net.encodeMoments(x, steps);
    at::Generator gen = at::detail::createCPUGenerator(o.seed * 7919ull + std::uint64_t(step));
    const at::Tensor noise =
        at::randn(mean.sizes(), gen, at::TensorOptions().dtype(at::kFloat)).to(mean.device());
    const at::Tensor z = mean + at::exp(0.5 * logvar) * noise;
    const at::Tensor decoded = net.decode(z, steps);
    const at::Tensor target = x.contiguous().to(decoded.scalar_type());
    LossTerms loss;
    loss.l1 = (decoded - target).abs().mean();
    loss.similarity = ssim((decoded + 1) / 2, (target + 1) / 2);
    loss.kl = 0.5 * (mean * mean + at::exp(logvar) - 1 - logvar).sum() / batch;
    // The L1 term is a mean over the elements of an image, where upstream sums them: the KL per
    // image is divided by those elements to keep upstream's balance whatever the image's size.
    loss.total = loss.l1 + o.ssimWeight * (1 - loss.similarity) +
                 o.klWeight / double(x[0].numel()) * loss.kl;
    return loss;
}

// Means of the loss terms since the last line, and the time per step.
class RunningLoss {
  public:
    void add(const LossTerms& loss) {
        l1_ += loss.l1.item<double>();
        ssim_ += loss.similarity.item<double>();
        kl_ += loss.kl.item<double>();
        ++count_;
    }
    std::string take(int step, int totalSteps, double lr) {
        char line[256];
        std::snprintf(line, sizeof line,
                      "step %5d/%d  L1 %.4f  SSIM %.4f  KL %.1f  lr %.2e  %.2f s/step", step,
                      totalSteps, l1_ / count_, ssim_ / count_, kl_ / count_, lr,
                      seconds(since_) / count_);
        *this = RunningLoss();
        return line;
    }

  private:
    double l1_ = 0, ssim_ = 0, kl_ = 0;
    int count_ = 0;
    std::chrono::steady_clock::time_point since_ = std::chrono::steady_clock::now();
};

}  // namespace

Architecture demoArchitecture(int factor) {
    if (factor != 8 && factor != 4)
        throw Error("a demo model has the factor 8 or 4 layout, not " + std::to_string(factor));
    Architecture a = medvae84Architecture();
    a.ch = 32;
    a.numResBlocks = 1;
    a.lora = false;
    if (factor == 8) {
        a.chMult = {1, 2, 2, 4};
    } else {
        a.chMult = {1, 2, 2};
        a.zChannels = a.embedChannels = 3;
    }
    return a;
}

struct Trainer::Impl {
    Architecture arch;
    TrainOptions options;
    std::shared_ptr<AutoencoderKL> net;
    at::Device device = at::kCPU;
};

int TrainOptions::totalSteps() const {
    int total = 0;
    for (const auto& s : stages)
        total += s.steps;
    return total;
}

Trainer::Trainer(const Architecture& architecture, const TrainOptions& options,
                 const std::string& initFrom)
    : impl_(std::make_unique<Impl>()) {
    Engine::configureCpuKernels();
    impl_->arch = architecture;
    impl_->options = options;
    at::set_num_threads(options.threads > 0
                            ? options.threads
                            : int(std::max(1u, std::thread::hardware_concurrency())));
    if (options.device == DeviceKind::Cuda) {
        if (!Engine::cudaAvailable())
            throw Error("CUDA was requested for training but is not available");
        impl_->device = at::Device(at::kCUDA, 0);
    }
    impl_->net = std::make_shared<AutoencoderKL>(architecture);
    StateDict init = syntheticWeights(architecture, false, options.seed);
    // Stage-2 head: latent = channel_proj(channel_ds(z) + z) = z.
    if (architecture.stage2Head) {
        const std::int64_t e = architecture.embedChannels;
        init["channel_ds.4.weight"].zero_();
        init["channel_ds.4.bias"].zero_();
        init["channel_proj.weight"] = at::eye(e).reshape({e, e, 1, 1});
        init["channel_proj.bias"].zero_();
    }
    impl_->net->loadWeights(init, "initial weights");
    if (!initFrom.empty()) {
        Checkpoint ckpt = CheckpointReader::read(initFrom);
        KeyMappingReport report;
        impl_->net->loadWeights(
            KeyMapping::apply(toStateDict(std::move(ckpt.tensors)), initFrom, report), initFrom);
    }
    impl_->net->prepare(impl_->device, at::kFloat);
}

Trainer::~Trainer() = default;

StateDict Trainer::train(const std::vector<DatasetImage>& images, const std::string& statePath,
                         const Log& log) {
    const TrainOptions& o = impl_->options;
    AutoencoderKL& net = *impl_->net;
    const TrainingBatches batches(images, o.modalityWeights);
    batches.check(o.stages);

    const std::vector<at::Tensor> params = learnedParameters(net);
    torch::optim::Adam adam(params, torch::optim::AdamOptions(o.stages.front().learningRate));
    const int totalSteps = o.totalSteps();
    const int endStep = o.stopAt > 0 ? std::min(o.stopAt, totalSteps) : totalSteps;
    const int start = loadState(statePath, net, adam, log);
    RunningLoss running;
    for (int step = start; step < endStep; ++step) {
        const auto [stage, local] = stageOf(o, step);
        const double lr = learningRate(*stage, local);
        for (auto& group : adam.param_groups())
            static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
        at::Tensor x = batches.sample(*stage, o.seed, step);
        const std::int64_t n = x.size(0);
        x = x.expand({n, impl_->arch.inChannels, x.size(2), x.size(3)})
                .to(impl_->device)
                .contiguous(kChannelsLast);
        const LossTerms loss = lossOf(net, x, o, int(n), step);

        adam.zero_grad();
        loss.total.backward();
        torch::nn::utils::clip_grad_norm_(params, 1.0);
        adam.step();

        running.add(loss);
        if ((step + 1) % o.logEvery == 0 || step + 1 == totalSteps)
            log(running.take(step + 1, totalSteps, lr));
        if (!statePath.empty() && ((step + 1) % o.saveEvery == 0 || step + 1 == endStep))
            saveState(statePath, net, adam, step + 1);
    }
    for (auto& item : net.named_parameters(true))
        item.value().set_requires_grad(false);
    return net.weights();
}

void Trainer::saveCheckpoint(const StateDict& weights, const std::string& path,
                             const std::map<std::string, std::string>& metadata, bool half) {
    std::vector<std::pair<std::string, RawTensor>> raw;
    for (const auto& [key, t] : weights)
        raw.emplace_back(key, toRaw(t, half));
    CheckpointWriter::write(path, raw, metadata);
}

Evaluation Trainer::evaluate(Engine& engine, const std::vector<DatasetImage>& images) {
    Evaluation e;
    auto add = [](Quality& q, const ImageComparison& c) {
        ++q.images;
        q.psnr += c.psnr;
        q.ssim += c.ssim;
        q.mae += c.mae;
    };
    for (const auto& img : images) {
        if (!img.heldOut) continue;
        Image image;
        image.width = img.width;
        image.height = img.height;
        image.channels = 1;
        image.pixels = img.pixels;
        image.meta.source = img.name;
        const at::Tensor input =
            Preprocessing::toModelInput(image, engine.info().architecture.inChannels);
        EncodeOptions o;
        o.decode = true;
        const EncodeResult r = engine.encode(input, o);
        // Both in [0, 1]: the model input mapped back, and the reconstruction (channel mean)
        // clamped, over the pixels the reconstruction has.
        const std::int64_t h = r.decoded.size(1), w = r.decoded.size(2);
        const at::Tensor original = ((input[0].slice(0, 0, h).slice(1, 0, w) + 1) / 2).contiguous();
        const at::Tensor recon = ((r.decoded.mean(0) + 1) / 2).clamp(0, 1).contiguous();
        const ImageComparison c = ImageMetrics::compare(
            original.data_ptr<float>(), recon.data_ptr<float>(), 1, int(h), int(w), 1.0);
        for (Quality* q : {&e.all, &e.byModality[img.modality], &e.byGroup[img.group],
                           img.crop ? &e.crops : &e.whole})
            add(*q, c);
    }
    if (e.all.images == 0) throw Error("no held-out images to evaluate");
    auto mean = [](Quality& q) {
        if (q.images == 0) return;
        q.psnr /= q.images;
        q.ssim /= q.images;
        q.mae /= q.images;
    };
    for (Quality* q : {&e.all, &e.whole, &e.crops})
        mean(*q);
    for (auto* m : {&e.byModality, &e.byGroup})
        for (auto& [key, q] : *m)
            mean(q);
    return e;
}

}  // namespace medvae
