#include "memory_budget.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>

#include "error.h"
#include "memory_estimate.h"

namespace medvae {
namespace {

// A cgroup memory limit (v2 memory.max, else v1 limit_in_bytes); 0 when none is set.
std::uint64_t cgroupLimit() {
    for (const char* path :
         {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        std::ifstream in(path);
        std::string text;
        if (!(in >> text) || text == "max") continue;
        const std::uint64_t value = std::strtoull(text.c_str(), nullptr, 10);
        // v1 reports "no limit" as a huge page-rounded number.
        if (value > 0 && value < (std::uint64_t(1) << 60)) return value;
    }
    return 0;
}

}  // namespace

std::uint64_t MemoryBudget::availableBytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    std::uint64_t physical =
        pages > 0 && pageSize > 0 ? std::uint64_t(pages) * std::uint64_t(pageSize) : 0;
    const std::uint64_t limit = cgroupLimit();
    if (limit && (physical == 0 || limit < physical)) physical = limit;
    return physical;
}

std::uint64_t MemoryBudget::defaultBytes() {
    if (const char* text = std::getenv("MEDVAE_MAX_MEMORY_GB")) {
        char* end = nullptr;
        const double gb = std::strtod(text, &end);
        if (end != text && gb > 0) return std::uint64_t(gb * 1e9);
    }
    const std::uint64_t available = availableBytes();
    return available ? available / 4 * 3 : std::uint64_t(8) << 30;
}

MemoryBudget MemoryBudget::fromGigabytes(double gigabytes) {
    if (!(gigabytes > 0) || gigabytes > 1e6)
        throw Error("the memory budget must be a positive number of gigabytes");
    return MemoryBudget(std::uint64_t(gigabytes * 1e9));
}

std::uint64_t MemoryBudget::imageBytes(std::int64_t width, std::int64_t height) {
    return std::uint64_t(std::max<std::int64_t>(width, 0)) *
           std::uint64_t(std::max<std::int64_t>(height, 0)) * kImageBytesPerPixel;
}

std::uint64_t MemoryBudget::imagesThatFit(std::int64_t width, std::int64_t height,
                                          std::uint64_t engineBytes) const {
    const std::uint64_t each = std::max<std::uint64_t>(1, imageBytes(width, height) + engineBytes);
    return std::max<std::uint64_t>(1, bytes_ / each);
}

void MemoryBudget::check(const std::string& source, std::int64_t width, std::int64_t height,
                         std::uint64_t engineBytes) const {
    const std::uint64_t image = imageBytes(width, height), total = image + engineBytes;
    if (total <= bytes_) return;
    std::string need = formatBytes(total);
    if (engineBytes > 0)
        need += " (image " + formatBytes(image) + ", model " + formatBytes(engineBytes) + ")";
    throw LimitExceeded(
        "'" + source + "' (" + std::to_string(width) + "x" + std::to_string(height) +
        ") would need about " + need + ", over the memory budget of " + formatBytes(bytes_) +
        "; nothing was decoded. Use a smaller image or bfloat16 precision, or raise the "
        "budget (--max-memory-gb, or MEDVAE_MAX_MEMORY_GB) if the machine has the memory");
}

LoadOptions MemoryBudget::guard(
    LoadOptions options,
    std::function<std::uint64_t(std::int64_t, std::int64_t)> engineBytes) const {
    const MemoryBudget budget = *this;
    options.admit = [budget, engineBytes](const std::string& source, std::int64_t width,
                                          std::int64_t height) {
        budget.check(source, width, height, engineBytes ? engineBytes(width, height) : 0);
    };
    return options;
}

}  // namespace medvae
