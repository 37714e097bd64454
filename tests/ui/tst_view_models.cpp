// The view models, without widgets: colormaps against matplotlib, percentiles against numpy,
// windowed images against the window/level formula, VOI presets, the error heatmap against
// numpy (and equal to batch export's error PNG), latent maps' ranges, statistics, composite and
// exports against numpy.
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "batch_outputs.h"
#include "colormap.h"
#include "compare_model.h"
#include "error.h"
#include "error_heatmap.h"
#include "latent_maps.h"
#include "npy_file.h"
#include "output_folder.h"
#include "reconstruction.h"
#include "scalar_map.h"
#include "view_test_support.h"
#include "windowed_image.h"

using namespace medvae;
using namespace medvae::ui;
using namespace medvae::test;

namespace {

std::shared_ptr<const Image> shared(const Image& image) {
    return std::make_shared<const Image>(image);
}

// Every pixel of `rendered` is `values` through `kind` over [lo, hi].
void checkMap(const QImage& rendered, const std::vector<float>& values, std::size_t offset, int h,
              int w, ColormapKind kind, float lo, float hi) {
    QCOMPARE(rendered.width(), w);
    QCOMPARE(rendered.height(), h);
    QCOMPARE(rendered.format(), QImage::Format_RGB32);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const auto e = expectedColor(kind, values[offset + std::size_t(y) * w + x], lo, hi);
            const QRgb p = rendered.pixel(x, y);
            QCOMPARE(qRed(p), int(e[0]));
            QCOMPARE(qGreen(p), int(e[1]));
            QCOMPARE(qBlue(p), int(e[2]));
        }
}

// A reconstruction with a few hot pixels, so the 99th percentile and the maximum differ a lot.
Reconstruction hotReconstruction(int channels) {
    Image input;
    input.width = 37;
    input.height = 29;
    input.channels = channels;
    input.pixels = lcgValues(std::size_t(37 * 29 * channels), 21, 0, 200);
    at::manual_seed(3);
    at::Tensor decoded = at::rand({channels, 24, 32}) * 2 - 1;
    decoded[0][5][7].fill_(40.0f);  // far outside the model's range: a huge error
    decoded[0][9][2].fill_(-30.0f);
    return compareReconstruction(input, decoded);
}

}  // namespace

class TstViewModels : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void colormapTablesMatchMatplotlib();
    void colormapIndexingAndApply();
    void percentilesMatchNumpy();
    void windowedImageRendersTheWindowFormula();
    void windowedRegionIsTheVisiblePartAtScreenResolution();
    void defaultWindowIsPercentileRange();
    void voiPresets();
    void scalarMapRendersTheColormap();
    void errorHeatmapMatchesNumpy();
    void errorHeatmapScaleFallsBack();
    void comparisonHeatmapIsTheBatchErrorPng();
    void comparisonSharesTheSignedErrorOfGreyImages();
    void latentMapsRangesAndStatsMatchNumpy();
    void latentMapsSourcesAndComposite();
    void latentMapsExports();
    void latentMapsRefuseBadShapes();
};

// Entries recorded from Debian's python3-matplotlib 3.6.3:
//   colormaps[name](numpy.arange(256), bytes=True)[:, :3]
// at the listed indices, plus two checksums over the whole table: the sum of all bytes and the
// sum of bytes weighted by (index + 1).
void TstViewModels::colormapTablesMatchMatplotlib() {
    struct Recorded {
        ColormapKind kind;
        int entries[8][3];
        long long sum, weighted;
    };
    const int indices[8] = {0, 1, 64, 127, 128, 200, 254, 255};
    const Recorded recorded[] = {
        {ColormapKind::Viridis,
         {{68, 1, 84},
          {68, 2, 85},
          {58, 82, 139},
          {32, 143, 140},
          {32, 144, 140},
          {112, 206, 86},
          {250, 230, 34},
          {253, 231, 36}},
         84207,
         12353924},
        {ColormapKind::Magma,
         {{0, 0, 3},
          {0, 0, 4},
          {80, 18, 123},
          {181, 54, 121},
          {182, 54, 121},
          {253, 151, 104},
          {251, 250, 189},
          {251, 252, 191}},
         89738,
         14931772},
        {ColormapKind::Diverging,  // matplotlib's RdBu_r
         {{5, 48, 97},
          {6, 50, 99},
          {107, 172, 208},
          {246, 246, 246},
          {247, 246, 246},
          {218, 106, 85},
          {105, 0, 31},
          {103, 0, 31}},
         119218,
         15051235},
    };
    for (const auto& r : recorded) {
        for (int k = 0; k < 8; ++k) {
            const auto c = Colormap::color(r.kind, (indices[k] + 0.5) / 256.0);
            QCOMPARE(int(c[0]), r.entries[k][0]);
            QCOMPARE(int(c[1]), r.entries[k][1]);
            QCOMPARE(int(c[2]), r.entries[k][2]);
        }
        long long sum = 0, weighted = 0;
        for (int i = 0; i < 256; ++i) {
            const auto c = Colormap::color(r.kind, (i + 0.5) / 256.0);
            for (int ch = 0; ch < 3; ++ch) {
                sum += c[ch];
                weighted += (long long)c[ch] * (i + 1);
            }
        }
        QCOMPARE(sum, r.sum);
        QCOMPARE(weighted, r.weighted);
    }
    // Gray is the identity ramp.
    for (int i = 0; i < 256; ++i) {
        const auto c = Colormap::color(ColormapKind::Gray, (i + 0.5) / 256.0);
        QCOMPARE(int(c[0]), i);
        QCOMPARE(int(c[2]), i);
    }
    ColormapKind kind = ColormapKind::Gray;
    for (auto k : {ColormapKind::Gray, ColormapKind::Viridis, ColormapKind::Magma,
                   ColormapKind::Diverging}) {
        QVERIFY(Colormap::fromName(Colormap::name(k), kind));
        QCOMPARE(kind, k);
    }
    QCOMPARE(QString(Colormap::name(ColormapKind::Diverging)), QStringLiteral("diverging"));
    kind = ColormapKind::Magma;
    QVERIFY(!Colormap::fromName("jet", kind));
    QCOMPARE(kind, ColormapKind::Magma);
}

