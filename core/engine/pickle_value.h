#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "raw_tensor.h"

namespace medvae {

// One value produced by RestrictedUnpickler. Values live in the unpickler's arena and refer to
// each other by plain pointers, so that no value owns another: a hostile, deeply nested pickle
// can neither overflow the stack while being destroyed nor leak through reference cycles.
struct PickleValue {
    enum class Kind {
        None,
        Bool,
        Int,
        BigInt,  // an integer that does not fit 64 bits; kept only as a marker
        Float,
        String,
        Bytes,
        Tuple,
        List,
        Dict,  // items = key0, value0, key1, value1, ...
        Set,
        Global,   // a reference to module.name; `text` holds "module.name"
        Object,   // an opaque result of calling a global we do not run; `text` names it
        Storage,  // a tensor storage named by a persistent id
        Tensor,   // a view into a Storage
    };

    Kind kind = Kind::None;
    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0.0;
    std::string text;
    std::vector<PickleValue*> items;  // Tuple, List, Set, Dict; an Object's SETITEMS pairs
    PickleValue* args = nullptr;   // Object: the arguments it was called with (shared, not copied)
    PickleValue* state = nullptr;  // Object: what BUILD gave it

    // Storage: its element type, archive key and declared element count.
    DType dtype = DType::Float32;
    std::int64_t storageNumel = 0;

    // Tensor: the storage it views, its element offset, sizes and strides (in elements).
    PickleValue* storage = nullptr;
    std::int64_t storageOffset = 0;
    std::vector<std::int64_t> sizes;
    std::vector<std::int64_t> strides;

    bool isString() const { return kind == Kind::String; }
    // Dict lookup by string key; nullptr when absent or when this is not a Dict.
    const PickleValue* get(const std::string& key) const;
    // A short description for error messages ("a dict", "an opaque os.system object", ...).
    std::string describe() const;
};

}  // namespace medvae
