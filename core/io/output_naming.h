#pragma once

#include <string>

namespace medvae {

// The stem result files are named after: the input's file name without its last extension
// ("chest.v2.png" -> "chest.v2"), so names with several dots never collide.
std::string outputStem(const std::string& inputPath);

}  // namespace medvae
