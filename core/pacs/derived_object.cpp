#include "derived_object.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcvrda.h>
#include <dcmtk/dcmdata/dcvrtm.h>
#include <dcmtk/ofstd/ofuuid.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "dicom_writer.h"
#include "error.h"
#include "part10_file.h"

namespace medvae::pacs {
namespace {

// The Patient and General Study modules (PS3.3 C.7.1.1, C.7.2.1) and the character set their
// text is in: copied verbatim so the derived object files with its study.
const DcmTagKey kPatientAndStudy[] = {DCM_SpecificCharacterSet,
                                      DCM_PatientName,
                                      DCM_PatientID,
                                      DCM_IssuerOfPatientID,
                                      DCM_IssuerOfPatientIDQualifiersSequence,
                                      DCM_TypeOfPatientID,
                                      DCM_PatientBirthDate,
                                      DCM_PatientBirthTime,
                                      DCM_PatientSex,
                                      DCM_OtherPatientIDsSequence,
                                      DCM_PatientComments,
                                      DCM_PatientIdentityRemoved,
                                      DCM_DeidentificationMethod,
                                      DCM_DeidentificationMethodCodeSequence,
                                      DCM_StudyInstanceUID,
                                      DCM_StudyDate,
                                      DCM_StudyTime,
                                      DCM_ReferringPhysicianName,
                                      DCM_ReferringPhysicianIdentificationSequence,
                                      DCM_StudyID,
                                      DCM_AccessionNumber,
                                      DCM_IssuerOfAccessionNumberSequence,
                                      DCM_StudyDescription,
                                      DCM_PhysiciansOfRecord,
                                      DCM_ProcedureCodeSequence,
                                      DCM_ReasonForPerformedProcedureCodeSequence};

std::string text(DcmItem& item, const DcmTagKey& tag) {
    OFString value;
    item.findAndGetOFString(tag, value);
    return value.c_str();
}

std::unique_ptr<DcmFileFormat> parseSource(const std::vector<std::uint8_t>& bytes) {
    auto file = Part10File::decode(bytes, "the source instance");
    DcmDataset& ds = *file->getDataset();
    for (const DcmTagKey& tag :
         {DCM_SOPClassUID, DCM_SOPInstanceUID, DCM_StudyInstanceUID, DCM_SeriesInstanceUID})
        if (text(ds, tag).empty())
            throw Error("the source instance lacks " + std::string(DcmTag(tag).getTagName()) +
                        ": no derived object can reference it");
    return file;
}

// A Long String (LO) value: at most 64 characters.
std::string longString(const std::string& value) {
    return value.size() <= 64 ? value : value.substr(0, 64);
}

std::string modelText(const ModelDescription& model) {
    return model.name + " " + model.sha256.substr(0, 12);
}

void check(OFCondition c, const std::string& what) {
    if (c.bad()) throw Error("cannot build " + what + ": " + c.text());
}

// What every derived object of `source` carries: derivation, references, series, content time.
void describeDerivation(DcmItem& derived, DcmItem& source, const DerivedSeries& series,
                        const std::string& derivation, const std::string& what) {
    for (const DcmTagKey& tag : kPatientAndStudy)
        if (source.tagExists(tag)) check(source.findAndInsertCopyOfElement(tag, &derived), what);
    OFString date, time;
    DcmDate::getCurrentDate(date);
    DcmTime::getCurrentTime(time);
    derived.putAndInsertString(DCM_ImageType, "DERIVED\\SECONDARY");
    derived.putAndInsertString(DCM_ConversionType, "WSD");
    derived.putAndInsertString(DCM_Manufacturer, "MedVAE Studio");
    derived.putAndInsertString(DCM_PatientOrientation, "");
    derived.putAndInsertString(DCM_SeriesInstanceUID, series.uid.c_str());
    derived.putAndInsertString(DCM_SeriesNumber, std::to_string(series.number).c_str());
    derived.putAndInsertString(DCM_SeriesDescription, longString(series.description).c_str());
    const std::string instanceNumber = text(source, DCM_InstanceNumber);
    derived.putAndInsertString(DCM_InstanceNumber,
                               instanceNumber.empty() ? "1" : instanceNumber.c_str());
    derived.putAndInsertString(DCM_ContentDate, date.c_str());
    derived.putAndInsertString(DCM_ContentTime, time.c_str());
    derived.putAndInsertString(DCM_InstanceCreationDate, date.c_str());
    derived.putAndInsertString(DCM_InstanceCreationTime, time.c_str());
    derived.putAndInsertString(DCM_DerivationDescription, derivation.substr(0, 1024).c_str());
    if (source.tagExists(DCM_PixelSpacing))
        check(source.findAndInsertCopyOfElement(DCM_PixelSpacing, &derived), what);

    const std::string sopClass = text(source, DCM_SOPClassUID);
    const std::string sop = text(source, DCM_SOPInstanceUID);
    DcmItem* image = nullptr;
    check(derived.findOrCreateSequenceItem(DCM_SourceImageSequence, image, -2), what);
    image->putAndInsertString(DCM_ReferencedSOPClassUID, sopClass.c_str());
    image->putAndInsertString(DCM_ReferencedSOPInstanceUID, sop.c_str());
    DcmItem* purpose = nullptr;
    check(image->findOrCreateSequenceItem(DCM_PurposeOfReferenceCodeSequence, purpose, -2), what);
    purpose->putAndInsertString(DCM_CodeValue, "121322");
    purpose->putAndInsertString(DCM_CodingSchemeDesignator, "DCM");
    purpose->putAndInsertString(DCM_CodeMeaning, "Source image for image processing operation");
    DcmItem* referencedSeries = nullptr;
    check(derived.findOrCreateSequenceItem(DCM_ReferencedSeriesSequence, referencedSeries, -2),
          what);
    referencedSeries->putAndInsertString(DCM_SeriesInstanceUID,
                                         text(source, DCM_SeriesInstanceUID).c_str());
    DcmItem* instance = nullptr;
    check(referencedSeries->findOrCreateSequenceItem(DCM_ReferencedInstanceSequence, instance, -2),
          what);
    instance->putAndInsertString(DCM_ReferencedSOPClassUID, sopClass.c_str());
    instance->putAndInsertString(DCM_ReferencedSOPInstanceUID, sop.c_str());
}

// Stored values for reconstructed pixels in the source's units, and the rescale that gives
// those units back: value = stored * slope + intercept.
struct StoredFrame {
    DicomWriter::Frame frame;
    double slope = 1, intercept = 0;
};

StoredFrame storedFrame(const Image& image) {
    const ImageMetadata& meta = image.meta;
    const std::size_t count = std::size_t(image.width) * std::size_t(image.height);
    std::vector<double> gray(count, 0.0);
    for (int c = 0; c < image.channels; ++c)
        for (std::size_t i = 0; i < count; ++i)
            gray[i] += image.plane(c)[i] / image.channels;
    StoredFrame out;
    out.frame.rows = image.height;
    out.frame.columns = image.width;
    const bool sourceLayout = !meta.floatingPoint && image.channels == 1 &&
                              meta.bitsPerSample >= 1 && meta.bitsPerSample <= 16;
    if (meta.windowed && sourceLayout) {
        // Windowed input is in display units [0, 1]; the rescale keeps them.
        out.frame.bitsStored = meta.bitsPerSample;
        out.slope = 1.0 / double((1u << meta.bitsPerSample) - 1);
    } else if (sourceLayout) {
        out.frame.bitsStored = meta.bitsPerSample;
        out.slope = meta.rescaleSlope != 0 ? meta.rescaleSlope : 1.0;
        out.intercept = meta.rescaleIntercept;
        // Signed stored values are shifted into the unsigned range; the intercept undoes it.
        if (meta.signedPixels) out.intercept -= out.slope * double(1u << (meta.bitsPerSample - 1));
    } else {
        // Float, more than 16 bits, or colour: 16 bits spanning the reconstruction's range.
        out.frame.bitsStored = 16;
        double lo = 0, hi = 0;
        bool any = false;
        for (const double v : gray)
            if (std::isfinite(v)) {
                lo = any ? std::min(lo, v) : v;
                hi = any ? std::max(hi, v) : v;
                any = true;
            }
        out.intercept = lo;
        out.slope = hi > lo ? (hi - lo) / 65535.0 : 1.0;
    }
    const double top = double((1u << out.frame.bitsStored) - 1);
    out.frame.pixels.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        const double stored = std::round((gray[i] - out.intercept) / out.slope);
        out.frame.pixels[i] =
            std::uint16_t(std::isfinite(stored) ? std::clamp(stored, 0.0, top) : 0.0);
    }
    return out;
}

std::string decimal(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

}  // namespace

std::string DerivedObject::newUid() {
    OFString uid;
    OFUUID().toString(uid, OFUUID::ER_RepresentationOID);
    return uid.c_str();
}

DerivedObject::Source DerivedObject::source(const std::vector<std::uint8_t>& bytes) {
    const auto file = parseSource(bytes);
    DcmDataset& ds = *file->getDataset();
    Source s{text(ds, DCM_StudyInstanceUID), text(ds, DCM_SeriesInstanceUID),
             text(ds, DCM_SOPInstanceUID), 0};
    Sint32 number = 0;
    if (ds.findAndGetSint32(DCM_SeriesNumber, number).good()) s.seriesNumber = int(number);
    return s;
}

std::vector<std::uint8_t> DerivedObject::reconstruction(const std::vector<std::uint8_t>& source,
                                                        const Image& reconstruction,
                                                        const ModelDescription& model,
                                                        const DerivedSeries& series) {
    const auto file = parseSource(source);
    DcmDataset& src = *file->getDataset();
    const std::string what = "the reconstruction of " + text(src, DCM_SOPInstanceUID);
    if (reconstruction.channels < 1 || reconstruction.pixels.empty())
        throw Error("cannot build " + what + ": the reconstruction is empty");
    const StoredFrame stored = storedFrame(reconstruction);
    DicomWriter::Description d;
    d.sopClassUid = kSecondaryCapture;
    d.sopInstanceUid = newUid();
    d.studyInstanceUid = text(src, DCM_StudyInstanceUID);
    d.seriesInstanceUid = series.uid;
    d.seriesDescription = longString(series.description);
    if (!reconstruction.meta.windowed)
        for (const WindowPreset& w : reconstruction.meta.windows)
            if (w.width > 0) d.windows.push_back({w.center, w.width, w.name});
    DcmFileFormat derived;
    DcmDataset& ds = *derived.getDataset();
    DicomWriter::fill(ds, stored.frame, d, what);
    describeDerivation(ds, src, series,
                       "Reconstruction of the source image by the MedVAE autoencoder " +
                           modelText(model) + " (lossy: encoded to latents and decoded)",
                       what);
    ds.putAndInsertString(DCM_LossyImageCompression, "01");
    ds.putAndInsertString(DCM_RescaleSlope, decimal(stored.slope).c_str());
    ds.putAndInsertString(DCM_RescaleIntercept, decimal(stored.intercept).c_str());
    const std::string rescaleType = reconstruction.meta.rescaleType;
    ds.putAndInsertString(DCM_RescaleType, rescaleType.empty() ? "US" : rescaleType.c_str());
    return Part10File::encode(derived, what);
}

std::vector<std::uint8_t> DerivedObject::heatmap(const std::vector<std::uint8_t>& source,
                                                 const ErrorHeatmap& heatmap,
                                                 const ModelDescription& model,
                                                 const DerivedSeries& series) {
    const auto file = parseSource(source);
    DcmDataset& src = *file->getDataset();
    const std::string what = "the error heatmap of " + text(src, DCM_SOPInstanceUID);
    if (heatmap.width() < 1 || heatmap.height() < 1 || heatmap.width() > 65535 ||
        heatmap.height() > 65535)
        throw Error("cannot build " + what + ": the heatmap has no usable size");
    const std::vector<std::uint8_t> rgb = heatmap.rgb();
    DcmFileFormat derived;
    DcmDataset& ds = *derived.getDataset();
    ds.putAndInsertString(DCM_SOPClassUID, kSecondaryCapture);
    ds.putAndInsertString(DCM_SOPInstanceUID, newUid().c_str());
    ds.putAndInsertString(DCM_Modality, "OT");
    ds.putAndInsertUint16(DCM_Rows, Uint16(heatmap.height()));
    ds.putAndInsertUint16(DCM_Columns, Uint16(heatmap.width()));
    ds.putAndInsertUint16(DCM_SamplesPerPixel, 3);
    ds.putAndInsertString(DCM_PhotometricInterpretation, "RGB");
    ds.putAndInsertUint16(DCM_PlanarConfiguration, 0);
    ds.putAndInsertUint16(DCM_BitsAllocated, 8);
    ds.putAndInsertUint16(DCM_BitsStored, 8);
    ds.putAndInsertUint16(DCM_HighBit, 7);
    ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
    check(ds.putAndInsertUint8Array(DCM_PixelData, rgb.data(), rgb.size()), what);
    const bool absolute = heatmap.kind() == ErrorHeatmap::Kind::Absolute;
    describeDerivation(ds, src, series,
                       std::string(absolute ? "Absolute" : "Signed") +
                           " error of the reconstruction by the MedVAE autoencoder " +
                           modelText(model) + ", colour scale " +
                           Colormap::name(heatmap.colormap()) + " from " + decimal(heatmap.low()) +
                           " to " + decimal(heatmap.high()) + " in the source's units",
                       what);
    return Part10File::encode(derived, what);
}

}  // namespace medvae::pacs
