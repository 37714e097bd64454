// Training of the demo models: a short run learns, writes a checkpoint the loader reads back with
// identical outputs, and resumes exactly; the demo dataset's composition; the shipped models.

#include <ATen/ATen.h>

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <set>
#include <tuple>

#include "demo_dataset.h"
#include "engine.h"
#include "error.h"
#include "fixture_data.h"
#include "image_loader.h"
#include "preprocessing.h"
#include "sha256.h"
#include "trainer.h"

using namespace medvae;

namespace {

Architecture tinyArchitecture() {
    Architecture a;
    a.inChannels = a.outChannels = 3;
    a.ch = 32;
    a.chMult = {1, 2};
    a.numResBlocks = 1;
    a.midAttention = true;
    a.zChannels = a.embedChannels = 4;
    return a;
}

// Smooth synthetic 32 x 32 images (and 40 x 32 ones, of a second modality): gradients and a
// bright disc at varying places.
std::vector<DatasetImage> syntheticImages() {
    std::vector<DatasetImage> images;
    for (int k = 0; k < 12; ++k) {
        DatasetImage img;
        img.name = "synthetic/" + std::to_string(k);
        img.modality = k % 3 ? "mr" : "ct";
        img.group = "synthetic " + img.modality;
        img.width = k % 3 ? 32 : 40;
        img.height = 32;
        img.heldOut = k >= 9;
        for (int y = 0; y < img.height; ++y)
            for (int x = 0; x < img.width; ++x) {
                const double disc = std::hypot(x - 8 - k, y - 20 + k) < 6 ? 0.5 : 0.0;
                img.pixels.push_back(
                    float(std::clamp(0.3 * x / 31.0 + 0.2 * y / 31.0 + disc, 0.0, 1.0)));
            }
        img.pixels[0] = 0.0f;  // full [0, 1] range, as the dataset's images have
        img.pixels[1] = 1.0f;
        images.push_back(img);
    }
    return images;
}

TrainOptions tinyOptions(int steps) {
    TrainOptions o;
    // Crops, then whole images, as the demo model is trained.
    o.stages = {TrainStage{steps - steps / 4, 6, 16, 2e-3, 5},
                TrainStage{steps / 4, 2, 0, 1e-3, 2}};
    o.logEvery = 10;
    o.saveEvery = 10;
    o.seed = 3;
    return o;
}

StateDict trainTiny(int steps, const std::string& state = "", std::vector<double>* l1 = nullptr,
                    int stopAt = 0) {
    TrainOptions o = tinyOptions(steps);
    o.stopAt = stopAt;
    Trainer trainer(tinyArchitecture(), o);
    return trainer.train(syntheticImages(), state, [&](const std::string& line) {
        const auto m = QRegularExpression("L1 ([0-9.]+)").match(QString::fromStdString(line));
        if (l1 && m.hasMatch()) l1->push_back(m.captured(1).toDouble());
    });
}

}  // namespace

