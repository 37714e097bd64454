#include "z_array.h"

#include <ATen/ATen.h>

#include <cmath>

#include "error.h"
#include "npy_file.h"
#include "state_dict.h"

namespace medvae {

at::Tensor ZArray::read(const std::string& path, int channels) {
    NpyArray array = NpyFile::read(path);
    std::vector<std::int64_t> shape = array.shape;
    if (shape.size() == 4 && shape[0] == 1) shape.erase(shape.begin());
    if (shape.size() == 2 && channels == 1) shape.insert(shape.begin(), 1);
    if (shape.size() != 3 || shape[0] != channels || shape[1] < 1 || shape[2] < 1)
        throw Error(path + ": z must be [" + std::to_string(channels) +
                    ", h, w] for this model; the file holds " + shapeString(array.shape));
    for (float v : array.data)
        if (!std::isfinite(v)) throw Error(path + ": z contains NaN or infinite values");
    return at::from_blob(array.data.data(), shape, at::kFloat).clone();  // [C, h, w]
}

void ZArray::checkShape(const at::Tensor& z, int channels, const std::string& what) {
    if (z.dim() != 3 || z.size(0) != channels)
        throw Error(what + " is " + shapeString(z.sizes()) + ", but this model decodes z of [" +
                    std::to_string(channels) + ", h, w]; load the model that wrote it");
}

void ZArray::write(const std::string& path, const at::Tensor& t) {
    const at::Tensor c = t.to(at::kFloat).contiguous();
    NpyFile::write(path, c.data_ptr<float>(), c.sizes().vec());
}

}  // namespace medvae
