#include "state_dict.h"

#include <ATen/ATen.h>

#include <memory>

namespace medvae {
namespace {

at::ScalarType scalarType(DType dtype) {
    switch (dtype) {
        case DType::Float32:
            return at::kFloat;
        case DType::Float16:
            return at::kHalf;
        case DType::BFloat16:
            return at::kBFloat16;
        case DType::Float64:
            return at::kDouble;
        case DType::Int64:
            return at::kLong;
        case DType::Int32:
            return at::kInt;
        case DType::Int16:
            return at::kShort;
        case DType::Int8:
            return at::kChar;
        case DType::UInt8:
            return at::kByte;
        case DType::Bool:
            return at::kBool;
    }
    return at::kFloat;
}

}  // namespace

std::string shapeString(at::IntArrayRef shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

StateDict toStateDict(std::map<std::string, RawTensor>&& raw) {
    StateDict out;
    for (auto it = raw.begin(); it != raw.end(); it = raw.erase(it)) {
        auto bytes = std::make_unique<std::vector<std::uint8_t>>(std::move(it->second.bytes));
        void* data = bytes->data();
        const auto options = at::TensorOptions().dtype(scalarType(it->second.dtype));
        at::Tensor t;
        if (bytes->empty()) {
            t = at::empty(it->second.shape, options);
        } else {
            auto* owner = bytes.release();
            t = at::from_blob(
                data, it->second.shape, [owner](void*) { delete owner; }, options);
        }
        out.emplace(it->first, std::move(t));
    }
    return out;
}

}  // namespace medvae
