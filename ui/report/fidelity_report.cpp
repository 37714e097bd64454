#include "fidelity_report.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>

#include "error.h"
#include "fidelity_summary.h"
#include "manifest_table.h"
#include "report_charts.h"
#include "report_page.h"
#include "report_thumbnails.h"

namespace medvae::ui {
namespace {

using report::FidelitySummary;
using report::Metric;

struct MetricName {
    Metric metric;
    QString name, axis;
};
const MetricName kMetrics[] = {{Metric::Psnr, "PSNR", "PSNR (dB)"},
                               {Metric::Ssim, "SSIM", "SSIM"},
                               {Metric::Mae, "MAE", "MAE (pixel units)"}};

void drawDistributions(const FidelitySummary& s, report::ReportContent& c) {
    for (const MetricName& m : kMetrics) {
        const auto values = s.values(m.metric);
        if (values.empty()) continue;
        c.distributions.push_back(
            {m.name + " of all items",
             ReportCharts::histogram(m.name + " of all items", m.axis, values)});
        c.distributions.push_back(
            {m.name + " by modality", ReportCharts::boxPlots(m.name + " by modality", m.axis,
                                                             s.valuesByModality(m.metric))});
    }
}

void drawComparisons(const FidelitySummary& s, report::ReportContent& c) {
    for (const MetricName& m : kMetrics) {
        if (m.metric == Metric::Mae) continue;  // PSNR and SSIM, as the issue asks
        std::vector<std::pair<double, double>> points;
        for (const report::ReportItem& item : s.items())
            if (item.metrics.present && item.compare.present) {
                const auto of = [&m](const report::ItemMetrics& x) {
                    return m.metric == Metric::Psnr ? x.psnr : x.ssim;
                };
                points.emplace_back(of(item.metrics), of(item.compare));
            }
        const QString title = m.name + ": model A vs model B";
        c.comparisons.push_back(
            {title, ReportCharts::scatter(title, m.axis + " of A", m.axis + " of B", points)});
    }
}

void writePage(const std::string& path, const QByteArray& html) {
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly) || file.write(html) != html.size() || !file.commit())
        throw Error("cannot write the report '" + path + "': " + file.errorString().toStdString() +
                    " (choose a writable file with -o)");
}

}  // namespace

FidelityReport::Written FidelityReport::write(const Options& options) {
    const jobs::ManifestTable table = jobs::ManifestTable::read(options.outputDir);
    const FidelitySummary summary = FidelitySummary::fromTable(table);
    report::ReportContent content;
    content.folderName =
        QFileInfo(QDir::cleanPath(QString::fromStdString(options.outputDir))).fileName();
    content.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    drawDistributions(summary, content);
    if (summary.compared()) drawComparisons(summary, content);
    content.reconstructionsWritten = std::any_of(summary.items().begin(), summary.items().end(),
                                                 &ReportThumbnails::listsReconstruction);
    for (const report::ReportItem* item : summary.worst(std::min(options.worst, kMaxWorst)))
        content.worst.push_back(content.reconstructionsWritten
                                    ? ReportThumbnails::make(*item, options.outputDir)
                                    : report::ItemThumbnails{item, {}, {}, {}, {}, {}, {}});
    const QByteArray html = report::ReportPage::html(summary, content);
    Written written;
    written.path =
        options.htmlPath.empty()
            ? QDir(QString::fromStdString(options.outputDir)).filePath("report.html").toStdString()
            : options.htmlPath;
    writePage(written.path, html);
    written.items = int(summary.items().size());
    written.failed = summary.failed();
    written.bytes = std::size_t(html.size());
    return written;
}

}  // namespace medvae::ui
