#pragma once

#include <string>

namespace medvae {

// Where the bundled demo model is: next to an installed executable
// (<prefix>/share/medvae-studio/...) or, in a build tree, in the source tree's resources/.
// The environment variable MEDVAE_MODEL names another default model.
class ResourcePaths {
  public:
    static std::string demoModel();  // empty when none is found
    static constexpr const char* kDemoModelFile = "medvae-demo-8x4.ckpt";
};

}  // namespace medvae
