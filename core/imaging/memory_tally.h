#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <unordered_set>

#include "image.h"
#include "reconstruction.h"

namespace medvae {

// Bytes of the buffers a set of objects holds, each buffer counted once however many of them
// share it (a heatmap sharing the reconstruction's signed error, one result kept under two
// keys). Objects add their buffers with add(); what they share is told apart by address.
class MemoryTally {
  public:
    void add(const void* buffer, std::size_t bytes) {
        if (buffer && bytes > 0 && seen_.insert(buffer).second) total_ += bytes;
    }
    void add(const Image& image) { add(image.pixels.data(), image.pixels.size() * sizeof(float)); }
    void add(const Reconstruction& r) {
        add(r.original);
        add(r.reconstruction);
        add(r.signedError);
    }
    void add(const at::Tensor& tensor) {
        if (tensor.defined() && tensor.has_storage())
            add(tensor.storage().data(), tensor.storage().nbytes());
    }
    std::size_t total() const { return total_; }

  private:
    std::unordered_set<const void*> seen_;
    std::size_t total_ = 0;
};

}  // namespace medvae