void TstViewModels::colormapIndexingAndApply() {
    // matplotlib's indexing: floor(256 t), t = 1 -> last entry, clamped outside [0, 1].
    QCOMPARE(Colormap::color(ColormapKind::Viridis, 0.5),
             (std::array<std::uint8_t, 3>{32, 144, 140}));
    QCOMPARE(Colormap::color(ColormapKind::Viridis, 1.0),
             (std::array<std::uint8_t, 3>{253, 231, 36}));
    QCOMPARE(Colormap::color(ColormapKind::Viridis, 7.0),
             (std::array<std::uint8_t, 3>{253, 231, 36}));
    QCOMPARE(Colormap::color(ColormapKind::Viridis, -3.0),
             (std::array<std::uint8_t, 3>{68, 1, 84}));
    QCOMPARE(Colormap::color(ColormapKind::Gray, 127.0 / 256),
             (std::array<std::uint8_t, 3>{127, 127, 127}));

    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float values[] = {-10, 0, 5, 10, 20, nan};
    std::uint8_t rgb[18];
    Colormap::apply(ColormapKind::Gray, values, 6, 0, 10, rgb);
    const int expected[] = {0, 0, 128, 255, 255, 0};  // t = 0.5 -> floor(128)
    for (int i = 0; i < 6; ++i)
        QCOMPARE(int(rgb[3 * i]), expected[i]);
    Colormap::apply(ColormapKind::Magma, values, 6, 0, 10, rgb);
    QCOMPARE(int(rgb[15]), 0);  // NaN is black, not the map's first colour (0, 0, 3)
    QCOMPARE(int(rgb[17]), 0);
    QCOMPARE(int(rgb[2]), 3);
    // hi <= lo: every finite value at t = 0.
    Colormap::apply(ColormapKind::Viridis, values, 6, 4, 4, rgb);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(int(rgb[3 * i + 2]), 84);
}

void TstViewModels::percentilesMatchNumpy() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<float> v = lcgValues(20011, 7, -300.0f, 1200.0f);
    v[5] = std::numeric_limits<float>::quiet_NaN();
    v[77] = std::numeric_limits<float>::infinity();
    v[900] = -std::numeric_limits<float>::infinity();
    for (int i = 0; i < 50; ++i)
        v[1000 + i] = 42.0f;  // ties
    const QString path = dir.filePath(QStringLiteral("v.f32"));
    QVERIFY(writeRaw(path, v));
    const double pairs[][2] = {{1, 99}, {0.1, 99.9}, {0, 100}, {37.3, 50}, {2.5, 97.5}};
    QString script = QStringLiteral(
        "import sys, numpy as np\n"
        "v = np.fromfile(sys.argv[1], dtype=np.float32)\n"
        "v = v[np.isfinite(v)]\n"
        "for p in [1, 99, 0.1, 99.9, 0, 100, 37.3, 50, 2.5, 97.5]:\n"
        "    print(repr(float(np.percentile(v, p))))\n");
    const auto expected = numpy(script, {path});
    QCOMPARE(expected.size(), 10);
    for (int i = 0; i < 5; ++i) {
        const auto got = Colormap::percentiles(v.data(), v.size(), pairs[i][0], pairs[i][1]);
        // numpy interpolates float32 data in float32; allow one float32 rounding step.
        QVERIFY2(std::abs(got.first - expected[2 * i]) <=
                     1e-4 * std::max(1.0, std::abs(expected[2 * i])),
                 qPrintable(QStringLiteral("%1 vs %2").arg(got.first).arg(expected[2 * i])));
        QVERIFY2(std::abs(got.second - expected[2 * i + 1]) <=
                     1e-4 * std::max(1.0, std::abs(expected[2 * i + 1])),
                 qPrintable(QStringLiteral("%1 vs %2").arg(got.second).arg(expected[2 * i + 1])));
    }
    // Small arrays: interpolation between few order statistics.
    const float small[] = {3, 1, 2, 10};
    const auto s = Colormap::percentiles(small, 4, 10, 90);
    QCOMPARE(s.first, 1.3f);   // numpy.percentile([1, 2, 3, 10], 10) = 1.3
    QCOMPARE(s.second, 7.9f);  // 3 + 0.7 * 7
    const float allNan[] = {std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity()};
    QVERIFY_THROWS_EXCEPTION(Error, Colormap::percentiles(allNan, 2, 1, 99));
    QVERIFY_THROWS_EXCEPTION(Error, Colormap::percentiles(small, 4, -1, 99));
}

