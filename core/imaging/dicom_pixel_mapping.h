#pragma once

#include <string>
#include <vector>

#include "image.h"
#include "load_options.h"

class DcmItem;

namespace medvae {

// How one frame's stored samples become the pixels of an Image: PALETTE COLOR through its
// lookup tables, YBR to RGB (ITU-R BT.601 full range), and grey levels through the modality
// transform (a Modality LUT Sequence, else Rescale Slope/Intercept) into modality units.
// MONOCHROME1 is inverted so that higher always means brighter; with a VOI window (the file's or
// the caller's) grey values are windowed to [0, 1] first, as a viewer shows them.
class DicomPixelMapping {
  public:
    // `values`: the frame's samples, interleaved, `samples` (1 or 3) per pixel, for
    // image.width x image.height pixels; `colorModel`: what they are now (the file's Photometric
    // Interpretation, or what a codec turned it into). Reads image.meta.bitsPerSample (Bits
    // Stored) and signedPixels; fills image.channels, image.pixels and the colour, rescale,
    // window and inversion fields of image.meta. Throws medvae::Error naming the image's source.
    static void apply(DcmItem& dataset, const std::vector<double>& values, int samples,
                      const std::string& colorModel, const LoadOptions& options, Image& image);
};

}  // namespace medvae
