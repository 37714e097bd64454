#include "model_downloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>
#include <functional>
#include <utility>

#include "error.h"
#include "hf_cache.h"
#include "sha256.h"

namespace medvae::jobs {
namespace {

struct WriteFailed {};  // the temporary file refused a write: the download stops

// The body into the temporary file, hashed on the way, with progress.
class FileSink : public HttpTransfer::Sink {
  public:
    FileSink(QFile& file, std::function<void(qint64, qint64)> progress)
        : file_(file), progress_(std::move(progress)) {}

    void begin(std::int64_t announced) override { total_ = announced; }
    void write(const char* data, std::size_t size) override {
        received_ += qint64(size);
        hash_.update(data, size);
        if (file_.write(data, qint64(size)) != qint64(size)) throw WriteFailed();
        progress_(received_, total_);
    }
    std::string hexDigest() { return hash_.hexDigest(); }

  private:
    QFile& file_;
    std::function<void(qint64, qint64)> progress_;
    Sha256 hash_;
    qint64 received_ = 0;
    qint64 total_ = -1;
};

QString sizeText(qint64 n) {
    return QString::fromStdString(HttpTransfer::sizeText(std::uint64_t(std::max<qint64>(n, 0))));
}

}  // namespace

ModelDownloader::ModelDownloader(QObject* parent) : QThread(parent) {}

ModelDownloader::~ModelDownloader() {
    cancel_ = true;
    wait();
}

bool ModelDownloader::download(const QString& fileName, const Options& options) {
    if (isRunning()) return false;
    fileName_ = fileName;
    options_ = options;
    cancel_ = false;
    start();
    return true;
}

void ModelDownloader::cancel() {
    cancel_ = true;
}

// The layout is HuggingFaceCache's, so what is downloaded here is what the cache lookup finds.
QString ModelDownloader::defaultCacheRoot() {
    return QString::fromStdString(HuggingFaceCache::root());
}

QString ModelDownloader::snapshotPath(const QString& root, const QString& revision,
                                      const QString& fileName) {
    return QString::fromStdString(HuggingFaceCache::snapshotPath(
        root.toStdString(), revision.toStdString(), fileName.toStdString()));
}

QUrl ModelDownloader::checkedUrl(QString* error) const {
    // Only a plain file name: no path can be smuggled into the cache through it.
    static const QRegularExpression safeName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*$"));
    if (!safeName.match(fileName_).hasMatch() || fileName_.contains(QLatin1String(".."))) {
        *error = tr("\"%1\" is not a checkpoint file name.").arg(fileName_);
        return QUrl();
    }
    const QUrl url(options_.baseUrl + fileName_);
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        *error = tr("Cannot download from \"%1\": not an http(s) address.").arg(url.toString());
        return QUrl();
    }
    return url;
}

HttpTransfer::Request ModelDownloader::request(const QUrl& url) const {
    HttpTransfer::Request request;
    request.url = url;
    request.redirects = HttpTransfer::Redirects::Follow;  // Hugging Face redirects to its CDN
    request.maxRedirects = options_.maxRedirects;
    // No overall limit (a checkpoint takes as long as it takes), but no long silence either.
    request.responseTimeoutMs = options_.stallTimeoutMs;
    request.stallTimeoutMs = options_.stallTimeoutMs;
    request.maxBodyBytes = options_.maxBytes;
    request.cancelled = [this] { return cancel_.load(); };
    return request;
}

