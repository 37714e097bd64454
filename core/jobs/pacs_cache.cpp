#include "pacs_cache.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include "archive_client.h"
#include "error.h"

namespace medvae::jobs {
namespace {

constexpr QFile::Permissions kOwnerOnlyFolder =
    QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
constexpr QFile::Permissions kOwnerOnlyFile = QFile::ReadOwner | QFile::WriteOwner;

}  // namespace

PacsCache::PacsCache(QString root) : root_(root.isEmpty() ? defaultRoot() : std::move(root)) {}

QString PacsCache::defaultRoot() {
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
           QStringLiteral("/pacs");
}

bool PacsCache::isUid(const std::string& text) {
    return !text.empty() && text.size() <= 64 &&
           text.find_first_not_of("0123456789.") == std::string::npos && text.front() != '.' &&
           text.back() != '.' && text.find("..") == std::string::npos;
}

void PacsCache::makePrivateFolder(const QString& path) const {
    // Created owner-only from the start (no window in which others could look in), then checked.
    QDir dir;
    const QFileInfo parent(QFileInfo(path).absolutePath());
    if (!parent.exists() && !dir.mkpath(parent.absoluteFilePath()))
        throw Error("cannot create the folder " + parent.absoluteFilePath().toStdString() +
                    " for retrieved images; check its permissions");
    if (!QFileInfo::exists(path) && !dir.mkdir(path, kOwnerOnlyFolder))
        throw Error("cannot create the private folder " + path.toStdString() +
                    " for retrieved images; check its permissions");
    if (!QFile::setPermissions(path, kOwnerOnlyFolder))
        throw Error("cannot make the folder " + path.toStdString() + " private (0700)");
}

QString PacsCache::store(const pacs::InstanceRef& ref,
                         const std::vector<std::uint8_t>& bytes) const {
    for (const std::string* uid : {&ref.studyUid, &ref.seriesUid, &ref.sopInstanceUid})
        if (!isUid(*uid))
            throw Error("the archive sent an instance with an invalid UID; it was not kept");
    makePrivateFolder(root_);
    const QString study = root_ + QLatin1Char('/') + QString::fromStdString(ref.studyUid);
    makePrivateFolder(study);
    const QString series = study + QLatin1Char('/') + QString::fromStdString(ref.seriesUid);
    makePrivateFolder(series);
    const QString path =
        series + QLatin1Char('/') + QString::fromStdString(ref.sopInstanceUid) + ".dcm";
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(kOwnerOnlyFile) ||
        file.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size())) !=
            qint64(bytes.size()) ||
        !file.commit())
        throw Error("cannot write the retrieved instance " + ref.sopInstanceUid + " into " +
                    root_.toStdString() + ": " + file.errorString().toStdString());
    return path;
}

bool PacsCache::clear(QString* why) const {
    QDir dir(root_);
    if (!dir.exists()) return true;
    if (dir.removeRecursively()) return true;
    if (why) *why = QStringLiteral("cannot remove everything in %1").arg(root_);
    return false;
}

int PacsCache::fileCount() const {
    int count = 0;
    QDirIterator it(root_, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++count;
    }
    return count;
}

}  // namespace medvae::jobs
