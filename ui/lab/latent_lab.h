#pragma once

#include <QObject>
#include <QString>

#include <ATen/core/Tensor.h>

#include <memory>
#include <optional>
#include <vector>

#include "inference_job.h"
#include "latent_export.h"
#include "latent_recipe.h"

namespace medvae::jobs {
class InferenceWorker;
}

namespace medvae::ui {

class ScalarMap;
class WindowedImage;

// What the Latent lab shows for one finished decode, prepared on the worker thread.
struct LabRendering : jobs::Rendering {
    LatentRecipe recipe;  // what made it (inputs, interpolation, edits)
    at::Tensor z;         // the edited z [C, h, w]
    at::Tensor decoded;   // its decode [out, H, W] in model space
    at::Tensor plain;     // the decode of the unedited z (= decoded when there are no edits)
    std::shared_ptr<const WindowedImage> picture;  // decoded, window [-1, 1]
    std::shared_ptr<const ScalarMap> difference;   // decoded - plain (ErrorHeatmap's scale)
    double largestDifference = 0;                  // max |decoded - plain|, model space
};

// The Latent lab's state without widgets: one or two input z (A, B), the interpolation between
// them, the ordered edits, and the decodes. Decoding runs on the app's worker (decode jobs, the
// newest winning); the lab keeps the last finished one until a newer one finishes.
class LatentLab : public QObject {
    Q_OBJECT
  public:
    explicit LatentLab(jobs::InferenceWorker* worker, QObject* parent = nullptr);

    enum Slot { A = 0, B = 1 };
    // Starts reading a z file for the loaded model on the worker (reading() until it is read);
    // the slot takes it when it is read (inputsChanged), and lastError() says why when it is not
    // (not a z file, a shape that does not fit the model or A). False at once, with lastError(),
    // when there is no model or the file is too large to be a z.
    bool openFile(Slot slot, const QString& path);
    bool reading() const { return reading_[A] != 0 || reading_[B] != 0; }
    // A z from an encoded image (the Inspect tab's result), exported as `name`; taken once its
    // bytes are hashed on the worker (reading() until then). False when there is no z.
    bool setFromResult(Slot slot, const QString& name, const at::Tensor& z);
    void clear(Slot slot);
    const std::optional<LatentInput>& input(Slot slot) const { return inputs_[slot]; }
    int channels() const;  // of A's z; 0 when none

    void setInterpolation(LatentInterpolation::Mode mode, double t);
    void setEdits(std::vector<LatentEdit> edits);
    const std::vector<LatentEdit>& edits() const { return edits_; }
    LatentInterpolation::Mode mode() const { return mode_; }
    double t() const { return t_; }

    // Asks for a decode of the current state (done on every change); returns its job id, 0 when
    // nothing can be decoded (lastError() says why).
    quint64 requestDecode();
    // The last finished decode, and whether a newer one is on its way.
    std::shared_ptr<const LabRendering> shown() const { return shown_; }
    quint64 shownId() const { return shownId_; }
    quint64 latestId() const { return latestId_; }
    // A read, an export or a decode is on its way.
    bool busy() const {
        return reading() || exporting() ||
               (latestId_ != 0 && latestId_ != shownId_ && latestId_ != failedId_);
    }
    QString lastError() const { return error_; }
    // A remark on the inputs that is not an error (a stage-2 latent opened as z); empty: none.
    QString note() const { return note_; }

    // Starts writing the shown result and its recipe into `folder` (LatentExport) on the worker;
    // exported() lists the paths written, lastError() says why when it fails. False at once,
    // with lastError(), when nothing is shown, an export is being written, or the inputs changed.
    bool exportShown(const QString& folder, const QString& stem, int pngBits);
    bool exporting() const { return exporting_ != 0; }

  Q_SIGNALS:
    void inputsChanged();
    void shownChanged();
    void busyChanged(bool busy);
    void errorChanged(const QString& message);
    void exported(const QStringList& written);

  private:
    void onDecodeFinished(const jobs::DecodeOutcome& outcome);
    void onFileJobDone(const jobs::FileOutcome& outcome);
    void onExported(const jobs::FileOutcome& outcome);
    void fail(const QString& message);
    // False, with the reason, when `in` has another shape than the other slot's z.
    bool checkOther(Slot slot, const LatentInput& in);
    // Reads or prepares a slot's input on the worker; the slot takes it in onFileJobDone.
    void take(Slot slot, jobs::FileRequest request);
    LatentRecipe currentRecipe() const;

    jobs::InferenceWorker* worker_;
    std::optional<LatentInput> inputs_[2];
    LatentInterpolation::Mode mode_ = LatentInterpolation::Mode::Linear;
    double t_ = 0;
    std::vector<LatentEdit> edits_;
    std::shared_ptr<const LabRendering> shown_;
    quint64 shownId_ = 0, latestId_ = 0, failedId_ = 0;
    quint64 reading_[2] = {0, 0};  // the read each slot waits for (0: none)
    quint64 exporting_ = 0;        // the export being written (0: none)
    QString error_, note_;
};

}  // namespace medvae::ui
