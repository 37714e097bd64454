#include "dicom_pixel_mapping.h"

// DCMTK's headers define their own configuration macros; they come first.
#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "dicom_attributes.h"
#include "error.h"

namespace medvae {
namespace {

// A lookup table as DICOM describes it: entries, first input value mapped, bits per entry.
struct Lut {
    std::vector<double> values;
    std::int64_t firstMapped = 0;
    double map(double v) const {
        const std::int64_t i = std::clamp<std::int64_t>(std::int64_t(std::floor(v)) - firstMapped,
                                                        0, std::int64_t(values.size()) - 1);
        return values[std::size_t(i)];
    }
};

bool readLut(DcmItem& item, const DcmTagKey& descriptorTag, const DcmTagKey& dataTag,
             bool signedInput, Lut& lut) {
    Uint16 entries = 0, bits = 0;
    Uint16 first = 0;
    if (item.findAndGetUint16(descriptorTag, entries, 0).bad() ||
        item.findAndGetUint16(descriptorTag, first, 1).bad() ||
        item.findAndGetUint16(descriptorTag, bits, 2).bad())
        return false;
    const std::size_t n = entries == 0 ? 65536 : entries;
    lut.firstMapped = signedInput ? std::int64_t(std::int16_t(first)) : std::int64_t(first);
    const Uint16* words = nullptr;
    unsigned long count = 0;
    if (item.findAndGetUint16Array(dataTag, words, &count).bad() || !words) return false;
    lut.values.resize(n);
    if (count >= n) {  // one entry per 16-bit word
        for (std::size_t i = 0; i < n; ++i)
            lut.values[i] = bits == 8 ? (words[i] & 0xFF) : words[i];
    } else if (bits == 8 && count * 2 >= n) {  // 8-bit entries packed two per word
        for (std::size_t i = 0; i < n; ++i)
            lut.values[i] = (i % 2 == 0) ? (words[i / 2] & 0xFF) : (words[i / 2] >> 8);
    } else {
        return false;
    }
    return true;
}

// VOI LUT functions of PS3.3 C.11.2.1.2, output in [0, 1].
double windowed(double x, const WindowPreset& w, const std::string& function) {
    if (function == "SIGMOID") return 1.0 / (1.0 + std::exp(-4.0 * (x - w.center) / w.width));
    if (function == "LINEAR_EXACT") {
        if (x <= w.center - w.width / 2) return 0.0;
        if (x > w.center + w.width / 2) return 1.0;
        return (x - w.center) / w.width + 0.5;
    }
    // LINEAR (default); width >= 1
    const double c = w.center - 0.5, width = w.width - 1.0;
    if (x <= c - width / 2) return 0.0;
    if (x > c + width / 2) return 1.0;
    return width > 0 ? (x - c) / width + 0.5 : (x > c ? 1.0 : 0.0);
}

void paletteImage(DcmItem& ds, const std::vector<double>& values, Image& image) {
    Lut red, green, blue;
    if (!readLut(ds, DCM_RedPaletteColorLookupTableDescriptor, DCM_RedPaletteColorLookupTableData,
                 false, red) ||
        !readLut(ds, DCM_GreenPaletteColorLookupTableDescriptor,
                 DCM_GreenPaletteColorLookupTableData, false, green) ||
        !readLut(ds, DCM_BluePaletteColorLookupTableDescriptor, DCM_BluePaletteColorLookupTableData,
                 false, blue))
        throw Error("'" + image.meta.source +
                    "': PALETTE COLOR image with missing or unsupported palette tables");
    const std::size_t pixels = std::size_t(image.width) * std::size_t(image.height);
    image.channels = 3;
    image.pixels.resize(pixels * 3);
    for (std::size_t p = 0; p < pixels; ++p) {
        image.pixels[p] = float(red.map(values[p]));
        image.pixels[pixels + p] = float(green.map(values[p]));
        image.pixels[2 * pixels + p] = float(blue.map(values[p]));
    }
    image.meta.colorModel = "RGB";
}

void colourImage(const std::vector<double>& values, const std::string& colorModel, Image& image) {
    const bool ybr = colorModel.rfind("YBR_FULL", 0) == 0;
    if (!ybr && colorModel != "RGB" && colorModel != "YBR_RCT" && colorModel != "YBR_ICT")
        throw Error("'" + image.meta.source + "': photometric interpretation " + colorModel +
                    " is not supported");
    const std::size_t pixels = std::size_t(image.width) * std::size_t(image.height);
    image.channels = 3;
    image.pixels.resize(pixels * 3);
    const double half = double(1u << (image.meta.bitsPerSample - 1));
    for (std::size_t p = 0; p < pixels; ++p) {
        double r = values[p * 3], g = values[p * 3 + 1], b = values[p * 3 + 2];
        if (ybr) {  // ITU-R BT.601 full range, as PS3.3 C.7.6.3.1.2 gives it
            const double y = r, cb = g - half, cr = b - half;
            // Out-of-gamut results are clipped to the sample range, as RGB samples must be.
            const double top = 2 * half - 1;
            r = std::clamp(y + 1.402 * cr, 0.0, top);
            g = std::clamp(y - 0.344136 * cb - 0.714136 * cr, 0.0, top);
            b = std::clamp(y + 1.772 * cb, 0.0, top);
        }
        image.pixels[p] = float(r);
        image.pixels[pixels + p] = float(g);
        image.pixels[2 * pixels + p] = float(b);
    }
    image.meta.colorModel = "RGB";
}

// Stored values to modality units: a LUT sequence when present, else rescale slope and
// intercept (kept in the metadata).
struct ModalityTransform {
    bool useLut = false;
    Lut lut;
    double slope = 1, intercept = 0;
    double operator()(double v) const { return useLut ? lut.map(v) : v * slope + intercept; }
};

ModalityTransform readModalityTransform(DcmItem& ds, ImageMetadata& meta) {
    ModalityTransform transform;
    DcmItem* lutItem = nullptr;
    if (ds.findAndGetSequenceItem(DCM_ModalityLUTSequence, lutItem, 0).good() && lutItem) {
        if (!readLut(*lutItem, DCM_LUTDescriptor, DCM_LUTData, meta.signedPixels, transform.lut))
            throw Error("'" + meta.source + "': unsupported Modality LUT Sequence");
        transform.useLut = true;
        return transform;
    }
    DicomAttributes::number(ds, DCM_RescaleSlope, meta.rescaleSlope);
    DicomAttributes::number(ds, DCM_RescaleIntercept, meta.rescaleIntercept);
    if (meta.rescaleSlope == 0) meta.rescaleSlope = 1;
    meta.rescaleType = DicomAttributes::text(ds, DCM_RescaleType);
    transform.slope = meta.rescaleSlope;
    transform.intercept = meta.rescaleIntercept;
    return transform;
}

// The file's VOI windows, kept as presets whether or not one is applied.
void readWindows(DcmItem& ds, ImageMetadata& meta) {
    const unsigned long windows = std::min(DicomAttributes::multiplicity(ds, DCM_WindowCenter),
                                           DicomAttributes::multiplicity(ds, DCM_WindowWidth));
    for (unsigned long i = 0; i < windows && i < 16; ++i) {
        WindowPreset w;
        if (!DicomAttributes::number(ds, DCM_WindowCenter, w.center, i) ||
            !DicomAttributes::number(ds, DCM_WindowWidth, w.width, i) || w.width <= 0)
            continue;
        OFString explanation;
        if (ds.findAndGetOFString(DCM_WindowCenterWidthExplanation, explanation, i).good())
            w.name = explanation.c_str();
        meta.windows.push_back(w);
    }
}

// The window the caller asked for, if any: one of the file's, or their own.
bool chosenWindow(const LoadOptions& options, const ImageMetadata& meta, WindowPreset& window) {
    if (options.window == LoadOptions::Window::FromFile) {
        if (options.windowIndex < 0 || std::size_t(options.windowIndex) >= meta.windows.size())
            throw Error("'" + meta.source + "' has " + std::to_string(meta.windows.size()) +
                        " VOI window" + (meta.windows.size() == 1 ? "" : "s") + "; window " +
                        std::to_string(options.windowIndex) + " does not exist");
        window = meta.windows[std::size_t(options.windowIndex)];
        return true;
    }
    if (options.window == LoadOptions::Window::Custom) {
        if (!(options.windowWidth > 0)) throw Error("a VOI window needs a positive width");
        window = {options.windowCenter, options.windowWidth, "custom"};
        return true;
    }
    return false;
}

void greyImage(DcmItem& ds, const std::vector<double>& values, const std::string& colorModel,
               const LoadOptions& options, Image& image) {
    ImageMetadata& meta = image.meta;
    if (colorModel != "MONOCHROME1" && colorModel != "MONOCHROME2")
        throw Error("'" + meta.source + "': photometric interpretation '" + colorModel +
                    "' is not supported");
    const int bitsStored = meta.bitsPerSample;
    const double storedMin = meta.signedPixels ? -double(1ull << (bitsStored - 1)) : 0.0;
    const double storedMax = meta.signedPixels ? double((1ull << (bitsStored - 1)) - 1)
                                               : double((1ull << bitsStored) - 1);
    const ModalityTransform modality = readModalityTransform(ds, meta);
    double lo = modality(storedMin), hi = modality(storedMax);
    if (lo > hi) std::swap(lo, hi);
    readWindows(ds, meta);
    const std::string voiFunction = DicomAttributes::text(ds, DCM_VOILUTFunction);
    WindowPreset window;
    const bool applyWindow = chosenWindow(options, meta, window);

    const std::size_t pixels = std::size_t(image.width) * std::size_t(image.height);
    image.channels = 1;
    image.pixels.resize(pixels);
    const bool invert = colorModel == "MONOCHROME1";
    for (std::size_t p = 0; p < pixels; ++p) {
        double v = modality(values[p]);
        if (applyWindow) {
            v = windowed(v, window, voiFunction);
            if (invert) v = 1.0 - v;
        } else if (invert) {
            v = lo + hi - v;
        }
        image.pixels[p] = float(v);
    }
    meta.inverted = invert;
    meta.windowed = applyWindow;
    if (applyWindow) meta.appliedWindow = window;
    meta.colorModel = "gray";
}

}  // namespace

void DicomPixelMapping::apply(DcmItem& dataset, const std::vector<double>& values, int samples,
                              const std::string& colorModel, const LoadOptions& options,
                              Image& image) {
    if (samples == 1 && colorModel == "PALETTE COLOR")
        paletteImage(dataset, values, image);
    else if (samples == 3)
        colourImage(values, colorModel, image);
    else
        greyImage(dataset, values, colorModel, options, image);
}

}  // namespace medvae
