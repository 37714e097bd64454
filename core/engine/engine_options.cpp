// The spellings of devices and precisions that every program reads and prints.
#include <algorithm>
#include <string>

#include "engine.h"
#include "error.h"

namespace medvae {

const char* deviceName(DeviceKind device) {
    return device == DeviceKind::Cuda ? "cuda" : "cpu";
}
const char* precisionName(Precision precision) {
    switch (precision) {
        case Precision::BFloat16:
            return "bfloat16";
        case Precision::Float16:
            return "float16";
        default:
            return "float32";
    }
}
const char* precisionFlag(Precision precision) {
    switch (precision) {
        case Precision::BFloat16:
            return "bf16";
        case Precision::Float16:
            return "fp16";
        default:
            return "fp32";
    }
}

std::string deviceLabel(DeviceKind device, int index) {
    return device == DeviceKind::Cuda ? "cuda:" + std::to_string(index) : "cpu";
}

void parseDevice(const std::string& text, EngineOptions& options) {
    if (text == "cpu") {
        options.device = DeviceKind::Cpu;
        options.deviceIndex = 0;
        return;
    }
    if (text == "cuda" || text == "gpu") {
        options.device = DeviceKind::Cuda;
        options.deviceIndex = 0;
        return;
    }
    const std::string prefix = "cuda:";
    if (text.size() > prefix.size() && text.size() <= prefix.size() + 3 &&
        text.compare(0, prefix.size(), prefix) == 0 &&
        std::all_of(text.begin() + std::ptrdiff_t(prefix.size()), text.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
        options.device = DeviceKind::Cuda;
        options.deviceIndex = std::stoi(text.substr(prefix.size()));
        return;
    }
    throw Error("unknown device '" + text + "': use cpu, cuda or cuda:N (N = 0, 1, ...)");
}

Precision parsePrecision(const std::string& text) {
    if (text == "fp32" || text == "float32") return Precision::Float32;
    if (text == "bf16" || text == "bfloat16") return Precision::BFloat16;
    if (text == "fp16" || text == "float16" || text == "half") return Precision::Float16;
    throw Error("unknown precision '" + text + "': use fp32, bf16 or fp16");
}

}  // namespace medvae
