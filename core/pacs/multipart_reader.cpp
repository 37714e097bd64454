#include "multipart_reader.h"

#include <algorithm>
#include <cctype>

#include "error.h"

namespace medvae::pacs {
namespace {

constexpr std::size_t kMaxBoundary = 70;  // RFC 2046 5.1.1
constexpr std::size_t kMaxDelimiterLine = 1024;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string sizeText(std::uint64_t bytes) {
    return std::to_string(bytes) + " bytes";
}

}  // namespace

std::string MultipartReader::Part::header(const std::string& lowerName) const {
    const auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

MultipartReader::MultipartReader(std::string boundary, Limits limits,
                                 std::function<void(Part&&)> onPart)
    : boundary_(std::move(boundary)), limits_(limits), onPart_(std::move(onPart)) {
    if (boundary_.size() > kMaxBoundary)
        throw Error("a multipart boundary is longer than 70 characters");
    if (!boundary_.empty()) delimiter_ = "\r\n--" + boundary_;
    // The body is read as if a CRLF came before it, so that the first delimiter, which may open
    // the body without one, looks like every other.
    pending_ = "\r\n";
}

void MultipartReader::fail(const std::string& what) const {
    throw Error("the archive's answer is not valid multipart: " + what);
}

void MultipartReader::failNoBoundary() const {
    fail("no boundary in its first " + sizeText(limits_.maxPreambleBytes));
}

void MultipartReader::feed(const char* data, std::size_t size) {
    if (state_ == State::Done) return;  // the epilogue
    pending_.append(data, size);
    while (state_ != State::Done && step()) {
    }
    if (state_ == State::Done) pending_.clear();
}

bool MultipartReader::step() {
    switch (state_) {
        case State::Preamble:
            return readPreamble();
        case State::AfterDelimiter:
            return readAfterDelimiter();
        case State::Headers:
            return readHeaders();
        case State::Body:
            return readBody();
        case State::Done:
            return false;
    }
    return false;
}

bool MultipartReader::readPreamble() {
    if (delimiter_.empty()) {
        // Learn the boundary from the first line starting with "--". Each verdict depends only on
        // the bytes before the point it is about, so it is the same however the answer was split.
        const std::size_t at = pending_.find("\r\n--");
        if (at == std::string::npos) {
            // No line can start within the preamble's bound any more.
            if (pending_.size() >= limits_.maxPreambleBytes + 4) failNoBoundary();
            return false;
        }
        if (at > limits_.maxPreambleBytes) failNoBoundary();
        const std::size_t start = at + 4, end = pending_.find("\r\n", start);
        const std::size_t seen =
            end != std::string::npos ? end : pending_.size() - (pending_.back() == '\r' ? 1 : 0);
        const std::string text = pending_.substr(start, seen - start);
        // Text past 70 characters (trailing spaces and tabs aside), or no end in sight.
        const std::size_t last = text.find_last_not_of(" \t");
        if ((last != std::string::npos && last >= kMaxBoundary) || text.size() > kMaxDelimiterLine)
            fail("its first boundary line is empty or longer than 70 characters");
        if (end == std::string::npos) return false;
        const std::string line = text.substr(0, last == std::string::npos ? 0 : last + 1);
        if (line.empty()) fail("its first boundary line is empty or longer than 70 characters");
        boundary_ = line;
        delimiter_ = "\r\n--" + boundary_;
    }
    const std::size_t at = pending_.find(delimiter_);
    if (at == std::string::npos) {
        const std::size_t keep = std::min(pending_.size(), delimiter_.size() - 1);
        preambleBytes_ += pending_.size() - keep;
        pending_.erase(0, pending_.size() - keep);
        if (preambleBytes_ > limits_.maxPreambleBytes) failNoBoundary();
        return false;
    }
    // The same verdict however the body was split into feeds.
    if (preambleBytes_ + at > limits_.maxPreambleBytes) failNoBoundary();
    pending_.erase(0, at + delimiter_.size());
    state_ = State::AfterDelimiter;
    return true;
}

// After a delimiter: "--" closes the body; otherwise transport padding and CRLF open a part.
bool MultipartReader::readAfterDelimiter() {
    if (pending_.size() < 2) return false;
    if (pending_.compare(0, 2, "--") == 0) {
        state_ = State::Done;
        return false;
    }
    // The same verdict however the answer was split into feeds: text within the line's first
    // kMaxDelimiterLine + 1 bytes is "other text", a longer line of padding "does not end". A
    // trailing CR may be the start of the CRLF still to come.
    const std::size_t end = pending_.find("\r\n");
    const std::size_t seen =
        end != std::string::npos ? end : pending_.size() - (pending_.back() == '\r' ? 1 : 0);
    if (pending_.find_first_not_of(" \t") < std::min(seen, kMaxDelimiterLine + 1))
        fail("a boundary line after part " + std::to_string(partsRead_) +
             " has other text after the boundary");
    if (seen > kMaxDelimiterLine) fail("a boundary line does not end");
    if (end == std::string::npos) return false;
    pending_.erase(0, end + 2);
    if (std::size_t(partsRead_) >= limits_.maxParts)
        throw Error("the archive's answer holds more than " + std::to_string(limits_.maxParts) +
                    " parts");
    part_ = Part();
    part_.number = partsRead_ + 1;
    declaredLength_ = -1;
    state_ = State::Headers;
    return true;
}

bool MultipartReader::readHeaders() {
    std::size_t blockEnd = 0, consumed = 0;
    if (pending_.compare(0, 2, "\r\n") == 0) {
        consumed = 2;  // a part without headers
    } else {
        const std::size_t at = pending_.find("\r\n\r\n");
        if (at == std::string::npos) {
            if (pending_.size() > limits_.maxHeaderBytes)
                fail("the headers of part " + std::to_string(part_.number) + " exceed " +
                     sizeText(limits_.maxHeaderBytes));
            return false;
        }
        blockEnd = at;
        consumed = at + 4;
        if (consumed > limits_.maxHeaderBytes)
            fail("the headers of part " + std::to_string(part_.number) + " exceed " +
                 sizeText(limits_.maxHeaderBytes));
    }
    parseHeaders(pending_.substr(0, blockEnd));
    pending_.erase(0, consumed);
    state_ = State::Body;
    return true;
}

void MultipartReader::parseHeaders(const std::string& block) {
    std::size_t pos = 0;
    while (pos < block.size()) {
        std::size_t end = block.find("\r\n", pos);
        if (end == std::string::npos) end = block.size();
        const std::string line = block.substr(pos, end - pos);
        pos = end + 2;
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0)
            fail("part " + std::to_string(part_.number) + " has a header line without a name");
        part_.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    const std::string length = part_.header("content-length");
    if (length.empty()) return;
    if (length.size() > 19 || length.find_first_not_of("0123456789") != std::string::npos)
        fail("part " + std::to_string(part_.number) + " has a malformed Content-Length");
    declaredLength_ = std::stoll(length);
    if (std::uint64_t(declaredLength_) > limits_.maxPartBytes)
        throw Error("part " + std::to_string(part_.number) + " of the archive's answer (" +
                    sizeText(std::uint64_t(declaredLength_)) + ") is larger than the limit of " +
                    sizeText(limits_.maxPartBytes));
}

void MultipartReader::appendBody(std::size_t count) {
    if (part_.body.size() + count > limits_.maxPartBytes)
        throw Error("part " + std::to_string(part_.number) +
                    " of the archive's answer is larger than the limit of " +
                    sizeText(limits_.maxPartBytes));
    part_.body.insert(part_.body.end(), pending_.begin(), pending_.begin() + count);
    pending_.erase(0, count);
}

bool MultipartReader::readBody() {
    if (declaredLength_ >= 0) {
        const std::size_t missing = std::size_t(declaredLength_) - part_.body.size();
        appendBody(std::min(missing, pending_.size()));
        if (part_.body.size() < std::size_t(declaredLength_)) return false;
        if (pending_.size() < delimiter_.size()) return false;
        if (pending_.compare(0, delimiter_.size(), delimiter_) != 0)
            fail("part " + std::to_string(part_.number) +
                 " does not end where its Content-Length says");
        pending_.erase(0, delimiter_.size());
        endPart();
        return true;
    }
    const std::size_t at = pending_.find(delimiter_);
    if (at == std::string::npos) {
        const std::size_t keep = std::min(pending_.size(), delimiter_.size() - 1);
        appendBody(pending_.size() - keep);
        return false;
    }
    appendBody(at);
    pending_.erase(0, delimiter_.size());
    endPart();
    return true;
}

void MultipartReader::endPart() {
    ++partsRead_;
    state_ = State::AfterDelimiter;
    Part done = std::move(part_);
    part_ = Part();
    onPart_(std::move(done));
}

void MultipartReader::finish() {
    switch (state_) {
        case State::Done:
            return;
        case State::Preamble:
            throw Error("the archive's answer ended before its first part");
        case State::AfterDelimiter:
            throw Error("the archive's answer ended after part " + std::to_string(partsRead_) +
                        ", without its closing boundary");
        case State::Headers:
        case State::Body:
            throw Error("the archive's answer ended inside part " + std::to_string(partsRead_ + 1));
    }
}

std::string MultipartReader::parameterOf(const std::string& value, const std::string& name) {
    std::size_t pos = value.find(';');
    while (pos != std::string::npos && pos < value.size()) {
        ++pos;
        const std::size_t eq = value.find('=', pos);
        if (eq == std::string::npos) return {};
        const std::string key = lower(trim(value.substr(pos, eq - pos)));
        std::size_t i = value.find_first_not_of(" \t", eq + 1);
        std::string text;
        if (i != std::string::npos && value[i] == '"') {
            for (++i; i < value.size() && value[i] != '"'; ++i) {
                if (value[i] == '\\' && i + 1 < value.size()) ++i;
                text += value[i];
            }
            pos = value.find(';', i);
        } else {
            pos = value.find(';', eq);
            text = trim(
                value.substr(eq + 1, (pos == std::string::npos ? value.size() : pos) - eq - 1));
        }
        if (key == lower(name)) return text;
    }
    return {};
}

std::string MultipartReader::boundaryOf(const std::string& contentType) {
    const std::string type = lower(trim(contentType.substr(0, contentType.find(';'))));
    if (type.rfind("multipart/", 0) != 0)
        throw Error("the archive answered '" + type + "' instead of a multipart body");
    const std::string boundary = parameterOf(contentType, "boundary");
    if (boundary.empty() || boundary.size() > kMaxBoundary)
        throw Error("the archive's multipart answer has no valid boundary (1 to 70 characters)");
    return boundary;
}

}  // namespace medvae::pacs
