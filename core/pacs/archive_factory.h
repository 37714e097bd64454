#pragma once

#include <memory>
#include <string>

#include "archive_client.h"
#include "archive_profile.h"

namespace medvae::pacs {

// The client of an archive profile, either kind. `secret`: the password or token the profile's
// authentication needs (ArchiveProfile::readSecret), empty when it needs none. Throws
// medvae::Error when the profile's address is not valid for its kind, or its kind is not built.
std::unique_ptr<ArchiveClient> openArchive(const ArchiveProfile& profile,
                                           const std::string& secret = {});

}  // namespace medvae::pacs
