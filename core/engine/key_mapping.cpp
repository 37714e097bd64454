#include "key_mapping.h"

#include <ATen/ATen.h>

#include "error.h"

namespace medvae {
namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The convolutions upstream wraps with LoRA: those inside ResnetBlocks and AttnBlocks.
bool isLoraWrappedConv(const std::string& path) {
    const std::string last = path.substr(path.rfind('.') + 1);
    for (const char* name : {"conv1", "conv2", "nin_shortcut", "q", "k", "v", "proj_out"})
        if (last == name) return true;
    return false;
}

// The prefix in front of "encoder.conv_in..." (shortest one wins when several keys match).
std::string findPrefix(const StateDict& w) {
    std::string best;
    bool found = false;
    for (const auto& [key, t] : w) {
        for (const char* anchor : {"encoder.conv_in.weight", "encoder.conv_in.conv.weight"}) {
            if (!endsWith(key, anchor)) continue;
            const std::string prefix = key.substr(0, key.size() - std::string(anchor).size());
            if (!prefix.empty() && prefix.back() != '.') continue;
            if (!found || prefix.size() < best.size()) best = prefix;
            found = true;
        }
    }
    return best;
}

// The weights with `prefix` taken off every key that has it.
StateDict withoutPrefix(StateDict weights, const std::string& prefix, const std::string& source) {
    StateDict w;
    for (auto& [key, t] : weights) {
        std::string k = key;
        if (!prefix.empty() && k.compare(0, prefix.size(), prefix) == 0)
            k = k.substr(prefix.size());
        if (!w.emplace(k, std::move(t)).second)
            throw Error("'" + source + "': key '" + k +
                        "' occurs both with and without the prefix '" + prefix + "'");
    }
    return w;
}

// The weight `t` of the LoRA-wrapped convolution `path` with its adapter (when present) merged.
at::Tensor mergedWeight(const at::Tensor& t, const std::string& path, const StateDict& w,
                        const std::string& source, KeyMappingReport& report) {
    auto down = w.find(path + ".lora_down.weight");
    auto up = w.find(path + ".lora_up.weight");
    if ((down == w.end()) != (up == w.end()))
        throw Error("'" + source + "': LoRA adapter of '" + path +
                    "' is incomplete (lora_down and lora_up must both be present)");
    if (down == w.end()) return t;
    const auto W = t.sizes();
    const auto D = down->second.sizes();
    const auto U = up->second.sizes();
    if (W.size() != 4 || D.size() != 4 || U.size() != 4 || D[1] != W[1] || D[2] != W[2] ||
        D[3] != W[3] || U[0] != W[0] || U[1] != D[0] || U[2] != 1 || U[3] != 1)
        throw Error("'" + source + "': LoRA adapter of '" + path + "' has shapes " +
                    shapeString(down->second.sizes()) + " / " + shapeString(up->second.sizes()) +
                    " that do not fit the convolution " + shapeString(t.sizes()));
    // W'[o,i,:,:] = W[o,i,:,:] + sum_r up[o,r] * down[r,i,:,:], in double precision.
    const auto r = D[0];
    at::Tensor delta = at::matmul(up->second.to(at::kDouble).reshape({W[0], r}),
                                  down->second.to(at::kDouble).reshape({r, -1}));
    at::Tensor merged = (t.to(at::kDouble) + delta.reshape(W)).to(at::kFloat);
    ++report.loraMerged;
    return merged;
}

// Every LoRA adapter must belong to a convolution that exists.
void checkAdapterBases(const StateDict& w, const std::string& source) {
    for (const auto& [key, t] : w) {
        std::string suffix = ".lora_down.weight";
        if (!endsWith(key, suffix)) suffix = ".lora_up.weight";
        if (!endsWith(key, suffix)) continue;
        const std::string path = key.substr(0, key.size() - suffix.size());
        if (!w.count(path + ".conv.weight"))
            throw Error("'" + source + "': LoRA adapter '" + path + "' has no base convolution '" +
                        path + ".conv.weight'");
    }
}

}  // namespace

StateDict KeyMapping::apply(StateDict weights, const std::string& source,
                            KeyMappingReport& report) {
    report = KeyMappingReport{};
    for (const auto& [key, t] : weights)
        report.storedParameters += t.numel();
    report.strippedPrefix = findPrefix(weights);
    const StateDict w = withoutPrefix(std::move(weights), report.strippedPrefix, source);

    StateDict out;
    for (const auto& [key, t] : w) {
        if (endsWith(key, ".lora_down.weight") || endsWith(key, ".lora_up.weight"))
            continue;  // consumed with their base convolution below
        std::string path;
        const bool wrapped = (endsWith(key, ".conv.weight") || endsWith(key, ".conv.bias")) &&
                             isLoraWrappedConv(path = key.substr(0, key.rfind(".conv.")));
        if (!wrapped) {
            out.emplace(key, t);
            continue;
        }
        const std::string param = key.substr(key.rfind('.') + 1);  // weight | bias
        out.emplace(path + "." + param,
                    param == "weight" ? mergedWeight(t, path, w, source, report) : t);
    }
    checkAdapterBases(w, source);
    return out;
}

}  // namespace medvae
