#include "architecture.h"

#include <sstream>

#include "error.h"

namespace medvae {
namespace {

const at::Tensor* find(const StateDict& w, const std::string& key) {
    auto it = w.find(key);
    return it == w.end() ? nullptr : &it->second;
}

std::string join(const std::vector<int>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i)
        s += (i ? "," : "") + std::to_string(v[i]);
    return s;
}

double conv(std::int64_t cin, std::int64_t cout, int k, std::int64_t h, std::int64_t w) {
    return 2.0 * double(cin) * double(cout) * k * k * double(h) * double(w);
}

double resnet(std::int64_t cin, std::int64_t cout, std::int64_t h, std::int64_t w) {
    double f = conv(cin, cout, 3, h, w) + conv(cout, cout, 3, h, w);
    if (cin != cout) f += conv(cin, cout, 1, h, w);
    return f;
}

double attention(std::int64_t c, std::int64_t h, std::int64_t w) {
    const double n = double(h) * double(w);
    return 4 * conv(c, c, 1, h, w) + 2.0 * 2.0 * n * n * double(c);
}

}  // namespace

std::string Architecture::variantName() const {
    // Named by layout: factor, latent and image channels, stage-2 head (widths and LoRA may
    // differ).
    struct Known {
        const char* name;
        int factor, embed, image;
    };
    static const Known known[] = {{"medvae_4_1_2d", 4, 1, 1},
                                  {"medvae_4_3_2d", 4, 3, 3},
                                  {"medvae_8_1_2d", 8, 1, 1},
                                  {"medvae_8_4_2d", 8, 4, 3}};
    for (const auto& k : known)
        if (factor() == k.factor && embedChannels == k.embed && inChannels == k.image &&
            outChannels == k.image && stage2Head)
            return k.name;
    return "custom";
}

std::string Architecture::summary() const {
    std::ostringstream s;
    s << "ch " << ch << ", ch_mult " << join(chMult) << ", " << numResBlocks
      << " blocks/level, attention:";
    if (midAttention) s << " mid";
    for (int l : encoderAttnLevels)
        s << " enc" << l;
    for (int l : decoderAttnLevels)
        s << " dec" << l;
    s << ", z " << zChannels << ", embed " << embedChannels << ", image " << inChannels << "->"
      << outChannels;
    return s.str();
}

std::int64_t Architecture::latentSide(std::int64_t side) const {
    for (int i = 0; i + 1 < levels(); ++i)
        side /= 2;
    return side;
}

double Architecture::encoderFlops(std::int64_t h, std::int64_t w) const {
    double f = conv(inChannels, ch, 3, h, w);
    std::int64_t cin = ch;
    for (int i = 0; i < levels(); ++i) {
        const std::int64_t cout = std::int64_t(ch) * chMult[std::size_t(i)];
        for (int j = 0; j < numResBlocks; ++j) {
            f += resnet(cin, cout, h, w);
            cin = cout;
            if (encoderAttnLevels.count(i)) f += attention(cout, h, w);
        }
        if (i + 1 < levels()) {
            h /= 2;
            w /= 2;
            f += conv(cout, cout, 3, h, w);
        }
    }
    f += 2 * resnet(cin, cin, h, w) + (midAttention ? attention(cin, h, w) : 0);
    f += conv(cin, 2 * zChannels, 3, h, w) + conv(2 * zChannels, 2 * embedChannels, 1, h, w);
    if (stage2Head)
        f += conv(embedChannels, headHidden, 1, h, w) + conv(headHidden, headHidden, 3, h, w) +
             conv(headHidden, embedChannels, 1, h, w) + conv(embedChannels, embedChannels, 1, h, w);
    return f;
}

double Architecture::decoderFlops(std::int64_t h, std::int64_t w) const {
    h = latentSide(h);
    w = latentSide(w);
    std::int64_t cin = std::int64_t(ch) * chMult.back();
    double f = conv(embedChannels, zChannels, 1, h, w) + conv(zChannels, cin, 3, h, w);
    f += 2 * resnet(cin, cin, h, w) + (midAttention ? attention(cin, h, w) : 0);
    for (int i = levels() - 1; i >= 0; --i) {
        const std::int64_t cout = std::int64_t(ch) * chMult[std::size_t(i)];
        for (int j = 0; j < numResBlocks + 1; ++j) {
            f += resnet(cin, cout, h, w);
            cin = cout;
            if (decoderAttnLevels.count(i)) f += attention(cout, h, w);
        }
        if (i > 0) {
            h *= 2;
            w *= 2;
            f += conv(cout, cout, 3, h, w);
        }
    }
    return f + conv(cin, outChannels, 3, h, w);
}

