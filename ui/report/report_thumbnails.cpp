#include "report_thumbnails.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>

#include <memory>

#include "error.h"
#include "image_loader.h"
#include "windowed_image.h"

namespace medvae::ui {
namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

QByteArray thumbnailPng(const QImage& image) {
    const QImage small = image
                             .scaledToWidth(std::min(ReportThumbnails::kWidth, image.width()),
                                            Qt::SmoothTransformation)
                             .convertToFormat(QImage::Format_RGB32);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    small.save(&buffer, "PNG");
    return png;
}

// The output of `item` whose name ends with `suffix`, read as a thumbnail; empty with `note`
// set when there is none or it cannot be read.
QByteArray outputThumbnail(const report::ReportItem& item, const std::string& outputDir,
                           const std::string& suffix, std::string& note) {
    const auto it = std::find_if(item.outputs.begin(), item.outputs.end(),
                                 [&](const std::string& o) { return endsWith(o, suffix); });
    if (it == item.outputs.end()) return note = "not written by this batch", QByteArray();
    const QString root = QFileInfo(QString::fromStdString(outputDir)).canonicalFilePath();
    if (root.isEmpty()) return note = "the output folder cannot be read", QByteArray();
    const QString path = QFileInfo(QDir(root), QString::fromStdString(*it)).canonicalFilePath();
    if (path.isEmpty()) return note = "missing: " + *it, QByteArray();
    if (!path.startsWith(root + "/"))
        return note = "not read: the manifest names a file outside the output folder", QByteArray();
    QImageReader reader(path);
    const QSize size = reader.size();
    if (!size.isValid() || (long long)size.width() * size.height() > ReportThumbnails::kMaxPixels)
        return note = "cannot be read: " + reader.errorString().toStdString(), QByteArray();
    const QImage image = reader.read();
    if (image.isNull())
        return note = "cannot be read: " + reader.errorString().toStdString(), QByteArray();
    return thumbnailPng(image);
}

QByteArray originalThumbnail(const report::ReportItem& item, std::string& note) {
    // Only local files: making a report never downloads anything.
    if (!QFileInfo(QString::fromStdString(item.input)).isFile())
        return note = "the input is not a local file here", QByteArray();
    try {
        LoadOptions options;
        options.maxPixels = ReportThumbnails::kMaxPixels;
        auto image = std::make_shared<const Image>(ImageLoader::loadFile(item.input, options));
        return thumbnailPng(WindowedImage(image).initialRendering());
    } catch (const Error& e) {
        note = "the input cannot be read: " +
               report::FidelitySummary::withoutFolders(e.what(), item.input);
        return {};
    }
}

}  // namespace

bool ReportThumbnails::listsReconstruction(const report::ReportItem& item) {
    return std::any_of(item.outputs.begin(), item.outputs.end(), [](const std::string& o) {
        return endsWith(o, "_decoded.png") || endsWith(o, "_error.png");
    });
}

report::ItemThumbnails ReportThumbnails::make(const report::ReportItem& item,
                                              const std::string& outputDir) {
    report::ItemThumbnails t;
    t.item = &item;
    t.original = originalThumbnail(item, t.originalNote);
    t.reconstruction = outputThumbnail(item, outputDir, "_decoded.png", t.reconstructionNote);
    t.heatmap = outputThumbnail(item, outputDir, "_error.png", t.heatmapNote);
    return t;
}

}  // namespace medvae::ui
