#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

#include "inference_job.h"

class QMimeData;
class QTemporaryDir;

namespace medvae::ui {

// Turns what the user opens (paths, folders, list files, URLs, data: URIs, a drop, the clipboard)
// into the image sources of the Inspect tab, by the rule batch export follows for its inputs
// (BatchInputs): folders are walked recursively in a stable order, hidden files and partial
// downloads skipped, every other file read by its content (DICOM files often have no
// extension); list files (*.txt, *.urls, *.list) name one source per line. So the Inspect and
// Batch tabs open the same files from the same folder. At most kMaxSources are opened at once.
class SourceOpener : public QObject {
    Q_OBJECT
  public:
    static constexpr int kMaxSources = 2000;

    struct Opened {
        QStringList sources;  // absolute paths, URLs, data: URIs; no duplicates
        QString note;         // what could not be opened or was left out; empty when all went
    };

    explicit SourceOpener(QObject* parent = nullptr);
    ~SourceOpener() override;

    // The entries of the Images list for expanded sources: single-frame DICOM files of one
    // series become one entry, its files in slice order (SeriesStacks::group); other files,
    // multi-frame files and URLs stay entries of their own. In the order of what was opened (a
    // series where its first file was).
    struct Entries : jobs::Rendering {
        QList<QStringList> entries;
    };

    // A missing path stays a source: its error is shown in the views when it is computed.
    Opened expand(const QStringList& sources) const;
    // How many of `sources` are local files (what grouping has to read headers of).
    static int localFiles(const QStringList& sources);
    // A file job grouping `sources` (as expand() gives them) into Entries on the worker thread,
    // where the files' headers are read (InferenceWorker::submitFileJob).
    static jobs::FileRequest groupingJob(const QStringList& sources);
    // The grouping itself, on the calling thread.
    static QList<QStringList> group(const QStringList& sources);
    // Dropped URLs (local files as paths) or text lines.
    static QStringList fromDrop(const QMimeData* mime);
    // Copied URLs, a copied picture (kept as a PNG file for this session), a data: URI or text
    // lines; empty when the clipboard holds none of these.
    QStringList fromClipboard(const QMimeData* mime);

    // The name shown in lists and messages: the file name, the URL's last segment, or
    // "inline-image" for a data: URI.
    static QString displayName(const QString& source);
    static bool isUrl(const QString& source);  // http(s):// or data:

  private:
    std::unique_ptr<QTemporaryDir> pasteDir_;
};

}  // namespace medvae::ui
