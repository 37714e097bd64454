#include "latent_recipe.h"

#include <ATen/ATen.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "error.h"
#include "json_value.h"
#include "sha256.h"
#include "z_array.h"

namespace medvae {
namespace {

constexpr const char* kFormat = "medvae-latent-recipe";

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out + "\"";
}

// Enough digits that reading the text back gives the same double.
std::string number(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", value);
    return buf;
}

std::string fileRef(const LatentRecipe::FileRef& ref, const char* key) {
    return "{" + quoted(key) + ": " + quoted(ref.file) + ", \"sha256\": " + quoted(ref.sha256) +
           "}";
}

std::string editJson(const LatentEdit& e) {
    std::string s = "{\"op\": " + quoted(LatentEdit::kindName(e.kind)) +
                    ", \"channel\": " + std::to_string(e.channel);
    if (e.kind == LatentEdit::Kind::Swap) s += ", \"with\": " + std::to_string(e.other);
    if (e.kind == LatentEdit::Kind::Scale || e.kind == LatentEdit::Kind::Offset ||
        e.kind == LatentEdit::Kind::Noise)
        s += ", \"value\": " + number(e.value);
    if (e.kind == LatentEdit::Kind::Noise) s += ", \"seed\": " + std::to_string(e.seed);
    return s + "}";
}

// Reads the fields of one recipe, naming the source in every message.
class RecipeReader {
  public:
    explicit RecipeReader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(source_ + ": " + what + " (not a usable latent recipe)");
    }
    const JsonValue& member(const JsonValue& object, const std::string& name) const {
        const JsonValue* v = object.isObject() ? object.find(name) : nullptr;
        if (!v) fail("\"" + name + "\" is missing");
        return *v;
    }
    std::string text(const JsonValue& object, const std::string& name) const {
        const JsonValue& v = member(object, name);
        if (!v.isString()) fail("\"" + name + "\" must be a string");
        return v.string();
    }
    double real(const JsonValue& object, const std::string& name) const {
        const JsonValue& v = member(object, name);
        if (!v.isNumber()) fail("\"" + name + "\" must be a number");
        return v.number();
    }
    std::int64_t integer(const JsonValue& object, const std::string& name, std::int64_t lo,
                         std::int64_t hi) const {
        const JsonValue& v = member(object, name);
        if (!v.isInteger() || v.integer() < lo || v.integer() > hi)
            fail("\"" + name + "\" must be a whole number from " + std::to_string(lo) + " to " +
                 std::to_string(hi));
        return v.integer();
    }
    LatentRecipe::FileRef fileRef(const JsonValue& object, const char* key) const {
        LatentRecipe::FileRef ref{text(object, key), text(object, "sha256")};
        const std::string& f = ref.file;
        if (f.empty() || f == "." || f == ".." || f.size() > 255 ||
            f.find_first_of(std::string("/\\\0", 3)) != std::string::npos)
            fail("\"" + f + "\" is not a plain file name; a recipe names files beside itself");
        if (ref.sha256.size() != 64 ||
            ref.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
            fail("the SHA-256 of \"" + f + "\" is not 64 lower-case hex digits");
        return ref;
    }
    LatentEdit edit(const JsonValue& v) const {
        if (!v.isObject()) fail("every edit must be an object");
        LatentEdit e;
        try {
            e.kind = LatentEdit::kindFromName(text(v, "op"));
        } catch (const Error& bad) {
            fail(bad.what());
        }
        e.channel = int(integer(v, "channel", 0, 1 << 20));
        if (e.kind == LatentEdit::Kind::Swap) e.other = int(integer(v, "with", 0, 1 << 20));
        if (e.kind != LatentEdit::Kind::Zero && e.kind != LatentEdit::Kind::Swap)
            e.value = real(v, "value");
        if (e.kind == LatentEdit::Kind::Noise)
            e.seed = std::uint64_t(integer(v, "seed", 0, std::int64_t(1) << 53));
        return e;
    }

  private:
    std::string source_;
};

}  // namespace

