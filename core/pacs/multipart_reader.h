#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace medvae::pacs {

// A streaming reader of a multipart body (RFC 2046, as WADO-RS answers multipart/related): fed
// the body in chunks as it arrives, it hands each part, headers and bytes, to a callback as soon
// as the part is complete, so memory holds one part at a time. The preamble and epilogue are
// ignored; a delimiter is CRLF "--" boundary (the CRLF belongs to it, not to the body), the
// first one may open the body without a CRLF, transport padding (spaces, tabs) may follow it.
// A part's Content-Length, when given, is checked against where its delimiter lies.
// Errors (medvae::Error, words naming the part): a part or its headers over the limits, a
// malformed delimiter line, and finish() before the closing delimiter: "the archive's answer
// ended inside part N". Not thread-safe; one reader per body.
class MultipartReader {
  public:
    struct Part {
        int number = 0;                              // 1-based, in order of arrival
        std::map<std::string, std::string> headers;  // names lower case, values trimmed
        std::vector<std::uint8_t> body;

        std::string header(const std::string& lowerName) const;
    };

    struct Limits {
        std::uint64_t maxPartBytes = 2ull << 30;  // one part's body
        std::size_t maxHeaderBytes = 16 * 1024;   // one part's header block
        std::size_t maxParts = 1000000;
        std::size_t maxPreambleBytes = 64 * 1024;  // text before the first delimiter
    };

    // `boundary` as in the Content-Type (unquoted, 1..70 characters); empty: learnt from the
    // first line of the body that starts with "--" (when the Content-Type could not be seen
    // before the body), available from boundary() afterwards. `onPart` may throw to stop.
    MultipartReader(std::string boundary, Limits limits, std::function<void(Part&&)> onPart);

    void feed(const char* data, std::size_t size);
    // The body ended: throws unless the closing delimiter was read.
    void finish();

    bool complete() const { return state_ == State::Done; }
    int partsRead() const { return partsRead_; }
    const std::string& boundary() const { return boundary_; }

    // The boundary parameter of a multipart Content-Type (quoted or not); throws medvae::Error
    // when `contentType` is not multipart or its boundary is missing or longer than 70.
    static std::string boundaryOf(const std::string& contentType);
    // A parameter of a header value ("type" of 'multipart/related; type="application/dicom"'),
    // unquoted; empty when absent.
    static std::string parameterOf(const std::string& headerValue, const std::string& name);

  private:
    enum class State { Preamble, AfterDelimiter, Headers, Body, Done };

    bool step();  // one state's worth of work on pending_; false: needs more input
    bool readPreamble();
    bool readAfterDelimiter();
    bool readHeaders();
    bool readBody();
    void parseHeaders(const std::string& block);
    void endPart();
    void appendBody(std::size_t count);
    [[noreturn]] void fail(const std::string& what) const;
    [[noreturn]] void failNoBoundary() const;

    std::string boundary_;
    std::string delimiter_;  // CRLF "--" boundary
    Limits limits_;
    std::function<void(Part&&)> onPart_;
    State state_ = State::Preamble;
    std::string pending_;  // bytes received and not consumed yet
    std::size_t preambleBytes_ = 0;
    Part part_;
    std::int64_t declaredLength_ = -1;  // the part's Content-Length, -1 when absent
    int partsRead_ = 0;
};

}  // namespace medvae::pacs
