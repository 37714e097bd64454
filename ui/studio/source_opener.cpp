#include "source_opener.h"

#include <QDateTime>
#include <QFileInfo>
#include <QImage>
#include <QMimeData>
#include <QTemporaryDir>
#include <QUrl>

#include <algorithm>

#include "batch_inputs.h"
#include "error.h"
#include "opened_entries.h"

namespace medvae::ui {

SourceOpener::SourceOpener(QObject* parent) : QObject(parent) {}

SourceOpener::~SourceOpener() = default;

bool SourceOpener::isUrl(const QString& source) {
    return source.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
           source.startsWith(QLatin1String("https://"), Qt::CaseInsensitive) ||
           source.startsWith(QLatin1String("data:"), Qt::CaseInsensitive);
}

QString SourceOpener::displayName(const QString& source) {
    if (source.startsWith(QLatin1String("data:"), Qt::CaseInsensitive))
        return QStringLiteral("inline-image");
    if (isUrl(source)) return QUrl(source).fileName().isEmpty() ? source : QUrl(source).fileName();
    return QFileInfo(source).fileName();
}

SourceOpener::Opened SourceOpener::expand(const QStringList& sources) const {
    Opened out;
    QStringList problems;
    for (QString source : sources) {
        source = source.trimmed();
        if (source.isEmpty()) continue;
        if (source.startsWith(QLatin1String("file://"), Qt::CaseInsensitive))
            source = QUrl(source).toLocalFile();
        const QFileInfo info(source);
        if (isUrl(source) || !info.exists()) {
            out.sources << source;  // URL, data: URI, base64, or a missing path
            continue;
        }
        try {
            // The batch's rule for files, folders and list files, from the absolute path so
            // that every source names its file wherever the app runs from.
            for (const jobs::BatchItem& item :
                 jobs::BatchInputs::collect({info.absoluteFilePath().toStdString()}))
                out.sources << QString::fromStdString(item.source);
        } catch (const Error& e) {
            problems
                << tr("Cannot open %1: %2").arg(info.fileName(), QString::fromStdString(e.what()));
        }
    }
    out.sources.removeDuplicates();
    if (out.sources.size() > kMaxSources) {
        problems << tr("Opened the first %1 images; %2 more were left out.")
                        .arg(kMaxSources)
                        .arg(out.sources.size() - kMaxSources);
        out.sources = out.sources.mid(0, kMaxSources);
    }
    out.note = problems.join(QLatin1Char('\n'));
    return out;
}

int SourceOpener::localFiles(const QStringList& sources) {
    return int(std::count_if(sources.begin(), sources.end(),
                             [](const QString& s) { return !isUrl(s) && QFileInfo(s).isFile(); }));
}

QList<QStringList> SourceOpener::group(const QStringList& sources) {
    std::vector<std::string> in;
    for (const QString& s : sources)
        in.push_back(s.toStdString());
    QList<QStringList> entries;
    for (const std::vector<std::string>& files : jobs::OpenedEntries::group(in)) {
        QStringList entry;
        for (const std::string& file : files)
            entry << QString::fromStdString(file);
        entries << entry;
    }
    return entries;
}

jobs::FileRequest SourceOpener::groupingJob(const QStringList& sources) {
    jobs::FileRequest request;
    request.path = sources.value(0);
    request.run = [sources](const QString&) {
        auto grouped = std::make_shared<Entries>();
        grouped->entries = group(sources);
        return std::shared_ptr<const jobs::Rendering>(grouped);
    };
    return request;
}

QStringList SourceOpener::fromDrop(const QMimeData* mime) {
    QStringList sources;
    if (!mime) return sources;
    if (mime->hasUrls()) {
        for (const QUrl& url : mime->urls())
            sources << (url.isLocalFile() ? url.toLocalFile() : url.toString());
    } else if (mime->hasText()) {
        sources = mime->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    return sources;
}

QStringList SourceOpener::fromClipboard(const QMimeData* mime) {
    QStringList sources;
    if (mime && mime->hasUrls()) {
        for (const QUrl& url : mime->urls())
            sources << (url.isLocalFile() ? url.toLocalFile() : url.toString());
    } else if (mime && mime->hasImage()) {
        // A copied picture has no file: keep it as a PNG for this session.
        if (!pasteDir_) pasteDir_ = std::make_unique<QTemporaryDir>();
        const QImage image = qvariant_cast<QImage>(mime->imageData());
        const QString path = pasteDir_->filePath(
            QStringLiteral("pasted-%1.png")
                .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz"))));
        if (!image.isNull() && image.save(path)) sources << path;
    } else if (mime && mime->hasText()) {
        const QString text = mime->text().trimmed();
        if (text.startsWith(QLatin1String("data:"), Qt::CaseInsensitive))
            sources << text;
        else
            sources = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    return sources;
}

}  // namespace medvae::ui