void TstViewModels::windowedImageRendersTheWindowFormula() {
    // 64 x 48 ramp with a file window (the default) and a NaN pixel.
    std::vector<float> px(64 * 48);
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x)
            px[y * 64 + x] = float(x * 10 + y * 3 - 100);
    px[70] = std::numeric_limits<float>::quiet_NaN();
    Image im = grayImage(64, 48, px);
    im.meta.windows.push_back({150.0, 300.0, "file"});
    const WindowedImage w(shared(im));
    QCOMPARE(w.defaultCenter(), 150.0);
    QCOMPARE(w.defaultWidth(), 300.0);
    QCOMPARE(w.initialCenter(), 150.0);
    QCOMPARE(w.initialWidth(), 300.0);
    QCOMPARE(w.initialRendering(), w.render(150, 300));
    for (const auto& [center, width] : {std::pair{150.0, 300.0}, std::pair{20.0, 55.5}}) {
        const QImage r = w.render(center, width);
        QCOMPARE(r.format(), QImage::Format_RGB32);
        for (int y = 0; y < 48; ++y)
            for (int x = 0; x < 64; ++x) {
                const float v = px[y * 64 + x];
                const int g = std::isnan(v) ? 0 : windowed(v, center, width);
                QCOMPARE(qRed(r.pixel(x, y)), g);
                QCOMPARE(qGreen(r.pixel(x, y)), g);
                QCOMPARE(qBlue(r.pixel(x, y)), g);
            }
    }
    // Another first window (the reconstruction shown under the original's).
    const WindowedImage other(shared(im), 10, 20);
    QCOMPARE(other.initialCenter(), 10.0);
    QCOMPARE(other.initialRendering(), w.render(10, 20));
    QCOMPARE(other.defaultCenter(), 150.0);
    // An RGB image with alpha: the window applies per colour channel; alpha is not shown.
    Image rgba;
    rgba.width = 8;
    rgba.height = 6;
    rgba.channels = 4;
    rgba.pixels = lcgValues(4 * 48, 3, 0, 255);
    const QImage c = WindowedImage(shared(rgba), 128, 256).initialRendering();
    for (int y = 0; y < 6; ++y)
        for (int x = 0; x < 8; ++x) {
            QCOMPARE(qRed(c.pixel(x, y)), windowed(rgba.pixels[0 * 48 + y * 8 + x], 128, 256));
            QCOMPARE(qGreen(c.pixel(x, y)), windowed(rgba.pixels[1 * 48 + y * 8 + x], 128, 256));
            QCOMPARE(qBlue(c.pixel(x, y)), windowed(rgba.pixels[2 * 48 + y * 8 + x], 128, 256));
        }
    // Invalid shapes are refused.
    QVERIFY_THROWS_EXCEPTION(Error, WindowedImage(shared(grayImage(10, 10, {1, 2, 3}))));
}

