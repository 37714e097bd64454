#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace medvae {

// Random-access bytes of a file or of a buffer in memory. Every read is bounds-checked: a read
// past the end throws medvae::Error saying the input is truncated. Not thread-safe.
class ByteSource {
  public:
    static ByteSource fromFile(const std::string& path);
    static ByteSource fromMemory(std::vector<std::uint8_t> bytes, std::string name);

    ByteSource(ByteSource&&) = default;
    ByteSource& operator=(ByteSource&&) = default;

    std::uint64_t size() const { return size_; }
    const std::string& name() const { return name_; }

    void read(std::uint64_t offset, void* out, std::uint64_t count);
    std::vector<std::uint8_t> read(std::uint64_t offset, std::uint64_t count);

  private:
    ByteSource() = default;

    std::string name_;
    std::uint64_t size_ = 0;
    std::ifstream file_;
    std::vector<std::uint8_t> memory_;
    bool inMemory_ = false;
};

}  // namespace medvae
