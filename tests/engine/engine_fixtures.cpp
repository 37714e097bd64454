#include "engine_fixtures.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include "engine_check.h"
#include "state_dict.h"

namespace medvae::test {

std::string fixture(const std::string& name) {
    return std::string(MEDVAE_FIXTURES) + "/" + name;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

const JsonValue& manifest() {
    static const JsonValue m = [] {
        const std::string path = fixture("manifest.json");
        const std::string text = readFile(path);
        if (text.empty()) {
            std::cerr << "cannot read the fixture manifest " << path << std::endl;
            std::exit(1);
        }
        return JsonValue::parse(text, path);
    }();
    return m;
}

const JsonValue& member(const JsonValue& object, const std::string& name) {
    const JsonValue* v = object.find(name);
    if (!v) fail(__FILE__, __LINE__, "the fixture manifest lacks '" + name + "'");
    return *v;
}

at::Tensor loadNpy(const std::string& path) {
    return readNpy(path);
}

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) {
    if (!a.defined() || !b.defined() || a.sizes() != b.sizes())
        return std::numeric_limits<double>::infinity();
    if (a.numel() == 0) return 0.0;
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

double relativeMax(const at::Tensor& a, const at::Tensor& b) {
    return maxAbsDiff(a, b) / std::max(b.abs().max().item<double>(), 1e-30);
}

double relativeL2(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).norm().item<double>() /
           std::max(b.to(at::kDouble).norm().item<double>(), 1e-30);
}

bool close(const at::Tensor& a, const at::Tensor& b, double atol, double rtol, std::string* why) {
    const double diff = maxAbsDiff(a, b);
    const double scale = b.defined() && b.numel() ? b.abs().max().item<double>() : 0.0;
    const double tol = atol + rtol * scale;
    if (diff <= tol) return true;
    if (why) {
        auto shape = [](const at::Tensor& t) {
            return t.defined() ? shapeString(t.sizes()) : std::string("undefined");
        };
        std::ostringstream s;
        s << "max |diff| " << diff << " > tolerance " << tol << " (shapes " << shape(a) << " vs "
          << shape(b) << ")";
        *why = s.str();
    }
    return false;
}

}  // namespace medvae::test
