#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "batch_pipeline.h"
#include "manifest_writer.h"
#include "output_folder.h"

namespace medvae::jobs {

// The manifest of a batch: one record per finished item in <name>.jsonl (the record of truth)
// and <name>.csv (derived from it, repaired when they disagree after a crash), and for --resume
// what earlier runs recorded as complete, checked against the files on disk.
//
// Input names are kept exactly: "input" holds the name as text (bytes that are not UTF-8 shown as
// U+FFFD) and, only for such names, "input_base64" the exact bytes, which --resume compares.
// Each output's size and SHA-256 are recorded ("output_bytes", "output_sha256"; in the CSV as
// ';'-separated lists in the order of "outputs"); an item done again by --resume says why
// ("redo_reason"). With BatchSettings::storeResult, "stored" lists the SOP Instance UIDs of the
// derived objects an item stored, and --resume redoes an ok item whose record has none.
// A frame of a multi-frame input records "frame" (0-based) and "frame_count";
// a DICOM input as a whole records "frame_count" (so that --resume knows it without reading it).
//
// Thread-safety: resumeCheck() may be called from several threads; append() is serialised by
// the caller.
class BatchManifest {
  public:
    // What --resume decided for an item.
    struct ResumeCheck {
        bool complete = false;   // recorded ok and every output verified: skip it
        std::string redoReason;  // recorded ok, but done again: why (empty when not recorded)
        // Complete, but recorded (as DICOM) before frames were counted: with everyFrame the
        // input's header must say it holds one frame before it is skipped.
        bool framesUnknown = false;
    };

    // Opens <root>/<settings.manifestName>.jsonl and .csv; with settings.resume first reads the
    // records of every manifest*.jsonl in the folder (other shards' too). `compare` is model B
    // when the batch compares two models: records gain "compare" ({"model", "metrics",
    // "outputs"}, keys as the record's own) and resume wants B's results too. Throws
    // medvae::Error.
    BatchManifest(const OutputFolder& folder, const BatchSettings& settings,
                  const BackendDescription& backend,
                  std::optional<BackendDescription> compare = std::nullopt);
    ~BatchManifest();

    // Appends the item's record (JSON Lines first, then the CSV row), flushed to disk.
    void append(const BatchItemResult& r);
    // Whether the item's record (same output stem, exactly the same input, this model and these
    // settings) is complete on disk: every output the settings ask for present as a plain file
    // with the recorded size and SHA-256. Each output is read once, and only when its size
    // matches. Never throws: an output that cannot be checked is a reason to redo the item.
    ResumeCheck resumeCheck(const BatchItem& item) const;

    static const std::vector<ManifestWriter::Column>& columns();
    // How the manifest writes a number: 8 significant digits, "inf" or "nan".
    static std::string number(double v);
    // The CSV cells of one JSON Lines record (nullopt when the line is no JSON object).
    static std::optional<std::vector<std::string>> csvRow(const std::string& jsonLine);

  private:
    struct Recorded;
    std::string outputsDiffer(const Recorded& rec, const std::vector<std::string>& names,
                              const std::vector<std::size_t>& index) const;
    std::string record(const BatchItemResult& r) const;
    void readCompleteRecords();

    const OutputFolder& folder_;
    BatchSettings settings_;
    BackendDescription backend_;
    std::optional<BackendDescription> compare_;
    std::map<std::string, std::unique_ptr<Recorded>> complete_;  // by output stem
    std::unique_ptr<ManifestWriter> writer_;
};

}  // namespace medvae::jobs
