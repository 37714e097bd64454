#pragma once

#include <QString>
#include <QThread>
#include <QUrl>

#include <atomic>

#include "http_transfer.h"

class QFile;

namespace medvae::jobs {

inline constexpr const char* kMedVaeBaseUrl =
    "https://huggingface.co/stanfordmimi/MedVAE/resolve/main/model_weights/";

struct ModelDownloadOptions {
    QString baseUrl = QString::fromLatin1(kMedVaeBaseUrl);  // the file name is appended
    QString cacheRoot;  // hub cache root; empty: $HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/...
    QString revision;   // snapshot folder; empty: the X-Repo-Commit header, else "main"
    qint64 maxBytes = qint64(4) << 30;  // larger bodies are refused (early when announced)
    int stallTimeoutMs = 60000;         // longest silence allowed while transferring
    int maxRedirects = 5;
};

// Downloads a MedVAE checkpoint from Hugging Face into the Hugging Face cache layout
// (<root>/models--stanfordmimi--MedVAE/snapshots/<revision>/model_weights/<file>), in its own
// thread so neither the network wait nor the hashing touches the GUI thread.
//
// The transfer is an HttpTransfer (redirects followed, never from https to http; size limit;
// stall timeout; cancel polled). The body streams into a temporary file in the cache root while
// its SHA-256 is computed; only a complete transfer (length as announced, no error, not
// cancelled) is renamed into place.
// Any failure removes the temporary file and reports a message a user can act on.
class ModelDownloader : public QThread {
    Q_OBJECT
  public:
    using Options = ModelDownloadOptions;

    explicit ModelDownloader(QObject* parent = nullptr);
    ~ModelDownloader() override;  // cancels and joins

    // Starts downloading `fileName` (e.g. "vae_8x_4c_2D.ckpt"); false when one is running.
    bool download(const QString& fileName, const Options& options = Options());
    void cancel();

    // The hub cache root as huggingface_hub resolves it.
    static QString defaultCacheRoot();
    // <root>/models--stanfordmimi--MedVAE/snapshots/<revision>/model_weights/<fileName>
    static QString snapshotPath(const QString& root, const QString& revision,
                                const QString& fileName);

  Q_SIGNALS:
    // received/total in bytes (total -1 when the server does not say)
    void progress(qint64 received, qint64 total);
    // path: the final file on success; sha256: hex digest of what was received
    void downloadFinished(bool ok, bool cancelled, const QString& path, const QString& sha256,
                          const QString& error);

  protected:
    void run() override;

  private:
    QUrl checkedUrl(QString* error) const;
    HttpTransfer::Request request(const QUrl& url) const;
    QString failureOf(const HttpTransfer::Result& r, const QUrl& url, QFile& temp) const;
    QString install(QFile& temp, const QString& root, const QString& revision,
                    QString* error) const;

    QString fileName_;
    Options options_;
    std::atomic<bool> cancel_{false};
};

}  // namespace medvae::jobs