void TstViewModels::windowedRegionIsTheVisiblePartAtScreenResolution() {
    // 50 x 37 noise (gray) and an RGB image: a region at step 1 is that crop of the whole
    // rendering; at step s each output pixel is the window of the mean of four samples at the
    // quarters of its s x s block (clamped to the region); the region is clipped to the image.
    Image gray = grayImage(50, 37, lcgValues(50 * 37, 7, -500, 3000));
    Image rgb;
    rgb.width = 50;
    rgb.height = 37;
    rgb.channels = 3;
    rgb.pixels = lcgValues(3 * 50 * 37, 11, 0, 255);
    for (const Image& im : {gray, rgb}) {
        const WindowedImage w(shared(im));
        const int nc = im.channels;
        const QRect part(7, 5, 30, 21);
        QCOMPARE(w.renderRegion(400, 900, part, 1), w.render(400, 900).copy(part));
        QCOMPARE(w.renderRegion(400, 900, QRect(40, 30, 20, 20), 1),
                 w.render(400, 900).copy(QRect(40, 30, 10, 7)));
        QVERIFY(w.renderRegion(400, 900, QRect(60, 0, 5, 5), 1).isNull());
        for (int step : {2, 3, 5}) {
            const QImage r = w.renderRegion(1000, 2500, part, step);
            QCOMPARE(r.size(), QSize((30 + step - 1) / step, (21 + step - 1) / step));
            const int a = step / 4, b = 3 * step / 4;
            for (int oy = 0; oy < r.height(); ++oy)
                for (int ox = 0; ox < r.width(); ++ox) {
                    const int y0 = 5 + oy * step, x0 = 7 + ox * step;
                    const int ya = std::min(y0 + a, 25), yb = std::min(y0 + b, 25);
                    const int xa = std::min(x0 + a, 36), xb = std::min(x0 + b, 36);
                    int expected[3];
                    for (int c = 0; c < nc; ++c) {
                        const auto at = [&](int y, int x) {
                            return double(im.pixels[std::size_t(c * 50 * 37 + y * 50 + x)]);
                        };
                        const double mean =
                            0.25 * (at(ya, xa) + at(ya, xb) + at(yb, xa) + at(yb, xb));
                        expected[c] = windowed(mean, 1000, 2500);
                    }
                    const QRgb got = r.pixel(ox, oy);
                    QCOMPARE(qRed(got), expected[0]);
                    QCOMPARE(qGreen(got), expected[nc == 3 ? 1 : 0]);
                    QCOMPARE(qBlue(got), expected[nc == 3 ? 2 : 0]);
                }
        }
    }
}

void TstViewModels::defaultWindowIsPercentileRange() {
    QTemporaryDir dir;
    std::vector<float> px = lcgValues(40 * 30, 11, 0, 4095);
    px[17] = 60000;  // outliers that min-max would be dominated by
    px[18] = -5000;
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("p.f32")), px));
    const auto e = numpy(QStringLiteral("import sys, numpy as np\n"
                                        "v = np.fromfile(sys.argv[1], dtype=np.float32)\n"
                                        "lo, hi = np.percentile(v, [0.1, 99.9])\n"
                                        "print((lo + hi) / 2, hi - lo)\n"),
                         {dir.filePath(QStringLiteral("p.f32"))});
    QCOMPARE(e.size(), 2);
    const WindowedImage w(shared(grayImage(40, 30, px)));
    QVERIFY(std::abs(w.defaultCenter() - e[0]) < 1e-3 * std::abs(e[0]));
    QVERIFY(std::abs(w.defaultWidth() - e[1]) < 1e-3 * e[1]);
    // The drag step is the full range over 256 screen pixels.
    QCOMPARE(w.windowStep(), (60000.0 + 5000.0) / 256.0);
}

void TstViewModels::voiPresets() {
    Image ct = grayImage(16, 16, lcgValues(256, 9, -1000, 2000));
    ct.meta.modality = "CT";
    ct.meta.rescaleType = "HU";
    ct.meta.windows.push_back({35, 350, "ABDOMEN"});
    ct.meta.windows.push_back({0, 0, "broken"});  // no width: not a preset
    ct.meta.windows.push_back({300, 1500, ""});
    const WindowedImage w(shared(ct));
    const auto presets = w.presets();
    QCOMPARE(presets.size(), 2 + 5 + 1);
    QCOMPARE(presets[0].name, std::string("ABDOMEN"));
    QCOMPARE(presets[1].name, std::string("File window 2"));
    const double expected[5][2] = {{400, 40}, {1500, -600}, {150, 90}, {2500, 480}, {80, 40}};
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(presets[2 + i].width, expected[i][0]);
        QCOMPARE(presets[2 + i].center, expected[i][1]);
    }
    QCOMPARE(presets.last().name, std::string("Full range (0.1-99.9 %)"));
    QCOMPARE(w.presetNames().size(), presets.size());
    QCOMPARE(w.presetNames()[0], QStringLiteral("ABDOMEN (W 350 / L 35)"));
    // Not CT: the file's windows and the percentile range.
    Image mr = ct;
    mr.meta.modality = "MR";
    mr.meta.rescaleType.clear();
    QCOMPARE(WindowedImage(shared(mr)).presets().size(), 3);
    // Already windowed by the loader: the file's windows no longer apply.
    Image done = ct;
    done.meta.windowed = true;
    QCOMPARE(WindowedImage(shared(done)).presets().size(), 1);
    QVERIFY(WindowedImage(shared(done)).defaultWidth() != 350.0);
}

void TstViewModels::scalarMapRendersTheColormap() {
    std::vector<float> v = lcgValues(7 * 5, 13, -2, 9);
    v[4] = std::numeric_limits<float>::quiet_NaN();
    for (auto kind : {ColormapKind::Gray, ColormapKind::Viridis, ColormapKind::Magma,
                      ColormapKind::Diverging}) {
        const ScalarMap map(v, 7, 5, kind, -1, 6);
        checkMap(map.rendered(), v, 0, 5, 7, kind, -1, 6);
        QCOMPARE(map.field().pixels.size(), v.size());  // the values as given, NaN included
        QCOMPARE(std::memcmp(map.field().pixels.data(), v.data(), v.size() * sizeof(float)), 0);
    }
    QVERIFY_THROWS_EXCEPTION(Error, ScalarMap(v, 6, 5, ColormapKind::Gray, 0, 1));
}

