#include "nifti_file.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>

#include "byte_reader.h"
#include "error.h"

namespace medvae {
namespace {

// The whole (decompressed) file; gzip is recognised by its magic bytes.
std::vector<std::uint8_t> readBytes(const std::string& path, std::uint64_t limit) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw Error("cannot open '" + path + "'");
    std::vector<std::uint8_t> out;
    std::uint8_t buf[1 << 16];
    for (;;) {
        const int n = gzread(f, buf, sizeof buf);
        if (n < 0) {
            int code = 0;
            const std::string msg = gzerror(f, &code);
            gzclose(f);
            throw Error("'" + path + "' is damaged (" + msg + ")");
        }
        if (n == 0) break;
        out.insert(out.end(), buf, buf + n);
        if (out.size() > limit) {
            gzclose(f);
            throw Error("'" + path + "' is too large");
        }
    }
    gzclose(f);
    return out;
}

// Bytes per voxel of the supported NIfTI data types.
int voxelSize(int datatype, const std::string& path) {
    switch (datatype) {
        case 2:
        case 256:
            return 1;  // uint8, int8
        case 4:
        case 512:
            return 2;  // int16, uint16
        case 8:
        case 768:
        case 16:
            return 4;  // int32, uint32, float32
        case 64:
            return 8;  // float64
        default:
            throw Error("'" + path + "' uses NIfTI data type " + std::to_string(datatype) +
                        ", which is not supported");
    }
}

double voxelValue(const ByteReader& data, std::uint64_t offset, int datatype, ByteOrder order) {
    switch (datatype) {
        case 2:
            return data.u8(offset);
        case 256:
            return std::int8_t(data.u8(offset));
        case 4:
            return std::int16_t(data.u16(offset, order));
        case 512:
            return data.u16(offset, order);
        case 8:
            return std::int32_t(data.u32(offset, order));
        case 768:
            return data.u32(offset, order);
        case 16:
            return data.f32(offset, order);
        case 64:
            return data.f64(offset, order);
    }
    return 0;
}

// The header's byte order: the one in which sizeof_hdr reads 348.
ByteOrder headerOrder(const ByteReader& h, const std::string& path) {
    if (std::int32_t(h.u32le(0)) == 348) return ByteOrder::Little;
    if (std::int32_t(h.u32be(0)) == 348) return ByteOrder::Big;
    throw Error("'" + path + "' is not a NIfTI-1 file");
}

// dim[1..3] and pixdim[1..3] (spacing 1 where invalid); returns the voxel count.
std::uint64_t readGrid(const ByteReader& h, ByteOrder order, const std::string& path,
                       NiftiVolume& v) {
    const int ndim = std::int16_t(h.u16(40, order));
    if (ndim < 2 || ndim > 7)
        throw Error("'" + path + "' has " + std::to_string(ndim) + " dimensions");
    std::uint64_t voxels = 1;
    for (int i = 0; i < 3; ++i) {
        const std::int64_t d = i < ndim ? std::int16_t(h.u16(42 + 2 * i, order)) : 1;
        if (d < 1) throw Error("'" + path + "' has an invalid dimension");
        v.dims[i] = d;
        voxels *= std::uint64_t(d);
        const float s = h.f32(80 + 4 * i, order);
        v.spacing[i] = std::isfinite(s) && s > 0 ? s : 1.0;
    }
    return voxels;
}

}  // namespace

NiftiVolume NiftiFile::read(const std::string& path, std::uint64_t maxVoxels) {
    const std::vector<std::uint8_t> bytes = readBytes(path, maxVoxels * 8 + 1024 * 1024);
    if (bytes.size() < 348) throw Error("'" + path + "' is not a NIfTI file (too short)");
    const ByteReader h(bytes);
    const ByteOrder order = headerOrder(h, path);
    if (!h.matches(344, "n+1\0") && !h.matches(344, "ni1\0"))
        throw Error("'" + path + "' is not a NIfTI-1 file (wrong magic)");
    if (h.matches(344, "ni1\0"))
        throw Error("'" + path +
                    "' is a two-file NIfTI (.hdr/.img) pair; only single files are supported");
    NiftiVolume v;
    const std::uint64_t voxels = readGrid(h, order, path, v);
    if (voxels > maxVoxels)
        throw Error("'" + path + "' is too large (" + std::to_string(voxels) + " voxels)");
    const int datatype = std::int16_t(h.u16(70, order));
    const float voxOffset = h.f32(108, order);
    float slope = h.f32(112, order);
    float inter = h.f32(116, order);
    // A zero or invalid slope means "no scaling" (NIfTI-1): both are ignored then.
    if (!std::isfinite(slope) || slope == 0.0f || !std::isfinite(inter)) {
        slope = 1.0f;
        inter = 0.0f;
    }
    const int size = voxelSize(datatype, path);
    if (!std::isfinite(voxOffset) || voxOffset < 0 || double(voxOffset) > double(bytes.size()))
        throw Error("'" + path + "' is damaged (its data offset lies outside the file)");
    const std::uint64_t offset = std::uint64_t(std::max(voxOffset, 352.0f));
    if (offset > bytes.size() || (bytes.size() - offset) / std::uint64_t(size) < voxels)
        throw Error("'" + path + "' is truncated (its voxel data is incomplete)");
    v.data.resize(voxels);
    for (std::uint64_t i = 0; i < voxels; ++i)
        v.data[i] =
            float(voxelValue(h, offset + i * std::uint64_t(size), datatype, order) * slope + inter);
    return v;
}

}  // namespace medvae
