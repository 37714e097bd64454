#include "model_downloader.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimer>
#include <QUrl>

#include <memory>

#include "hf_cache.h"
#include "sha256.h"

namespace medvae::jobs {
namespace {

constexpr int kPollMs = 50;

QString sizeText(qint64 n) {
    if (n < 1024) return QStringLiteral("%1 bytes").arg(n);
    static const char* const units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = double(n);
    int unit = -1;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
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

void ModelDownloader::run() {
    auto fail = [this](const QString& message) {
        Q_EMIT downloadFinished(false, false, QString(), QString(), message);
    };
    // Only a plain file name: no path can be smuggled into the cache through it.
    static const QRegularExpression safeName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*$"));
    if (!safeName.match(fileName_).hasMatch() || fileName_.contains(QLatin1String(".."))) {
        fail(tr("\"%1\" is not a checkpoint file name.").arg(fileName_));
        return;
    }
    const QUrl url(options_.baseUrl + fileName_);
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        fail(tr("Cannot download from \"%1\": not an http(s) address.").arg(url.toString()));
        return;
    }
    const QString root = options_.cacheRoot.isEmpty() ? defaultCacheRoot() : options_.cacheRoot;

    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(options_.maxRedirects);
    std::unique_ptr<QNetworkReply> reply(network.get(request));

    // The destination is known only once the headers name the revision, so the body is first
    // streamed to a temporary file in the cache root and moved at the end (same file system).
    if (!QDir().mkpath(root)) {
        fail(tr("Cannot create the model cache folder %1.").arg(root));
        return;
    }
    QFile temp(QDir(root).filePath(
        QStringLiteral(".%1.%2.incomplete").arg(fileName_).arg(reinterpret_cast<quintptr>(this))));
    if (!temp.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        fail(tr("Cannot write %1: %2").arg(temp.fileName(), temp.errorString()));
        return;
    }
    Sha256 hash;
    qint64 received = 0, total = -1;
    QString error;
    bool cancelled = false;
    QString revision = options_.revision;

    QEventLoop loop;
    QTimer poll;
    poll.setInterval(kPollMs);
    qint64 silentMs = 0;
    auto stopWith = [&](const QString& message) {
        if (error.isEmpty()) error = message;
        reply->abort();
        loop.quit();
    };
    QObject::connect(reply.get(), &QNetworkReply::metaDataChanged, &loop, [&] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid()) total = length.toLongLong();
        if (total > options_.maxBytes)
            stopWith(tr("The checkpoint is %1, over the download limit of %2.")
                         .arg(sizeText(total), sizeText(options_.maxBytes)));
        const QByteArray commit = reply->rawHeader("X-Repo-Commit");
        static const QRegularExpression hex40(QStringLiteral("^[0-9a-f]{40}$"));
        if (revision.isEmpty() && hex40.match(QString::fromLatin1(commit)).hasMatch())
            revision = QString::fromLatin1(commit);
    });
    QObject::connect(reply.get(), &QNetworkReply::readyRead, &loop, [&] {
        silentMs = 0;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 300) return;  // error bodies are not the checkpoint
        const QByteArray chunk = reply->readAll();
        received += chunk.size();
        if (received > options_.maxBytes) {
            stopWith(tr("The download exceeded the limit of %1.").arg(sizeText(options_.maxBytes)));
            return;
        }
        hash.update(chunk.constData(), std::size_t(chunk.size()));
        if (temp.write(chunk) != chunk.size()) {
            stopWith(tr("Cannot write %1: %2").arg(temp.fileName(), temp.errorString()));
            return;
        }
        Q_EMIT progress(received, total);
    });
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        silentMs += kPollMs;
        if (cancel_.load()) {
            cancelled = true;
            stopWith(tr("Cancelled."));
        } else if (silentMs > options_.stallTimeoutMs) {
            stopWith(tr("The server sent nothing for %1 s; the download was stopped.")
                         .arg(options_.stallTimeoutMs / 1000.0));
        }
    });
    poll.start();
    if (!reply->isFinished()) loop.exec();
    poll.stop();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (error.isEmpty() && reply->error() != QNetworkReply::NoError) {
        if (status >= 400)
            error =
                tr("The server answered %1 %2 for %3.")
                    .arg(status)
                    .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
                         url.toDisplayString());
        else
            error =
                tr("Download of %1 failed: %2").arg(url.toDisplayString(), reply->errorString());
    }
    if (error.isEmpty() && total >= 0 && received != total)
        error = tr("The download ended after %1 of %2; the file is incomplete.")
                    .arg(sizeText(received), sizeText(total));
    if (error.isEmpty() && received == 0) error = tr("The server sent an empty file.");
    if (error.isEmpty() && !temp.flush())
        error = tr("Cannot write %1: %2").arg(temp.fileName(), temp.errorString());
    temp.close();
    if (!error.isEmpty()) {
        temp.remove();
        Q_EMIT downloadFinished(false, cancelled, QString(), QString(), error);
        return;
    }

    const QString digest = QString::fromStdString(hash.hexDigest());
    if (revision.isEmpty()) revision = QStringLiteral("main");
    const QString path = snapshotPath(root, revision, fileName_);
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        temp.remove();
        fail(tr("Cannot create the folder for %1.").arg(path));
        return;
    }
    QFile::remove(path);  // an older copy of the same revision is replaced
    if (!temp.rename(path)) {
        const QString why = temp.errorString();
        temp.remove();
        fail(tr("Cannot move the download to %1: %2").arg(path, why));
        return;
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
    Q_EMIT downloadFinished(true, false, path, digest, QString());
}

}  // namespace medvae::jobs
