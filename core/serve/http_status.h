#pragma once

#include <QByteArray>

namespace medvae::serve {

// The reason phrase of the statuses medvae-serve sends.
inline QByteArray httpReason(int status) {
    struct Reason {
        int status;
        const char* phrase;
    };
    static constexpr Reason kReasons[] = {
        {100, "Continue"},
        {200, "OK"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {408, "Request Timeout"},
        {411, "Length Required"},
        {413, "Payload Too Large"},
        {417, "Expectation Failed"},
        {424, "Failed Dependency"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"},
        {503, "Service Unavailable"},
    };
    for (const Reason& r : kReasons)
        if (r.status == status) return r.phrase;
    return "Status";
}

}  // namespace medvae::serve
