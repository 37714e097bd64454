#include "zero_png.h"

#include <zlib.h>

#include <vector>

namespace medvae::test {
namespace {

QByteArray chunk(const char* type, const QByteArray& data) {
    QByteArray c;
    const std::uint32_t n = std::uint32_t(data.size());
    c.append(char(n >> 24)).append(char(n >> 16)).append(char(n >> 8)).append(char(n));
    const QByteArray body = QByteArray(type, 4) + data;
    const std::uint32_t crc = std::uint32_t(
        crc32(0, reinterpret_cast<const Bytef*>(body.constData()), uInt(body.size())));
    return c + body + QByteArray(1, char(crc >> 24)) + char(crc >> 16) + char(crc >> 8) + char(crc);
}

}  // namespace

// The 200 MB of zero rows of 10000² are compressed in 1 MiB pieces, so building it stays small.
QByteArray zeroPng(std::uint32_t side) {
    QByteArray ihdr(13, '\0');
    for (int i = 0; i < 4; ++i) {
        ihdr[i] = char(side >> (24 - 8 * i));
        ihdr[4 + i] = char(side >> (24 - 8 * i));
    }
    ihdr[8] = 16;  // bit depth; colour type 0 (gray)
    z_stream zs{};
    deflateInit(&zs, 9);
    const std::uint64_t total = std::uint64_t(side) * (1 + 2 * std::uint64_t(side));
    std::vector<Bytef> zeros(1 << 20, 0), out(1 << 20);
    QByteArray idat;
    for (std::uint64_t done = 0;;) {
        const std::uint64_t piece = std::min<std::uint64_t>(zeros.size(), total - done);
        zs.next_in = zeros.data();
        zs.avail_in = uInt(piece);
        done += piece;
        const int flush = done == total ? Z_FINISH : Z_NO_FLUSH;
        do {
            zs.next_out = out.data();
            zs.avail_out = uInt(out.size());
            deflate(&zs, flush);
            idat.append(reinterpret_cast<const char*>(out.data()), int(out.size() - zs.avail_out));
        } while (zs.avail_out == 0);
        if (flush == Z_FINISH) break;
    }
    deflateEnd(&zs);
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", idat) +
           chunk("IEND", QByteArray());
}

}  // namespace medvae::test
