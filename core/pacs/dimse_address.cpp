#include "dimse_address.h"

#include <cerrno>
#include <cstdlib>

#include "error.h"

namespace medvae::pacs {

void checkAeTitle(const std::string& aeTitle, const std::string& role) {
    const auto fail = [&](const std::string& why) {
        throw Error("the " + role + " AE title '" + aeTitle + "' is not valid: " + why);
    };
    if (aeTitle.empty() || aeTitle.size() > 16) fail("it must have 1 to 16 characters");
    if (aeTitle.find_first_not_of(' ') == std::string::npos) fail("it is only spaces");
    for (const char c : aeTitle)
        if (c < 0x20 || c > 0x7e || c == '\\')
            fail("use letters, digits and printable ASCII without backslashes");
}

DimseAddress DimseAddress::parse(const std::string& spec) {
    const auto fail = [&](const std::string& why) {
        throw Error("the DIMSE archive '" + spec + "' is not AET@HOST:PORT: " + why +
                    " (for example ORTHANC@127.0.0.1:4242)");
    };
    const std::size_t at = spec.rfind('@');
    if (at == std::string::npos || at == 0) fail("the AE title before '@' is missing");
    const std::size_t colon = spec.rfind(':');
    if (colon == std::string::npos || colon < at) fail("the port after ':' is missing");
    DimseAddress address;
    address.aeTitle = spec.substr(0, at);
    address.host = spec.substr(at + 1, colon - at - 1);
    if (address.host.size() >= 2 && address.host.front() == '[' && address.host.back() == ']')
        address.host = address.host.substr(1, address.host.size() - 2);
    if (address.host.empty()) fail("the host is missing");
    // DCMTK keeps "host:port" in a 64-byte buffer.
    if (address.host.size() > 57) fail("the host name is longer than 57 characters");
    const std::string port = spec.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos)
        fail("the port must be a number from 1 to 65535");
    const long value = std::strtol(port.c_str(), nullptr, 10);
    if (value < 1 || value > 65535) fail("the port must be a number from 1 to 65535");
    address.port = std::uint16_t(value);
    try {
        checkAeTitle(address.aeTitle, "called");
    } catch (const Error& e) {
        fail(e.what());
    }
    return address;
}

std::string DimseAddress::text() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return aeTitle + "@" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace medvae::pacs