std::string LatentRecipe::toJson() const {
    std::string s = "{\n  \"format\": \"" + std::string(kFormat) + "\",\n  \"version\": 1,\n";
    s += "  \"model\": " + fileRef(model, "name") + ",\n  \"inputs\": [";
    for (std::size_t i = 0; i < inputs.size(); ++i)
        s += (i ? ", " : "") + fileRef(inputs[i], "file");
    s += "],\n";
    if (inputs.size() == 2)
        s += "  \"interpolation\": {\"mode\": " + quoted(LatentInterpolation::modeName(mode)) +
             ", \"t\": " + number(t) + "},\n";
    s += "  \"edits\": [";
    for (std::size_t i = 0; i < edits.size(); ++i)
        s += std::string(i ? ",\n    " : "\n    ") + editJson(edits[i]);
    return s + (edits.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

LatentRecipe LatentRecipe::parse(const std::string& text, const std::string& sourceName) {
    const RecipeReader r(sourceName);
    const JsonValue root = JsonValue::parse(text, sourceName, 8);
    if (!root.isObject() || r.text(root, "format") != kFormat)
        r.fail("\"format\" must be \"" + std::string(kFormat) + "\"");
    if (r.integer(root, "version", 1, 1000) != 1) r.fail("only version 1 is known");
    LatentRecipe recipe;
    const JsonValue& model = r.member(root, "model");
    recipe.model = r.fileRef(model, "name");
    const JsonValue& inputs = r.member(root, "inputs");
    if (!inputs.isArray() || inputs.array().empty() || inputs.array().size() > 2)
        r.fail("\"inputs\" must list one z file, or two to interpolate between");
    for (const JsonValue& input : inputs.array())
        recipe.inputs.push_back(r.fileRef(input, "file"));
    if (recipe.inputs.size() == 2) {
        const JsonValue& blend = r.member(root, "interpolation");
        try {
            recipe.mode = LatentInterpolation::modeFromName(r.text(blend, "mode"));
        } catch (const Error& bad) {
            r.fail(bad.what());
        }
        recipe.t = r.real(blend, "t");
        if (!(recipe.t >= 0 && recipe.t <= 1))
            r.fail("the interpolation's \"t\" must lie in [0, 1]");
    }
    const JsonValue& edits = r.member(root, "edits");
    if (!edits.isArray()) r.fail("\"edits\" must be a list");
    if (edits.array().size() > LatentEditor::kMaxEdits)
        r.fail(std::to_string(edits.array().size()) + " edits are more than the " +
               std::to_string(LatentEditor::kMaxEdits) + " allowed");
    for (const JsonValue& e : edits.array()) {
        recipe.edits.push_back(r.edit(e));
        try {
            recipe.edits.back().check(1 << 20);  // values now; channels against the model later
        } catch (const Error& bad) {
            r.fail(bad.what());
        }
    }
    return recipe;
}

LatentRecipe LatentRecipe::read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open the recipe");
    std::string text(kMaxFileBytes + 1, '\0');
    in.read(text.data(), std::streamsize(text.size()));
    text.resize(std::size_t(in.gcount()));
    if (text.size() > kMaxFileBytes)
        throw Error(path + ": larger than 1 MiB; a latent recipe is a small JSON file");
    return parse(text, path);
}

at::Tensor LatentRecipe::inputZ(const std::string& folder, int channels) const {
    std::vector<at::Tensor> z;
    for (const FileRef& input : inputs) {
        const std::string path = (folder.empty() ? std::string(".") : folder) + "/" + input.file;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec))
            throw Error(path +
                        ": the recipe's input z is missing; put it beside the recipe, or "
                        "give a z to apply the edits to");
        if (Sha256::ofFile(path) != input.sha256)
            throw Error(path +
                        ": its SHA-256 is not the one the recipe names; the recipe was made "
                        "from another file");
        z.push_back(ZArray::read(path, channels));
    }
    if (z.size() == 1) return z[0];
    return LatentInterpolation::blend(z[0], z[1], t, mode);
}

void LatentRecipe::checkModel(const std::string& name, const std::string& sha256) const {
    if (sha256 != model.sha256)
        throw Error("the recipe was made with the model '" + model.file + "' (SHA-256 " +
                    model.sha256.substr(0, 12) + "...), not with '" + name + "' (" +
                    sha256.substr(0, 12) + "...); load that model to reproduce it");
}

}  // namespace medvae
