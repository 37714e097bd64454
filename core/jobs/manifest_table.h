#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace medvae::jobs {

// Every manifest of a batch's output folder (manifest.jsonl, manifest-shard-I-of-N.jsonl, ...)
// read as one table: the latest record of each item (by its index in the whole batch), the items
// no manifest records, and the items more than one manifest records (two runs did the same item:
// shards of different counts, or a single run and shards into the same folder).
//
// Which items exist comes from "batch_items", the size of the whole batch each record carries;
// for manifests written without it, the items between 0 and the highest index recorded.
class ManifestTable {
  public:
    struct Entry {
        int index = 0;
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
    const std::map<int, Entry>& entries() const { return entries_; }  // by index
    int batchItems() const { return batchItems_; }                    // 0 when not recorded
    // Items no manifest records: how many, and the first `limit` of them (a hostile
    // "batch_items" must not make a list of billions).
    long long missingCount() const;
    std::vector<int> missing(std::size_t limit) const;
    // Items recorded by more than one manifest, with those manifests' names.
    const std::map<int, std::vector<std::string>>& duplicated() const { return duplicated_; }
    int failed() const;
    // What does not fit one batch: unreadable lines, records of differing batch sizes, shard
    // manifests of a count whose other shards are missing.
    const std::vector<std::string>& problems() const { return problems_; }

    // The latest record of every item, ordered by index, as JSON Lines.
    std::string mergedJsonl() const;

  private:
    void readManifest(const std::string& path, const std::string& name);
    void checkShards();

    std::vector<std::string> manifests_;
    std::map<int, Entry> entries_;
    std::map<int, std::string> finishedAt_;  // of each entry, to keep the latest
    std::map<int, std::vector<std::string>> duplicated_;
    std::vector<std::string> problems_;
    int batchItems_ = 0;
    int highestIndex_ = -1;
};

}  // namespace medvae::jobs
