#include "raw_tensor.h"

#include <utility>

namespace medvae {

std::size_t dtypeSize(DType dtype) {
    switch (dtype) {
        case DType::Float64:
        case DType::Int64:
            return 8;
        case DType::Float32:
        case DType::Int32:
            return 4;
        case DType::Float16:
        case DType::BFloat16:
        case DType::Int16:
            return 2;
        case DType::Int8:
        case DType::UInt8:
        case DType::Bool:
            return 1;
    }
    return 1;
}

const char* dtypeName(DType dtype) {
    switch (dtype) {
        case DType::Float32:
            return "float32";
        case DType::Float16:
            return "float16";
        case DType::BFloat16:
            return "bfloat16";
        case DType::Float64:
            return "float64";
        case DType::Int64:
            return "int64";
        case DType::Int32:
            return "int32";
        case DType::Int16:
            return "int16";
        case DType::Int8:
            return "int8";
        case DType::UInt8:
            return "uint8";
        case DType::Bool:
            return "bool";
    }
    return "unknown";
}

namespace {
const std::pair<DType, const char*> kStorageTypes[] = {
    {DType::Float32, "FloatStorage"},     {DType::Float16, "HalfStorage"},
    {DType::BFloat16, "BFloat16Storage"}, {DType::Float64, "DoubleStorage"},
    {DType::Int64, "LongStorage"},        {DType::Int32, "IntStorage"},
    {DType::Int16, "ShortStorage"},       {DType::Int8, "CharStorage"},
    {DType::UInt8, "ByteStorage"},        {DType::Bool, "BoolStorage"}};
}  // namespace

const char* storageTypeName(DType dtype) {
    for (const auto& [d, name] : kStorageTypes)
        if (d == dtype) return name;
    return "FloatStorage";
}

bool dtypeOfStorageType(const std::string& name, DType& dtype) {
    for (const auto& [d, n] : kStorageTypes) {
        if (name == n) {
            dtype = d;
            return true;
        }
    }
    return false;
}

std::int64_t RawTensor::numel() const {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

}  // namespace medvae
