#pragma once

#include <cstdint>
#include <string>

namespace medvae::pacs {

// Where a DIMSE archive listens: its AE title, host and port, as written `AET@HOST:PORT`
// (e.g. "ORTHANC@pacs.example.org:4242"; an IPv6 host in brackets: "PACS@[::1]:104").
struct DimseAddress {
    std::string aeTitle;  // the called AE title: 1 to 16 characters, no backslash
    std::string host;
    std::uint16_t port = 104;

    // Throws medvae::Error naming the spec and what is wrong with it.
    static DimseAddress parse(const std::string& spec);
    // `AET@HOST:PORT`, for messages.
    std::string text() const;
};

// Checks an AE title (1 to 16 characters of printable ASCII, no backslash, not only spaces);
// `role` names it in the message ("calling", "called"). Throws medvae::Error.
void checkAeTitle(const std::string& aeTitle, const std::string& role);

}  // namespace medvae::pacs
