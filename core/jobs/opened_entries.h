#pragma once

#include <string>
#include <vector>

namespace medvae::jobs {

// The entries of the app's Images list for sources opened together (files as a folder walk gives
// them, URLs): single-frame DICOM files of one series become one entry, its files in slice order
// (SeriesStacks::group); other files, multi-frame files, URLs and paths that are not files stay
// entries of their own. Entries come in the order of the sources, a series where its first file
// came. Reads every file's header: call it off the GUI thread (a worker file job).
class OpenedEntries {
  public:
    static std::vector<std::vector<std::string>> group(const std::vector<std::string>& sources);
};

}  // namespace medvae::jobs
