#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// A NIfTI-1 volume: voxel values after the file's scaling (scl_slope/scl_inter), x fastest:
// value(x, y, z) = data[(z * dims[1] + y) * dims[0] + x].
struct NiftiVolume {
    std::int64_t dims[3] = {0, 0, 0};
    double spacing[3] = {1, 1, 1};  // millimetres per voxel along x, y, z
    std::vector<float> data;
    float at(std::int64_t x, std::int64_t y, std::int64_t z) const {
        return data[std::size_t((z * dims[1] + y) * dims[0] + x)];
    }
};

// Reads NIfTI-1 files (.nii, and .nii.gz through zlib): 3D (or the first volume of 4D) scalar
// images of the common integer and float types, either byte order. Damaged, truncated or
// oversized files throw medvae::Error naming the file.
class NiftiFile {
  public:
    static NiftiVolume read(const std::string& path,
                            std::uint64_t maxVoxels = 512ull * 1024 * 1024);
};

}  // namespace medvae
