#pragma once

#include <QByteArray>

#include <cstdint>

namespace medvae::test {

// A valid PNG of `side` x `side` 16-bit gray zeros: tiny on disk (about 100 KB for 10000²; zlib
// shrinks zero rows about 1000-fold) but huge when decoded, as decompression bombs are.
QByteArray zeroPng(std::uint32_t side);

}  // namespace medvae::test
