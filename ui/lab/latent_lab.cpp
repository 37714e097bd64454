#include "latent_lab.h"

#include <QFileInfo>

#include <ATen/ATen.h>

#include "error.h"
#include "error_heatmap.h"
#include "inference_worker.h"
#include "scalar_map.h"
#include "state_dict.h"
#include "windowed_image.h"
#include "z_array.h"

namespace medvae::ui {
namespace {

// A z file larger than this is not a z (a full-size model's z of a 4096² image is 4 MiB).
constexpr std::uint64_t kMaxZFileBytes = 256ull << 20;

// [C, H, W] model space as an Image of the same values (what the views draw).
std::shared_ptr<Image> toImage(const at::Tensor& t) {
    const at::Tensor c = t.to(at::kFloat).contiguous();  // [C, H, W]
    auto image = std::make_shared<Image>();
    image->channels = int(c.size(0));
    image->height = int(c.size(1));
    image->width = int(c.size(2));
    image->pixels.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    image->meta.format = "decoded z";
    image->meta.colorModel = image->channels == 3 ? "RGB" : "gray";
    return image;
}

// Runs on the worker thread: the pictures of one finished decode.
std::shared_ptr<const jobs::Rendering> render(const jobs::DecodeOutcome& outcome,
                                              const LatentRecipe& recipe, const at::Tensor& z) {
    auto r = std::make_shared<LabRendering>();
    r->recipe = recipe;
    r->z = z;
    r->decoded = outcome.decoded.at(0);
    r->plain = outcome.decoded.size() > 1 ? outcome.decoded[1] : r->decoded;
    r->picture = std::make_shared<WindowedImage>(toImage(r->decoded), 0.0, 2.0);
    const at::Tensor diff = r->decoded - r->plain;  // [C, H, W]
    r->largestDifference = diff.abs().max().item<double>();
    const ErrorHeatmap map = ErrorHeatmap::of(*toImage(diff), ErrorHeatmap::Kind::Signed);
    r->difference = std::make_shared<ScalarMap>(map.values(), map.width(), map.height(),
                                                map.colormap(), map.low(), map.high());
    return r;
}

// What a read of a z file gives the lab (on the worker thread: the file's bytes, SHA-256, shape).
struct LatentRead : jobs::Rendering {
    explicit LatentRead(LatentInput in) : input(std::move(in)) {}
    LatentInput input;
};

// The files an export wrote (on the worker thread).
struct LatentExported : jobs::Rendering {
    QStringList written;
};

}  // namespace

LatentLab::LatentLab(jobs::InferenceWorker* worker, QObject* parent)
    : QObject(parent), worker_(worker) {
    connect(worker_, &jobs::InferenceWorker::decodeFinished, this, &LatentLab::onDecodeFinished);
    connect(worker_, &jobs::InferenceWorker::fileJobDone, this, &LatentLab::onFileJobDone);
}

int LatentLab::channels() const {
    return inputs_[A] ? int(inputs_[A]->z.size(0)) : 0;
}

void LatentLab::fail(const QString& message) {
    error_ = message;
    Q_EMIT errorChanged(message);
}

bool LatentLab::checkOther(Slot slot, const LatentInput& in) {
    const Slot other = slot == A ? B : A;
    if (!inputs_[other] || inputs_[other]->z.sizes().equals(in.z.sizes())) return true;
    const QString mine = QString::fromStdString(shapeString(in.z.sizes()));
    const QString theirs = QString::fromStdString(shapeString(inputs_[other]->z.sizes()));
    fail(slot == B ? tr("B's z is %1 but A's is %2: interpolation needs two z of one shape (images "
                        "of one size, encoded by one model).")
                         .arg(mine, theirs)
                   : tr("A's z is %1 but B's is %2: interpolation needs two z of one shape (images "
                        "of one size, encoded by one model).")
                         .arg(mine, theirs));
    return false;
}

bool LatentLab::openFile(Slot slot, const QString& path) {
    const auto backend = worker_->backend(jobs::EngineGate::Priority::Interactive);
    if (!backend)
        return fail(tr("Load a model first: a z is read for the model that decodes it.")), false;
    if (QFileInfo(path).size() > qint64(kMaxZFileBytes))
        return fail(tr("%1 is larger than 256 MB, too large for a z.").arg(path)), false;
    jobs::FileRequest request;
    request.path = path;
    request.run = [channels = backend->describe().latentChannels](const QString& file) {
        return std::make_shared<LatentRead>(LatentInput::fromFile(file.toStdString(), channels));
    };
    take(slot, std::move(request));
    return true;
}

bool LatentLab::setFromResult(Slot slot, const QString& name, const at::Tensor& z) {
    if (!z.defined())
        return fail(tr("The image shown has no z (a remote endpoint returns only the latent).")),
               false;
    // Its .npy bytes and SHA-256 (the recipe's name for it) are made on the worker.
    jobs::FileRequest request;
    request.path = name;
    request.run = [z](const QString& file) {
        return std::make_shared<LatentRead>(LatentInput::fromTensor(file.toStdString(), z));
    };
    take(slot, std::move(request));
    return true;
}

void LatentLab::take(Slot slot, jobs::FileRequest request) {
    const bool wasBusy = busy();
    if (!error_.isEmpty()) fail(QString());  // the new input gets its own verdict
    note_.clear();
    reading_[slot] = worker_->submitFileJob(std::move(request));  // a newer one for a slot wins
    if (!wasBusy) Q_EMIT busyChanged(true);
}

void LatentLab::onFileJobDone(const jobs::FileOutcome& outcome) {
    if (outcome.id != 0 && outcome.id == exporting_) return onExported(outcome);
    const int found = outcome.id == reading_[A] ? A : outcome.id == reading_[B] ? B : -1;
    if (found < 0) return;  // the slot was cleared or asked for another input since
    const Slot slot = Slot(found);
    reading_[slot] = 0;
    const auto read = std::dynamic_pointer_cast<const LatentRead>(outcome.rendering);
    if (!outcome.ok() || !read) {
        fail(outcome.error);
        Q_EMIT busyChanged(busy());
        return;
    }
    if (!checkOther(slot, read->input)) return void(Q_EMIT busyChanged(busy()));
    inputs_[slot] = read->input;
    if (QString::fromStdString(read->input.name).endsWith(QLatin1String("_latent.npy")))
        note_ = tr("%1 looks like a stage-2 latent: the decoder takes z (the _z.npy file), so "
                   "its decode is not a faithful reconstruction.")
                    .arg(QString::fromStdString(read->input.name));
    Q_EMIT inputsChanged();
    requestDecode();
    Q_EMIT busyChanged(busy());
}

void LatentLab::clear(Slot slot) {
    inputs_[slot].reset();
    reading_[slot] = 0;
    note_.clear();
    if (slot == A && inputs_[B]) inputs_[A] = std::move(inputs_[B]), inputs_[B].reset();
    Q_EMIT inputsChanged();
    requestDecode();
}

void LatentLab::setInterpolation(LatentInterpolation::Mode mode, double t) {
    if (mode == mode_ && t == t_) return;
    mode_ = mode;
    t_ = t;
    if (inputs_[B]) requestDecode();
}

void LatentLab::setEdits(std::vector<LatentEdit> edits) {
    edits_ = std::move(edits);
    requestDecode();
}

LatentRecipe LatentLab::currentRecipe() const {
    LatentRecipe recipe;
    for (const auto& in : inputs_)
        if (in) recipe.inputs.push_back({in->name, in->sha256});
    recipe.mode = mode_;
    recipe.t = recipe.inputs.size() == 2 ? t_ : 0;
    recipe.edits = edits_;
    return recipe;
}

quint64 LatentLab::requestDecode() {
    if (!inputs_[A]) return 0;
    const auto backend = worker_->backend(jobs::EngineGate::Priority::Interactive);
    try {
        if (!backend) throw Error(tr("Load a model to decode.").toStdString());
        const jobs::BackendDescription model = backend->describe();
        ZArray::checkShape(inputs_[A]->z, model.latentChannels, "z " + inputs_[A]->name);
        LatentRecipe recipe = currentRecipe();
        recipe.model = {QFileInfo(QString::fromStdString(model.location)).fileName().toStdString(),
                        model.modelSha256};
        // The blend and the edits run on the worker, before the decodes (z may be large).
        auto edited = std::make_shared<at::Tensor>();
        jobs::DecodeRequest request;
        request.makeLatents = [a = inputs_[A]->z, b = inputs_[B] ? inputs_[B]->z : at::Tensor(),
                               t = t_, mode = mode_, edits = edits_, edited] {
            const at::Tensor base = b.defined() ? LatentInterpolation::blend(a, b, t, mode) : a;
            *edited = LatentEditor::apply(base, edits);
            std::vector<at::Tensor> latents{*edited};
            if (!edits.empty()) latents.push_back(base);
            return latents;
        };
        request.prepare = [recipe, edited](const jobs::DecodeOutcome& outcome) {
            return render(outcome, recipe, *edited);
        };
        latestId_ = worker_->submitDecode(std::move(request));
    } catch (const Error& e) {
        fail(QString::fromStdString(e.what()));
        return 0;
    }
    Q_EMIT busyChanged(busy());
    return latestId_;
}

void LatentLab::onDecodeFinished(const jobs::DecodeOutcome& outcome) {
    if (outcome.cancelled || outcome.id <= shownId_) return;  // superseded by a newer request
    if (!outcome.ok()) {
        if (outcome.id == latestId_) failedId_ = outcome.id;
        fail(outcome.error);
    } else if (auto r = std::dynamic_pointer_cast<const LabRendering>(outcome.rendering)) {
        shownId_ = outcome.id;
        shown_ = std::move(r);
        if (error_.size()) fail(QString());
        Q_EMIT shownChanged();
    }
    Q_EMIT busyChanged(busy());
}

bool LatentLab::exportShown(const QString& folder, const QString& stem, int pngBits) {
    if (!shown_) return fail(tr("Nothing decoded yet to export.")), false;
    if (exporting_) return fail(tr("An export is being written; wait for it to finish.")), false;
    std::vector<LatentInput> inputs;
    for (const auto& ref : shown_->recipe.inputs)
        for (const auto& in : inputs_)
            if (in && in->name == ref.file && in->sha256 == ref.sha256) inputs.push_back(*in);
    if (inputs.size() != shown_->recipe.inputs.size())
        return fail(tr("The inputs changed since the result shown was decoded; wait for the new "
                       "decode.")),
               false;
    jobs::FileRequest request;
    request.path = folder;
    request.run = [shown = shown_, inputs, name = stem.toStdString(),
                   pngBits](const QString& dir) -> std::shared_ptr<const jobs::Rendering> {
        auto done = std::make_shared<LatentExported>();
        const std::string d = dir.toStdString();
        for (const std::string& p :
             LatentExport::writeResult(d, name, shown->z, shown->decoded, pngBits))
            done->written << QString::fromStdString(p);
        for (const std::string& p : LatentExport::writeRecipe(d, name, shown->recipe, inputs))
            done->written << QString::fromStdString(p);
        return done;
    };
    if (!error_.isEmpty()) fail(QString());
    exporting_ = worker_->submitFileJob(std::move(request));
    Q_EMIT busyChanged(busy());
    return true;
}

void LatentLab::onExported(const jobs::FileOutcome& outcome) {
    exporting_ = 0;
    Q_EMIT busyChanged(busy());
    const auto done = std::dynamic_pointer_cast<const LatentExported>(outcome.rendering);
    if (!outcome.ok() || !done)
        fail(outcome.error);
    else
        Q_EMIT exported(done->written);
}

}  // namespace medvae::ui
