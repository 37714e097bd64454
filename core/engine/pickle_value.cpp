#include "pickle_value.h"

#include <iterator>

namespace medvae {

using Kind = PickleValue::Kind;

const PickleValue* PickleValue::get(const std::string& key) const {
    if (kind != Kind::Dict) return nullptr;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2)
        if (items[i]->kind == Kind::String && items[i]->text == key) return items[i + 1];
    return nullptr;
}

std::string PickleValue::describe() const {
    if (kind == Kind::Global) return "a reference to " + text;
    if (kind == Kind::Object) return "an object built by " + text + " (not allowed, never run)";
    // In the order of Kind; Global and Object are answered above.
    static const char* const kNames[] = {"None",     "a boolean", "an integer", "an integer",
                                         "a number", "a string",  "bytes",      "a tuple",
                                         "a list",   "a dict",    "a set",      "",
                                         "",         "a storage", "a tensor"};
    static_assert(std::size(kNames) == std::size_t(Kind::Tensor) + 1, "one name per Kind");
    const auto index = std::size_t(kind);
    return index < std::size(kNames) ? kNames[index] : "a value";
}

}  // namespace medvae
