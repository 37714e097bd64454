#include "output_naming.h"

#include <filesystem>

namespace medvae {

std::string outputStem(const std::string& inputPath) {
    std::string stem = std::filesystem::path(inputPath).stem().string();
    return stem.empty() ? std::string("image") : stem;
}

}  // namespace medvae
