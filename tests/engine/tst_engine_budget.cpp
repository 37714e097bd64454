// The engine's memory budget (EngineOptions::maxMemoryBytes): a budget under what an image needs at
// the requested band and attention chunk sizes makes the engine run it with smaller ones (the same
// numbers), and an image that cannot fit even at the smallest is refused before any work, with
// what it needs and the budget in the message. Part of tst_engine (same fixtures, same runner).

#include <ATen/ATen.h>

#include <fstream>
#include <string>

#include "engine.h"
#include "engine_check.h"
#include "engine_fixtures.h"
#include "error.h"
#include "memory_estimate.h"

using namespace medvae;
using namespace medvae::test;

namespace {

Engine engineWithBudget(const std::string& file, std::uint64_t budget) {
    EngineOptions o;
    o.maxMemoryBytes = budget;
    return Engine::fromFile(fixture(file), o);
}

// A line of /proc/self/status in kB ("VmRSS", "VmHWM").
std::uint64_t statusKb(const std::string& field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field + ":", 0) == 0) return std::stoull(line.substr(field.size() + 1));
    return 0;
}

}  // namespace

ENGINE_TEST(budgetRunsLargeImagesInSmallerBandsWithTheSameNumbers) {
    // v8_1 (attention at its lowest level) at 512x384: the requested 64 MiB bands are whole
    // images here, the smallest (2 MiB) are bands of ~40 rows; a budget between the two
    // estimates must pick bands, fit the budget, and give the unbudgeted numbers.
    const std::int64_t height = 384, width = 512;
    Engine free = engineWithBudget("v8_1.ckpt", 0);
    const std::uint64_t whole = free.estimateEncodeBytes(height, width, true);
    const BudgetedRun smallest =
        fitToBudget(free.info(), height, width, true, true, 1, std::size_t(256) << 20,
                    std::size_t(64) << 20, /*budgetBytes=*/1);
    VERIFY(!smallest.fits);
    COMPARE(smallest.bandBytes, kSmallestBandBytes);
    COMPARE(smallest.chunkBytes, kSmallestChunkBytes);
    VERIFY_MSG(
        smallest.estimate.total() < whole,
        "smallest bands " + describe(smallest.estimate.total()) + " vs whole " + describe(whole));
    const std::uint64_t budget = (smallest.estimate.total() + whole) / 2;
    Engine tight = engineWithBudget("v8_1.ckpt", budget);
    const std::uint64_t planned = tight.estimateEncodeBytes(height, width, true);
    VERIFY_MSG(planned <= budget && planned < whole,
               "planned " + describe(planned) + ", budget " + describe(budget));

    at::manual_seed(21);
    const at::Tensor image = at::rand({1, height, width}) * 2 - 1;
    const EncodeResult a = free.encode(image, {true, false, 0});
    const EncodeResult b = tight.encode(image, {true, false, 0});
    for (auto [x, y, what] : {std::tuple{a.z, b.z, "z"},
                              {a.latent, b.latent, "latent"},
                              {a.decoded, b.decoded, "decoded"}}) {
        const double d = relativeMax(y, x);
        VERIFY_MSG(d <= 1e-5, std::string(what) + ": budgeted vs free, max rel " + describe(d));
    }
    // A z decoded alone is fitted the same way.
    const std::uint64_t decodeWhole = free.estimateDecodeBytes(height / 8, width / 8);
    VERIFY(tight.estimateDecodeBytes(height / 8, width / 8) <= std::max(budget, decodeWhole));
}

ENGINE_TEST(budgetRefusesWhatCannotFitBeforeAnyWork) {
    // A 4096x3328 mammogram-sized input under a 50 MB budget: refused at once with what it needs
    // at the smallest bands and the budget, the process's peak memory not raised by the call.
    Engine engine = engineWithBudget("v8_1.ckpt", 50'000'000);
    const at::Tensor image = at::zeros({1, 3328, 4096});
    const BudgetedRun smallest = fitToBudget(engine.info(), 3328, 4096, true, true, 1,
                                             std::size_t(256) << 20, std::size_t(64) << 20, 1);
    {
        std::ofstream reset("/proc/self/clear_refs");
        reset << "5";  // restarts the peak count (VmHWM) at the current RSS
        reset.flush();
        VERIFY_MSG(bool(reset), "cannot restart the peak-RSS count (/proc/self/clear_refs)");
    }
    const std::uint64_t before = statusKb("VmRSS");
    std::string message;
    try {
        engine.encode(image, {true, false, 0});
    } catch (const LimitExceeded& e) {
        message = e.what();
    }
    const std::uint64_t rise = statusKb("VmHWM") - before;
    VERIFY_MSG(!message.empty(), "a 4096x3328 image ran under a 50 MB budget");
    const std::string needs =
        "needs about " + formatBytes(smallest.estimate.total()) + " at the smallest bands";
    VERIFY_MSG(message.find("4096x3328") != std::string::npos &&
                   message.find(needs) != std::string::npos &&
                   message.find("the memory budget is 50 MB") != std::string::npos &&
                   message.find("bf16") != std::string::npos,
               message);
    // The activations would be gigabytes; the refusal takes a few bytes of text.
    VERIFY_MSG(rise < 32 * 1024, "peak RSS rose by " + describe(rise) + " kB");

    // Decoding a z of that size alike.
    message.clear();
    try {
        engine.decode(at::zeros({1, 416, 512}));
    } catch (const LimitExceeded& e) {
        message = e.what();
    }
    VERIFY_MSG(message.find("at the smallest bands") != std::string::npos, message);
}
