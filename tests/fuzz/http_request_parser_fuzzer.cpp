// libFuzzer target: medvae-serve's HTTP/1.1 request reader (HttpRequestParser) on arbitrary bytes.
// The first two input bytes choose how the rest is split into reads, so the parser sees the same
// stream in many different chunkings; the result (requests and refusal) must not depend on the
// chunking, bodies must have their declared length, and buffers must stay within the limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "http_request_parser.h"

namespace {

using medvae::serve::HttpRequestParser;

constexpr qint64 kMaxHeader = 2048;
constexpr qint64 kMaxBody = 4096;

void check(bool ok) {
    if (!ok) std::abort();
}

// One line per request and one for the refusal; `step` gives the next read size (0: as wanted).
std::vector<std::string> run(const std::uint8_t* data, std::size_t size, unsigned seed) {
    HttpRequestParser::Limits limits;
    limits.maxHeaderBytes = kMaxHeader;
    limits.maxHeaderCount = 16;
    limits.maxBodyBytes = kMaxBody;
    HttpRequestParser parser(limits);
    std::vector<std::string> events;
    std::size_t pos = 0;
    unsigned state = seed | 1u;
    for (int guard = 0; guard < 1 << 20; ++guard) {
        const qint64 wanted = parser.wanted();
        check(wanted >= 1);
        state = state * 1103515245u + 12345u;
        qint64 chunk = seed == 0 ? wanted : qint64(1 + (state >> 16) % 97);
        chunk = std::min<qint64>({chunk, wanted, qint64(size - pos)});
        const auto status =
            parser.feed(QByteArray(reinterpret_cast<const char*>(data + pos), qsizetype(chunk)));
        pos += std::size_t(chunk);
        if (status == HttpRequestParser::Status::Failed) {
            check(parser.errorStatus() >= 400 && parser.errorStatus() < 500);
            check(!parser.errorMessage().isEmpty());
            events.push_back("error " + std::to_string(parser.errorStatus()));
            return events;
        }
        if (status == HttpRequestParser::Status::Complete) {
            const qint64 length = parser.bodyLength();
            const medvae::serve::HttpRequest r = parser.takeRequest();
            check(r.body.size() == length && length <= kMaxBody);
            check(!r.method.isEmpty() && !r.path.isEmpty());
            std::string e = r.method.toStdString() + ' ' + r.path.toStdString() + '?' +
                            r.query.toStdString() + ' ' + std::to_string(r.headers.size()) + ' ' +
                            r.body.toStdString();
            events.push_back(e);
            continue;  // pipelined bytes, already buffered, come next
        }
        check(parser.headComplete() ? parser.bodyReceived() < parser.bodyLength()
                                    : parser.wanted() <= kMaxHeader + 1);
        if (pos == size) return events;
    }
    std::abort();  // no progress
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const unsigned seed = unsigned(data[0]) << 8 | data[1];
    const std::vector<std::string> split = run(data + 2, size - 2, seed);
    const std::vector<std::string> whole = run(data + 2, size - 2, 0);
    check(split == whole);
    return 0;
}
