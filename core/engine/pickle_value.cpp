#include "pickle_value.h"

namespace medvae {

using Kind = PickleValue::Kind;

const PickleValue* PickleValue::get(const std::string& key) const {
    if (kind != Kind::Dict) return nullptr;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2)
        if (items[i]->kind == Kind::String && items[i]->text == key) return items[i + 1];
    return nullptr;
}

std::string PickleValue::describe() const {
    switch (kind) {
        case Kind::None:
            return "None";
        case Kind::Bool:
            return "a boolean";
        case Kind::Int:
        case Kind::BigInt:
            return "an integer";
        case Kind::Float:
            return "a number";
        case Kind::String:
            return "a string";
        case Kind::Bytes:
            return "bytes";
        case Kind::Tuple:
            return "a tuple";
        case Kind::List:
            return "a list";
        case Kind::Dict:
            return "a dict";
        case Kind::Set:
            return "a set";
        case Kind::Global:
            return "a reference to " + text;
        case Kind::Object:
            return "an object built by " + text + " (not allowed, never run)";
        case Kind::Storage:
            return "a storage";
        case Kind::Tensor:
            return "a tensor";
    }
    return "a value";
}

}  // namespace medvae
