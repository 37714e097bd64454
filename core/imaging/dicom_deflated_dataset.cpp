#include "dicom_deflated_dataset.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

#include "error.h"

namespace medvae {

std::vector<std::uint8_t> DicomDeflatedDataset::inflate(const std::uint8_t* data, std::size_t size,
                                                        std::uint64_t limit,
                                                        const std::string& source) {
    z_stream zs{};
    if (inflateInit2(&zs, -15) != Z_OK)
        throw Error("'" + source + "': cannot start inflating its dataset");
    std::vector<std::uint8_t> out;
    zs.next_in = const_cast<Bytef*>(data);
    zs.avail_in = uInt(std::min<std::size_t>(size, std::numeric_limits<uInt>::max()));
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        const std::size_t used = out.size();
        out.resize(used + (1 << 16));
        zs.next_out = out.data() + used;
        zs.avail_out = 1 << 16;
        status = ::inflate(&zs, Z_NO_FLUSH);
        out.resize(used + (1 << 16) - zs.avail_out);
        if (status == Z_STREAM_END) break;
        if (status != Z_OK || (zs.avail_in == 0 && zs.avail_out != 0)) {
            inflateEnd(&zs);
            throw Error("'" + source + "': its deflated dataset is damaged or truncated");
        }
        if (out.size() > limit) {
            inflateEnd(&zs);
            throw Error("'" + source + "': its deflated dataset inflates to more than " +
                        std::to_string(limit) + " bytes");
        }
    }
    inflateEnd(&zs);
    return out;
}

}  // namespace medvae
