#pragma once

#include <cstdint>

#include "architecture.h"
#include "state_dict.h"

namespace medvae {

// Random weights in the upstream checkpoint layout for `arch`, for benchmarks, tests and as the
// starting point of training. With `lora`, the convolutions upstream wraps get a rank-4 adapter
// (<path>.conv.*, <path>.lora_down.weight, <path>.lora_up.weight) that loading merges. Weights are
// scaled by fan-in so activations stay of order one through the whole network; deterministic
// for a given seed.
StateDict syntheticWeights(const Architecture& arch, bool lora, std::uint64_t seed);

// The published medvae_8_4_2d shape: ch 128, ch_mult (1,2,4,4), 2 blocks, mid attention, z 4.
Architecture medvae84Architecture();

}  // namespace medvae
