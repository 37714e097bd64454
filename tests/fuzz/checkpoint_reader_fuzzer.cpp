// libFuzzer target for everything that parses untrusted model files: the checkpoint reader
// (zip and safetensors containers), the restricted unpickler on its own (zip CRCs would stop most
// mutations before the pickle), and the JSON reader. The first byte picks the parser. Any
// exception other than medvae::Error, and any sanitizer report, is a bug.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "byte_source.h"
#include "checkpoint_reader.h"
#include "error.h"
#include "json_value.h"
#include "restricted_unpickler.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t mode = data[0] % 3;
    ++data;
    --size;
    try {
        if (mode == 0) {
            medvae::CheckpointReader::Limits limits;
            limits.maxTensorBytes = 64ull << 20;
            limits.maxTotalBytes = 256ull << 20;
            medvae::CheckpointReader::read(
                medvae::ByteSource::fromMemory(std::vector<std::uint8_t>(data, data + size),
                                               "fuzz"),
                limits);
        } else if (mode == 1) {
            medvae::RestrictedUnpickler::Limits limits;
            limits.maxValues = 1'000'000;
            medvae::RestrictedUnpickler unpickler("fuzz", limits);
            const medvae::PickleValue* v = unpickler.load(data, size);
            (void)v->describe();
        } else {
            medvae::JsonValue::parse(std::string(reinterpret_cast<const char*>(data), size),
                                     "fuzz");
        }
    } catch (const medvae::Error&) {
    }
    return 0;
}
