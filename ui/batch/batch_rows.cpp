#include "batch_rows.h"

#include <algorithm>

namespace medvae::ui {

void BatchRows::reset(int items) {
    rows_.clear();
    for (int i = 0; i < items; ++i)
        rows_.push_back(Row{i, -1, false});
}

int BatchRows::find(int index, int frame) const {
    // Rows stay in item order, frames of one item together: search from the item's first row.
    const auto first = std::lower_bound(rows_.begin(), rows_.end(), index,
                                        [](const Row& r, int i) { return r.index < i; });
    for (auto it = first; it != rows_.end() && it->index == index; ++it)
        if (it->frame == frame) return int(it - rows_.begin());
    return -1;
}

BatchRows::Placement BatchRows::place(int index, int frame, int frameCount) {
    Placement p;
    p.row = find(index, frame);
    if (p.row >= 0 || frame < 0) return p;
    const int whole = find(index, -1);
    if (whole < 0 || frame >= frameCount) return p;
    rows_[std::size_t(whole)].frame = 0;
    std::vector<Row> more;
    for (int k = 1; k < frameCount; ++k)
        more.push_back(Row{index, k, false});
    rows_.insert(rows_.begin() + whole + 1, more.begin(), more.end());
    p.insertedAt = whole + 1;
    p.insertedCount = frameCount - 1;
    p.row = whole + frame;
    return p;
}

int BatchRows::waitingRowOf(int index) const {
    const auto first = std::lower_bound(rows_.begin(), rows_.end(), index,
                                        [](const Row& r, int i) { return r.index < i; });
    for (auto it = first; it != rows_.end() && it->index == index; ++it)
        if (!it->finished) return int(it - rows_.begin());
    return -1;
}

void BatchRows::markFinished(int row) {
    if (row >= 0 && row < count()) rows_[std::size_t(row)].finished = true;
}

int BatchRows::indexAt(int row) const {
    return row >= 0 && row < count() ? rows_[std::size_t(row)].index : -1;
}

int BatchRows::frameAt(int row) const {
    return row >= 0 && row < count() ? rows_[std::size_t(row)].frame : -1;
}

}  // namespace medvae::ui
