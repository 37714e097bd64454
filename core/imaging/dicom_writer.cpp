#include "dicom_writer.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cstdio>
#include <functional>

#include "error.h"

namespace medvae {
namespace {

// A DICOM decimal string (DS): the shortest text that gives the value back, at most 16 chars.
std::string decimalString(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

// Values of one multi-valued attribute, separated by backslashes.
std::string joined(const std::vector<DicomWriter::VoiWindow>& windows,
                   const std::function<std::string(const DicomWriter::VoiWindow&)>& field) {
    std::string text;
    for (const auto& w : windows)
        text += (text.empty() ? "" : "\\") + field(w);
    return text;
}

void check(const std::string& what, const DicomWriter::Frame& frame,
           const DicomWriter::Description& d) {
    const auto fail = [&](const std::string& why) {
        throw Error("cannot write " + what + " as DICOM: " + why);
    };
    if (frame.rows < 1 || frame.rows > 65535 || frame.columns < 1 || frame.columns > 65535)
        fail("rows and columns must be 1 to 65535");
    if (frame.pixels.size() != std::size_t(frame.rows) * std::size_t(frame.columns))
        fail("the frame has " + std::to_string(frame.pixels.size()) + " pixels, not rows x " +
             "columns = " + std::to_string(std::size_t(frame.rows) * std::size_t(frame.columns)));
    if (frame.bitsStored < 1 || frame.bitsStored > 16) fail("bits stored must be 1 to 16");
    const std::uint32_t limit = 1u << frame.bitsStored;
    for (const std::uint16_t v : frame.pixels)
        if (v >= limit)
            fail("the pixel value " + std::to_string(v) + " does not fit in " +
                 std::to_string(frame.bitsStored) + " bits stored");
    if (d.sopClassUid.empty() || d.sopInstanceUid.empty() || d.studyInstanceUid.empty() ||
        d.seriesInstanceUid.empty())
        fail("the SOP class, SOP instance, study and series UIDs are required");
    for (const auto& w : d.windows)
        if (!(w.width > 0)) fail("a VOI window needs a positive width");
}

}  // namespace

void DicomWriter::write(const std::string& path, const Frame& frame,
                        const Description& description) {
    DcmFileFormat file;
    fill(*file.getDataset(), frame, description, "'" + path + "'");
    const OFCondition c = file.saveFile(path.c_str(), EXS_LittleEndianExplicit);
    if (c.bad()) throw Error("cannot write '" + path + "': " + c.text());
}

void DicomWriter::fill(DcmItem& dataset, const Frame& frame, const Description& description,
                       const std::string& what) {
    check(what, frame, description);
    DcmItem* ds = &dataset;
    ds->putAndInsertString(DCM_SOPClassUID, description.sopClassUid.c_str());
    ds->putAndInsertString(DCM_SOPInstanceUID, description.sopInstanceUid.c_str());
    ds->putAndInsertString(DCM_StudyInstanceUID, description.studyInstanceUid.c_str());
    ds->putAndInsertString(DCM_SeriesInstanceUID, description.seriesInstanceUid.c_str());
    ds->putAndInsertString(DCM_PatientName, "");
    ds->putAndInsertString(DCM_PatientID, "");
    ds->putAndInsertString(DCM_Modality, description.modality.c_str());
    ds->putAndInsertString(DCM_StudyDescription, description.studyDescription.c_str());
    ds->putAndInsertString(DCM_SeriesDescription, description.seriesDescription.c_str());
    ds->putAndInsertUint16(DCM_Rows, Uint16(frame.rows));
    ds->putAndInsertUint16(DCM_Columns, Uint16(frame.columns));
    ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    ds->putAndInsertUint16(DCM_BitsAllocated, 16);
    ds->putAndInsertUint16(DCM_BitsStored, Uint16(frame.bitsStored));
    ds->putAndInsertUint16(DCM_HighBit, Uint16(frame.bitsStored - 1));
    ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
    if (description.pixelSpacingMm > 0) {
        const std::string spacing = decimalString(description.pixelSpacingMm);
        ds->putAndInsertString(DCM_PixelSpacing, (spacing + "\\" + spacing).c_str());
    }
    const auto& windows = description.windows;
    if (!windows.empty()) {
        const auto center = [](const VoiWindow& w) { return decimalString(w.center); };
        const auto width = [](const VoiWindow& w) { return decimalString(w.width); };
        const auto explanation = [](const VoiWindow& w) { return w.explanation; };
        ds->putAndInsertString(DCM_WindowCenter, joined(windows, center).c_str());
        ds->putAndInsertString(DCM_WindowWidth, joined(windows, width).c_str());
        ds->putAndInsertString(DCM_WindowCenterWidthExplanation,
                               joined(windows, explanation).c_str());
    }
    ds->putAndInsertUint16Array(DCM_PixelData, frame.pixels.data(),
                                static_cast<unsigned long>(frame.pixels.size()));
}

}  // namespace medvae
