// The demo model's data: the CT simulation is calibrated in Hounsfield units, the radiograph
// projections are exact line integrals, exposures store integers of their bit depth; the
// dataset's composition (what is held out, what is never trained on, crops of any shape) and its
// determinism; training batches (modality balance, renormalised windows, shapes).

#include <ATen/ATen.h>

#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "ct_simulation.h"
#include "demo_dataset.h"
#include "error.h"
#include "radiograph_simulation.h"
#include "trainer.h"
#include "training_batches.h"

using namespace medvae;

namespace {

// Mean of a (2r+1)^2 window of a CV_32F matrix around (x, y).
double meanAround(const cv::Mat& m, int x, int y, int r) {
    return cv::mean(m(cv::Rect(x - r, y - r, 2 * r + 1, 2 * r + 1)))[0];
}

DatasetCounts smallCounts() {
    DatasetCounts c;
    c.ctTrain = 4;
    c.ctHeldOut = 3;
    c.radiographTrain = 4;
    c.radiographHeldOut = 3;
    c.mrSliceStep = 16;
    return c;
}

bool contains(const std::string& s, const char* part) {
    return s.find(part) != std::string::npos;
}

// A w x h image of modality whose values rise by dx per column and dy per row, in [0, 1].
DatasetImage ramp(const std::string& modality, int w, int h, int dx, int dy) {
    DatasetImage img;
    img.name = modality + "/" + std::to_string(w) + "x" + std::to_string(h);
    img.modality = modality;
    img.width = w;
    img.height = h;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            img.pixels.push_back(float(dx * x + dy * y) / float(dx * (w - 1) + dy * (h - 1)));
    return img;
}

// How a window (model range) was cut from ramp(..., dx, dy): its steps along its rows and
// columns, and whether they are even (the renormalised ramp is linear).
struct RampWindow {
    float alongRow = 0, alongColumn = 0;
    bool linear = true;
};

RampWindow rampWindow(const at::Tensor& window) {
    const at::Tensor w = window.contiguous();
    const std::int64_t h = w.size(0), wd = w.size(1);
    RampWindow r;
    r.alongRow = (w[0][1] - w[0][0]).item<float>();
    r.alongColumn = (w[1][0] - w[0][0]).item<float>();
    const at::Tensor x = at::arange(wd, at::kFloat).view({1, wd});
    const at::Tensor y = at::arange(h, at::kFloat).view({h, 1});
    const at::Tensor expected = w[0][0] + r.alongRow * x + r.alongColumn * y;
    r.linear = (w - expected).abs().max().item<float>() < 1e-4f;
    return r;
}

}  // namespace

