#pragma once

#include <QImage>

#include "memory_tally.h"

namespace medvae::ui {

// A picture's pixels in a tally (QImage copies share them: counted once).
inline void tallyPicture(MemoryTally& tally, const QImage& picture) {
    tally.add(picture.constBits(), std::size_t(picture.sizeInBytes()));
}

}  // namespace medvae::ui
