#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

#include "inference_job.h"

namespace medvae::ui {

// Finished results per image + model + settings, so that going back to an image already computed
// shows it at once. Least recently used entries go first beyond `capacity` (results hold full
// images and tensors, so the count is bounded).
class ResultCache {
  public:
    explicit ResultCache(int capacity = 32) : capacity_(capacity) {}

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
    void clear();

  private:
    int capacity_;
    QHash<QString, std::shared_ptr<const jobs::InferenceOutcome>> entries_;
    QStringList order_;  // least recently used first
};

}  // namespace medvae::ui
