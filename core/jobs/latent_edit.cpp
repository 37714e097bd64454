#include "latent_edit.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <sstream>

#include "error.h"

namespace medvae {

const char* LatentEdit::kindName(Kind kind) {
    switch (kind) {
        case Kind::Scale:
            return "scale";
        case Kind::Offset:
            return "offset";
        case Kind::Zero:
            return "zero";
        case Kind::Swap:
            return "swap";
        case Kind::Noise:
            return "noise";
    }
    return "?";
}

LatentEdit::Kind LatentEdit::kindFromName(const std::string& name) {
    for (Kind k : {Kind::Scale, Kind::Offset, Kind::Zero, Kind::Swap, Kind::Noise})
        if (name == kindName(k)) return k;
    throw Error("unknown latent edit '" + name + "': use scale, offset, zero, swap or noise");
}

std::string LatentEdit::describe() const {
    std::ostringstream s;
    s << kindName(kind) << " channel " << channel;
    switch (kind) {
        case Kind::Scale:
            s << " by " << value;
            break;
        case Kind::Offset:
            s << " by " << value;
            break;
        case Kind::Zero:
            break;
        case Kind::Swap:
            s << " with channel " << other;
            break;
        case Kind::Noise:
            s << ", sigma " << value << ", seed " << seed;
            break;
    }
    return s.str();
}

void LatentEdit::check(int channels) const {
    const std::string what = "the edit '" + describe() + "'";
    const std::string range =
        " (this model's z has channels 0 to " + std::to_string(channels - 1) + ")";
    if (channel < 0 || channel >= channels)
        throw Error(what + " names a channel out of range" + range);
    if (kind == Kind::Swap && (other < 0 || other >= channels))
        throw Error(what + " names a channel out of range" + range);
    if (!std::isfinite(value)) throw Error(what + " has a value that is not a finite number");
    if (std::abs(value) > LatentEditor::kMaxMagnitude)
        throw Error(what + " has a value beyond +-1e6; use a smaller one");
    if (kind == Kind::Noise && value < 0) throw Error(what + " has a negative sigma");
}

at::Tensor LatentEditor::apply(const at::Tensor& z, const std::vector<LatentEdit>& edits) {
    if (z.dim() != 3) throw Error("z must be [C, h, w] to be edited");
    if (edits.size() > kMaxEdits)
        throw Error(std::to_string(edits.size()) + " edits are more than the " +
                    std::to_string(kMaxEdits) + " allowed");
    const int channels = int(z.size(0));
    for (const LatentEdit& e : edits)
        e.check(channels);
    at::Tensor out = z.to(at::kFloat).contiguous().clone();  // [C, h, w]
    for (const LatentEdit& e : edits) {
        at::Tensor plane = out[e.channel];  // [h, w], a view into out
        switch (e.kind) {
            case LatentEdit::Kind::Scale:
                plane.mul_(e.value);
                break;
            case LatentEdit::Kind::Offset:
                plane.add_(e.value);
                break;
            case LatentEdit::Kind::Zero:
                plane.zero_();
                break;
            case LatentEdit::Kind::Swap: {
                const at::Tensor first = plane.clone();
                plane.copy_(out[e.other]);
                out[e.other].copy_(first);
                break;
            }
            case LatentEdit::Kind::Noise: {
                at::Generator gen = at::detail::createCPUGenerator(e.seed);
                plane.add_(at::randn(plane.sizes(), gen, at::TensorOptions().dtype(at::kFloat)) *
                           e.value);
                break;
            }
        }
    }
    if (!at::isfinite(out).all().item<bool>())
        throw Error("the edits made z overflow (values that are not finite); use smaller ones");
    return out;
}

}  // namespace medvae