void TstViewModels::errorHeatmapMatchesNumpy() {
    for (int channels : {1, 3}) {
        const Reconstruction rec = hotReconstruction(channels);
        QTemporaryDir dir;
        const std::vector<std::int64_t> shape = {channels, 24, 32};
        NpyFile::write(dir.filePath("o.npy").toStdString(), rec.original.pixels.data(), shape);
        NpyFile::write(dir.filePath("r.npy").toStdString(), rec.reconstruction.pixels.data(),
                       shape);
        // Independently: the mean over channels of the (absolute) difference, its 99th
        // percentile of |value|, and the largest |value|.
        const auto e =
            numpy(QStringLiteral("import sys, numpy as np\n"
                                 "d = np.load(sys.argv[1] + '/r.npy').astype(np.float64)"
                                 " - np.load(sys.argv[1] + '/o.npy')\n"
                                 "a = np.abs(d).mean(0); s = d.mean(0)\n"
                                 "np.save(sys.argv[1] + '/a.npy', a.astype(np.float32))\n"
                                 "np.save(sys.argv[1] + '/s.npy', s.astype(np.float32))\n"
                                 "print(np.percentile(a, 99), a.max(),"
                                 " np.percentile(np.abs(s), 99), np.abs(s).max())\n"),
                  {dir.path()});
        QCOMPARE(e.size(), 4);
        const auto absolute = ErrorHeatmap::of(rec.signedError, ErrorHeatmap::Kind::Absolute);
        const auto signedMap = ErrorHeatmap::of(rec.signedError, ErrorHeatmap::Kind::Signed);
        const NpyArray a = NpyFile::read(dir.filePath("a.npy").toStdString());
        const NpyArray s = NpyFile::read(dir.filePath("s.npy").toStdString());
        QCOMPARE(absolute.values().size(), a.data.size());
        for (std::size_t i = 0; i < a.data.size(); ++i) {
            QVERIFY(near(absolute.values()[i], a.data[i], 1e-4));
            QVERIFY(near(signedMap.values()[i], s.data[i], 1e-4));
        }
        QCOMPARE(absolute.colormap(), ColormapKind::Magma);
        QCOMPARE(absolute.low(), 0.0f);
        QVERIFY2(near(absolute.high(), e[0], 1e-4),
                 qPrintable(QStringLiteral("%1 vs %2").arg(absolute.high()).arg(e[0])));
        QVERIFY(near(absolute.peak(), e[1], 1e-4));
        QVERIFY(absolute.clipped() && absolute.peak() > 2 * absolute.high());  // robust scale
        QCOMPARE(signedMap.colormap(), ColormapKind::Diverging);
        QVERIFY(near(signedMap.high(), e[2], 1e-4));
        QCOMPARE(signedMap.low(), -signedMap.high());
        QVERIFY(near(signedMap.peak(), e[3], 1e-4));
        // The picture: magma at t = value / p99, clamped.
        const std::vector<std::uint8_t> rgb = absolute.rgb();
        for (std::size_t i = 0; i < a.data.size(); i += 5) {
            const auto c = expectedColor(ColormapKind::Magma, absolute.values()[i], 0, float(e[0]));
            QCOMPARE(int(rgb[3 * i]), int(c[0]));
            QCOMPARE(int(rgb[3 * i + 2]), int(c[2]));
        }
    }
}

void TstViewModels::errorHeatmapScaleFallsBack() {
    // Fewer than 1 % of the pixels differ: the 99th percentile is 0, the scale is the largest.
    Image e = grayImage(20, 10, std::vector<float>(200, 0.0f));
    e.pixels[33] = -4.0f;
    const auto fewHot = ErrorHeatmap::of(e, ErrorHeatmap::Kind::Absolute);
    QCOMPARE(fewHot.high(), 4.0f);
    QVERIFY(!fewHot.clipped());
    // Identical images: everything at the first colour on a unit scale.
    const auto none = ErrorHeatmap::of(grayImage(20, 10, std::vector<float>(200, 0.0f)),
                                       ErrorHeatmap::Kind::Signed);
    QCOMPARE(none.high(), 1.0f);
    QCOMPARE(none.peak(), 0.0f);
}

