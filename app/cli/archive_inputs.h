#pragma once

#include <QCommandLineOption>
#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "archive_profile.h"
#include "batch_inputs.h"

class QCommandLineParser;

namespace medvae::cli {

// The items of `medvae-cli batch` that come from an archive (PACS): the instances of the studies
// and series asked for, found by queries at instance level, in a stable order (study, series,
// InstanceNumber, SOP Instance UID), each retrieved only when the pipeline reaches it and kept in
// memory, named by its UIDs (study/series/instance).
class ArchiveInputs {
  public:
    struct Arguments {
        QCommandLineOption dicomweb{
            "dicomweb",
            "Read from a DICOMweb archive at URL (its root, e.g. http://127.0.0.1:8042/dicom-web); "
            "credentials from MEDVAE_DICOMWEB_USER and MEDVAE_DICOMWEB_PASSWORD, or "
            "MEDVAE_DICOMWEB_TOKEN.",
            "URL"};
        QCommandLineOption pacs{"pacs",
                                "Read from the saved archive profile NAME (secret from "
                                "the keychain).",
                                "NAME"};
        QCommandLineOption dimse{"dimse", "Read from a DIMSE archive AET@HOST:PORT.",
                                 "AET@HOST:PORT"};
        QCommandLineOption caCert{"ca-cert",
                                  "For an https --dicomweb archive: also trust the certificate "
                                  "authorities in this PEM file (your organisation's own CA). "
                                  "Certificates are always verified.",
                                  "FILE"};
        QCommandLineOption callingAet{"calling-aet",
                                      "Our AE title for --dimse (default "
                                      "MEDVAESTUDIO).",
                                      "AET", "MEDVAESTUDIO"};
        QCommandLineOption study{"study", "Every series of this study (repeatable).", "UID"};
        QCommandLineOption series{"series", "This series (repeatable).", "UID"};
        QCommandLineOption query{"query",
                                 "Every series of the studies matching these study-level keys, "
                                 "e.g. \"ModalitiesInStudy=CT&StudyDate=20240101-\".",
                                 "KEYS"};
        QCommandLineOption maxInstances{
            "max-instances", "At most N archive instances (default 10000).", "N", "10000"};
        QCommandLineOption maxRetrieveGb{
            "max-retrieve-gb", "At most this much retrieved from the archive (default 64).", "GB",
            "64"};

        QCommandLineOption storeDerived{
            "store-derived",
            "Store each finished archive item's reconstruction and error heatmap back into the "
            "archive it came from, as new derived DICOM objects (Secondary Capture, new series in "
            "the original's study; STOW-RS or C-STORE). Originals are never changed. Implies "
            "--decode; archive inputs only."};

        void addTo(QCommandLineParser& parser) const;
    };

    // What the archive options ask for, checked.
    struct Plan {
        bool used = false;  // an archive option was given
        pacs::ArchiveProfile profile;
        std::string secret;
        std::vector<std::string> studies, series;
        std::vector<std::pair<std::string, std::string>> queryKeys;
        std::size_t maxInstances = 10000;
        std::uint64_t maxRetrieveBytes = 64ull << 30;
        bool storeDerived = false;  // --store-derived (ArchiveStore)
    };

    // False with the reason in `error` when the options are malformed or contradict each other
    // (a usage error). Reads a --pacs profile's secret from the keychain (an error message there
    // is returned as well, with `usage` false).
    static bool read(const QCommandLineParser& parser, const Arguments& a, Plan& plan,
                     QString& error, bool& usage);

    // The archive's items, numbered from `firstIndex`. Throws medvae::Error when the archive
    // cannot be queried, a study or series is not there, or the instances are more than
    // plan.maxInstances.
    static std::vector<jobs::BatchItem> collect(const Plan& plan, int firstIndex);
};

}  // namespace medvae::cli
