#include "output_claims.h"

namespace medvae {

namespace {

std::string overwriteReason(const std::string& stem, const std::string& owner) {
    return "its results would overwrite those of '" + owner + "' (same output name '" + stem +
           "'); put the inputs in different folders";
}

}  // namespace

std::string OutputClaims::claim(const std::string& stem, const std::string& source) {
    auto [it, fresh] = claimed_.emplace(stem, source);
    if (fresh) return {};
    return overwriteReason(stem, it->second);
}

std::string OutputClaims::claimedByAnother(const std::string& stem,
                                           const std::string& source) const {
    const auto it = claimed_.find(stem);
    if (it == claimed_.end() || it->second == source) return {};
    return overwriteReason(stem, it->second);
}

}  // namespace medvae
