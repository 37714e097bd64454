#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "image.h"
#include "load_options.h"

namespace medvae {

// The one image loader of the app, the CLI, batch export and the scoring server.
//
// Sources: a file path, a file:// URL, an http(s):// URL (downloaded with Qt Network), a data:
// URI, or a bare base64 string (as the Azure ML endpoint contract sends images). Formats are
// recognised by content, never by name: DICOM (DCMTK, OpenJPEG), PNG (8/16-bit; gray,
// gray+alpha, RGB, RGBA, palette), JPEG, TIFF (8/16-bit, float), BMP, WebP, PNM; EXIF
// orientation is applied. Sizes are checked against the limits before any pixel memory is
// allocated where the header tells them. Unreadable, truncated, empty, hostile or oversized
// input throws medvae::Error naming the source and the reason; nothing is ever substituted for
// an image that failed to load.
class ImageLoader {
  public:
    // A source's bytes before decoding, and the name its errors and metadata give it.
    struct SourceBytes {
        std::vector<std::uint8_t> bytes;
        std::string name;
    };

    static Image load(const std::string& source, const LoadOptions& options = {});
    static Image loadFile(const std::string& path, const LoadOptions& options = {});
    // What load() decodes: the bytes of any source it takes, within the options' size limits
    // (for several frames of one file, read once and decoded frame by frame).
    static SourceBytes read(const std::string& source, const LoadOptions& options = {});
    static std::vector<std::uint8_t> readFile(const std::string& path,
                                              const LoadOptions& options = {});
    static Image decode(const std::vector<std::uint8_t>& bytes, const std::string& source,
                        const LoadOptions& options = {});

    // The bytes of a data: URI or a bare base64 string; throws when `text` is neither.
    static std::vector<std::uint8_t> decodeInlineData(const std::string& text,
                                                      std::uint64_t maxBytes);
    // The name a source goes by, for naming its results (OutputNaming::stem turns it into a
    // stem): a path as given, for URLs the last path segment ("download" when there is none),
    // for inline data "inline-image".
    static std::string sourceName(const std::string& source);
};

}  // namespace medvae