class TestDemoData : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    // Water reads 0 HU, air -1000 HU, a 1000 HU insert about 1000 HU; outside the field of view
    // the padding value; integers within the 12-bit range.
    void ctReconstructionIsCalibrated() {
        const std::vector<CtSimulation::Ellipse> phantom{{0, 0, 0.7, 0.7, 0, 0},
                                                         {0.35, 0, 0.12, 0.12, 0, 1000},
                                                         {-0.35, 0, 0.12, 0.12, 0, -1000}};
        CtSimulation::Scan scan;
        scan.size = 128;
        scan.photons = 1e8;
        scan.padding = -2000;
        std::mt19937_64 rng(5);
        const cv::Mat hu = CtSimulation::reconstruct(phantom, scan, rng);
        QCOMPARE(hu.rows, 128);
        QCOMPARE(hu.cols, 128);
        // Pixel centres: x = (i + 0.5) / 64 - 1 in field-of-view units.
        const double water = meanAround(hu, 64, 40, 3), bone = meanAround(hu, 86, 64, 2),
                     air = meanAround(hu, 41, 64, 2), outside = meanAround(hu, 64, 5, 1);
        const QString values = QString("water %1, bone %2, air %3, outside the body %4")
                                   .arg(water)
                                   .arg(bone)
                                   .arg(air)
                                   .arg(outside);
        QVERIFY2(std::abs(water) < 20, qPrintable(values));  // texture is at most +-12 HU
        QVERIFY2(std::abs(bone - 1000) < 80, qPrintable(values));
        QVERIFY2(std::abs(air + 1000) < 40, qPrintable(values));
        QVERIFY2(std::abs(outside + 1000) < 40, qPrintable(values));
        QCOMPARE(hu.at<float>(0, 0), -2000.0f);  // corner: outside the circular field of view
        for (int i = 0; i < int(hu.total()); ++i) {
            const float v = hu.at<float>(i);
            QVERIFY(v == std::round(v));
            QVERIFY(v == -2000.0f || (v >= -1024.0f && v <= 3071.0f));
        }
    }

    // Chord lengths through ellipsoids, turned about the head-foot axis, against the formula.
    void radiographProjectionsAreLineIntegrals() {
        RadiographSimulation::Body body;
        body.widthMm = body.heightMm = 200;
        body.parts.push_back({{0, 0, 0}, {50, 50, 50}, cv::Matx33d::eye(), 0.02});
        body.parts.push_back({{0, 70, 0}, {60, 20, 10}, cv::Matx33d::eye(), 0.01});
        const cv::Mat frontal = RadiographSimulation::project(body, 0, 200, 200);
        const cv::Mat lateral = RadiographSimulation::project(body, 90, 200, 200);
        // Pixel (i, j) looks through x = i + 0.5 - 100, y = j + 0.5 - 100 (mm).
        auto sphere = [](double x, double y) {
            const double r2 = 2500 - x * x - y * y;
            return r2 > 0 ? 2 * std::sqrt(r2) * 0.02 : 0.0;
        };
        for (const auto& [i, j] :
             std::vector<std::pair<int, int>>{{100, 100}, {130, 90}, {60, 70}}) {
            const double x = i + 0.5 - 100, y = j + 0.5 - 100;
            QVERIFY(std::abs(frontal.at<float>(j, i) - sphere(x, y)) < 1e-4);
            QVERIFY(std::abs(lateral.at<float>(j, i) - sphere(x, y)) < 1e-4);
        }
        // The flat ellipsoid at y = 70: 2 * 10 mm deep seen from the front, 2 * 60 mm from the
        // side (at x = 0.5 mm from its axis the chord is 2 * 60 * sqrt(1 - (0.5/10)^2) etc.).
        const double y = 170 + 0.5 - 100 - 70, x = 0.5;
        const double front = 2 * 10 * std::sqrt(1 - x * x / 3600 - y * y / 400) * 0.01;
        const double side = 2 * 60 * std::sqrt(1 - x * x / 100 - y * y / 400) * 0.01;
        QVERIFY2(std::abs(frontal.at<float>(170, 100) - front) < 1e-4,
                 qPrintable(QString("%1 vs %2").arg(frontal.at<float>(170, 100)).arg(front)));
        QVERIFY2(std::abs(lateral.at<float>(170, 100) - side) < 1e-4,
                 qPrintable(QString("%1 vs %2").arg(lateral.at<float>(170, 100)).arg(side)));
    }

    // Exposures store integers within 8 to 16 bits; some are inverted (MONOCHROME1), most not.
    void exposuresStoreIntegersOfTheirDepth() {
        cv::Mat integrals(96, 128, CV_32F);
        for (int y = 0; y < 96; ++y)
            for (int x = 0; x < 128; ++x)
                integrals.at<float>(y, x) = float(4.0 * x / 127);  // attenuation grows to the right
        int inverted = 0;
        for (int seed = 0; seed < 40; ++seed) {
            std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
            const cv::Mat v = RadiographSimulation::expose(integrals, 1.0, rng);
            double lo, hi;
            cv::minMaxLoc(v, &lo, &hi);
            QVERIFY(lo >= 0 && hi <= 65535 && hi > lo);
            for (int i = 0; i < int(v.total()); i += 97)
                QVERIFY(v.at<float>(i) == std::round(v.at<float>(i)));
            // Attenuated (right) reads bright unless the image is stored inverted.
            const double left = cv::mean(v(cv::Rect(20, 30, 10, 30)))[0],
                         right = cv::mean(v(cv::Rect(100, 30, 10, 30)))[0];
            inverted += right < left;
        }
        QVERIFY2(inverted >= 4 && inverted <= 24, qPrintable(QString::number(inverted)));
    }

    // Quantum noise follows the quanta a pixel detects: pixels of four times the side collect
    // 16 times the quanta, so the noise against the same contrast is about a quarter.
    void quantumNoiseFollowsPixelSize() {
        cv::Mat integrals(96, 128, CV_32F, cv::Scalar(0.5));
        integrals(cv::Rect(64, 0, 64, 96)).setTo(3.0);
        auto noiseToContrast = [&](double pixelMm, std::uint64_t seed) {
            std::mt19937_64 rng(seed);
            const cv::Mat v = RadiographSimulation::expose(integrals, pixelMm, rng);
            cv::Scalar leftMean, rightMean, rightStd;
            cv::meanStdDev(v(cv::Rect(84, 30, 24, 36)), rightMean, rightStd);
            leftMean = cv::mean(v(cv::Rect(20, 30, 24, 36)));
            return rightStd[0] / std::max(std::abs(rightMean[0] - leftMean[0]), 1e-9);
        };
        std::vector<double> ratios;
        for (std::uint64_t seed = 1; seed <= 9; ++seed)
            ratios.push_back(noiseToContrast(0.5, seed) / noiseToContrast(2.0, seed));
        std::sort(ratios.begin(), ratios.end());
        QVERIFY2(ratios[4] > 3.0 && ratios[4] < 5.5, qPrintable(QString::number(ratios[4])));
    }

    void datasetComposition() {
        const DatasetSources sources;
        const auto images = DemoDataset::build(sources, DemoDataset::Part::All, smallCounts());
        std::set<std::string> names, trainingModalities;
        std::map<std::string, int> crops, heldOut;
        bool oddCrop = false;
        for (const auto& img : images) {
            QVERIFY2(names.insert(img.name).second, img.name.c_str());
            QCOMPARE(img.pixels.size(), std::size_t(img.width) * std::size_t(img.height));
            const auto [lo, hi] = std::minmax_element(img.pixels.begin(), img.pixels.end());
            QCOMPARE(*lo, 0.0f);  // upstream's min-max normalisation
            QCOMPARE(*hi, 1.0f);
            const bool heldOutKind =
                contains(img.name, "sagittal") || contains(img.name, "inia19") ||
                contains(img.name, "KmeansTest") || contains(img.name, "simulated-b") ||
                contains(img.name, "shepp-logan") || contains(img.name, "projection-axial") ||
                img.modality == "other" || img.source.rfind(sources.itkDataDir, 0) == 0 ||
                img.source.rfind(sources.pydicomDir, 0) == 0;
            QVERIFY2(img.heldOut == heldOutKind, img.name.c_str());
            if (img.heldOut) {
                ++heldOut[img.modality];
                if (img.crop) {
                    ++crops[img.modality];
                    QVERIFY(img.width >= 64 && img.height >= 64 && img.width <= 128);
                    oddCrop = oddCrop || img.width % 8 || img.height % 8;
                }
            } else {
                trainingModalities.insert(img.modality);
                QVERIFY(img.source == "simulated" || contains(img.source, "/ch2"));
                QVERIFY(img.width >= 128 && img.height >= 128);
            }
        }
        QCOMPARE(trainingModalities, std::set<std::string>({"ct", "mr", "radiograph"}));
        for (const char* m : {"ct", "mr", "radiograph", "other"})
            QVERIFY2(crops[m] > 0 && heldOut[m] > crops[m], m);
        QVERIFY(heldOut["mr"] > 40);
        QVERIFY(oddCrop);
        QVERIFY(names.count("other/CT_small") && names.count("other/MR_small"));
        QVERIFY(names.count("ct/shepp-logan/0") && names.count("mr/BrainProtonDensitySlice"));
    }

    // Each simulated image has its own random stream: more training phantoms leave the first
    // ones and every held-out image unchanged, and no held-out image repeats a training one.
    void simulationsAreIndependentAndRepeatable() {
        DatasetCounts fewer = smallCounts(), more = smallCounts();
        more.ctTrain = 6;
        more.radiographTrain = 6;
        const auto a = DemoDataset::build(DatasetSources(), DemoDataset::Part::All, fewer);
        const auto b = DemoDataset::build(DatasetSources(), DemoDataset::Part::All, more);
        std::map<std::string, const DatasetImage*> byName;
        for (const auto& img : b)
            byName[img.name] = &img;
        std::set<std::vector<float>> training;
        int compared = 0;
        for (const auto& img : a) {
            QVERIFY2(byName.count(img.name), img.name.c_str());
            QVERIFY2(byName[img.name]->pixels == img.pixels, img.name.c_str());
            ++compared;
            if (!img.heldOut) training.insert(img.pixels);
        }
        for (const auto& img : b)
            if (img.heldOut) QVERIFY2(!training.count(img.pixels), img.name.c_str());
        QCOMPARE(compared, int(a.size()));
        QCOMPARE(b.size(), a.size() + 4);
    }

    void batchesBalanceModalitiesAndRenormaliseWindows() {
        std::vector<DatasetImage> images;
        for (int i = 0; i < 10; ++i)
            images.push_back(ramp("mr", 48 + 8 * (i % 2), 40, 1, 0));
        images.push_back(ramp("ct", 40, 64, 1, 2));
        images.back().name += "/ct";
        DatasetImage held = ramp("other", 40, 40, 1, 0);
        held.heldOut = true;
        images.push_back(held);
        const TrainingBatches batches(images);
        TrainStage crops{10, 8, 16, 1e-3, 1};
        std::map<std::pair<bool, bool>, int> kinds;  // windows by (from ct, mirrored)
        int windows = 0;
        std::set<std::pair<std::int64_t, std::int64_t>> shapes;
        for (int step = 0; step < 200; ++step) {
            const at::Tensor x = batches.sample(crops, 7, step);
            QCOMPARE(x.size(1), 1);
            shapes.insert({x.size(3), x.size(2)});
            QVERIFY(x.size(2) % 8 == 0 && x.size(3) % 8 == 0);
            const double pixels = double(x.size(0) * x.size(2) * x.size(3));
            QVERIFY(pixels >= 0.6 * 8 * 256 && pixels <= 1.4 * 8 * 256);
            for (std::int64_t b = 0; b < x.size(0); ++b) {
                const at::Tensor w = x[b][0];
                QCOMPARE(w.min().item<float>(), -1.0f);
                QCOMPARE(w.max().item<float>(), 1.0f);
                // Every window is its image's ramp, renormalised: mr windows rise along x only,
                // ct windows twice as fast along y as along x; mirrored ones fall along x.
                const RampWindow r = rampWindow(w);
                QVERIFY(r.linear && r.alongRow != 0);
                const bool ct = r.alongColumn != 0;
                if (ct) QVERIFY(std::abs(r.alongColumn - 2 * std::abs(r.alongRow)) < 1e-4);
                ++kinds[{ct, r.alongRow < 0}];
                ++windows;
            }
        }
        // Each kind about a quarter of the windows: the one CT image as often as the ten MR
        // images together, and mirroring half the time.
        for (bool ct : {false, true})
            for (bool mirrored : {false, true}) {
                const int n = kinds[{ct, mirrored}];
                QVERIFY2(n > 0.2 * windows && n < 0.3 * windows,
                         qPrintable(QString("%1 of %2 windows ct %3 mirrored %4")
                                        .arg(n)
                                        .arg(windows)
                                        .arg(ct)
                                        .arg(mirrored)));
            }
        QVERIFY(shapes.size() >= 2);
        QVERIFY(at::equal(batches.sample(crops, 7, 3), batches.sample(crops, 7, 3)));
        // Whole images: the most common shapes (48x40 and 56x40 of the MR images, 40x64 of CT).
        TrainStage whole{10, 2, 0, 1e-3, 1};
        std::set<std::pair<std::int64_t, std::int64_t>> wholeShapes;
        for (int step = 0; step < 60; ++step) {
            const at::Tensor x = batches.sample(whole, 1, step);
            QCOMPARE(x.size(0), 2);
            wholeShapes.insert({x.size(3), x.size(2)});
        }
        QCOMPARE(wholeShapes,
                 (std::set<std::pair<std::int64_t, std::int64_t>>{{48, 40}, {56, 40}, {40, 64}}));
        // Windows with whole images every third step: 2 whole images at steps 2, 5, 8...,
        // windows of about 8 x 16 x 16 pixels otherwise.
        TrainStage mixed{10, 8, 16, 1e-3, 1, 3, 2};
        for (int step = 0; step < 30; ++step) {
            const at::Tensor x = batches.sample(mixed, 1, step);
            const std::pair<std::int64_t, std::int64_t> shape{x.size(3), x.size(2)};
            if (step % 3 == 2) {
                QCOMPARE(x.size(0), 2);
                QVERIFY2(wholeShapes.count(shape), qPrintable(QString::number(step)));
            } else {
                QVERIFY(x.size(0) >= 5 && x.size(2) <= 24 && x.size(3) <= 24);
            }
        }
        QVERIFY_THROWS_EXCEPTION(Error, batches.check({TrainStage{1, 2, 16, 1e-3, 1, -1, 2}}));
        QVERIFY_THROWS_EXCEPTION(Error, batches.check({TrainStage{1, 2, 16, 1e-3, 1, 3, 0}}));
        // A crop larger than the smallest training image cannot be drawn.
        QVERIFY_THROWS_EXCEPTION(Error, batches.check({TrainStage{1, 2, 40, 1e-3, 1}}));
    }

    // Weights set each modality's share of the windows; nonsense weights are refused.
    void modalityWeightsSetHowOftenEachIsDrawn() {
        std::vector<DatasetImage> images{ramp("mr", 48, 40, 1, 0), ramp("ct", 40, 64, 1, 2),
                                         ramp("other", 40, 40, 1, 0)};
        images[1].name += "/ct";
        images[2].heldOut = true;
        const TrainStage crops{10, 8, 16, 1e-3, 1};
        // The share of CT windows (those whose values change along both axes).
        auto ctShare = [&](const std::map<std::string, double>& weights) {
            const TrainingBatches batches(images, weights);
            int ct = 0, windows = 0;
            for (int step = 0; step < 150; ++step) {
                const at::Tensor x = batches.sample(crops, 3, step);
                for (std::int64_t b = 0; b < x.size(0); ++b, ++windows) {
                    const RampWindow r = rampWindow(x[b][0]);
                    ct += r.alongRow != 0 && r.alongColumn != 0;
                }
            }
            return double(ct) / windows;
        };
        const double equal = ctShare({}), mr3 = ctShare({{"mr", 3}}),
                     ct3 = ctShare({{"mr", 0.5}, {"ct", 1.5}});
        QVERIFY2(equal > 0.45 && equal < 0.55, qPrintable(QString::number(equal)));
        QVERIFY2(mr3 > 0.21 && mr3 < 0.29, qPrintable(QString::number(mr3)));
        QVERIFY2(ct3 > 0.71 && ct3 < 0.79, qPrintable(QString::number(ct3)));
        QCOMPARE(ctShare({{"ct", 0}}), 0.0);
        QCOMPARE(ctShare({{"mr", 0}}), 1.0);
        for (const std::map<std::string, double>& refused :
             std::vector<std::map<std::string, double>>{
                 {{"other", 1}},  // held out only: nothing to train on
                 {{"xray", 1}},
                 {{"mr", -1}},
                 {{"ct", std::nan("")}},
                 {{"ct", INFINITY}},
                 {{"mr", 0}, {"ct", 0}}})
            QVERIFY_THROWS_EXCEPTION(Error, TrainingBatches(images, refused));
    }
};

QTEST_GUILESS_MAIN(TestDemoData)
#include "tst_demo_data.moc"
