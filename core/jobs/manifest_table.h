#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace medvae::jobs {

// Every manifest of a batch's output folder (manifest.jsonl, manifest-shard-I-of-N.jsonl, ...)
// read as one table: the latest record of each item (by its index in the whole batch and, for a
// frame of a multi-frame input, its frame: every frame is a record of its own sharing its file's
// index), the items no manifest records, and the items more than one manifest records (two runs
// did the same item: shards of different counts, or a single run and shards into the same folder).
// Of an input recorded both as a whole ("frame" absent) and frame by frame, the later kind counts
// (a run with --frames first after one with all frames, or frames redone by --resume).
//
// Which items exist comes from "batch_items", the size of the whole batch each record carries;
// for manifests written without it, the items between 0 and the highest index recorded.
class ManifestTable {
  public:
    // (index, frame); frame -1 for a record without "frame" (an input as a whole).
    using Key = std::pair<int, int>;
    struct Entry {
        int index = 0;
        int frame = -1;
        int frameCount = 0;    // "frame_count", 0 when not recorded
        std::string status;    // "ok", "failed", "duplicate"
        std::string input;     // as the record shows it
        std::string error;     // why it failed
        std::string manifest;  // file name of the manifest holding the record
        std::string record;    // the JSON object, one line, with "manifest" added
    };

    // Reads <outputDir>/manifest*.jsonl. Throws medvae::Error when the folder cannot be read or
    // holds no manifest.
    static ManifestTable read(const std::string& outputDir);

    const std::vector<std::string>& manifests() const { return manifests_; }
    // By index, then frame: the order of the batch.
    const std::map<Key, Entry>& entries() const { return entries_; }
    int batchItems() const { return batchItems_; }  // 0 when not recorded
    // Items no manifest records: how many, and the first `limit` of them (a hostile
    // "batch_items" must not make a list of billions).
    long long missingCount() const;
    std::vector<int> missing(std::size_t limit) const;
    // Records (items, or frames of one) recorded by more than one manifest, with those manifests'
    // names.
    const std::map<Key, std::vector<std::string>>& duplicated() const { return duplicated_; }
    int failed() const;  // records
    // Items (indices) with at least one record, and those whose records are all complete.
    int recordedItems() const;
    int completeItems() const;
    // Frames of multi-frame inputs (by their recorded frame_count) that no record holds.
    long long missingFrames() const { return missingFrames_; }
    // What does not fit one batch: unreadable lines, records of differing batch sizes, shard
    // manifests of a count whose other shards are missing, frames of an input not recorded.
    const std::vector<std::string>& problems() const { return problems_; }

    // The latest record of every item, ordered by index, as JSON Lines.
    std::string mergedJsonl() const;

  private:
    void readManifest(const std::string& path, const std::string& name);
    void checkShards();
    void keepLatestKind();
    int recordedItemsBelow(int items) const;
    bool recorded(int index) const;
    void checkFrames();

    std::vector<std::string> manifests_;
    std::map<Key, Entry> entries_;
    std::map<Key, std::string> finishedAt_;  // of each entry, to keep the latest
    std::map<Key, std::vector<std::string>> duplicated_;
    std::vector<std::string> problems_;
    int batchItems_ = 0;
    int highestIndex_ = -1;
    long long missingFrames_ = 0;
};

}  // namespace medvae::jobs
