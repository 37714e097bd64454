#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace medvae {

// Writes float32 arrays as single-file NIfTI-1 (.nii, or gzip-compressed when the path ends in
// .gz) with an identity affine (qform and sform), the layout upstream `medvae_inference` saves
// latents in (nibabel's Nifti1Image(latent, np.eye(4))): `shape` is the array's shape in C order
// as NumPy holds it ([C, h, w] for a latent), and nibabel.load(path).get_fdata() gives back that
// same array. Written atomically; failures throw medvae::Error naming the file.
class NiftiWriter {
  public:
    static void write(const std::string& path, const float* data,
                      const std::vector<std::int64_t>& shape);
    // The file's bytes (uncompressed .nii), for callers that store them elsewhere.
    static std::vector<std::uint8_t> encode(const float* data,
                                            const std::vector<std::int64_t>& shape);
    // The bytes write() would store at `path` (gzip-compressed when it ends in .gz).
    static std::vector<std::uint8_t> fileBytes(const std::string& path, const float* data,
                                               const std::vector<std::int64_t>& shape);
};

}  // namespace medvae
