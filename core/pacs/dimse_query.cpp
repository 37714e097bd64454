#include "dimse_query.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dctag.h>

#include "error.h"

namespace medvae::pacs {
namespace {

// What a browser shows at each level (PS3.4 C.6.2.1 Study Root keys).
const char* const kStudyKeys[] = {"StudyInstanceUID",
                                  "StudyDate",
                                  "StudyTime",
                                  "StudyDescription",
                                  "StudyID",
                                  "AccessionNumber",
                                  "PatientName",
                                  "PatientID",
                                  "PatientBirthDate",
                                  "PatientSex",
                                  "ModalitiesInStudy",
                                  "ReferringPhysicianName",
                                  "NumberOfStudyRelatedSeries",
                                  "NumberOfStudyRelatedInstances"};
const char* const kSeriesKeys[] = {
    "StudyInstanceUID", "SeriesInstanceUID", "Modality",
    "SeriesNumber",     "SeriesDescription", "SeriesDate",
    "SeriesTime",       "BodyPartExamined",  "NumberOfSeriesRelatedInstances"};
const char* const kInstanceKeys[] = {"StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID",
                                     "SOPClassUID",      "InstanceNumber",    "Rows",
                                     "Columns",          "NumberOfFrames"};

DcmTag tagOf(const std::string& keyword) {
    DcmTag tag;
    if (DcmTag::findTagFromName(keyword.c_str(), tag).bad())
        throw Error("the query names an unknown DICOM attribute '" + keyword +
                    "' (use keywords such as PatientID, StudyDate, Modality)");
    if (tag.getEVR() == EVR_SQ)
        throw Error("the query cannot match on the sequence attribute '" + keyword + "'");
    return tag;
}

void put(DcmDataset& ds, const std::string& keyword, const std::string& value) {
    const OFCondition c = ds.putAndInsertString(tagOf(keyword), value.c_str());
    if (c.bad()) throw Error("the query's value for '" + keyword + "' is not valid: " + c.text());
}

}  // namespace

std::unique_ptr<DcmDataset> DimseQuery::identifier(const Query& query) {
    auto ds = std::make_unique<DcmDataset>();
    const char* level = "STUDY";
    if (query.level == QueryLevel::Study) {
        for (const char* key : kStudyKeys)
            put(*ds, key, "");
    } else if (query.level == QueryLevel::Series) {
        level = "SERIES";
        for (const char* key : kSeriesKeys)
            put(*ds, key, "");
    } else {
        level = "IMAGE";
        for (const char* key : kInstanceKeys)
            put(*ds, key, "");
    }
    ds->putAndInsertString(DCM_QueryRetrieveLevel, level);
    if (query.level != QueryLevel::Study) {
        if (query.studyUid.empty())
            throw Error(std::string("a ") + levelName(query.level) + " query needs a study UID");
        put(*ds, "StudyInstanceUID", query.studyUid);
    }
    if (query.level == QueryLevel::Instance) {
        if (query.seriesUid.empty()) throw Error("an instance query needs a series UID");
        put(*ds, "SeriesInstanceUID", query.seriesUid);
    }
    for (const auto& [keyword, value] : query.keys)
        put(*ds, keyword, value);
    return ds;
}

QueryRow DimseQuery::row(DcmDataset& response) {
    response.convertToUTF8();  // best effort: values stay as sent when the set is unknown
    QueryRow row;
    for (unsigned long i = 0; i < response.card(); ++i) {
        DcmElement* element = response.getElement(i);
        if (element == nullptr || element->ident() == EVR_SQ) continue;
        DcmTag tag = element->getTag();
        if (tag == DCM_QueryRetrieveLevel || tag == DCM_SpecificCharacterSet) continue;
        OFString value;
        if (element->getOFStringArray(value).bad() || value.empty()) continue;
        std::string text = value.c_str();
        if (tag.getEVR() == EVR_PN) text = text.substr(0, text.find('='));
        row.values[tag.getTagName()] = text;
    }
    return row;
}

}  // namespace medvae::pacs
