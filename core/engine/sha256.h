#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace medvae {

// SHA-256 (FIPS 180-4), to name model files in manifests and the UI by their content.
class Sha256 {
  public:
    Sha256();
    void update(const void* data, std::size_t size);
    std::string hexDigest();  // finishes the hash; call once

    // Hash of a whole file; throws medvae::Error when it cannot be read.
    static std::string ofFile(const std::string& path);

  private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::uint8_t buffer_[64];
    std::size_t used_ = 0;
    std::uint64_t length_ = 0;
};

}  // namespace medvae
