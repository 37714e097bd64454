#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dicom_stack_header.h"
#include "load_options.h"

namespace medvae {

// What the viewer pages through as one: the slices of a series, the frames of a multi-frame
// file, or a single image.
struct ImageStack {
    std::vector<std::string> files;  // in slice order; one for a multi-frame file or an image
    int frames = 1;                  // of the one file when it holds several; else 1
    std::string seriesInstanceUid;   // empty for images that are not DICOM or lack one
    int slices() const { return files.size() > 1 ? int(files.size()) : frames; }
};

// Turns files opened together into stacks. Single-frame DICOM files of one SeriesInstanceUID
// with the same size and modality become one stack (a series whose files differ in size or
// modality becomes one stack per kind, in the order their first files came), in slice order:
// InstanceNumber, then the position along the slice normal (Image Position and Orientation
// (Patient)), then file name. A multi-frame file, an image that is not DICOM, a DICOM file
// without a series and a file that cannot be read (its error shows when it is opened) each
// stay an entry of their own. Stacks come in the order of their first file in the input.
class SeriesStacks {
  public:
    struct Slice {
        std::string file;
        bool dicom = false;  // a readable DICOM header; false for other images and failures
        DicomStackHeader header;
    };

    // Reads the header of each file (no pixel data is decoded; files over options.maxFileBytes
    // stay entries of their own), then groups them. `cancelled` is polled between files: what
    // was not read by then stays an entry of its own. Slow for large folders: call it off the
    // GUI thread.
    static std::vector<ImageStack> group(const std::vector<std::string>& files,
                                         const LoadOptions& options = {},
                                         const std::function<bool()>& cancelled = {});
    // The grouping of headers already read, as above.
    static std::vector<ImageStack> group(const std::vector<Slice>& slices);
    // Sorts the slices of one series into slice order (see above).
    static void sortSlices(std::vector<Slice>& slices);
};

}  // namespace medvae
