#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace medvae::jobs {
class ManifestTable;
}

namespace medvae::report {

// Reconstruction fidelity of one item as its manifest record gives it ("metrics", or
// "compare"."metrics" for model B). NaN where the record has no number.
struct ItemMetrics {
    bool present = false;
    double psnr = 0, ssim = 0, mae = 0;  // dB; 0..1; in the input's pixel units
};

// What the report shows of one item: no patient identifiers, only the output stem, the input's
// base name and the modality.
struct ReportItem {
    int index = 0;
    int frame = -1;          // of a multi-frame input (each frame a record of its own); -1 none
    std::string input;       // as recorded: to read the original for its thumbnail, never shown
    std::string inputName;   // base name of the input (last path or URL segment)
    std::string outputStem;  // relative to the output folder
    std::string status;      // "ok", "failed", "duplicate", ...
    std::string error;       // why it failed
    std::string modality;    // DICOM Modality, or "other"
    std::vector<std::string> outputs;  // relative to the output folder, as recorded
    ItemMetrics metrics;               // model A (the batch's model)
    ItemMetrics compare;               // model B, when the batch compared two models
};

// A model as the records name it, and how many records name it.
struct ModelUse {
    std::string name, sha256, backend, device;
    int items = 0;
    bool demo = false;  // the bundled demo model, not MedVAE's weights
};

enum class Metric { Psnr, Ssim, Mae };

// The numbers of a batch fidelity report, read from the merged manifests of an output folder
// (jobs::ManifestTable: the latest record of each item). Widget-free; the page and the plots
// are made from it.
class FidelitySummary {
  public:
    static FidelitySummary fromTable(const jobs::ManifestTable& table);
    static constexpr std::size_t kMaxRecordBytes = 1 << 20;  // larger records: status only

    const std::vector<ReportItem>& items() const { return items_; }  // by index
    int failed() const { return failed_; }
    bool compared() const { return compared_; }  // some record carries "compare"
    const std::vector<ModelUse>& models() const { return models_; }
    const std::vector<ModelUse>& compareModels() const { return compareModels_; }
    const std::map<std::string, int>& settings() const { return settings_; }  // text -> items
    // Items per second of wall time: items recorded / (latest finished_at - earliest start),
    // an item's start being its finished_at less its load, inference and write times. Shards
    // run in parallel count once. 0 when the records do not say.
    double throughput() const { return throughput_; }
    double wallSeconds() const { return wallSeconds_; }
    const std::vector<std::string>& problems() const { return problems_; }
    long long missing() const { return missing_; }

    // The metric of every item that has one (model B's with compare), in index order.
    std::vector<double> values(Metric metric, bool compare = false) const;
    // Likewise by modality ("other" for inputs that are not DICOM), modalities sorted.
    std::map<std::string, std::vector<double>> valuesByModality(Metric metric) const;
    // Items with a PSNR, lowest first (+inf last, ties by index), at most n; NaN never.
    std::vector<const ReportItem*> worst(std::size_t n) const;
    // `message` with every mention of `input` replaced by its base name (error messages name
    // the input with its folders; the report names it by base name only).
    static std::string withoutFolders(std::string message, const std::string& input);
    // Items whose PSNR is +inf (reconstruction identical to the input).
    int identical() const;

  private:
    std::vector<ReportItem> items_;
    std::vector<ModelUse> models_, compareModels_;
    std::map<std::string, int> settings_;
    std::vector<std::string> problems_;
    int failed_ = 0;
    bool compared_ = false;
    double throughput_ = 0, wallSeconds_ = 0;
    long long missing_ = 0;
};

}  // namespace medvae::report
