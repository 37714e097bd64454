#include "report_page.h"

#include <cmath>

#include "distribution.h"

namespace medvae::report {
namespace {

// Text from a record, escaped and bounded.
QString esc(const std::string& s) {
    QString t = QString::fromStdString(s.substr(0, std::size_t(ReportPage::kMaxText) * 4));
    if (t.size() > ReportPage::kMaxText) t = t.left(ReportPage::kMaxText) + QChar(0x2026);
    return t.toHtmlEscaped();
}

QString num(double v, int decimals) {
    if (std::isnan(v)) return "–";
    if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
    if (std::fabs(v) >= 1e9) return QString::number(v, 'g', 6);
    return QString::number(v, 'f', decimals);
}

const char* const kStyle =
    "body{font-family:sans-serif;margin:24px;color:#222}"
    "h1{font-size:24px}h2{font-size:19px;border-bottom:1px solid #ccc;padding-bottom:4px;"
    "margin-top:32px}table{border-collapse:collapse;margin:8px 0}"
    "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "figure{display:inline-block;margin:8px}figcaption{font-weight:bold;font-size:14px}"
    "img.plot{width:560px;border:1px solid #ddd}img.thumb{width:120px;height:auto;"
    "image-rendering:auto;border:1px solid #ddd}.note{color:#a33}.mono{font-family:monospace}"
    "table.worst td{max-width:190px;overflow-wrap:anywhere}"
    "table.worst td.n{overflow-wrap:normal;white-space:nowrap}";

QString dataUri(const QByteArray& png) {
    return "data:image/png;base64," + QString::fromLatin1(png.toBase64());
}

QString row(const QString& header, const QString& value) {
    return "<tr><th>" + header + "</th><td>" + value + "</td></tr>\n";
}

QString modelList(const std::vector<ModelUse>& models) {
    QString s;
    for (const ModelUse& m : models)
        s += esc(m.name) + " (" + esc(m.backend) + (m.device.empty() ? "" : ", " + esc(m.device)) +
             ")" +
             (m.demo ? QString(" — the bundled demo model, not MedVAE's weights") : QString()) +
             "<br><span class=\"mono\">SHA-256 " +
             (m.sha256.empty() ? QString("not recorded") : esc(m.sha256)) + "</span> — " +
             QString::number(m.items) + " items<br>";
    return s;
}

QString summarySection(const FidelitySummary& s) {
    QString settings;
    for (const auto& [text, items] : s.settings())
        settings += "<span class=\"mono\">" + esc(text) + "</span> — " + QString::number(items) +
                    " items<br>";
    QString h = "<section id=\"summary\"><h2>Summary</h2><table>\n";
    h += row("Items", "<span id=\"count\">" + QString::number(s.items().size()) + "</span>");
    h += row("Failures", "<span id=\"failures-count\">" + QString::number(s.failed()) + "</span>");
    if (s.missing() > 0) h += row("Missing (no record)", QString::number(s.missing()));
    if (s.identical() > 0)
        h += row("Identical reconstructions (PSNR ∞, left out of the statistics)",
                 QString::number(s.identical()));
    h += row(s.compared() ? "Model A" : "Model", modelList(s.models()));
    if (s.compared()) h += row("Model B", modelList(s.compareModels()));
    h += row("Settings", settings);
    h +=
        row("Throughput", s.throughput() > 0 ? "<span id=\"throughput\">" + num(s.throughput(), 3) +
                                                   "</span> items/s (" + num(s.wallSeconds(), 1) +
                                                   " s from the first start to the last finish)"
                                             : QString("not recorded"));
    return h + "</table></section>\n";
}

QString statsCells(const std::vector<double>& values) {
    const Distribution psnr(values);
    return "<td class=\"n\">" + num(psnr.empty() ? NAN : psnr.mean(), 3) + "</td><td class=\"n\">" +
           num(psnr.empty() ? NAN : psnr.median(), 3) + "</td>";
}

QString modalitiesSection(const FidelitySummary& s) {
    QString h =
        "<section id=\"modalities\"><h2>Fidelity by modality</h2><table>\n<tr>"
        "<th>Modality</th><th>Items measured</th><th>Mean PSNR (dB)</th><th>Median PSNR (dB)</th>"
        "<th>Mean SSIM</th><th>Mean MAE</th>";
    if (s.compared()) h += "<th>Mean PSNR B (dB)</th><th>Median PSNR B (dB)</th>";
    h += "</tr>\n";
    const auto psnr = s.valuesByModality(Metric::Psnr), ssim = s.valuesByModality(Metric::Ssim),
               mae = s.valuesByModality(Metric::Mae);
    auto line = [&](const QString& name, const std::vector<double>& p, const std::vector<double>& q,
                    const std::vector<double>& m, const std::vector<double>* b) {
        QString r = "<tr class=\"modality\"><td>" + name + "</td><td class=\"n\">" +
                    QString::number(p.size()) + "</td>" + statsCells(p) + "<td class=\"n\">" +
                    num(Distribution(q).empty() ? NAN : Distribution(q).mean(), 4) +
                    "</td><td class=\"n\">" +
                    num(Distribution(m).empty() ? NAN : Distribution(m).mean(), 4) + "</td>";
        if (b) r += statsCells(*b);
        return r + "</tr>\n";
    };
    for (const auto& [modality, values] : psnr) {
        std::vector<double> b;
        for (const ReportItem& item : s.items())
            if (item.metrics.present && item.modality == modality && item.compare.present)
                b.push_back(item.compare.psnr);
        h += line(esc(modality), values, ssim.at(modality), mae.at(modality),
                  s.compared() ? &b : nullptr);
    }
    const auto allB = s.values(Metric::Psnr, true);
    h += line("<b>all</b>", s.values(Metric::Psnr), s.values(Metric::Ssim), s.values(Metric::Mae),
              s.compared() ? &allB : nullptr);
    return h + "</table></section>\n";
}

QString figures(const std::vector<ReportFigure>& list) {
    QString h;
    for (const ReportFigure& f : list)
        h += "<figure><figcaption>" + f.title.toHtmlEscaped() +
             "</figcaption><img class=\"plot\" alt=\"" + f.title.toHtmlEscaped() + "\" src=\"" +
             dataUri(f.png) + "\"></figure>\n";
    return h;
}

QString thumbnail(const QByteArray& png, const std::string& note, const char* what) {
    if (png.isEmpty()) return "<td class=\"note\">" + esc(note) + "</td>";
    return QString("<td><img class=\"thumb\" alt=\"%1\" src=\"").arg(what) + dataUri(png) +
           "\"></td>";
}

QString worstSection(const ReportContent& c) {
    QString h = "<section id=\"worst\"><h2>The " + QString::number(c.worst.size()) +
                " items of lowest PSNR</h2>\n";
    if (c.worst.empty()) return h + "<p>No item has a PSNR.</p></section>\n";
    if (!c.reconstructionsWritten)
        h += "<p class=\"note\" id=\"no-reconstructions\">This batch wrote no reconstructions "
             "(decoded or error PNG): run it with the decoded and error outputs to see them "
             "here.</p>\n";
    h += "<table class=\"worst\">\n<tr><th>Rank</th><th>Item</th><th>Input</th><th>Output stem</th>"
         "<th>Modality</th><th>PSNR (dB)</th><th>SSIM</th><th>MAE</th>";
    if (c.reconstructionsWritten) h += "<th>Original</th><th>Reconstruction</th><th>Error</th>";
    h += "</tr>\n";
    int rank = 0;
    for (const ItemThumbnails& t : c.worst) {
        const ReportItem& i = *t.item;
        h += "<tr class=\"worst-item\"><td class=\"n\">" + QString::number(++rank) +
             "</td><td class=\"n\">" + QString::number(i.index) + "</td><td>" + esc(i.inputName) +
             "</td><td class=\"mono\">" + esc(i.outputStem) + "</td><td>" + esc(i.modality) +
             "</td><td class=\"n\">" + num(i.metrics.psnr, 3) + "</td><td class=\"n\">" +
             num(i.metrics.ssim, 4) + "</td><td class=\"n\">" + num(i.metrics.mae, 4) + "</td>";
        if (c.reconstructionsWritten)
            h += thumbnail(t.original, t.originalNote, "original") +
                 thumbnail(t.reconstruction, t.reconstructionNote, "reconstruction") +
                 thumbnail(t.heatmap, t.heatmapNote, "error heatmap");
        h += "</tr>\n";
    }
    return h + "</table></section>\n";
}

QString failuresSection(const FidelitySummary& s) {
    QString h =
        "<section id=\"failures\"><h2>Failures (" + QString::number(s.failed()) + ")</h2>\n";
    if (s.failed() == 0) return h + "<p>No item failed.</p></section>\n";
    h += "<table>\n<tr><th>Item</th><th>Input</th><th>Output stem</th><th>Reason</th></tr>\n";
    std::size_t listed = 0;
    for (const ReportItem& i : s.items()) {
        if (i.status != "failed") continue;
        if (listed++ == ReportPage::kMaxFailuresListed) break;
        h += "<tr class=\"failure\"><td class=\"n\">" + QString::number(i.index) + "</td><td>" +
             esc(i.inputName) + "</td><td class=\"mono\">" + esc(i.outputStem) + "</td><td>" +
             esc(i.error) + "</td></tr>\n";
    }
    h += "</table>\n";
    if (std::size_t(s.failed()) > ReportPage::kMaxFailuresListed)
        h += "<p>and " + QString::number(std::size_t(s.failed()) - ReportPage::kMaxFailuresListed) +
             " more failures (see the manifest).</p>\n";
    return h + "</section>\n";
}

QString notesSection(const FidelitySummary& s) {
    if (s.problems().empty()) return {};
    QString h = "<section id=\"notes\"><h2>Notes on the manifests</h2><ul>\n";
    for (const std::string& p : s.problems())
        h += "<li>" + esc(p) + "</li>\n";
    return h + "</ul></section>\n";
}

}  // namespace

QByteArray ReportPage::html(const FidelitySummary& summary, const ReportContent& content) {
    QString h =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'\">"
        "<title>Batch fidelity report</title><style>" +
        QString(kStyle) +
        "</style></head><body>\n<h1>Batch fidelity report: " + content.folderName.toHtmlEscaped() +
        "</h1>\n<p>Made " + content.generatedAt.toHtmlEscaped() +
        " from the folder's manifests. Inputs are named by their base name only.</p>\n";
    h += summarySection(summary) + modalitiesSection(summary);
    h += "<section id=\"distributions\"><h2>Distributions</h2>\n" + figures(content.distributions) +
         "</section>\n";
    h += worstSection(content);
    if (summary.compared())
        h += "<section id=\"compare\"><h2>Model A vs model B</h2>\n" +
             figures(content.comparisons) + "</section>\n";
    h += failuresSection(summary) + notesSection(summary) + "</body></html>\n";
    return h.toUtf8();
}

}  // namespace medvae::report
