// libFuzzer target: the streaming multipart reader WADO-RS answers go through (MultipartReader)
// on arbitrary bytes. The first input byte chooses how the rest is split into feeds (and, with
// its top bit, whether the boundary is given or learnt from the body); the parts read and the
// error, if any, must not depend on the chunking, and no part may exceed the limits or hold more
// bytes than the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "error.h"
#include "multipart_reader.h"

namespace {

using medvae::pacs::MultipartReader;

constexpr std::uint64_t kMaxPart = 4096;
constexpr std::size_t kMaxParts = 64;

void check(bool ok) {
    if (!ok) std::abort();
}

// One line per part (number, header count, body) and one for the error.
std::vector<std::string> run(const std::uint8_t* data, std::size_t size, unsigned seed,
                             bool learn) {
    MultipartReader::Limits limits;
    limits.maxPartBytes = kMaxPart;
    limits.maxParts = kMaxParts;
    limits.maxHeaderBytes = 512;
    limits.maxPreambleBytes = 1024;
    std::vector<std::string> events;
    std::size_t total = 0;
    try {
        MultipartReader reader(learn ? std::string() : std::string("b0undary"), limits,
                               [&](MultipartReader::Part&& p) {
                                   check(p.body.size() <= kMaxPart);
                                   check(p.number == int(events.size()) + 1);
                                   total += p.body.size();
                                   events.push_back(std::to_string(p.number) + ":" +
                                                    std::to_string(p.headers.size()) + ":" +
                                                    std::string(p.body.begin(), p.body.end()));
                               });
        std::size_t pos = 0;
        unsigned state = seed | 1u;
        while (pos < size) {
            state = state * 1103515245u + 12345u;
            const std::size_t chunk =
                seed == 0 ? size - pos : std::min<std::size_t>(1 + (state >> 16) % 61, size - pos);
            reader.feed(reinterpret_cast<const char*>(data) + pos, chunk);
            pos += chunk;
        }
        reader.finish();
        check(reader.complete());
    } catch (const medvae::Error& e) {
        events.push_back(std::string("error: ") + e.what());
    }
    check(events.size() <= kMaxParts + 1);
    check(total <= size);
    return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const bool learn = data[0] & 0x80;
    const unsigned seed = data[0] & 0x7f;
    const auto whole = run(data + 1, size - 1, 0, learn);
    const auto split = run(data + 1, size - 1, seed, learn);
    check(whole == split);
    return 0;
}
