#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "byte_source.h"
#include "raw_tensor.h"

namespace medvae {

// The weights found in a checkpoint file, before any key mapping.
struct Checkpoint {
    std::string format;  // "PyTorch zip (torch.save)" or "safetensors"
    std::string layout;  // where the weights were found: "state_dict", "autoencoder", "bare", ...
    std::vector<std::string> otherEntries;        // top-level entries beside the weights
    std::map<std::string, std::string> metadata;  // the "medvae_studio" entry, when present
    std::map<std::string, RawTensor> tensors;     // key as stored -> tensor
    // Globals the pickle referenced that do not belong in a checkpoint (never run here; see
    // RestrictedUnpickler::isExpectedGlobal), sorted.
    std::vector<std::string> unexpectedGlobals;
};

// Reads PyTorch zip checkpoints (torch.save) and safetensors files without running anything from
// them: the pickle goes through RestrictedUnpickler and every size, offset and stride is checked
// against the file. Throws medvae::Error with a message naming the file and the reason.
class CheckpointReader {
  public:
    struct Limits {
        std::uint64_t maxTensorBytes = 8ull << 30;  // one tensor, after expansion
        std::uint64_t maxTotalBytes = 32ull << 30;  // all tensors together
        std::uint64_t maxPickleBytes = 256ull << 20;
        std::uint64_t maxSafetensorsHeader = 16ull << 20;
    };

    static Checkpoint read(const std::string& path) { return read(path, Limits{}); }
    static Checkpoint read(const std::string& path, const Limits& limits);
    static Checkpoint read(ByteSource source, const Limits& limits);

  private:
    static Checkpoint readTorchZip(ByteSource source, const Limits& limits);
    static Checkpoint readSafetensors(ByteSource source, const Limits& limits);
};

}  // namespace medvae