class TestTraining : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    // The two layouts medvae-train trains are those of published variants; no other factor.
    void demoArchitectures() {
        for (const auto& [factor, variant, channels] :
             {std::tuple{8, "medvae_8_4_2d", 4}, std::tuple{4, "medvae_4_3_2d", 3}}) {
            const Architecture a = demoArchitecture(factor);
            QCOMPARE(a.factor(), factor);
            QCOMPARE(QString::fromStdString(a.variantName()), QString(variant));
            QCOMPARE(a.embedChannels, channels);
            QCOMPARE(a.inChannels, 3);
            QVERIFY(!a.lora);
        }
        QVERIFY_THROWS_EXCEPTION(Error, demoArchitecture(2));
        QVERIFY_THROWS_EXCEPTION(Error, demoArchitecture(16));
    }

    void shortRunLearnsAndRoundTrips() {
        std::vector<double> l1;
        const StateDict initial = trainTiny(0);
        const StateDict trained = trainTiny(80, "", &l1);
        QCOMPARE(int(l1.size()), 8);
        QVERIFY2(l1.back() < 0.6 * l1.front(),
                 qPrintable(QString("L1 %1 -> %2").arg(l1.front()).arg(l1.back())));

        const auto images = syntheticImages();
        Engine before = Engine::fromStateDict(initial, "initial");
        Engine after = Engine::fromStateDict(trained, "trained");
        const Evaluation e0 = Trainer::evaluate(before, images),
                         e1 = Trainer::evaluate(after, images);
        QCOMPARE(e1.all.images, 3);
        QCOMPARE(e1.byModality.at("ct").images, 1);  // image 9 (40 x 32)
        QCOMPARE(e1.byModality.at("mr").images, 2);
        QCOMPARE(e1.whole.images, 3);
        QCOMPARE(e1.crops.images, 0);
        QVERIFY2(
            e1.all.psnr > e0.all.psnr + 3,
            qPrintable(QString("held-out PSNR %1 -> %2 dB").arg(e0.all.psnr).arg(e1.all.psnr)));
        // The stage-2 head is left as the identity: latent == z.
        Image img;
        img.width = img.height = 32;
        img.channels = 1;
        img.pixels = images[0].pixels;
        const at::Tensor input = Preprocessing::toModelInput(img, 3);
        const EncodeResult r = after.encode(input);
        QVERIFY(test::maxAbsDiff(r.latent, r.z) < 1e-5);

        // Saved in the upstream format and read back: identical outputs.
        QTemporaryDir dir;
        const std::string path = dir.filePath("tiny.ckpt").toStdString();
        Trainer::saveCheckpoint(trained, path, {{"kind", "test"}}, /*half=*/false);
        Engine loaded = Engine::fromFile(path);
        EncodeOptions o;
        o.decode = true;
        const EncodeResult a = after.encode(input, o), b = loaded.encode(input, o);
        QCOMPARE(test::maxAbsDiff(a.latent, b.latent), 0.0);
        QCOMPARE(test::maxAbsDiff(a.decoded, b.decoded), 0.0);
        QCOMPARE(loaded.info().otherEntries, std::vector<std::string>({"medvae_studio"}));
    }

    void resumeContinuesExactly() {
        QTemporaryDir dir;
        const std::string state = dir.filePath("run.state").toStdString();
        trainTiny(20, state, nullptr, 17);               // interrupted after 17 steps, state saved
        const StateDict resumed = trainTiny(20, state);  // picks up at step 17, in the second stage
        const StateDict straight = trainTiny(20);
        double worst = 0;
        for (const auto& [key, t] : straight)
            worst = std::max(worst, test::maxAbsDiff(resumed.at(key), t));
        QVERIFY2(worst < 1e-6, qPrintable(QString("resumed weights differ by %1").arg(worst)));
    }

    // A state written for another network (here one of 3 latent channels instead of 4), or a
    // file that is no state, is refused in words instead of resumed.
    void resumeRefusesAnotherNetwork() {
        QTemporaryDir dir;
        const std::string state = dir.filePath("run.state").toStdString();
        trainTiny(20, state, nullptr, 10);
        Architecture other = tinyArchitecture();
        other.zChannels = other.embedChannels = 3;
        Trainer trainer(other, tinyOptions(20));
        const auto resume = [&] { trainer.train(syntheticImages(), state, [](const auto&) {}); };
        try {
            resume();
            QFAIL("a state of another network was resumed");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("is not one of this network"), e.what());
        }
        QFile damaged(QString::fromStdString(state));
        QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
        damaged.write("not a state");
        damaged.close();
        QVERIFY_THROWS_EXCEPTION(Error, resume());
    }

    // evaluate() compares what the model returns: factor * floor(side / factor) pixels a side,
    // as upstream's decoder gives for a side that is not a multiple of the factor.
    void evaluateComparesTheReconstructedRegion() {
        const StateDict trained = trainTiny(40);
        Engine engine = Engine::fromStateDict(trained, "trained");
        QCOMPARE(engine.info().architecture.factor(), 2);  // the tiny layout downsamples once
        DatasetImage odd = syntheticImages()[10];
        odd.heldOut = true;
        // 37 x 31: the reconstruction is 36 x 30, compared with the top-left 36 x 30 pixels.
        std::vector<float> pixels;
        for (int y = 0; y < 31; ++y)
            for (int x = 0; x < 37; ++x)
                pixels.push_back(
                    odd.pixels[std::size_t(y * odd.width + std::min(x, odd.width - 1))]);
        odd.width = 37;
        odd.height = 31;
        odd.pixels = pixels;
        const Evaluation e = Trainer::evaluate(engine, {odd});
        Image img;
        img.width = 37;
        img.height = 31;
        img.channels = 1;
        img.pixels = pixels;
        EncodeOptions o;
        o.decode = true;
        const at::Tensor input = Preprocessing::toModelInput(img, 3);
        const EncodeResult r = engine.encode(input, o);
        QCOMPARE(r.decoded.sizes().vec(), std::vector<std::int64_t>({3, 30, 36}));
        const at::Tensor original = (input[0].slice(0, 0, 30).slice(1, 0, 36) + 1) / 2;
        const at::Tensor recon = ((r.decoded.mean(0) + 1) / 2).clamp(0, 1);
        const double mse = (original - recon).pow(2).mean().item<double>();
        QVERIFY2(std::abs(e.all.psnr - 10 * std::log10(1 / mse)) < 1e-3,
                 qPrintable(QString("%1 vs %2 dB").arg(e.all.psnr).arg(10 * std::log10(1 / mse))));
    }

    // The bundled demo models: hash, layout, latents of the samples, and quality by modality.
    void shippedDemoModel_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("sha256");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<std::vector<int>>("chMult");
        QTest::addColumn<std::vector<std::int64_t>>("latentShape");  // of a 256 x 256 sample
        QTest::addColumn<std::vector<double>>("floors");             // MR, CT, radiographs (dB)
        // The 8x model measures 27.65 (MR), 30.57 (CT) and 31.05 dB (radiographs) here; the floors
        // are regression guards just under that, above what the model it replaced reached on the
        // whole held-out set (24.8, 27.5 and 27.4 dB).
        QTest::newRow("8x4") << QString(MEDVAE_DEMO_MODEL) << QString(MEDVAE_DEMO_MODEL_SHA256)
                             << QString("medvae_8_4_2d") << std::vector<int>{1, 2, 2, 4}
                             << std::vector<std::int64_t>{4, 32, 32}
                             << std::vector<double>{27.3, 30.0, 30.5};
        // The 4x model measures 30.34 (MR), 33.76 (CT) and 34.26 dB (radiographs) here: MR must
        // stay at the 30 dB a demo model should reach, CT and radiographs just under what it has.
        QTest::newRow("4x3") << QString(MEDVAE_DEMO_MODEL_4X3)
                             << QString(MEDVAE_DEMO_MODEL_4X3_SHA256) << QString("medvae_4_3_2d")
                             << std::vector<int>{1, 2, 2} << std::vector<std::int64_t>{3, 64, 64}
                             << std::vector<double>{30.0, 33.4, 33.9};
    }

    void shippedDemoModel() {
        QFETCH(QString, path);
        QFETCH(QString, sha256);
        QFETCH(QString, variant);
        QFETCH(std::vector<int>, chMult);
        QFETCH(std::vector<std::int64_t>, latentShape);
        QFETCH(std::vector<double>, floors);
        QVERIFY2(QFile::exists(path), qPrintable(path + " is missing"));
        QCOMPARE(QString::fromStdString(Sha256::ofFile(path.toStdString())), sha256);
        Engine engine = Engine::fromFile(path.toStdString());
        const ModelInfo& info = engine.info();
        QCOMPARE(QString::fromStdString(info.variant), variant);
        QCOMPARE(info.architecture.ch, 32);
        QCOMPARE(info.architecture.chMult, chMult);
        QCOMPARE(info.architecture.numResBlocks, 1);
        QCOMPARE(QString::fromStdString(info.storedDType), QString("float16"));
        QVERIFY(info.unexpectedKeys.empty());
        const auto field = [&](const std::string& key) {
            const auto it = info.metadata.find(key);
            return it == info.metadata.end() ? QString() : QString::fromStdString(it->second);
        };
        QCOMPARE(field("kind"), QString("demo model"));
        QVERIFY2(field("name").contains(variant), qPrintable(field("name")));
        for (const char* sample : {"colin27_t1_coronal.png", "colin27_projection_lateral.png",
                                   "colin27_t1_coronal.dcm"}) {
            const Image image = ImageLoader::load(std::string(MEDVAE_SAMPLES) + "/" + sample);
            EncodeOptions o;
            o.decode = true;
            const EncodeResult r = engine.encode(Preprocessing::toModelInput(image, 3), o);
            QCOMPARE(r.latent.sizes().vec(), latentShape);
            QVERIFY(at::isfinite(r.latent).all().item<bool>());
            QVERIFY(r.latent.std().item<double>() > 0.01);
            QCOMPARE(r.decoded.sizes().vec(), std::vector<std::int64_t>({3, 256, 256}));
        }
        // Its quality on held-out images of each modality (fewer simulated ones than
        // `medvae-train evaluate` uses; the README has the full table).
        DatasetCounts few;
        few.ctHeldOut = 6;
        few.radiographHeldOut = 6;
        const Evaluation e = Trainer::evaluate(
            engine, DemoDataset::build(DatasetSources(), DemoDataset::Part::HeldOutOnly, few));
        const char* modalities[] = {"mr", "ct", "radiograph"};
        for (std::size_t i = 0; i < std::size(modalities); ++i) {
            const Quality& q = e.byModality.at(modalities[i]);
            qInfo("%s: %d images, PSNR %.2f dB, SSIM %.4f", modalities[i], q.images, q.psnr,
                  q.ssim);
            QVERIFY2(q.images >= 10 && q.psnr >= floors[i] && q.ssim > 0.5,
                     qPrintable(QString("%1: %2 images, PSNR %3 dB, SSIM %4")
                                    .arg(modalities[i])
                                    .arg(q.images)
                                    .arg(q.psnr)
                                    .arg(q.ssim)));
        }
    }
};

QTEST_GUILESS_MAIN(TestTraining)
#include "tst_training.moc"
