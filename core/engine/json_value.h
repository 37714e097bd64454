#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace medvae {

// A small strict JSON reader for file headers (safetensors). Nesting depth and size are bounded
// by the caller's input; malformed text throws medvae::Error naming `sourceName`.
class JsonValue {
  public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    static JsonValue parse(const std::string& text, const std::string& sourceName,
                           int maxDepth = 64);

    Type type() const { return type_; }
    bool isObject() const { return type_ == Type::Object; }
    bool isArray() const { return type_ == Type::Array; }
    bool isString() const { return type_ == Type::String; }
    bool isNumber() const { return type_ == Type::Number; }
    bool isInteger() const { return type_ == Type::Number && integral_; }
    bool isBool() const { return type_ == Type::Bool; }
    bool boolean() const { return boolean_; }

    const std::string& string() const { return text_; }
    double number() const { return number_; }
    std::int64_t integer() const { return integer_; }
    const std::vector<JsonValue>& array() const { return array_; }
    // Members in the order they appeared; duplicate names are refused at parse time.
    const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }
    const JsonValue* find(const std::string& name) const;

  private:
    friend class JsonParser;
    Type type_ = Type::Null;
    bool boolean_ = false;
    bool integral_ = false;
    double number_ = 0;
    std::int64_t integer_ = 0;
    std::string text_;
    std::vector<JsonValue> array_;
    std::vector<std::pair<std::string, JsonValue>> members_;
};

}  // namespace medvae
