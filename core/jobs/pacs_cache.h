#pragma once

#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace medvae::pacs {
struct InstanceRef;
}

namespace medvae::jobs {

// The private folder that instances retrieved from an archive are kept in while the app runs:
// created owner-only (0700), files named by UIDs only (<study>/<series>/<sop>.dcm, never by a
// patient's data), cleared when the user asks and when the app exits. Writes are atomic (a
// temporary name renamed when complete). Safe to use from several threads: every call works on
// the file system alone.
class PacsCache {
  public:
    // `root`: the cache folder (made on first use); empty: defaultRoot().
    explicit PacsCache(QString root = QString());

    // "<the app's cache location>/pacs".
    static QString defaultRoot();
    QString root() const { return root_; }

    // Writes one instance and returns its path. Throws medvae::Error when a UID is not a valid
    // DICOM UID (digits and dots, at most 64 characters: so no name can leave the folder) or the
    // file cannot be written.
    QString store(const pacs::InstanceRef& ref, const std::vector<std::uint8_t>& bytes) const;
    // Removes everything the cache holds; the folder itself goes too. False (and `why`) when
    // something could not be removed.
    bool clear(QString* why = nullptr) const;
    // The number of files in the cache.
    int fileCount() const;

    static bool isUid(const std::string& text);

  private:
    // Makes `path` (and the cache root) owner-only folders; throws medvae::Error.
    void makePrivateFolder(const QString& path) const;

    QString root_;
};

}  // namespace medvae::jobs