void TstViewModels::comparisonSharesTheSignedErrorOfGreyImages() {
    // A large grey result is not copied for its views: the original and reconstruction views
    // show the reconstruction's own pixels, and so do both heatmaps (a grey image's mean signed
    // error is the signed error, its absolute error the magnitudes of it); colour images get the
    // channel mean, maps of their own.
    for (int channels : {1, 3}) {
        const auto rec = std::make_shared<const Reconstruction>(hotReconstruction(channels));
        const auto model = CompareModel::prepare(rec, 8);
        QVERIFY(model);
        QCOMPARE(model->original()->image().pixels.data(), rec->original.pixels.data());
        QCOMPARE(model->reconstructed()->image().pixels.data(), rec->reconstruction.pixels.data());
        const ScalarMap& map = *model->heatmap(ErrorHeatmap::Kind::Signed).map;
        const auto expected = ErrorHeatmap::of(rec->signedError, ErrorHeatmap::Kind::Signed);
        QCOMPARE(map.values(), expected.values());
        QCOMPARE(map.low(), expected.low());
        QCOMPARE(map.high(), expected.high());
        QCOMPARE(map.field().meta.pixelSpacing[0], rec->original.meta.pixelSpacing[0]);
        QCOMPARE(map.field().pixels.data() == rec->signedError.pixels.data(), channels == 1);
        // The absolute map is |error|: of a grey image drawn from the same signed error (its
        // magnitudes), of a colour image values of its own; read out as |error| either way.
        const ScalarMap& absolute = *model->heatmap(ErrorHeatmap::Kind::Absolute).map;
        const auto magnitudes = ErrorHeatmap::of(rec->signedError, ErrorHeatmap::Kind::Absolute);
        QCOMPARE(absolute.values(), magnitudes.values());
        QCOMPARE(absolute.field().pixels.data() == rec->signedError.pixels.data(), channels == 1);
        for (int y = 0; y < absolute.height(); ++y)
            for (int x = 0; x < absolute.width(); ++x)
                QCOMPARE(absolute.value(x, y),
                         magnitudes.values()[std::size_t(y) * std::size_t(absolute.width()) + x]);
        QCOMPARE(
            absolute.rendered(),
            ScalarMap::render(magnitudes.colormap(), magnitudes.values().data(), magnitudes.width(),
                              magnitudes.height(), magnitudes.low(), magnitudes.high()));
    }
}

void TstViewModels::comparisonHeatmapIsTheBatchErrorPng() {
    // One heatmap for the view and the export: the PNG batch export writes for a
    // reconstruction is, pixel for pixel, the picture the compare view draws for it.
    for (int channels : {1, 3}) {
        const Reconstruction rec = hotReconstruction(channels);
        const auto model = CompareModel::prepare(std::make_shared<const Reconstruction>(rec), 8);
        QVERIFY(model);
        const CompareModel::Heatmap& shown = model->heatmap(ErrorHeatmap::Kind::Absolute);
        QVERIFY(shown.clipped);

        QTemporaryDir dir;
        const OutputFolder folder(dir.path().toStdString());
        jobs::BatchSettings settings;
        settings.latentNpy = false;
        settings.errorPng = true;
        jobs::BatchItemResult item;
        item.item.relativeStem = "hot";
        jobs::BatchOutputs::write(folder, settings, EncodeResult(), &rec, item);
        QCOMPARE(item.outputs, std::vector<std::string>{"hot_error.png"});
        const QImage png(dir.filePath(QStringLiteral("hot_error.png")));
        QVERIFY(!png.isNull());
        QCOMPARE(png.convertToFormat(QImage::Format_RGB32), shown.map->rendered());
    }
}

void TstViewModels::latentMapsRangesAndStatsMatchNumpy() {
    const int C = 3, H = 16, W = 12;
    std::vector<float> latent = lcgValues(C * H * W, 41, -2, 5);
    for (int i = 0; i < H * W; ++i)
        latent[std::size_t(H * W) + i] *= 40.0f;  // channel 1 on a wider scale
    latent[3] = 900.0f;                           // an outlier min-max would saturate on
    QTemporaryDir dir;
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("l.f32")), latent));
    const auto f = numpyLatentFacts(dir.filePath(QStringLiteral("l.f32")), C, H, W, 5, 92.5);
    QCOMPARE(f.size(), 2 + 2 * C + 4 * C);

    LatentMaps::Settings settings;
    settings.lowPercent = 5;
    settings.highPercent = 92.5;
    settings.rangeMode = LatentMaps::RangeMode::PerChannel;
    LatentMaps maps = LatentMaps::fromTensors(tensorOf(latent, {C, H, W}), at::Tensor(), settings);
    QVERIFY(maps.error().isEmpty());
    for (int c = 0; c < C; ++c) {
        const auto r = maps.channelRange(c);
        QVERIFY2(near(r.first, f[2 + 2 * c]) && near(r.second, f[3 + 2 * c]),
                 qPrintable(QStringLiteral("%1 %2 vs %3 %4")
                                .arg(r.first)
                                .arg(r.second)
                                .arg(f[2 + 2 * c])
                                .arg(f[3 + 2 * c])));
        checkMap(maps.channelImage(c), latent, std::size_t(c) * H * W, H, W, ColormapKind::Viridis,
                 r.first, r.second);
        const auto s = maps.channelStats(c);
        const int o = 2 + 2 * C + 4 * c;
        QVERIFY(near(s.min, f[o]) && near(s.max, f[o + 1]));
        QVERIFY(near(s.mean, f[o + 2], 1e-9) && near(s.std, f[o + 3], 1e-9));
    }
    settings.rangeMode = LatentMaps::RangeMode::Shared;
    maps.setSettings(settings);
    for (int c = 0; c < C; ++c) {
        const auto r = maps.channelRange(c);
        QVERIFY(near(r.first, f[0]) && near(r.second, f[1]));
    }
    // Diverging: symmetric about 0, white at 0.
    settings.colormap = ColormapKind::Diverging;
    maps.setSettings(settings);
    const float m = float(std::max(std::abs(f[0]), std::abs(f[1])));
    for (int c = 0; c < C; ++c) {
        const auto r = maps.channelRange(c);
        QVERIFY(near(r.first, -m) && near(r.second, m));
        checkMap(maps.channelImage(c), latent, std::size_t(c) * H * W, H, W,
                 ColormapKind::Diverging, r.first, r.second);
    }
    // Invalid percentiles are ignored.
    settings.lowPercent = 60;
    settings.highPercent = 40;
    maps.setSettings(settings);
    QCOMPARE(maps.settings().lowPercent, 5.0);
}

