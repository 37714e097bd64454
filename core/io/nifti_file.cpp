#include "nifti_file.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>

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

template <typename T>
T get(const std::uint8_t* p, bool swap) {
    std::uint8_t b[sizeof(T)];
    std::memcpy(b, p, sizeof(T));
    if (swap) std::reverse(b, b + sizeof(T));
    T v;
    std::memcpy(&v, b, sizeof(T));
    return v;
}

}  // namespace

NiftiVolume NiftiFile::read(const std::string& path, std::uint64_t maxVoxels) {
    const std::vector<std::uint8_t> bytes = readBytes(path, maxVoxels * 8 + 1024 * 1024);
    if (bytes.size() < 348) throw Error("'" + path + "' is not a NIfTI file (too short)");
    const std::uint8_t* h = bytes.data();
    bool swap = false;
    if (get<std::int32_t>(h, false) != 348) {
        if (get<std::int32_t>(h, true) != 348) throw Error("'" + path + "' is not a NIfTI-1 file");
        swap = true;
    }
    if (std::memcmp(h + 344, "n+1", 4) != 0 && std::memcmp(h + 344, "ni1", 4) != 0)
        throw Error("'" + path + "' is not a NIfTI-1 file (wrong magic)");
    if (std::memcmp(h + 344, "ni1", 4) == 0)
        throw Error("'" + path +
                    "' is a two-file NIfTI (.hdr/.img) pair; only single files are supported");
    const int ndim = get<std::int16_t>(h + 40, swap);
    if (ndim < 2 || ndim > 7)
        throw Error("'" + path + "' has " + std::to_string(ndim) + " dimensions");
    NiftiVolume v;
    std::uint64_t voxels = 1;
    for (int i = 0; i < 3; ++i) {
        const std::int64_t d = i < ndim ? get<std::int16_t>(h + 42 + 2 * i, swap) : 1;
        if (d < 1) throw Error("'" + path + "' has an invalid dimension");
        v.dims[i] = d;
        voxels *= std::uint64_t(d);
        const float s = get<float>(h + 80 + 4 * i, swap);
        v.spacing[i] = std::isfinite(s) && s > 0 ? s : 1.0;
    }
    if (voxels > maxVoxels)
        throw Error("'" + path + "' is too large (" + std::to_string(voxels) + " voxels)");
    const int datatype = get<std::int16_t>(h + 70, swap);
    const float voxOffset = get<float>(h + 108, swap);
    float slope = get<float>(h + 112, swap);
    float inter = get<float>(h + 116, swap);
    // A zero or invalid slope means "no scaling" (NIfTI-1): both are ignored then.
    if (!std::isfinite(slope) || slope == 0.0f || !std::isfinite(inter)) {
        slope = 1.0f;
        inter = 0.0f;
    }
    int size = 0;
    switch (datatype) {
        case 2:
        case 256:
            size = 1;
            break;  // uint8, int8
        case 4:
        case 512:
            size = 2;
            break;  // int16, uint16
        case 8:
        case 768:
        case 16:
            size = 4;
            break;  // int32, uint32, float32
        case 64:
            size = 8;
            break;  // float64
        default:
            throw Error("'" + path + "' uses NIfTI data type " + std::to_string(datatype) +
                        ", which is not supported");
    }
    if (!std::isfinite(voxOffset) || voxOffset < 0 || double(voxOffset) > double(bytes.size()))
        throw Error("'" + path + "' is damaged (its data offset lies outside the file)");
    const std::uint64_t offset = std::uint64_t(std::max(voxOffset, 352.0f));
    if (offset > bytes.size() || (bytes.size() - offset) / std::uint64_t(size) < voxels)
        throw Error("'" + path + "' is truncated (its voxel data is incomplete)");
    v.data.resize(voxels);
    const std::uint8_t* p = bytes.data() + offset;
    for (std::uint64_t i = 0; i < voxels; ++i, p += size) {
        double x = 0;
        switch (datatype) {
            case 2:
                x = *p;
                break;
            case 256:
                x = std::int8_t(*p);
                break;
            case 4:
                x = get<std::int16_t>(p, swap);
                break;
            case 512:
                x = get<std::uint16_t>(p, swap);
                break;
            case 8:
                x = get<std::int32_t>(p, swap);
                break;
            case 768:
                x = get<std::uint32_t>(p, swap);
                break;
            case 16:
                x = get<float>(p, swap);
                break;
            case 64:
                x = get<double>(p, swap);
                break;
        }
        v.data[i] = float(x * slope + inter);
    }
    return v;
}

}  // namespace medvae
