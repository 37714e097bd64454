// BatchPanel's table of items: a row per input (per frame once a multi-frame input's count is
// known), each row's state, metrics and message, and the progress counted in rows.
#include "batch_panel.h"

#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QStringList>
#include <QTableWidget>

#include <algorithm>
#include <cmath>

#include "batch_run.h"
#include "error.h"
#include "error_wording.h"

namespace medvae::ui {
namespace {

QString shapeText(const std::vector<std::int64_t>& shape) {
    QStringList dims;
    for (auto d : shape)
        dims << QString::number(d);
    return dims.join(QString::fromUtf8("\u00d7"));
}

}  // namespace

// Status cells hold their state (0 waiting ... 5 duplicate) in the user role, so they can be
// re-worded.
void BatchPanel::setState(int row, int state) {
    static const char* const kStates[] = {QT_TR_NOOP("Waiting"), QT_TR_NOOP("Running"),
                                          QT_TR_NOOP("Done"),    QT_TR_NOOP("Skipped"),
                                          QT_TR_NOOP("Failed"),  QT_TR_NOOP("Duplicate")};
    QTableWidgetItem* cell = table_->item(row, ColStatus);
    if (!cell || state < 0 || state >= 6) return;
    cell->setData(Qt::UserRole, state);
    cell->setText(tr(kStates[state]));
}

QString BatchPanel::statusText(int row) const {
    return cellText(row, ColStatus);
}

QString BatchPanel::cellText(int row, int column) const {
    const QTableWidgetItem* cell = table_->item(row, column);
    return cell ? cell->text() : QString();
}

void BatchPanel::rebuildItems() {
    items_.clear();
    QStringList problems;
    std::vector<std::string> sources;
    for (const QString& p : inputs_)
        sources.push_back(p.toStdString());
    jobs::BatchInputOptions options;
    options.skipDir = output_->text().toStdString();
    // A path that has gone away is reported and left out, so it does not hide the others.
    std::vector<std::string> good;
    for (const std::string& s : sources) {
        const QString path = QString::fromStdString(s);
        if (path.contains("://") || QFileInfo::exists(path))
            good.push_back(s);
        else
            problems << tr("'%1' does not exist").arg(path);
    }
    try {
        items_ = jobs::BatchInputs::collect(good, options);
    } catch (const Error& e) {
        problems << ErrorWording::wording(QString::fromStdString(e.what()));
    }
    table_->setRowCount(0);
    rows_.reset(int(items_.size()));
    for (int row = 0; row < int(items_.size()); ++row)
        addRow(row, items_[std::size_t(row)]);
    finishedCount_ = processedCount_ = 0;
    progress_->setRange(0, std::max(1, int(items_.size())));
    progress_->setValue(0);
    status_->setText(problems.isEmpty() ? tr("%n item(s)", nullptr, int(items_.size()))
                                        : problems.join("\n"));
    updateButtons();
}

// A row of the table for `item` (an input, or a frame of one), inserted at `row`, waiting.
void BatchPanel::addRow(int row, const jobs::BatchItem& item) {
    table_->insertRow(row);
    auto* input = new QTableWidgetItem(QString::fromStdString(item.relativeStem));
    input->setToolTip(QString::fromStdString(item.source));
    table_->setItem(row, ColInput, input);
    for (int c = ColStatus; c < ColCount; ++c)
        table_->setItem(row, c, new QTableWidgetItem);
    setState(row, 0);
    if (!item.duplicateOf.empty())
        table_->item(row, ColMessage)
            ->setText(tr("Same input as %1").arg(QString::fromStdString(item.duplicateOf)));
    else if (!item.error.empty())
        setMessage(row, item.error);
}

// The row of a result; the first result of a multi-frame input turns its row into one row per
// frame (named as the frames' files are).
int BatchPanel::rowOf(const jobs::BatchItem& item) {
    const BatchRows::Placement p = rows_.place(item.index, item.frame, item.frameCount);
    if (p.insertedCount > 0 && item.index >= 0 && item.index < int(items_.size())) {
        const jobs::BatchItem& input = items_[std::size_t(item.index)];
        const jobs::BatchItem first = jobs::BatchInputs::frameItem(input, 0, item.frameCount);
        table_->item(p.insertedAt - 1, ColInput)
            ->setText(QString::fromStdString(first.relativeStem));
        for (int k = 1; k <= p.insertedCount; ++k)
            addRow(p.insertedAt + k - 1, jobs::BatchInputs::frameItem(input, k, item.frameCount));
    }
    return p.row;
}

void BatchPanel::itemStarted(int index) {
    const int row = rows_.waitingRowOf(index);
    if (row < 0 || row >= table_->rowCount()) return;
    setState(row, 1);
}

void BatchPanel::itemFinished(const jobs::BatchItemResult& r) {
    ++finishedCount_;
    if (r.status != jobs::BatchStatus::Skipped) ++processedCount_;
    const int row = rowOf(r.item);
    rows_.markFinished(row);
    if (row >= 0 && row < table_->rowCount()) {
        using jobs::BatchStatus;
        setState(row, r.status == BatchStatus::Done        ? 2
                      : r.status == BatchStatus::Skipped   ? 3
                      : r.status == BatchStatus::Duplicate ? 5
                                                           : 4);
        if (r.hasMetrics) {
            table_->item(row, ColPsnr)
                ->setText(std::isfinite(r.metrics.psnr) ? QString::number(r.metrics.psnr, 'f', 2)
                                                        : QString::fromUtf8("\u221e"));
            table_->item(row, ColSsim)->setText(QString::number(r.metrics.ssim, 'f', 4));
            table_->item(row, ColMae)->setText(QString::number(r.metrics.mae, 'g', 4));
        }
        table_->item(row, ColLatent)->setText(shapeText(r.latentShape));
        if (r.status == jobs::BatchStatus::Done)
            table_->item(row, ColTime)
                ->setText(QString::number(r.loadSeconds + r.inferSeconds + r.writeSeconds, 'f', 2));
        if (!r.error.empty()) setMessage(row, r.error);
    }
    updateProgress();
}

// An item's error: in the UI's language on screen, in English (as in the manifest) underneath,
// so that a language switch can word it again.
void BatchPanel::setMessage(int row, const std::string& englishError) {
    QTableWidgetItem* cell = table_->item(row, ColMessage);
    const QString english = QString::fromStdString(englishError);
    cell->setData(Qt::UserRole, english);
    cell->setText(ErrorWording::wording(english));
    cell->setToolTip(cell->text());
}

// Counted in rows: inputs, and each frame of a multi-frame input once its count is known.
void BatchPanel::updateProgress() {
    if (!progress_) return;
    const int total = rows_.count();
    progress_->setRange(0, std::max(1, total));
    progress_->setValue(finishedCount_);
    if (!running_) return;
    const double seconds = elapsed_.elapsed() / 1000.0;
    const double rate = processedCount_ > 0 && seconds > 0 ? processedCount_ / seconds : 0;
    QString text = tr("%1 of %2").arg(finishedCount_).arg(total);
    if (rate > 0) {
        const int eta = int(std::lround((total - finishedCount_) / rate));
        text += tr(", %1 images/s, %2 min %3 s left")
                    .arg(rate, 0, 'f', 2)
                    .arg(eta / 60)
                    .arg(eta % 60, 2, 10, QChar('0'));
    }
    if (run_ && run_->paused()) text += tr(" (paused)");
    status_->setText(text);
}

}  // namespace medvae::ui
