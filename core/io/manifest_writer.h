#pragma once

#include <string>
#include <vector>

namespace medvae {

// Appends one record per finished item to a CSV file and a JSON Lines file, flushed to disk
// (fsync) before append() returns, so a record that was reported is never lost when the process
// is killed. A record cut short by an earlier kill (a last line without its newline) is removed
// when the files are opened, so the files always hold whole records. Not thread-safe: one writer
// per pair of files (callers serialise appends).
class ManifestWriter {
  public:
    // Opens (creating when missing) `<basePath>.csv` and `<basePath>.jsonl`; a new CSV file gets
    // `columns` as its header row. Throws medvae::Error when the files cannot be opened.
    ManifestWriter(const std::string& basePath, const std::vector<std::string>& columns);
    ~ManifestWriter();
    ManifestWriter(const ManifestWriter&) = delete;
    ManifestWriter& operator=(const ManifestWriter&) = delete;

    // `fields` in the order of the columns; `jsonObject` one JSON object without newlines.
    // Throws medvae::Error (disk full, ...) naming the file.
    void append(const std::vector<std::string>& fields, const std::string& jsonObject);

    // The whole lines of an existing JSON Lines file (none when it is missing).
    static std::vector<std::string> readLines(const std::string& path);
    // RFC 4180 quoting of one CSV field.
    static std::string csvField(const std::string& value);

    std::string csvPath() const { return csvPath_; }
    std::string jsonlPath() const { return jsonlPath_; }

  private:
    std::string csvPath_, jsonlPath_;
    int csvFd_ = -1, jsonlFd_ = -1;
};

}  // namespace medvae
