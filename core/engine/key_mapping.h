#pragma once

#include <string>
#include <vector>

#include "state_dict.h"

namespace medvae {

// What KeyMapping changed on the way from stored keys to network parameter paths.
struct KeyMappingReport {
    std::string strippedPrefix;         // e.g. "model." or "module."; empty when none
    int loraMerged = 0;                 // convolutions whose LoRA adapter was merged
    std::int64_t storedParameters = 0;  // elements of all tensors as stored (LoRA included)
};

// All conversion between checkpoint key layouts and the network's parameter paths lives here:
// a wrapper prefix ("model.", "module.", ...) is removed, and LoRA-wrapped convolutions
// (<path>.conv.weight/.bias + <path>.lora_down.weight + <path>.lora_up.weight) become one
// convolution <path>.weight/.bias with W' = W + up·down (scale 1.0). Keys that belong to no
// known layout pass through unchanged and are later reported as unexpected.
class KeyMapping {
  public:
    static StateDict apply(StateDict weights, const std::string& source, KeyMappingReport& report);
};

}  // namespace medvae
