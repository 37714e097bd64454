#include "json_value.h"

#include <cerrno>
#include <cstdlib>
#include <set>

#include "error.h"

namespace medvae {

class JsonParser {
  public:
    JsonParser(const std::string& text, const std::string& source, int maxDepth)
        : s_(text), source_(source), maxDepth_(maxDepth) {}

    JsonValue document() {
        JsonValue v = value(0);
        skipSpace();
        if (pos_ != s_.size()) fail("unexpected text after the end");
        return v;
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error("'" + source_ + "': malformed JSON at character " + std::to_string(pos_) +
                    ": " + what);
    }
    void skipSpace() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    bool consume(const char* word) {
        std::size_t n = std::char_traits<char>::length(word);
        if (s_.compare(pos_, n, word) == 0) {
            pos_ += n;
            return true;
        }
        return false;
    }
    // True, and past it, when the next character is `ch`.
    bool take(char ch) {
        if (pos_ < s_.size() && s_[pos_] == ch) {
            ++pos_;
            return true;
        }
        return false;
    }
    JsonValue value(int depth) {
        if (depth > maxDepth_) fail("nested too deeply");
        skipSpace();
        if (pos_ >= s_.size()) fail("unexpected end");
        const char c = s_[pos_];
        if (c == '{') return object(depth);
        if (c == '[') return array(depth);
        JsonValue v;
        if (c == '"') {
            v.type_ = JsonValue::Type::String;
            v.text_ = string();
            return v;
        }
        if (consume("true") || consume("false")) {
            v.type_ = JsonValue::Type::Bool;
            v.boolean_ = s_[pos_ - 1] == 'e' && s_[pos_ - 2] == 'u';
            return v;
        }
        if (consume("null")) return v;
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        fail("unexpected character");
    }
    JsonValue object(int depth) {
        JsonValue v;
        v.type_ = JsonValue::Type::Object;
        ++pos_;
        skipSpace();
        if (take('}')) return v;
        std::set<std::string> seen;
        for (;;) {
            skipSpace();
            if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a member name");
            std::string name = string();
            if (!seen.insert(name).second) fail("duplicate member '" + name + "'");
            skipSpace();
            if (!take(':')) fail("expected ':'");
            v.members_.emplace_back(std::move(name), value(depth + 1));
            skipSpace();
            if (take(',')) continue;
            if (take('}')) return v;
            fail("expected ',' or '}'");
        }
    }
    JsonValue array(int depth) {
        JsonValue v;
        v.type_ = JsonValue::Type::Array;
        ++pos_;
        skipSpace();
        if (take(']')) return v;
        for (;;) {
            v.array_.push_back(value(depth + 1));
            skipSpace();
            if (take(',')) continue;
            if (take(']')) return v;
            fail("expected ',' or ']'");
        }
    }
    // One or more decimal digits.
    void digits() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
            ++pos_;
        if (pos_ == start) fail("malformed number");
    }
    JsonValue number() {
        const std::size_t start = pos_;
        take('-');
        // JSON's integer part is 0 or starts with 1-9: "01" is not a number (other readers of
        // the same header would refuse it).
        if (!take('0')) digits();
        bool integral = true;
        if (take('.')) {
            integral = false;
            digits();
        }
        if (take('e') || take('E')) {
            integral = false;
            if (!take('+')) take('-');
            digits();
        }
        JsonValue v;
        v.type_ = JsonValue::Type::Number;
        const std::string text = s_.substr(start, pos_ - start);
        v.number_ = std::strtod(text.c_str(), nullptr);
        if (integral) {
            errno = 0;
            long long i = std::strtoll(text.c_str(), nullptr, 10);
            v.integral_ = errno == 0;
            if (v.integral_) v.integer_ = i;
        }
        return v;
    }
    std::string string() {
        ++pos_;  // opening quote
        std::string out;
        for (;;) {
            if (pos_ >= s_.size()) fail("unterminated string");
            const unsigned char c = static_cast<unsigned char>(s_[pos_++]);
            if (c == '"') return out;
            if (c < 0x20) fail("control character in string");
            if (c == '\\')
                escape(out);
            else
                out.push_back(char(c));
        }
    }
    // The escape after a backslash, appended to `out` as UTF-8.
    void escape(std::string& out) {
        static const std::string kLetters = "\"\\/bfnrt";
        static const std::string kMeanings = "\"\\/\b\f\n\r\t";
        if (pos_ >= s_.size()) fail("unterminated escape");
        const char e = s_[pos_++];
        const std::size_t simple = kLetters.find(e);
        if (simple != std::string::npos) {
            out.push_back(kMeanings[simple]);
            return;
        }
        if (e != 'u') fail("unknown escape");
        std::uint32_t cp = hex4();
        // A low surrogate must follow a high one; alone, either is not a character.
        if (cp >= 0xDC00 && cp < 0xE000) fail("unpaired surrogate");
        if (cp >= 0xD800 && cp < 0xDC00) {
            if (!consume("\\u")) fail("unpaired surrogate");
            std::uint32_t lo = hex4();
            if (lo < 0xDC00 || lo >= 0xE000) fail("unpaired surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        appendUtf8(out, cp);
    }
    std::uint32_t hex4() {
        if (s_.size() - pos_ < 4) fail("short \\u escape");
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = s_[pos_++];
            v <<= 4;
            if (h >= '0' && h <= '9')
                v |= std::uint32_t(h - '0');
            else if (h >= 'a' && h <= 'f')
                v |= std::uint32_t(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                v |= std::uint32_t(h - 'A' + 10);
            else
                fail("bad \\u escape");
        }
        return v;
    }
    static void appendUtf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out.push_back(char(cp));
        } else if (cp < 0x800) {
            out.push_back(char(0xC0 | (cp >> 6)));
            out.push_back(char(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(char(0xE0 | (cp >> 12)));
            out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(char(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(char(0xF0 | (cp >> 18)));
            out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(char(0x80 | (cp & 0x3F)));
        }
    }

    const std::string& s_;
    const std::string& source_;
    int maxDepth_;
    std::size_t pos_ = 0;
};

JsonValue JsonValue::parse(const std::string& text, const std::string& sourceName, int maxDepth) {
    return JsonParser(text, sourceName, maxDepth).document();
}

const JsonValue* JsonValue::find(const std::string& name) const {
    for (const auto& [key, value] : members_)
        if (key == name) return &value;
    return nullptr;
}

}  // namespace medvae
