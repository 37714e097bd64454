#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace medvae {

// Downloads http(s) URLs with Qt Network, for images given by URL: a redirect policy (only
// http(s), never from https to http, at most maxRedirects hops) over HttpTransfer exchanges.
//
// Synchronous: runs its own event loop, so it may be called from any thread that has no
// running Qt event loop of its own objects to serve (the CLI's main thread, a worker thread).
// Every failure throws medvae::Error with a message naming the URL and what went wrong in
// words a user can act on: HTTP status and reason, host not found, connection refused,
// TLS handshake failure, timeout, stalled transfer, too many redirects, body over the size
// limit, cancelled. Only http and https are fetched.
class UrlFetcher {
  public:
    struct Options {
        int timeoutMs = 30000;  // whole transfer, and also the longest silence allowed
        std::uint64_t maxBytes = 512ull << 20;  // larger bodies are refused (early when announced)
        int maxRedirects = 5;
        std::function<void(std::int64_t received, std::int64_t total)>
            progress;                     // total -1: unknown
        std::function<bool()> cancelled;  // polled while waiting; true aborts with an error
    };
    struct Result {
        std::vector<std::uint8_t> bytes;
        std::string finalUrl;     // after redirects
        std::string contentType;  // as the server sent it (may be wrong; callers sniff content)
        int status = 0;           // final HTTP status
    };

    static Result fetch(const std::string& url, const Options& options);
    static bool isHttpUrl(const std::string& text);  // starts with http:// or https:// (any case)
};

}  // namespace medvae
