#include "archive_factory.h"

#include "dicomweb_client.h"
#include "dimse_client.h"
#include "error.h"

namespace medvae::pacs {

std::unique_ptr<ArchiveClient> openArchive(const ArchiveProfile& profile,
                                           const std::string& secret) {
    if (profile.kind == ArchiveProfile::Kind::Dimse) {
        DimseClientOptions options;
        options.archive = DimseAddress::parse(profile.address);
        checkAeTitle(profile.callingAet, "calling");
        options.callingAeTitle = profile.callingAet;
        return std::make_unique<DimseClient>(std::move(options));
    }
    DicomwebClient::Options options;
    options.baseUrl = profile.address;
    options.auth = DicomwebClient::Auth(int(profile.auth));
    options.user = profile.user;
    options.secret = secret;
    options.caCertificateFile = profile.caCertificate;
    if (options.auth != DicomwebClient::Auth::None && secret.empty())
        throw Error("the archive profile '" + profile.name +
                    "' needs a password or token, and none was given");
    return std::make_unique<DicomwebClient>(options);
}

}  // namespace medvae::pacs
