#include "dicom_stack_header.h"

// DCMTK's headers define their own configuration macros; they come first.
#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include "dicom_attributes.h"
#include "dicom_decoder.h"
#include "dicom_file_copy.h"
#include "dicom_structure_check.h"
#include "error.h"
#include "image_header.h"

namespace medvae {

DicomStackHeader DicomStackHeader::read(const std::vector<std::uint8_t>& bytes,
                                        const std::string& source, const LoadOptions& options) {
    // As DicomDecoder reads a file: the structure checked first, then parsed from a private copy
    // so that values over 4 KB (the pixel data) are never loaded.
    const std::size_t dataSize = DicomStructureCheck::walk(bytes, options.maxFileBytes, source);
    const DicomFileCopy copy(bytes, source);
    DcmFileFormat file;
    const OFCondition ok = file.loadFile(copy.path().c_str(), EXS_Unknown, EGL_noChange, 4096);
    if (ok.bad()) throw Error("'" + source + "' is not a readable DICOM file (" + ok.text() + ")");
    DcmDataset& ds = *file.getDataset();
    DicomStructureCheck::checkLoaded(ds, dataSize, source);

    DicomStackHeader h;
    Sint32 frames = 1;
    if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).bad() || frames < 1) frames = 1;
    if (frames > options.maxFrames)
        throw Error("'" + source + "' declares " + std::to_string(frames) +
                    " frames, over the limit of " + std::to_string(options.maxFrames));
    h.frames = int(frames);
    Uint16 rows = 0, columns = 0;
    ds.findAndGetUint16(DCM_Rows, rows);
    ds.findAndGetUint16(DCM_Columns, columns);
    h.rows = rows;
    h.columns = columns;
    h.seriesInstanceUid = DicomAttributes::text(ds, DCM_SeriesInstanceUID);
    h.sopInstanceUid = DicomAttributes::text(ds, DCM_SOPInstanceUID);
    h.modality = DicomAttributes::text(ds, DCM_Modality);
    // InstanceNumber is an IS (integer string): DCMTK reads it as Sint32, not as Float64.
    Sint32 number = 0;
    if (ds.findAndGetSint32(DCM_InstanceNumber, number).good()) {
        h.hasInstanceNumber = true;
        h.instanceNumber = int(number);
    }
    bool position = DicomAttributes::multiplicity(ds, DCM_ImagePositionPatient) == 3 &&
                    DicomAttributes::multiplicity(ds, DCM_ImageOrientationPatient) == 6;
    for (unsigned long i = 0; position && i < 3; ++i)
        position = DicomAttributes::number(ds, DCM_ImagePositionPatient, h.position[i], i);
    for (unsigned long i = 0; position && i < 6; ++i)
        position = DicomAttributes::number(ds, DCM_ImageOrientationPatient, h.orientation[i], i);
    h.hasPosition = position;
    return h;
}

bool DicomStackHeader::isDicom(const std::vector<std::uint8_t>& bytes) {
    const ImageHeader header = ImageHeader::probe(bytes);
    return header.format == "DICOM" ||
           (header.format.empty() && DicomDecoder::looksLikeDicom(bytes));
}

int DicomStackHeader::frameCount(const std::vector<std::uint8_t>& bytes, const std::string& source,
                                 const LoadOptions& options) {
    return isDicom(bytes) ? read(bytes, source, options).frames : 1;
}

}  // namespace medvae