namespace {

// The weight `key` of a 2D convolution, checked: [out, in, kh, kw] of sane extent.
std::vector<std::int64_t> convShape(const StateDict& w, const std::string& key,
                                    const std::string& source) {
    const at::Tensor* t = find(w, key);
    if (!t)
        throw Error("'" + source + "' lacks weights the network needs: " + key +
                    " (the checkpoint is incomplete, or not a MedVAE 2D autoencoder)");
    if (t->dim() == 5 && key == "encoder.conv_in.weight")
        throw Error("'" + source + "' holds a 3D MedVAE model; only the 2D models are supported");
    if (t->dim() != 4)
        throw Error("'" + source + "': " + key + " has shape " + shapeString(t->sizes()) +
                    ", not that of a 2D convolution");
    for (auto d : t->sizes())
        if (d < 1 || d > (1 << 20))
            throw Error("'" + source + "': " + key + " has an impossible shape " +
                        shapeString(t->sizes()));
    return t->sizes().vec();
}

bool holds(const StateDict& w, const std::string& key) {
    return find(w, key) != nullptr;
}

std::string encoderLevel(int i) {
    return "encoder.down." + std::to_string(i) + ".";
}

std::string decoderLevel(int i) {
    return "decoder.up." + std::to_string(i) + ".";
}

// Levels (widths, residual blocks, attention) from the encoder's and decoder's level keys.
void inferLevels(Architecture& a, const StateDict& w, const std::string& source) {
    constexpr int kMaxLevels = 8;  // factor 128 per side; published models have 3 or 4 levels
    while (holds(w, encoderLevel(a.levels()) + "block.0.conv1.weight")) {
        if (a.levels() == kMaxLevels)
            throw Error("'" + source + "' has more than " + std::to_string(kMaxLevels) +
                        " encoder levels");
        const auto s = convShape(w, encoderLevel(a.levels()) + "block.0.conv1.weight", source);
        if (s[0] % a.ch != 0)
            throw Error("'" + source + "': level widths are not multiples of the base width " +
                        std::to_string(a.ch));
        a.chMult.push_back(int(s[0] / a.ch));
    }
    if (a.chMult.empty())
        throw Error("'" + source +
                    "' is not a MedVAE 2D autoencoder checkpoint: no encoder levels "
                    "(encoder.down.0.block.0.conv1.weight is missing)");
    a.numResBlocks = 0;
    while (holds(w, encoderLevel(0) + "block." + std::to_string(a.numResBlocks) + ".conv1.weight"))
        ++a.numResBlocks;
    for (int i = 0; i < a.levels(); ++i) {
        if (holds(w, encoderLevel(i) + "attn.0.q.weight")) a.encoderAttnLevels.insert(i);
        if (holds(w, decoderLevel(i) + "attn.0.q.weight")) a.decoderAttnLevels.insert(i);
    }
    a.midAttention = holds(w, "encoder.mid.attn_1.q.weight");
}

// Latent, embedding and output channels, and the stage-2 head.
void inferChannels(Architecture& a, const StateDict& w, const std::string& source) {
    const auto convOut = convShape(w, "encoder.conv_out.weight", source);
    if (convOut[0] % 2 != 0)
        throw Error("'" + source + "': encoder.conv_out gives an odd number of channels (" +
                    std::to_string(convOut[0]) + "); MedVAE encoders give mean and log-variance");
    a.zChannels = int(convOut[0] / 2);
    const auto quant = convShape(w, "quant_conv.weight", source);
    if (quant[0] % 2 != 0)
        throw Error("'" + source + "': quant_conv gives an odd number of channels");
    a.embedChannels = int(quant[0] / 2);
    a.outChannels = int(convShape(w, "decoder.conv_out.weight", source)[0]);
    a.stage2Head = holds(w, "channel_ds.0.weight");
    if (a.stage2Head) a.headHidden = int(convShape(w, "channel_ds.0.weight", source)[0]);
}

}  // namespace

Architecture Architecture::infer(const StateDict& w, const std::string& source) {
    Architecture a;
    const auto convIn = convShape(w, "encoder.conv_in.weight", source);
    a.ch = int(convIn[0]);
    a.inChannels = int(convIn[1]);
    inferLevels(a, w, source);
    inferChannels(a, w, source);
    // GroupNorm(32) runs over every width; refuse early with a clear reason rather than later.
    for (int m : a.chMult)
        if ((a.ch * m) % 32 != 0)
            throw Error("'" + source + "': width " + std::to_string(a.ch * m) +
                        " is not a multiple of the 32 normalisation groups");
    return a;
}

}  // namespace medvae
