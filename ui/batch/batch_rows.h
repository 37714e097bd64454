#pragma once

#include <utility>
#include <vector>

namespace medvae::ui {

// Which row of the Batch panel's table shows which result: one row per input until its frame
// count is known, then one row per frame of a multi-frame input (each frame is an item of its own
// with its own metrics, files and manifest record, so the table reads as the manifest does).
// Widget-free: the panel inserts the rows this says were added.
class BatchRows {
  public:
    // What a result's place in the table is: its row, and the rows added before it was shown
    // (the other frames of its input, right after the input's row).
    struct Placement {
        int row = -1;  // -1: no such item
        int insertedAt = -1;
        int insertedCount = 0;
    };

    // One row per input, in the items' order (row i shows item index i).
    void reset(int items);
    // The row of frame `frame` of item `index` (-1: the input as a whole), which holds
    // `frameCount` frames: the input's row becomes frame 0's and rows for frames 1..N-1 are
    // inserted after it the first time a frame of it is placed.
    Placement place(int index, int frame, int frameCount);
    // The first row of item `index` that has not been given a result yet (for "running"), or -1.
    int waitingRowOf(int index) const;
    void markFinished(int row);
    int count() const { return int(rows_.size()); }
    int indexAt(int row) const;  // the item a row belongs to, -1 for none
    int frameAt(int row) const;  // its frame, -1 for an input as a whole

  private:
    struct Row {
        int index = 0;
        int frame = -1;
        bool finished = false;
    };
    int find(int index, int frame) const;
    std::vector<Row> rows_;
};

}  // namespace medvae::ui