// Why a transfer that streamed into `temp` is not a usable checkpoint; empty when it is.
QString ModelDownloader::failureOf(const HttpTransfer::Result& r, const QUrl& url,
                                   QFile& temp) const {
    using End = HttpTransfer::End;
    switch (r.end) {
        case End::Cancelled:
            return tr("Cancelled.");
        case End::NoResponse:
        case End::Stalled:
        case End::TimedOut:
            return tr("The server sent nothing for %1 s; the download was stopped.")
                .arg(options_.stallTimeoutMs / 1000.0);
        case End::TooLarge:
            if (r.announced > options_.maxBytes)
                return tr("The checkpoint is %1, over the download limit of %2.")
                    .arg(sizeText(r.announced), sizeText(options_.maxBytes));
            return tr("The download exceeded the limit of %1.").arg(sizeText(options_.maxBytes));
        case End::Finished:
        case End::StoppedAtHeaders:
            break;
    }
    const QString address = HttpTransfer::displayUrl(url);
    if (r.status >= 400)
        return tr("The server answered %1 %2 for %3.")
            .arg(r.status)
            .arg(QString::fromLatin1(r.reason), address);
    if (r.error != QNetworkReply::NoError)
        return tr("Download of %1 failed: %2").arg(address, r.errorText);
    if (r.announced >= 0 && r.received != r.announced)
        return tr("The download ended after %1 of %2; the file is incomplete.")
            .arg(sizeText(r.received), sizeText(r.announced));
    if (r.received == 0) return tr("The server sent an empty file.");
    if (!temp.flush()) return tr("Cannot write %1: %2").arg(temp.fileName(), temp.errorString());
    return QString();
}

// Moves the complete download into the snapshot of `revision`; the path, or an error.
QString ModelDownloader::install(QFile& temp, const QString& root, const QString& revision,
                                 QString* error) const {
    const QString path = snapshotPath(root, revision, fileName_);
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = tr("Cannot create the folder for %1.").arg(path);
        return QString();
    }
    QFile::remove(path);  // an older copy of the same revision is replaced
    if (!temp.rename(path)) {
        *error = tr("Cannot move the download to %1: %2").arg(path, temp.errorString());
        return QString();
    }
    // huggingface_hub resolves "main" through refs/main; record which snapshot that is.
    if (revision != QLatin1String("main")) {
        QSaveFile ref(QDir(root).filePath(QString::fromLatin1(HuggingFaceCache::kRepoFolder) +
                                          QStringLiteral("/refs/main")));
        QDir().mkpath(QFileInfo(ref.fileName()).absolutePath());
        if (ref.open(QIODevice::WriteOnly)) {
            ref.write(revision.toLatin1());
            ref.commit();
        }
    }
    return path;
}

void ModelDownloader::run() {
    QString error;
    const QUrl url = checkedUrl(&error);
    const QString root = options_.cacheRoot.isEmpty() ? defaultCacheRoot() : options_.cacheRoot;
    // The destination is known only once the headers name the revision, so the body is first
    // streamed to a temporary file in the cache root and moved at the end (same file system).
    if (error.isEmpty() && !QDir().mkpath(root))
        error = tr("Cannot create the model cache folder %1.").arg(root);
    QFile temp(QDir(root).filePath(
        QStringLiteral(".%1.%2.incomplete").arg(fileName_).arg(reinterpret_cast<quintptr>(this))));
    if (error.isEmpty() && !temp.open(QIODevice::WriteOnly | QIODevice::Truncate))
        error = tr("Cannot write %1: %2").arg(temp.fileName(), temp.errorString());
    if (!error.isEmpty()) {
        Q_EMIT downloadFinished(false, false, QString(), QString(), error);
        return;
    }

    FileSink sink(temp,
                  [this](qint64 received, qint64 total) { Q_EMIT progress(received, total); });
    HttpTransfer::Result result;
    try {
        result = HttpTransfer().run(request(url), &sink);
        error = failureOf(result, url, temp);
    } catch (const WriteFailed&) {
        error = tr("Cannot write %1: %2").arg(temp.fileName(), temp.errorString());
    } catch (const Error& e) {
        error = QString::fromStdString(e.what());
    }
    temp.close();
    QString path;
    if (error.isEmpty()) {
        // The snapshot is the revision asked for, else the commit the server names, else "main".
        static const QRegularExpression hex40(QStringLiteral("^[0-9a-f]{40}$"));
        const QString commit = QString::fromLatin1(result.header("X-Repo-Commit"));
        QString revision = options_.revision;
        if (revision.isEmpty() && hex40.match(commit).hasMatch()) revision = commit;
        path = install(temp, root, revision.isEmpty() ? QStringLiteral("main") : revision, &error);
    }
    if (!error.isEmpty()) {
        temp.remove();
        Q_EMIT downloadFinished(false, result.end == HttpTransfer::End::Cancelled, QString(),
                                QString(), error);
        return;
    }
    Q_EMIT downloadFinished(true, false, path, QString::fromStdString(sink.hexDigest()), QString());
}

}  // namespace medvae::jobs
