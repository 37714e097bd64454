#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "image.h"
#include "image_loader.h"
#include "load_options.h"
#include "output_claims.h"

namespace medvae::jobs {

// One unit of work of a batch: an image file, a file in a folder (DICOM folders included: every
// file is read by content, whatever its name), or a URL.
struct BatchItem {
    int index = 0;             // position in the stable order of the whole batch (before sharding)
    std::string source;        // file path or URL, as given to ImageLoader::load
    std::string relativeStem;  // output name relative to the output folder, '/'-separated,
                               // mirroring the input's path as given below its folder ("ct/a.v2"),
                               // made safe by OutputNaming (never a link's target)
    std::string duplicateOf;   // non-empty: the same input as this earlier source; not processed
    std::string error;         // non-empty: fails without being read (name collision, ...)
    std::string redoReason;    // set by --resume: why an item the manifest records is done again
    // A frame of a multi-frame input, each its own item (frameItem): the frame (0-based, as
    // LoadOptions::frame) and how many the input holds. frame is -1 for the input as a whole;
    // frameCount is then the frames its header declares once read (0: not DICOM or not known).
    int frame = -1;
    int frameCount = 0;
    // The output names every input of the whole batch (all shards) claimed when collected
    // (BatchInputs::collect; null for items made elsewhere): a frame's name, known only once its
    // input is read, is checked against them, so that a frame never overwrites another input's
    // results ("a/frame_0000" of a.dcm and an input a/frame_0000.png).
    std::shared_ptr<const OutputClaims> batchClaims;
    // Set for an archive instance: its DICOM bytes, retrieved when the item's turn comes (polling
    // `cancelled`), instead of reading `source`, which then only names the instance.
    std::function<std::vector<std::uint8_t>(const std::function<bool()>& cancelled)> fetch;
};

struct BatchInputOptions {
    // Glob patterns (fnmatch: *, ?, [...]) matched against a file's name and against its path
    // relative to the folder given; empty include = every file.
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    // Never read inputs inside this folder (the output folder when it sits inside an input
    // folder, so results are not taken for images on the next run).
    std::string skipDir;
    // Bounds of a folder walk, whatever links it meets: folders nested deeper than this, or more
    // entries than this under one input folder, stop the collection with an error.
    int maxDepth = 64;
    std::size_t maxEntries = 10'000'000;
};

// Turns the inputs of a batch into items in a stable order: arguments in the order given;
// folders walked recursively in byte order of their relative paths; list files (*.txt, *.urls,
// *.list: one path or URL per line, '#' comments, paths relative to the list) expanded in place.
// Hidden files and folders (name starting with '.') and partial downloads (*.part, *.partial,
// *.crdownload, *.download, *.tmp, *~) are skipped. The same input reached twice is a duplicate;
// two inputs whose outputs would have the same name make the second fail.
// Symbolic links are followed for reading (a linked file is read, a linked folder walked) but
// outputs are named after the link's own path below the input folder; a folder reached twice
// (a link to an ancestor, a loop) is walked once.
class BatchInputs {
  public:
    // Throws medvae::Error when an input does not exist or a list file cannot be read.
    static std::vector<BatchItem> collect(const std::vector<std::string>& inputs,
                                          const BatchInputOptions& options = {});
    // Items of shard `shardIndex` (0-based) of `shardCount`: those whose index modulo the count
    // is the shard index. Every item lands in exactly one shard, and the split depends only on
    // the inputs, so the same command run as a job array covers everything once.
    static std::vector<BatchItem> shard(const std::vector<BatchItem>& items, int shardIndex,
                                        int shardCount);
    // The image of an item: its source read by ImageLoader, or the bytes its fetch retrieves.
    static Image load(const BatchItem& item, const LoadOptions& options);
    // The bytes load() decodes, read (or retrieved) once.
    static ImageLoader::SourceBytes read(const BatchItem& item, const LoadOptions& options);
    // Frame `frame` (0-based) of `item`, an input of `frameCount` frames, as an item of its own:
    // same index and source, named "<stem>/frame_0000" (at least 4 digits, 0-based as
    // LoadOptions::frame), so that an archive instance's frames are study/series/instance/frame.
    static BatchItem frameItem(const BatchItem& item, int frame, int frameCount);
    static bool isSkippedName(const std::string& fileName);
    static bool isListFile(const std::string& path);
    static bool matches(const std::string& pattern, const std::string& text);
};

}  // namespace medvae::jobs
