#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

#include "inference_job.h"

namespace medvae::ui {

// Finished results per image + model + settings, so that going back to an image already computed
// shows it at once. Least recently used entries go first beyond `capacity` results or beyond
// `budgetBytes` of memory held by them together (each buffer counted once: MemoryTally), the
// newest entry always kept: one mammogram's result holds about 0.5 GB, so the count alone would
// let a session of them take the machine's memory.
class ResultCache {
  public:
    // jobs::keptResultsBudgetBytes(): 2 GiB, or an eighth of the memory this process may use.
    static std::size_t defaultBudgetBytes();

    explicit ResultCache(int capacity = 32, std::size_t budgetBytes = defaultBudgetBytes())
        : capacity_(capacity), budgetBytes_(budgetBytes) {}

    // `modelB`: ModelB::identity() of the model compared with (empty: none); `frame`: of a
    // multi-frame source (0-based), each frame a result of its own.
    static QString keyOf(const QString& source, const jobs::BackendDescription& backend,
                         const EncodeOptions& options, bool padToFactor,
                         const QString& modelB = QString(), int frame = 0);

    void insert(const QString& key, std::shared_ptr<const jobs::InferenceOutcome> outcome);
    // nullptr when absent; a hit becomes the most recently used.
    std::shared_ptr<const jobs::InferenceOutcome> find(const QString& key);
    bool contains(const QString& key) const { return entries_.contains(key); }
    int size() const { return int(entries_.size()); }
    // Bytes the entries hold together, each buffer once.
    std::size_t bytes() const;
    void clear();

  private:
    int capacity_;
    std::size_t budgetBytes_;
    QHash<QString, std::shared_ptr<const jobs::InferenceOutcome>> entries_;
    QStringList order_;  // least recently used first
};

}  // namespace medvae::ui
