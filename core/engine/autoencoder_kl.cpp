#include "autoencoder_kl.h"

#include <ATen/ATen.h>

#include <set>

#include "banded_layers.h"
#include "error.h"

namespace medvae {
namespace {

const auto kChannelsLast = at::MemoryFormat::ChannelsLast;

std::shared_ptr<torch::nn::Module> container(torch::nn::Module& parent, const std::string& name) {
    return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

// conv_out(SiLU(norm_out(h))): in bands of rows for a large image (decoder outputs at full size).
at::Tensor normSiluConvOut(const at::Tensor& h, const NormLayer& norm, const ConvLayer& conv,
                           const ForwardSettings& settings, const StepCounter& steps) {
    if (const std::int64_t rows = bandRows(h, h.size(1), 1, settings.bandBytes, settings.bandWork))
        return normSiluConvByRows(h, norm, conv, rows, &steps);
    return conv.forward(norm.forwardSilu(h));
}

// conv_in of the encoder: in bands of output rows for a large image (its output is a
// full-resolution activation of many channels from an image of few).
at::Tensor convIn(const at::Tensor& x, const ConvLayer& conv, const ForwardSettings& settings,
                  const StepCounter& steps) {
    const std::int64_t rows =
        convBandRows(x, conv.weight.size(0), 3, settings.bandBytes, settings.bandWork);
    return rows ? convByRows(x, conv, rows, &steps) : conv.forward(x);
}

void prepareTree(torch::nn::Module& root, const at::TensorOptions& options) {
    for (const auto& m : root.modules(/*include_self=*/true)) {
        if (auto conv = std::dynamic_pointer_cast<ConvLayer>(m)) conv->prepare(options);
        if (auto norm = std::dynamic_pointer_cast<NormLayer>(m)) norm->prepare(options);
    }
    // Attention fuses q/k/v from the already prepared convolutions.
    for (const auto& m : root.modules(true))
        if (auto attn = std::dynamic_pointer_cast<AttnBlock>(m)) attn->prepare(options);
}

}  // namespace

Level::Level(std::int64_t in, std::int64_t out, int count, bool attention, bool down, bool up) {
    auto blockList = container(*this, "block");
    auto attnList = attention ? container(*this, "attn") : nullptr;
    for (int j = 0; j < count; ++j) {
        blocks.push_back(blockList->register_module(
            std::to_string(j), std::make_shared<ResnetBlock>(j ? out : in, out)));
        if (attention)
            attentions.push_back(
                attnList->register_module(std::to_string(j), std::make_shared<AttnBlock>(out)));
    }
    if (down) downsample = register_module("downsample", std::make_shared<Downsample>(out));
    if (up) upsample = register_module("upsample", std::make_shared<Upsample>(out));
}

MidBlock::MidBlock(std::int64_t channels, bool attention) {
    block_1 = register_module("block_1", std::make_shared<ResnetBlock>(channels, channels));
    if (attention) attn_1 = register_module("attn_1", std::make_shared<AttnBlock>(channels));
    block_2 = register_module("block_2", std::make_shared<ResnetBlock>(channels, channels));
}

at::Tensor MidBlock::forward(at::Tensor x, const ForwardSettings& settings,
                             StepCounter& steps) const {
    x = block_1->forward(x, settings, &steps, attn_1 ? 0.25 : 0.5);
    if (attn_1) x = attn_1->forward(x, settings, &steps);
    steps.step();
    x = block_2->forward(x, settings, &steps);
    steps.step();
    return x;
}

Encoder::Encoder(const Architecture& a) {
    conv_in = register_module("conv_in", std::make_shared<ConvLayer>(a.inChannels, a.ch, 3, 1, 1));
    auto list = container(*this, "down");
    std::int64_t in = a.ch;
    for (int i = 0; i < a.levels(); ++i) {
        const std::int64_t out = std::int64_t(a.ch) * a.chMult[std::size_t(i)];
        down.push_back(list->register_module(
            std::to_string(i),
            std::make_shared<Level>(in, out, a.numResBlocks, a.encoderAttnLevels.count(i) > 0,
                                    i + 1 < a.levels(), false)));
        in = out;
    }
    mid = register_module("mid", std::make_shared<MidBlock>(in, a.midAttention));
    norm_out = register_module("norm_out", std::make_shared<NormLayer>(in));
    conv_out =
        register_module("conv_out", std::make_shared<ConvLayer>(in, 2 * a.zChannels, 3, 1, 1));
}

int Encoder::blockCount() const {
    int n = 2;  // mid
    for (const auto& level : down)
        n += int(level->blocks.size());
    return n;
}

at::Tensor Encoder::forward(at::Tensor x, const ForwardSettings& settings,
                            StepCounter& steps) const {
    at::Tensor h = convIn(x, *conv_in, settings, steps);  // [N, ch, H, W]
    x.reset();
    for (const auto& level : down) {
        for (std::size_t j = 0; j < level->blocks.size(); ++j) {
            h = level->blocks[j]->forward(h, settings, &steps,
                                          level->attentions.empty() ? 0.5 : 0.25);
            if (!level->attentions.empty()) h = level->attentions[j]->forward(h, settings, &steps);
            steps.step();
        }
        if (level->downsample)  // side -> floor(side / 2)
            h = level->downsample->forward(h, settings, &steps);
    }
    h = mid->forward(std::move(h), settings, steps);
    return normSiluConvOut(h, *norm_out, *conv_out, settings, steps);  // [N, 2z, h, w]
}

Decoder::Decoder(const Architecture& a) {
    std::int64_t in = std::int64_t(a.ch) * a.chMult.back();
    conv_in = register_module("conv_in", std::make_shared<ConvLayer>(a.zChannels, in, 3, 1, 1));
    mid = register_module("mid", std::make_shared<MidBlock>(in, a.midAttention));
    // Built deepest first, as the data flows, but registered as up.{level}.
    std::vector<std::shared_ptr<Level>> levels(std::size_t(a.levels()));
    for (int i = a.levels() - 1; i >= 0; --i) {
        const std::int64_t out = std::int64_t(a.ch) * a.chMult[std::size_t(i)];
        levels[std::size_t(i)] = std::make_shared<Level>(
            in, out, a.numResBlocks + 1, a.decoderAttnLevels.count(i) > 0, false, i > 0);
        in = out;
    }
    auto list = container(*this, "up");
    for (int i = 0; i < a.levels(); ++i)
        up.push_back(list->register_module(std::to_string(i), levels[std::size_t(i)]));
    norm_out = register_module("norm_out", std::make_shared<NormLayer>(in));
    conv_out = register_module("conv_out", std::make_shared<ConvLayer>(in, a.outChannels, 3, 1, 1));
}

int Decoder::blockCount() const {
    int n = 2;
    for (const auto& level : up)
        n += int(level->blocks.size());
    return n;
}

// Rows per band for running the upsampling into the full-resolution level fused with that
// level's first block (upsampleResnetByRows); 0 when they run one after the other. Only there:
// the upsampled activation is then the decoder's widest full-resolution one, and the fused path
// computes the upsampling three times, which saves no peak memory at the lower levels.
std::int64_t Decoder::fusedUpsampleRows(std::size_t level, const at::Tensor& h,
                                        const ForwardSettings& settings) const {
    if (level != 1 || !up[level]->upsample || !up[0]->attentions.empty()) return 0;
    const std::int64_t out = up[0]->blocks.front()->conv1->weight.size(0);
    return bandRows(h, std::max(h.size(1), out), 2, settings.bandBytes, settings.bandWork);
}

at::Tensor Decoder::forward(at::Tensor z, const ForwardSettings& settings,
                            StepCounter& steps) const {
    at::Tensor h = conv_in->forward(z);
    z.reset();
    h = mid->forward(std::move(h), settings, steps);
    std::size_t firstBlock = 0;  // 1 when the upsampling ran fused with the level's first block
    for (std::size_t i = up.size(); i-- > 0;) {
        const Level& level = *up[i];
        const double afterFirst = level.attentions.empty() ? 0.5 : 0.25;
        for (std::size_t j = firstBlock; j < level.blocks.size(); ++j) {
            h = level.blocks[j]->forward(h, settings, &steps, afterFirst);
            if (!level.attentions.empty()) h = level.attentions[j]->forward(h, settings, &steps);
            steps.step();
        }
        firstBlock = 0;
        if (!level.upsample) continue;
        if (const std::int64_t rows = fusedUpsampleRows(i, h, settings)) {
            h = upsampleResnetByRows(h, *level.upsample->conv, *up[0]->blocks.front(), rows,
                                     &steps);
            steps.step();
            firstBlock = 1;
        } else {
            h = level.upsample->forward(h, settings, &steps);  // side -> 2 * side
        }
    }
    return normSiluConvOut(h, *norm_out, *conv_out, settings, steps);
}

AutoencoderKL::AutoencoderKL(const Architecture& a) : arch_(a) {
    encoder = register_module("encoder", std::make_shared<Encoder>(a));
    decoder = register_module("decoder", std::make_shared<Decoder>(a));
    quant_conv = register_module(
        "quant_conv", std::make_shared<ConvLayer>(2 * a.zChannels, 2 * a.embedChannels, 1));
    post_quant_conv = register_module("post_quant_conv",
                                      std::make_shared<ConvLayer>(a.embedChannels, a.zChannels, 1));
    if (a.stage2Head) {
        auto list = container(*this, "channel_ds");
        channel_ds.push_back(list->register_module(
            "0", std::make_shared<ConvLayer>(a.embedChannels, a.headHidden, 1)));
        channel_ds.push_back(list->register_module(
            "2", std::make_shared<ConvLayer>(a.headHidden, a.headHidden, 3, 1, 1)));
        channel_ds.push_back(list->register_module(
            "4", std::make_shared<ConvLayer>(a.headHidden, a.embedChannels, 1)));
        channel_proj = register_module(
            "channel_proj", std::make_shared<ConvLayer>(a.embedChannels, a.embedChannels, 1));
    }
}

std::vector<std::string> AutoencoderKL::loadWeights(const StateDict& w, const std::string& source) {
    auto listSome = [](const std::vector<std::string>& keys) {
        std::string s;
        for (std::size_t i = 0; i < keys.size() && i < 5; ++i)
            s += (i ? ", " : "") + keys[i];
        if (keys.size() > 5) s += ", ... (" + std::to_string(keys.size()) + " in all)";
        return s;
    };
    std::vector<std::string> missing, mismatched, unexpected;
    std::set<std::string> used;
    at::NoGradGuard noGrad;
    for (auto& item : named_parameters(/*recurse=*/true)) {
        auto it = w.find(item.key());
        if (it == w.end()) {
            missing.push_back(item.key());
        } else if (it->second.sizes() != item.value().sizes()) {
            mismatched.push_back(item.key() + " (file " + shapeString(it->second.sizes()) +
                                 ", network " + shapeString(item.value().sizes()) + ")");
        } else if (!at::isFloatingType(it->second.scalar_type())) {
            mismatched.push_back(item.key() + " (not floating point)");
        } else {
            item.value().copy_(it->second);
            used.insert(item.key());
        }
    }
    if (!missing.empty())
        throw Error("'" + source + "' lacks weights the " + arch_.variantName() +
                    " network needs: " + listSome(missing));
    if (!mismatched.empty())
        throw Error("'" + source + "' has weights of the wrong shape: " + listSome(mismatched));
    for (const auto& [key, t] : w)
        if (!used.count(key)) unexpected.push_back(key);
    return unexpected;
}

StateDict AutoencoderKL::weights() const {
    StateDict out;
    for (const auto& item : named_parameters(true))
        out[item.key()] = item.value().detach().to(at::kCPU, at::kFloat).contiguous().clone();
    return out;
}

void AutoencoderKL::prepare(const at::Device& device, at::ScalarType bodyType) {
    bodyType_ = bodyType;
    const auto body = at::TensorOptions().device(device).dtype(bodyType);
    const auto head = at::TensorOptions().device(device).dtype(at::kFloat);
    prepareTree(*encoder, body);
    prepareTree(*decoder, body);
    for (auto* conv : {&quant_conv, &post_quant_conv, &channel_proj})
        if (*conv) (*conv)->prepare(head);
    for (auto& conv : channel_ds)
        conv->prepare(head);
}

std::pair<at::Tensor, at::Tensor> AutoencoderKL::encodeMoments(const at::Tensor& image,
                                                               StepCounter& steps) const {
    at::Tensor x = image.to(encoder->conv_in->weight.options()).contiguous(kChannelsLast);
    at::Tensor moments =
        quant_conv->forward(encoder->forward(std::move(x), settings, steps).to(at::kFloat));
    const std::int64_t e = arch_.embedChannels;
    at::Tensor mean = moments.narrow(1, 0, e).contiguous();
    at::Tensor logvar = moments.narrow(1, e, e).clamp(-30.0, 20.0).contiguous();
    return {mean, logvar};
}

at::Tensor AutoencoderKL::stage2Latent(const at::Tensor& z) const {
    if (!arch_.stage2Head) return z.clone();
    at::Tensor zc = z.to(at::kFloat).contiguous(kChannelsLast);
    at::Tensor t = channel_ds[0]->forward(zc);
    at::relu_(t);
    t = channel_ds[1]->forward(t);
    at::relu_(t);
    t = channel_ds[2]->forward(t);
    t.add_(zc);
    return channel_proj->forward(t).contiguous();
}

at::Tensor AutoencoderKL::decode(const at::Tensor& z, StepCounter& steps) const {
    at::Tensor h =
        post_quant_conv->forward(z.to(post_quant_conv->weight.options()).contiguous(kChannelsLast));
    h = decoder->forward(h.to(bodyType_), settings, steps);
    return h.to(at::kFloat).contiguous();
}

}  // namespace medvae
