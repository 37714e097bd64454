#include "output_claims.h"

namespace medvae {

std::string OutputClaims::claim(const std::string& stem, const std::string& source) {
    auto [it, fresh] = claimed_.emplace(stem, source);
    if (fresh) return {};
    return "its results would overwrite those of '" + it->second + "' (same output name '" + stem +
           "'); put the inputs in different folders";
}

}  // namespace medvae
