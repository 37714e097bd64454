#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "raw_tensor.h"

namespace medvae {

// Writes checkpoints in the format of Python's torch.save (zip, pickle protocol 2, one storage
// entry per tensor), so upstream code and torch.load read them, and so does CheckpointReader:
// {"state_dict": OrderedDict(key -> tensor), "<metadataKey>": {str: str}}.
// The file is written to a temporary name and renamed when complete.
class CheckpointWriter {
  public:
    static void write(const std::string& path,
                      const std::vector<std::pair<std::string, RawTensor>>& stateDict,
                      const std::map<std::string, std::string>& metadata = {},
                      const std::string& metadataKey = "medvae_studio");
};

}  // namespace medvae
