#pragma once

#include <QByteArray>

#include <cstdint>
#include <string>
#include <vector>

#include "archive_client.h"

class QJsonObject;

namespace medvae::pacs {

// The DICOM JSON model (PS3.18 Annex F) as DICOMweb speaks it, and attribute names: keywords
// ("StudyDate") and tags ("00080020") through DCMTK's data dictionary.
class DicomJson {
  public:
    // The tag, 8 upper-case hex digits, of a keyword or of a tag given as 8 hex digits; throws
    // medvae::Error for a name the dictionary does not know.
    static std::string tagOf(const std::string& keywordOrTag);
    // The keyword of a tag (8 hex digits); the tag itself when the dictionary has none (private
    // attributes).
    static std::string keywordOf(const std::string& tag);

    // One dataset as a row: values by keyword, as text (PN: the Alphabetic group; IS/DS and the
    // binary number VRs: the number; several values joined with '\\'). Sequences and bulk data
    // are left out.
    static QueryRow rowOf(const QJsonObject& dataset);
    // The rows of a QIDO-RS answer (a JSON array of datasets); an empty body is no rows. Throws
    // medvae::Error when the body is not such an array.
    static std::vector<QueryRow> rowsOf(const QByteArray& body);

    // The failed SOP instances of a STOW-RS reply (Annex I: FailedSOPSequence), each as
    // "UID (reason 0xNNNN)"; empty when none failed or the body is empty.
    static std::vector<std::string> failedStores(const QByteArray& body);
};

}  // namespace medvae::pacs