void TstViewModels::latentMapsSourcesAndComposite() {
    const int C = 4, H = 8, W = 6;
    const std::vector<float> latent = lcgValues(C * H * W, 31, -3, 3);
    const std::vector<float> z = lcgValues(C * H * W, 32, -10, 25);
    QTemporaryDir dir;
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("l.f32")), latent));
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("z.f32")), z));
    const auto lf = numpyLatentFacts(dir.filePath(QStringLiteral("l.f32")), C, H, W, 1, 99);
    const auto zf = numpyLatentFacts(dir.filePath(QStringLiteral("z.f32")), C, H, W, 1, 99);
    QVERIFY(lf.size() == 2 + 2 * C + 4 * C && zf.size() == lf.size());

    LatentMaps::Settings settings;
    settings.composite = {2, 0, 3};
    LatentMaps maps =
        LatentMaps::fromTensors(tensorOf(latent, {C, H, W}), tensorOf(z, {1, C, H, W}), settings);
    QCOMPARE(maps.channelCount(), C);
    QVERIFY(maps.zAvailable());
    for (int c = 0; c < C; ++c) {
        const auto r = maps.channelRange(c);
        QVERIFY(near(r.first, lf[0]) && near(r.second, lf[1]));
        QVERIFY(near(maps.channelStats(c).mean, lf[2 + 2 * C + 4 * c + 2], 1e-9));
    }
    // The composite: each chosen channel over its own 1-99 % range, as red, green, blue.
    const QImage composite = maps.composite()->initialRendering();
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            const QRgb p = composite.pixel(x, y);
            const int got[3] = {qRed(p), qGreen(p), qBlue(p)};
            for (int k = 0; k < 3; ++k) {
                const int c = settings.composite[std::size_t(k)];
                const double lo = lf[2 + 2 * c], hi = lf[3 + 2 * c];
                const double t = std::clamp(
                    (latent[std::size_t(c) * H * W + y * W + x] - lo) / (hi - lo), 0.0, 1.0);
                QVERIFY(std::abs(got[k] - std::round(t * 255)) <= 1);  // percentiles in float
            }
        }
    // z: its own values, ranges and statistics.
    settings.source = LatentMaps::Source::Z;
    maps.setSettings(settings);
    QCOMPARE(maps.values(), z);
    for (int c = 0; c < C; ++c) {
        const auto r = maps.channelRange(c);
        QVERIFY(near(r.first, zf[0]) && near(r.second, zf[1]));
        QVERIFY(near(maps.channelStats(c).std, zf[2 + 2 * C + 4 * c + 3], 1e-9));
        checkMap(maps.channelImage(c), z, std::size_t(c) * H * W, H, W, ColormapKind::Viridis,
                 r.first, r.second);
    }
    // Without z (a remote result) z cannot be chosen; composite channels stay in range.
    settings.composite = {9, -2, 1};
    LatentMaps remote =
        LatentMaps::fromTensors(tensorOf(latent, {C, H, W}), at::Tensor(), settings);
    QVERIFY(!remote.zAvailable());
    QCOMPARE(remote.settings().source, LatentMaps::Source::Latent);
    QCOMPARE(remote.settings().composite, (std::array<int, 3>{3, 0, 1}));
    settings.compositeVisible = false;
    remote.setSettings(settings);
    QVERIFY(!remote.composite());
}

