#pragma once

#include <string>

namespace medvae {

// How results are named, for every source (files, folders, URL lists, and later PACS): the one
// place that turns what a source is called into names below the output folder, and that checks a
// name stays below it. Names it produces are valid UTF-8, deterministic, and never hold '/', '\',
// NUL, control characters, or a "." / ".." component.
class OutputNaming {
  public:
    // The stem result files are named after: the last component of `inputPath` without its last
    // extension ("chest.v2.png" -> "chest.v2"), so names with several dots never collide; made a
    // safe component (see safeComponent). An empty stem becomes "image".
    static std::string stem(const std::string& inputPath);
    // `raw` as one file or folder name: bytes that are not valid UTF-8, control characters, '/'
    // and '\' written as %XX (upper-case hex of the byte); "." and ".." as %2E and %2E%2E; names
    // longer than kMaxComponentBytes cut at a character boundary and ended with '~' and 16 hex
    // digits of the whole name's SHA-256. ('%' itself stays, so ordinary names do not change; the
    // rare raw name that then equals another is reported as a name collision by the batch.)
    static std::string safeComponent(const std::string& raw);
    // `relativeDir` ('/'-separated, components as given below an input folder; may be empty) and
    // the stem of `fileName`, each component made safe: "ct/a.v2".
    static std::string relativeStem(const std::string& relativeDir, const std::string& fileName);
    // Throws medvae::Error unless `relative` is a '/'-separated path that stays inside the folder
    // it is taken relative to: not empty, not absolute, no empty, "." or ".." component, no NUL
    // or '\'. Every writer of the batch calls this before writing.
    static void checkRelative(const std::string& relative);
    static bool isValidUtf8(const std::string& text);

    // Longest name component produced; leaves room for the longest suffix ("_latent.nii.gz")
    // and the temporary name (".<name>.partial-<pid>-<n>") within the usual 255-byte limit.
    static constexpr std::size_t kMaxComponentBytes = 180;
};

// The stem rule above as a free function, as the command-line tools and image loader call it.
inline std::string outputStem(const std::string& inputPath) {
    return OutputNaming::stem(inputPath);
}

}  // namespace medvae
