#include "fidelity_summary.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

#include "manifest_table.h"

namespace medvae::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string text(const QJsonValue& v) {
    return v.toString().toStdString();
}

// A metric as the manifest writes it: a number, or "inf" / "nan" (JSON has neither).
double metricValue(const QJsonValue& v) {
    if (v.isDouble()) return v.toDouble();
    const QString s = v.toString().trimmed().toLower();
    if (s == "inf" || s == "+inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    return kNaN;
}

ItemMetrics metricsOf(const QJsonValue& v) {
    ItemMetrics m;
    if (!v.isObject()) return m;
    const QJsonObject o = v.toObject();
    m.present = true;
    m.psnr = metricValue(o["psnr_db"]);
    m.ssim = metricValue(o["ssim"]);
    m.mae = metricValue(o["mae"]);
    return m;
}

// The last segment of a path or URL: the report never shows the folders an input came from.
std::string baseName(const std::string& input) {
    const std::size_t slash = input.find_last_of("/\\");
    const std::string name = slash == std::string::npos ? input : input.substr(slash + 1);
    return name.empty() ? input : name;
}

void countModel(std::vector<ModelUse>& models, const QJsonObject& m) {
    ModelUse use{
        text(m["name"]),         text(m["sha256"]), text(m["backend"]), text(m["device"]), 1,
        m["demo_model"].toBool()};
    for (ModelUse& known : models)
        if (known.name == use.name && known.sha256 == use.sha256 && known.backend == use.backend &&
            known.device == use.device && known.demo == use.demo) {
            ++known.items;
            return;
        }
    models.push_back(use);
}

double timingsOf(const QJsonObject& record) {
    const QJsonObject t = record["timings"].toObject();
    double s = 0;
    for (const char* key : {"load_s", "infer_s", "write_s"}) {
        const double v = t[key].toDouble();
        if (std::isfinite(v) && v > 0) s += v;
    }
    return s;
}

double metricOf(const ItemMetrics& m, Metric metric) {
    return metric == Metric::Psnr ? m.psnr : metric == Metric::Ssim ? m.ssim : m.mae;
}

}  // namespace

FidelitySummary FidelitySummary::fromTable(const jobs::ManifestTable& table) {
    FidelitySummary s;
    s.problems_ = table.problems();
    s.missing_ = table.missingCount();
    // Wall time in milliseconds since the epoch: earliest start, latest finish.
    double firstStart = std::numeric_limits<double>::infinity(), lastFinish = -firstStart;
    for (const auto& [key, entry] : table.entries()) {
        const int index = key.first;
        // A record far larger than any the batch writes (a hostile manifest) is not parsed again:
        // the table's status, input and error are all the report shows of it.
        const bool parse = entry.record.size() <= kMaxRecordBytes;
        if (!parse)
            s.problems_.push_back("the record of item " + std::to_string(index) +
                                  (key.second >= 0 ? " frame " + std::to_string(key.second) : "") +
                                  " has " + std::to_string(entry.record.size()) +
                                  " bytes, more than a batch writes: only its status is shown");
        const QJsonObject o =
            parse ? QJsonDocument::fromJson(QByteArray::fromStdString(entry.record)).object()
                  : QJsonObject();
        ReportItem item;
        item.index = index;
        item.frame = key.second;
        item.input = entry.input;
        item.inputName = baseName(entry.input);
        item.outputStem = text(o["output_stem"]);
        item.status = entry.status;
        item.error = withoutFolders(entry.error, entry.input);
        item.modality = text(o["modality"]);
        if (item.modality.empty()) item.modality = "other";
        for (const auto& v : o["outputs"].toArray())
            item.outputs.push_back(text(v));
        item.metrics = metricsOf(o["metrics"]);
        if (o["compare"].isObject()) {
            const QJsonObject c = o["compare"].toObject();
            item.compare = metricsOf(c["metrics"]);
            countModel(s.compareModels_, c["model"].toObject());
            s.compared_ = true;
        }
        countModel(s.models_, o["model"].toObject());
        ++s.settings_[text(o["settings"])];
        if (item.status == "failed") ++s.failed_;
        const QDateTime finished =
            QDateTime::fromString(o["finished_at"].toString(), Qt::ISODateWithMs);
        if (finished.isValid()) {
            const double ms = double(finished.toMSecsSinceEpoch());
            lastFinish = std::max(lastFinish, ms);
            firstStart = std::min(firstStart, ms - 1000.0 * timingsOf(o));
        }
        s.items_.push_back(std::move(item));
    }
    if (lastFinish > firstStart) {
        s.wallSeconds_ = (lastFinish - firstStart) / 1000.0;
        s.throughput_ = double(s.items_.size()) / s.wallSeconds_;
    }
    return s;
}

std::vector<double> FidelitySummary::values(Metric metric, bool compare) const {
    std::vector<double> v;
    for (const ReportItem& item : items_) {
        const ItemMetrics& m = compare ? item.compare : item.metrics;
        if (m.present) v.push_back(metricOf(m, metric));
    }
    return v;
}

std::map<std::string, std::vector<double>> FidelitySummary::valuesByModality(Metric metric) const {
    std::map<std::string, std::vector<double>> byModality;
    for (const ReportItem& item : items_)
        if (item.metrics.present)
            byModality[item.modality].push_back(metricOf(item.metrics, metric));
    return byModality;
}

std::vector<const ReportItem*> FidelitySummary::worst(std::size_t n) const {
    std::vector<const ReportItem*> ranked;
    for (const ReportItem& item : items_)
        if (item.metrics.present && !std::isnan(item.metrics.psnr)) ranked.push_back(&item);
    const auto lower = [](const ReportItem* a, const ReportItem* b) {
        if (a->metrics.psnr != b->metrics.psnr) return a->metrics.psnr < b->metrics.psnr;
        return a->index < b->index;
    };
    const std::size_t keep = std::min(n, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + std::ptrdiff_t(keep), ranked.end(), lower);
    ranked.resize(keep);
    return ranked;
}

std::string FidelitySummary::withoutFolders(std::string message, const std::string& input) {
    const std::string name = baseName(input);
    if (!input.empty() && input != name)
        for (std::size_t at = message.find(input); at != std::string::npos;
             at = message.find(input, at + name.size()))
            message.replace(at, input.size(), name);
    // Other inputs' paths, which messages quote ('in/scans/a.dcm'): their base names too.
    static const QRegularExpression quotedPath("'[^'\\n]*[/\\\\]([^'/\\\\\\n]*)'");
    return QString::fromStdString(message).replace(quotedPath, "'\\1'").toStdString();
}

int FidelitySummary::identical() const {
    return int(std::count_if(items_.begin(), items_.end(), [](const ReportItem& item) {
        return item.metrics.present && std::isinf(item.metrics.psnr) && item.metrics.psnr > 0;
    }));
}

}  // namespace medvae::report