void TstViewModels::latentMapsExports() {
    const int C = 4, H = 8, W = 6;
    const std::vector<float> latent = lcgValues(C * H * W, 71, -3, 3);
    const std::vector<float> z = lcgValues(C * H * W, 72, -1, 1);
    QTemporaryDir dir;
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("l.f32")), latent));
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("z.f32")), z));
    LatentMaps::Settings settings;
    settings.colormap = ColormapKind::Magma;
    settings.source = LatentMaps::Source::Z;
    const LatentMaps maps =
        LatentMaps::fromTensors(tensorOf(latent, {C, H, W}), tensorOf(z, {C, H, W}), settings);
    maps.exportNpy(dir.filePath(QStringLiteral("latent.npy")), LatentMaps::Source::Latent);
    maps.exportNpy(dir.filePath(QStringLiteral("z.npy")), LatentMaps::Source::Z);
    maps.exportChannelPng(2, dir.filePath(QStringLiteral("ch2.png")));
    maps.exportGridPng(dir.filePath(QStringLiteral("grid.png")));
    // The PNG's expected bytes: channel 2 of z through magma over its range, by the formula.
    const auto r2 = maps.channelRange(2);
    std::vector<float> chBytes;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            const auto c =
                expectedColor(ColormapKind::Magma, z[2 * H * W + y * W + x], r2.first, r2.second);
            chBytes.insert(chBytes.end(), {float(c[0]), float(c[1]), float(c[2])});
        }
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("ch2.f32")), chBytes));
    const auto r = numpy(
        QStringLiteral(
            "import sys, numpy as np\n"
            "from PIL import Image\n"
            "d = sys.argv[1]\n"
            "l = np.load(d + '/latent.npy'); z = np.load(d + '/z.npy')\n"
            "el = np.fromfile(d + '/l.f32', dtype=np.float32).reshape(4, 8, 6)\n"
            "ez = np.fromfile(d + '/z.f32', dtype=np.float32).reshape(4, 8, 6)\n"
            "png = np.asarray(Image.open(d + '/ch2.png').convert('RGB'))\n"
            "exp = np.fromfile(d + '/ch2.f32', dtype=np.float32).reshape(8, 6, 3)\n"
            "grid = np.asarray(Image.open(d + '/grid.png').convert('RGB'))\n"
            "print(int(l.dtype == np.float32), int(np.array_equal(l, el)),"
            " int(np.array_equal(z, ez)), *l.shape,"
            " int(np.array_equal(png, exp.astype(np.uint8))),\n"
            "      grid.shape[0], grid.shape[1], int(np.array_equal(grid[10:18, 0:6], png)),\n"
            "      int(grid[8:10].max() == 0))\n"),
        {dir.path()});
    // grid: 2 x 2 maps of 6 x 8 with 2-pixel gaps; channel 2 is bottom-left.
    const QVector<double> expected = {1, 1, 1, 4, 8, 6, 1, 18, 14, 1, 1};
    QCOMPARE(r, expected);
    QVERIFY_THROWS_EXCEPTION(Error,
                             maps.exportChannelPng(7, dir.filePath(QStringLiteral("x.png"))));
    QVERIFY_THROWS_EXCEPTION(
        Error, maps.exportNpy(QStringLiteral("/nonexistent-dir/x.npy"), LatentMaps::Source::Z));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.png"))));
    const LatentMaps noZ = LatentMaps::fromTensors(tensorOf(latent, {C, H, W}), at::Tensor(), {});
    QVERIFY_THROWS_EXCEPTION(
        Error, noZ.exportNpy(dir.filePath(QStringLiteral("z2.npy")), LatentMaps::Source::Z));
}

void TstViewModels::latentMapsRefuseBadShapes() {
    const LatentMaps::Settings s;
    QVERIFY(LatentMaps::fromTensors(at::zeros({2, 3, 4, 5}), {}, s)
                .error()
                .contains(QStringLiteral("4 dimensions")));
    QVERIFY(LatentMaps::fromTensors(at::zeros({2, 3, 4}), at::zeros({2, 3, 5}), s)
                .error()
                .contains(QStringLiteral("shape")));
    QVERIFY(!LatentMaps::fromTensors(at::zeros({2, 3, 4}, at::kLong), {}, s).error().isEmpty());
    QVERIFY(!LatentMaps::fromTensors(at::Tensor(), {}, s).error().isEmpty());
    QVERIFY(!LatentMaps::fromTensors(at::Tensor(), {}, s).hasResult());
    // All-NaN maps are drawn black, not refused; stats report the non-finite count.
    const LatentMaps nan = LatentMaps::fromTensors(
        at::full({1, 3, 4}, std::numeric_limits<float>::quiet_NaN()), {}, s);
    QVERIFY(nan.error().isEmpty());
    QCOMPARE(nan.channelStats(0).nonFinite, std::size_t(12));
    QCOMPARE(nan.channelImage(0).pixel(1, 1) & 0xffffff, 0u);
    // A [h, w] latent is one channel.
    QCOMPARE(LatentMaps::fromTensors(at::ones({3, 4}), {}, s).channelCount(), 1);
}

QTEST_GUILESS_MAIN(TstViewModels)
#include "tst_view_models.moc"
