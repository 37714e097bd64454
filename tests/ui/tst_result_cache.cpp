// The Inspect tab's result cache: bounded by the number of results and by the memory they hold
// together (each buffer counted once: MemoryTally), least recently used first, the newest kept;
// and what a real result's tally holds.

#include <QTest>

#include <ATen/ATen.h>

#include <memory>

#include "memory_budget.h"
#include "memory_tally.h"
#include "reconstruction.h"
#include "rendered_result.h"
#include "result_cache.h"
#include "scalar_map.h"

using namespace medvae;
using namespace medvae::ui;

namespace {

// A result holding only its loaded image: width x height grey floats, 4 bytes each.
std::shared_ptr<const jobs::InferenceOutcome> imageOnly(int width, int height) {
    auto o = std::make_shared<jobs::InferenceOutcome>();
    o->image.width = width;
    o->image.height = height;
    o->image.channels = 1;
    o->image.pixels.assign(std::size_t(width) * std::size_t(height), 0.25f);
    return o;
}

std::size_t tallied(const jobs::InferenceOutcome& outcome) {
    MemoryTally tally;
    outcome.tally(tally);
    return tally.total();
}

}  // namespace

class TestResultCache : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void aBufferCountsOnceHoweverOftenItIsAdded() {
        Image image;
        image.width = 25;
        image.height = 10;
        image.channels = 1;
        image.pixels.assign(250, 1.0f);
        MemoryTally tally;
        tally.add(image);
        tally.add(image);
        QCOMPARE(tally.total(), std::size_t(1000));
        const Image copy = image;  // a copy has its own pixels
        tally.add(copy);
        QCOMPARE(tally.total(), std::size_t(2000));
        const at::Tensor t = at::zeros({2, 10, 10});
        tally.add(t);
        tally.add(t.narrow(0, 1, 1));  // a view of the same storage
        QCOMPARE(tally.total(), std::size_t(2000 + 800));
        tally.add(at::Tensor());  // undefined: nothing
        tally.add(nullptr, 64);
        QCOMPARE(tally.total(), std::size_t(2800));
    }

    void aResultsTallyHoldsItsImagesTensorsAndPictures() {
        // A grey 64x48 result prepared as the app prepares it (comparison, heatmaps, latent maps).
        constexpr int w = 64, h = 48;
        auto outcome = std::make_shared<jobs::InferenceOutcome>();
        outcome->image.width = w;
        outcome->image.height = h;
        outcome->image.channels = 1;
        outcome->image.meta.bitsPerSample = 16;
        for (int i = 0; i < w * h; ++i)
            outcome->image.pixels.push_back(float((i * 37) % 4096));
        at::manual_seed(3);
        outcome->result.decoded = at::rand({1, h, w}) * 2 - 1;
        outcome->result.z = at::rand({4, h / 8, w / 8});
        outcome->result.latent = at::rand({4, h / 8, w / 8});
        outcome->backend.factor = 8;
        outcome->reconstruction = std::make_shared<const Reconstruction>(
            compareReconstruction(outcome->image, outcome->result.decoded));
        outcome->rendering = RenderedResult::prepare(*outcome, LatentMaps::Settings{});
        const RenderedResult* r = RenderedResult::of(*outcome);
        QVERIFY(r && r->comparison);

        // What it must count, all distinct buffers: the image, three tensors, the
        // reconstruction's three images, and the pictures drawn from them: the original and the
        // reconstruction at their first window and both heatmaps, full size, and the thumbnail.
        const std::size_t plane = std::size_t(w) * h * 4;
        const std::size_t latent = std::size_t(4) * (h / 8) * (w / 8) * 4;
        const std::size_t least = plane + plane + 2 * latent + 3 * plane + 4 * plane +
                                  std::size_t(r->thumbnail.sizeInBytes());
        // At most beside them: the absolute heatmap's values, the windowed images' own copies
        // of their pixels, and the latent maps' values and pictures (latent-sized).
        const std::size_t most = least + 3 * plane + 64 * latent;
        const std::size_t total = tallied(*outcome);
        QVERIFY2(total >= least && total <= most,
                 qPrintable(QString("%1 bytes, expected %2..%3").arg(total).arg(least).arg(most)));
        // The signed heatmap of a grey result shares the signed error: not counted again.
        MemoryTally parts;
        parts.add(*outcome->reconstruction);
        const std::size_t before = parts.total();
        r->comparison->heatmap(ErrorHeatmap::Kind::Signed).map->tally(parts);
        QCOMPARE(
            parts.total() - before,
            std::size_t(
                r->comparison->heatmap(ErrorHeatmap::Kind::Signed).map->rendered().sizeInBytes()));
    }

    void theCacheKeepsWhatFitsItsBudget() {
        const std::size_t one = 100 * 100 * 4;
        ResultCache cache(32, one * 5 / 2);
        cache.insert("a", imageOnly(100, 100));
        cache.insert("b", imageOnly(100, 100));
        QCOMPARE(cache.size(), 2);
        QCOMPARE(cache.bytes(), 2 * one);
        QVERIFY(cache.find("a"));  // a is now the most recently used
        cache.insert("c", imageOnly(100, 100));
        QCOMPARE(cache.size(), 2);
        QVERIFY(cache.contains("a") && cache.contains("c") && !cache.contains("b"));
        QCOMPARE(cache.bytes(), 2 * one);
    }

    void theNewestResultStaysEvenAboveTheBudget() {
        ResultCache cache(32, 1000);
        cache.insert("small", imageOnly(10, 10));  // 400 bytes
        cache.insert("large", imageOnly(100, 100));
        QCOMPARE(cache.size(), 1);
        QVERIFY(cache.contains("large"));
        QCOMPARE(cache.bytes(), std::size_t(40000));
    }

    void oneResultUnderTwoKeysCountsOnce() {
        const std::size_t one = 100 * 100 * 4;
        ResultCache cache(32, one * 3 / 2);
        const auto shared = imageOnly(100, 100);
        cache.insert("with B", shared);
        cache.insert("without B", shared);
        QCOMPARE(cache.size(), 2);
        QCOMPARE(cache.bytes(), one);
        cache.insert("other", imageOnly(100, 100));  // both keys of the older result go
        QCOMPARE(cache.size(), 1);
        QVERIFY(cache.contains("other"));
    }

    void theCountStillBoundsSmallResults() {
        ResultCache cache(3, std::size_t(1) << 30);
        for (const char* key : {"a", "b", "c", "d"})
            cache.insert(key, imageOnly(8, 8));
        QCOMPARE(cache.size(), 3);
        QVERIFY(!cache.contains("a"));
    }

    void theDefaultBudgetIsTwoGigabytesOrAnEighthOfTheMemory() {
        const std::uint64_t available = MemoryBudget::availableBytes();
        QVERIFY(available > 0);
        const std::uint64_t expected =
            available / 8 < (std::uint64_t(2) << 30) ? available / 8 : std::uint64_t(2) << 30;
        QCOMPARE(std::uint64_t(ResultCache::defaultBudgetBytes()), expected);
    }
};

QTEST_MAIN(TestResultCache)
#include "tst_result_cache.moc"
