#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace medvae {

// A manifest: one record per finished item in a JSON Lines file, the record of truth, and the
// same records as a CSV file for spreadsheets, derived from the JSON Lines by `rowOf`. append()
// writes and flushes (fsync) the JSON record first and the CSV row second, so a kill in between
// leaves a CSV row missing, never one too many. When the files are opened, a record cut short by
// an earlier kill (a last line without its newline) is removed from the JSON Lines file, and the
// CSV file is compared with what the JSON Lines give and rewritten from them atomically when they
// differ (a missing, extra or torn row, an older column set): after opening, both always hold the
// same records. Not thread-safe: one writer per pair of files (callers serialise appends).
class ManifestWriter {
  public:
    struct Column {
        std::string name;
        bool numeric = false;  // numbers stay as they are; anything else is escaped as text
    };
    // The CSV cells (one per column) of one JSON Lines record; nullopt for a line that is no
    // record (it is then left out of the CSV).
    using RowOf = std::function<std::optional<std::vector<std::string>>(const std::string& line)>;

    // Opens (creating when missing) `<basePath>.jsonl` and `<basePath>.csv`, never through a
    // symbolic link. Throws medvae::Error when the files cannot be opened or repaired.
    ManifestWriter(const std::string& basePath, std::vector<Column> columns, RowOf rowOf);
    ~ManifestWriter();
    ManifestWriter(const ManifestWriter&) = delete;
    ManifestWriter& operator=(const ManifestWriter&) = delete;

    // `jsonObject`: one JSON object without newlines. Throws medvae::Error (disk full, ...)
    // naming the file.
    void append(const std::string& jsonObject);

    // The whole lines of an existing JSON Lines file (none when it is missing).
    static std::vector<std::string> readLines(const std::string& path);
    // One CSV cell: RFC 4180 quoting, and for text cells that a spreadsheet would take for a
    // formula (starting with '=', '+', '-', '@', tab or carriage return) a leading single quote
    // (OWASP's advice against CSV injection). A numeric cell that is a plain decimal number
    // ("-3.5", "1e-06") stays as it is.
    static std::string csvField(const std::string& value, bool numeric = false);

    std::string csvPath() const { return csvPath_; }
    std::string jsonlPath() const { return jsonlPath_; }
    // Whether opening had to rewrite the CSV file from the JSON Lines file.
    bool csvRewritten() const { return csvRewritten_; }

  private:
    std::string csvRow(const std::vector<std::string>& cells) const;
    std::string header() const;
    // Derives the CSV from the JSON Lines; rewrites it when it differs from what is there.
    void syncCsv();

    std::string csvPath_, jsonlPath_;
    std::vector<Column> columns_;
    RowOf rowOf_;
    int csvFd_ = -1, jsonlFd_ = -1;
    bool csvRewritten_ = false;
};

}  // namespace medvae
