#pragma once

#include <string>
#include <vector>

namespace medvae::jobs {

// One unit of work of a batch: an image file, a file in a folder (DICOM folders included: every
// file is read by content, whatever its name), or a URL.
struct BatchItem {
    int index = 0;             // position in the stable order of the whole batch (before sharding)
    std::string source;        // file path or URL, as given to ImageLoader::load
    std::string relativeStem;  // output name relative to the output folder, '/'-separated,
                               // mirroring the input's path below its folder ("ct/a.v2")
    std::string duplicateOf;   // non-empty: the same input as this earlier source; not processed
    std::string error;         // non-empty: fails without being read (name collision, ...)
};

struct BatchInputOptions {
    // Glob patterns (fnmatch: *, ?, [...]) matched against a file's name and against its path
    // relative to the folder given; empty include = every file.
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    // Never read inputs inside this folder (the output folder when it sits inside an input
    // folder, so results are not taken for images on the next run).
    std::string skipDir;
};

// Turns the inputs of a batch into items in a stable order: arguments in the order given;
// folders walked recursively in byte order of their relative paths; list files (*.txt, *.urls,
// *.list: one path or URL per line, '#' comments, paths relative to the list) expanded in place.
// Hidden files and folders (name starting with '.') and partial downloads (*.part, *.partial,
// *.crdownload, *.download, *.tmp, *~) are skipped. The same input reached twice is a duplicate;
// two inputs whose outputs would have the same name make the second fail.
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
    static bool isSkippedName(const std::string& fileName);
    static bool isListFile(const std::string& path);
    static bool matches(const std::string& pattern, const std::string& text);
};

}  // namespace medvae::jobs
