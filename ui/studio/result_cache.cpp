#include "result_cache.h"

namespace medvae::ui {

QString ResultCache::keyOf(const QString& source, const jobs::BackendDescription& b,
                           const EncodeOptions& o, bool padToFactor, const QString& modelB,
                           int frame) {
    // The checkpoint's hash, not its path, names the weights; device and precision change numbers.
    QStringList parts({source, QString::fromStdString(b.kind), QString::fromStdString(b.location),
                       QString::fromStdString(b.modelSha256), QString::fromStdString(b.device),
                       QString::fromStdString(b.precision),
                       o.sample ? QStringLiteral("sample:%1").arg(o.seed) : QStringLiteral("mean"),
                       padToFactor ? QStringLiteral("pad") : QStringLiteral("crop")});
    if (b.tileSize > 0) parts << QStringLiteral("tiled:%1/%2").arg(b.tileSize).arg(b.tileOverlap);
    if (!modelB.isEmpty()) parts << QStringLiteral("B:") + modelB;  // compared with model B
    if (frame > 0) parts << QStringLiteral("frame:%1").arg(frame);
    return parts.join(QLatin1Char('\x1f'));
}

std::size_t ResultCache::defaultBudgetBytes() {
    return std::size_t(jobs::keptResultsBudgetBytes());
}

std::size_t ResultCache::bytes() const {
    MemoryTally tally;
    for (const auto& outcome : entries_)
        if (outcome) outcome->tally(tally);
    return tally.total();
}

void ResultCache::insert(const QString& key,
                         std::shared_ptr<const jobs::InferenceOutcome> outcome) {
    order_.removeAll(key);
    order_.append(key);
    entries_.insert(key, std::move(outcome));
    while (order_.size() > 1 && (order_.size() > capacity_ || bytes() > budgetBytes_))
        entries_.remove(order_.takeFirst());
}

std::shared_ptr<const jobs::InferenceOutcome> ResultCache::find(const QString& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    order_.removeAll(key);
    order_.append(key);
    return it.value();
}

void ResultCache::clear() {
    entries_.clear();
    order_.clear();
}

}  // namespace medvae::ui
