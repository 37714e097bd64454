#include "output_stems.h"

#include "error.h"

namespace medvae::cli {

void OutputStems::claim(const std::string& stem, const QString& input) {
    auto [it, fresh] = claimed_.emplace(stem, input);
    if (!fresh)
        throw Error("its results would overwrite those of '" + it->second.toStdString() +
                    "' (same name '" + stem + "'); write them into different folders");
}

}  // namespace medvae::cli
