#include "synthetic_weights.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include "autoencoder_kl.h"

namespace medvae {
namespace {

bool loraWrapped(const std::string& path) {
    if (path.rfind("encoder.", 0) != 0 && path.rfind("decoder.", 0) != 0) return false;
    const std::string last = path.substr(path.rfind('.') + 1);
    for (const char* name : {"conv1", "conv2", "nin_shortcut", "q", "k", "v", "proj_out"})
        if (last == name) return true;
    return false;
}

}  // namespace

Architecture medvae84Architecture() {
    Architecture a;
    a.inChannels = a.outChannels = 3;
    a.ch = 128;
    a.chMult = {1, 2, 4, 4};
    a.numResBlocks = 2;
    a.midAttention = true;
    a.zChannels = a.embedChannels = 4;
    a.stage2Head = true;
    a.headHidden = 64;
    a.lora = true;
    return a;
}

StateDict syntheticWeights(const Architecture& arch, bool lora, std::uint64_t seed) {
    at::Generator gen = at::detail::createCPUGenerator(seed);
    const auto f32 = at::TensorOptions().dtype(at::kFloat);
    auto normal = [&](at::IntArrayRef shape, double std) {
        return at::randn(shape, gen, f32).mul_(std);
    };
    constexpr std::int64_t rank = 4;

    AutoencoderKL net(arch);
    StateDict w;
    for (const auto& item : net.named_parameters(true)) {
        const std::string& key = item.key();
        const auto shape = item.value().sizes();
        const std::string path = key.substr(0, key.rfind('.'));
        const std::string param = key.substr(key.rfind('.') + 1);
        const bool isNorm = shape.size() == 1 && (path.find("norm") != std::string::npos);
        at::Tensor value;
        if (isNorm) {
            value = param == "weight" ? normal(shape, 0.1).add_(1.0) : normal(shape, 0.1);
        } else if (param == "bias") {
            value = normal(shape, 0.05);
        } else {
            const double fanIn = double(shape[1] * shape[2] * shape[3]);
            value = normal(shape, 1.0 / std::sqrt(fanIn));
        }
        if (lora && loraWrapped(path)) {
            w[path + ".conv." + param] = value;
            if (param == "weight") {
                const double fanIn = double(shape[1] * shape[2] * shape[3]);
                w[path + ".lora_down.weight"] =
                    normal({rank, shape[1], shape[2], shape[3]}, 0.5 / std::sqrt(fanIn));
                w[path + ".lora_up.weight"] =
                    normal({shape[0], rank, 1, 1}, 0.5 / std::sqrt(double(rank)));
            }
        } else {
            w[key] = value;
        }
    }
    return w;
}

}  // namespace medvae
