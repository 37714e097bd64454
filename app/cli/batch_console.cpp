#include "batch_console.h"

#include <QDir>

#include <cmath>

#include "cli_output.h"

namespace medvae::cli {

QString duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const int s = int(std::lround(seconds));
    if (s >= 3600) return QString("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
    if (s >= 60) return QString("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
    return QString("%1s").arg(s);
}

void printModel(const char* label, const jobs::BackendDescription& desc,
                const std::string& checkpoint) {
    out() << label << QString::fromStdString(desc.model) << " from "
          << QString::fromStdString(checkpoint) << " (sha256 "
          << QString::fromStdString(desc.modelSha256).left(16) << "…, "
          << QString::fromStdString(desc.device) << ")"
          << (desc.demoModel ? " — DEMO MODEL trained by MedVAE Studio, not MedVAE's published "
                               "weights"
                             : "")
          << "\n";
}

QString shownName(const jobs::BatchItem& item) {
    const QString source = QString::fromStdString(item.source);
    return item.frame < 0
               ? source
               : QString("%1 frame %2/%3").arg(source).arg(item.frame).arg(item.frameCount);
}

void ProgressDisplay::item(const jobs::BatchItemResult& r) {
    std::lock_guard<std::mutex> lock(mutex);
    ++finished;
    if (r.item.frame == 0) total += r.item.frameCount - 1;  // the input's other frames
    if (r.status != jobs::BatchStatus::Skipped) ++processed;
    const double elapsed = timer.nsecsElapsed() * 1e-9;
    const double rate = processed > 0 ? processed / elapsed : 0;
    const double eta = rate > 0 ? (total - finished) / rate : NAN;
    if (r.status == jobs::BatchStatus::Failed) {
        if (bar) out() << "\r\033[K";
        err() << "medvae-cli: failed: " << shownName(r.item) << ": "
              << QString::fromStdString(r.error) << Qt::endl;
    }
    if (bar) {
        const int width = 30;
        const int filled = total ? finished * width / total : width;
        out() << "\r\033[K[" << QString(filled, '#') << QString(width - filled, '.') << "] "
              << finished << "/" << total << "  " << QString::number(rate, 'f', 2) << " img/s  ETA "
              << duration(eta);
        out().flush();
        return;
    }
    QString line = QString("[%1/%2] %3 %4")
                       .arg(finished)
                       .arg(total)
                       .arg(jobs::batchStatusName(r.status), shownName(r.item));
    if (r.status == jobs::BatchStatus::Done)
        line += QString(" (%1 s)").arg(r.inferSeconds, 0, 'f', 3);
    line += QString("  %1 img/s, ETA %2").arg(rate, 0, 'f', 2).arg(duration(eta));
    out() << line << Qt::endl;
}

int reportSummary(const jobs::BatchSummary& s, const jobs::BatchSettings& settings) {
    const double rate = s.seconds > 0 ? s.done / s.seconds : 0;
    out() << QString(
                 "batch: %1 done, %2 skipped (already complete), %3 failed, %4 duplicates, "
                 "of %5 in %6 s (%7 images/s; inference %8 s)")
                 .arg(s.done)
                 .arg(s.skipped)
                 .arg(s.failed)
                 .arg(s.duplicates)
                 .arg(s.total)
                 .arg(s.seconds, 0, 'f', 2)
                 .arg(rate, 0, 'f', 3)
                 .arg(s.inferSeconds, 0, 'f', 2)
          << Qt::endl;
    out() << "manifest: "
          << QDir(QString::fromStdString(settings.outputDir))
                 .filePath(QString::fromStdString(settings.manifestName) + ".csv")
          << Qt::endl;
    if (s.cancelled) {
        err() << "medvae-cli: cancelled: the items the manifest records as done are complete; "
                 "run again with --resume to do the rest"
              << Qt::endl;
        return 130;  // as a shell reports an interrupted command
    }
    if (!s.fatalError.empty()) {
        err() << "medvae-cli: error: the batch stopped: " << QString::fromStdString(s.fatalError)
              << Qt::endl;
        return 1;
    }
    if (s.failed) {
        err() << "medvae-cli: " << s.failed << " of " << s.total
              << " items failed (see the manifest)" << Qt::endl;
        return 1;
    }
    return 0;
}

}  // namespace medvae::cli
