#include "nifti_writer.h"

#include <zlib.h>

#include <cstring>

#include "atomic_file.h"
#include "error.h"

namespace medvae {
namespace {

template <typename T>
void put(std::vector<std::uint8_t>& b, std::size_t offset, T value) {
    std::memcpy(b.data() + offset, &value, sizeof(T));  // little-endian hosts only (x86, arm64)
}

std::vector<std::uint8_t> gzip(const std::vector<std::uint8_t>& raw, const std::string& path) {
    z_stream s{};
    // windowBits 15 + 16: a gzip wrapper, which is what .nii.gz readers expect.
    if (deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw Error("cannot compress '" + path + "': zlib failed to start");
    std::vector<std::uint8_t> out(deflateBound(&s, uLong(raw.size())) + 64);
    s.next_in = const_cast<Bytef*>(raw.data());
    s.avail_in = uInt(raw.size());
    s.next_out = out.data();
    s.avail_out = uInt(out.size());
    const int rc = deflate(&s, Z_FINISH);
    const std::size_t produced = out.size() - s.avail_out;
    deflateEnd(&s);
    if (rc != Z_STREAM_END) throw Error("cannot compress '" + path + "': zlib error");
    out.resize(produced);
    return out;
}

}  // namespace

std::vector<std::uint8_t> NiftiWriter::encode(const float* data,
                                              const std::vector<std::int64_t>& shape) {
    if (shape.empty() || shape.size() > 7)
        throw Error("a NIfTI-1 file holds 1 to 7 dimensions, not " + std::to_string(shape.size()));
    std::size_t count = 1;
    for (std::int64_t d : shape) {
        if (d < 1 || d > 32767)
            throw Error("NIfTI-1 dimensions must be 1..32767, got " + std::to_string(d));
        count *= std::size_t(d);
    }
    const std::size_t headerBytes = 352;  // 348-byte header + 4-byte empty extension flag
    std::vector<std::uint8_t> b(headerBytes + count * sizeof(float), 0);
    put<std::int32_t>(b, 0, 348);
    // dim[0] = rank, dim[1..] = the array's axes; NIfTI's first axis varies fastest, so NumPy's
    // C-order axis k maps to NIfTI axis k with the data stored in Fortran order (as nibabel does).
    put<std::int16_t>(b, 40, std::int16_t(shape.size()));
    for (int i = 1; i <= 7; ++i)
        put<std::int16_t>(b, 40 + 2 * i,
                          std::int16_t(i <= int(shape.size()) ? shape[std::size_t(i - 1)] : 1));
    put<std::int16_t>(b, 70, 16);  // datatype FLOAT32
    put<std::int16_t>(b, 72, 32);  // bitpix
    put<float>(b, 76, 1.0f);       // pixdim[0] = qfac
    for (int i = 1; i <= 7; ++i)
        put<float>(b, 76 + 4 * i, 1.0f);
    put<float>(b, 108, float(headerBytes));  // vox_offset
    put<float>(b, 112, 1.0f);                // scl_slope: values are stored unscaled
    put<float>(b, 116, 0.0f);
    b[123] = 2;                    // xyzt_units: millimetres
    put<std::int16_t>(b, 252, 1);  // qform_code: scanner
    put<std::int16_t>(b, 254, 1);  // sform_code: scanner
    // quatern b/c/d = 0 and offsets 0: the identity rotation; srow_* = the identity affine.
    put<float>(b, 280, 1.0f);  // srow_x[0]
    put<float>(b, 300, 1.0f);  // srow_y[1]
    put<float>(b, 320, 1.0f);  // srow_z[2]
    std::memcpy(b.data() + 344, "n+1\0", 4);

    // C order (last axis fastest) -> Fortran order (first axis fastest).
    const std::size_t rank = shape.size();
    std::vector<std::size_t> cStride(rank, 1);
    for (std::size_t k = rank - 1; k > 0; --k)
        cStride[k - 1] = cStride[k] * std::size_t(shape[k]);
    std::vector<std::size_t> index(rank, 0);
    float* out = reinterpret_cast<float*>(b.data() + headerBytes);
    for (std::size_t f = 0; f < count; ++f) {
        std::size_t c = 0;
        for (std::size_t k = 0; k < rank; ++k)
            c += index[k] * cStride[k];
        std::memcpy(out + f, data + c, sizeof(float));
        for (std::size_t k = 0; k < rank; ++k) {
            if (++index[k] < std::size_t(shape[k])) break;
            index[k] = 0;
        }
    }
    return b;
}

std::vector<std::uint8_t> NiftiWriter::fileBytes(const std::string& path, const float* data,
                                                 const std::vector<std::int64_t>& shape) {
    std::vector<std::uint8_t> bytes = encode(data, shape);
    if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) bytes = gzip(bytes, path);
    return bytes;
}

void NiftiWriter::write(const std::string& path, const float* data,
                        const std::vector<std::int64_t>& shape) {
    const std::vector<std::uint8_t> bytes = fileBytes(path, data, shape);
    AtomicFile::writeAll(path, bytes.data(), bytes.size());
}

}  // namespace medvae
