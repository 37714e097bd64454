// Image views: colormaps against matplotlib, percentiles against numpy, real rendered pixels
// against the window/level formula, mouse interaction, zoom/pan synchronisation, the compare and
// latent panels.
#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMouseEvent>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <ATen/ATen.h>

#include <cmath>
#include <limits>

#include "colorbar_widget.h"
#include "colormap.h"
#include "compare_panel.h"
#include "error.h"
#include "image_loader.h"
#include "image_view.h"
#include "latent_panel.h"
#include "local_backend.h"
#include "npy_file.h"
#include "reconstruction.h"
#include "view_sync.h"

using namespace medvae;
using namespace medvae::ui;

namespace {

// Runs a numpy script with arguments; returns its whitespace-separated numeric output.
QVector<double> numpy(const QString& script, const QStringList& args = {}) {
    QProcess p;
    p.start(QStringLiteral(MEDVAE_PYTHON), QStringList{QStringLiteral("-c"), script} + args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning() << p.readAllStandardError();
        return {};
    }
    QVector<double> out;
    for (const auto& tok :
         QString::fromUtf8(p.readAllStandardOutput())
             .split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
        out << tok.toDouble();
    return out;
}

void writeRaw(const QString& path, const std::vector<float>& v) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(reinterpret_cast<const char*>(v.data()), qint64(v.size() * sizeof(float)));
}

// Deterministic test data, independent of any library's random generator.
std::vector<float> lcgValues(std::size_t n, std::uint32_t seed, float lo, float hi) {
    std::vector<float> v(n);
    std::uint32_t s = seed;
    for (auto& x : v) {
        s = s * 1664525u + 1013904223u;
        x = lo + (hi - lo) * float(s >> 8) / float(1u << 24);
    }
    return v;
}

Image grayImage(int w, int h, const std::vector<float>& pixels) {
    Image im;
    im.width = w;
    im.height = h;
    im.channels = 1;
    im.pixels = pixels;
    im.meta.format = "PNG";
    im.meta.colorModel = "gray";
    return im;
}

// The window/level formula, written out independently of the view.
int windowed(double v, double center, double width) {
    const double lo = center - width / 2;
    return int(std::clamp(std::round((v - lo) / width * 255.0), 0.0, 255.0));
}

void sendMouse(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButton button,
               Qt::MouseButtons buttons) {
    QMouseEvent e(type, pos, w->mapToGlobal(pos), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &e);
}

void drag(QWidget* w, QPointF from, QPointF to, Qt::MouseButton button) {
    sendMouse(w, QEvent::MouseButtonPress, from, button, button);
    sendMouse(w, QEvent::MouseMove, (from + to) / 2, Qt::NoButton, button);
    sendMouse(w, QEvent::MouseMove, to, Qt::NoButton, button);
    sendMouse(w, QEvent::MouseButtonRelease, to, button, Qt::NoButton);
}

void wheel(QWidget* w, QPointF pos, int delta) {
    QWheelEvent e(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt::NoButton,
                  Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &e);
}

QRgb pixelAt(const QImage& shot, const ImageView& view, int x, int y) {
    const QPointF p = view.mapFromImage(QPointF(x + 0.5, y + 0.5));
    return shot.pixel(int(std::floor(p.x())), int(std::floor(p.y())));
}

bool regionHasNonBlack(const QImage& shot, const QRect& r) {
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            if ((shot.pixel(x, y) & 0xffffff) != 0) return true;
    return false;
}

}  // namespace

class TstViews : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void colormapTablesMatchMatplotlib();
    void colormapIndexingAndApply();
    void percentilesMatchNumpy();
    void imageViewRendersWindowLevel();
    void defaultWindowIsPercentileRange();
    void leftDragChangesWindowLevel();
    void wheelAndDragZoomPanAreSynced();
    void presetsAndReset();
    void readoutUnderCursor();
    void scaleBarOnlyWithSpacing();
    void overlayHiddenByDefault();
    void errorsShownAsText();
    void comparePanelHeatmapAndMetrics();
    void latentPanelMapsAndToggle();
    void latentPanelRangesAndStatsMatchNumpy();
    void latentPanelCompositeAndHover();
    void latentPanelWithoutZ();
    void latentPanelExports();
    void latentPanelRefusesBadShapes();
    void demoModelResultInAllViews();
};

// Entries recorded from Debian's python3-matplotlib 3.6.3:
//   colormaps[name](numpy.arange(256), bytes=True)[:, :3]
// at the listed indices, plus two checksums over the whole table: the sum of all bytes and the
// sum of bytes weighted by (index + 1).
void TstViews::colormapTablesMatchMatplotlib() {
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

void TstViews::colormapIndexingAndApply() {
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

void TstViews::percentilesMatchNumpy() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<float> v = lcgValues(20011, 7, -300.0f, 1200.0f);
    v[5] = std::numeric_limits<float>::quiet_NaN();
    v[77] = std::numeric_limits<float>::infinity();
    v[900] = -std::numeric_limits<float>::infinity();
    for (int i = 0; i < 50; ++i)
        v[1000 + i] = 42.0f;  // ties
    const QString path = dir.filePath(QStringLiteral("v.f32"));
    writeRaw(path, v);
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

void TstViews::imageViewRendersWindowLevel() {
    // 64 x 48 ramp with a file window; shown 1:1 in a 200 x 160 view.
    std::vector<float> px(64 * 48);
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x)
            px[y * 64 + x] = float(x * 10 + y * 3 - 100);
    Image im = grayImage(64, 48, px);
    im.meta.windows.push_back({150.0, 300.0, "file"});
    ImageView view;
    view.resize(200, 160);
    view.setImage(im);
    QCOMPARE(view.windowCenter(), 150.0);
    QCOMPARE(view.windowWidth(), 300.0);
    view.oneToOne();
    QCOMPARE(view.effectiveScale(), 1.0);
    const QImage shot = view.grab().toImage();
    int checked = 0;
    for (int y = 0; y < 48; y += 5)
        for (int x = 0; x < 64; x += 3) {
            const int g = windowed(px[y * 64 + x], 150, 300);
            const QRgb c = pixelAt(shot, view, x, y);
            QCOMPARE(qRed(c), g);
            QCOMPARE(qGreen(c), g);
            QCOMPARE(qBlue(c), g);
            ++checked;
        }
    QVERIFY(checked > 200);
    // Outside the image: background.
    QCOMPARE(shot.pixel(5, 80) & 0xffffff, 0u);

    // An RGB image: the window applies per channel.
    Image rgb;
    rgb.width = 8;
    rgb.height = 6;
    rgb.channels = 3;
    rgb.pixels = lcgValues(3 * 48, 3, 0, 255);
    rgb.meta.windows.push_back({128, 256, ""});
    view.setImage(rgb);
    view.oneToOne();
    const QImage shot2 = view.grab().toImage();
    for (int y = 0; y < 6; ++y)
        for (int x = 0; x < 8; ++x) {
            const QRgb c = pixelAt(shot2, view, x, y);
            QCOMPARE(qRed(c), windowed(rgb.pixels[0 * 48 + y * 8 + x], 128, 256));
            QCOMPARE(qGreen(c), windowed(rgb.pixels[1 * 48 + y * 8 + x], 128, 256));
            QCOMPARE(qBlue(c), windowed(rgb.pixels[2 * 48 + y * 8 + x], 128, 256));
        }
}

void TstViews::defaultWindowIsPercentileRange() {
    QTemporaryDir dir;
    std::vector<float> px = lcgValues(40 * 30, 11, 0, 4095);
    px[17] = 60000;  // outliers that min-max would be dominated by
    px[18] = -5000;
    writeRaw(dir.filePath(QStringLiteral("p.f32")), px);
    const auto e = numpy(QStringLiteral("import sys, numpy as np\n"
                                        "v = np.fromfile(sys.argv[1], dtype=np.float32)\n"
                                        "lo, hi = np.percentile(v, [0.1, 99.9])\n"
                                        "print((lo + hi) / 2, hi - lo)\n"),
                         {dir.filePath(QStringLiteral("p.f32"))});
    QCOMPARE(e.size(), 2);
    ImageView view;
    view.resize(120, 100);
    view.setImage(grayImage(40, 30, px));
    QVERIFY(std::abs(view.windowCenter() - e[0]) < 1e-3 * std::abs(e[0]));
    QVERIFY(std::abs(view.windowWidth() - e[1]) < 1e-3 * e[1]);
}

void TstViews::leftDragChangesWindowLevel() {
    std::vector<float> px(50 * 40);
    for (int i = 0; i < 50 * 40; ++i)
        px[i] = float(i % 50) * 20.0f + float(i / 50);  // 0 .. 1019
    Image im = grayImage(50, 40, px);
    im.meta.windows.push_back({500, 1000, ""});
    ImageView view;
    view.resize(200, 160);
    view.setImage(im);
    view.oneToOne();
    QSignalSpy spy(&view, &ImageView::windowChanged);
    // Independent step: (max - min) / 256 per screen pixel.
    const double step = (1019.0 - 0.0) / 256.0;
    drag(&view, QPointF(100, 80), QPointF(140, 55), Qt::LeftButton);  // dx = +40, dy = -25
    const double width = 1000 + 40 * step, center = 500 - 25 * step;
    QVERIFY(std::abs(view.windowWidth() - width) < 1e-9);
    QVERIFY(std::abs(view.windowCenter() - center) < 1e-9);
    QVERIFY(spy.count() >= 1);
    QCOMPARE(view.effectiveScale(), 1.0);  // window/level does not zoom
    const QImage shot = view.grab().toImage();
    int changed = 0;
    for (int y = 0; y < 40; y += 3)
        for (int x = 0; x < 50; x += 2) {
            const int g = windowed(px[y * 50 + x], center, width);
            QCOMPARE(qRed(pixelAt(shot, view, x, y)), g);
            changed += g != windowed(px[y * 50 + x], 500, 1000);
        }
    QVERIFY(changed > 100);
    QVERIFY(view.windowText().contains(QString::number(width, 'g', 6)));
}

void TstViews::wheelAndDragZoomPanAreSynced() {
    std::vector<float> px = lcgValues(64 * 64, 5, 0, 1000);
    ImageView a, b, c;
    for (auto* v : {&a, &b, &c}) {
        v->resize(160, 160);
        v->setImage(grayImage(64, 64, px));
    }
    ViewSync sync;
    sync.addView(&a);
    sync.addView(&b);
    sync.addView(&c);
    QCOMPARE(sync.viewCount(), 3);
    const double fit = a.effectiveScale();
    QCOMPARE(fit, 2.5);
    const QImage before = b.grab().toImage();

    // Wheel one notch at (40, 50) in A: 1.25x about the cursor.
    const QPointF cursor(40, 50);
    const QPointF under = a.mapToImage(cursor);
    wheel(&a, cursor, 120);
    QVERIFY(std::abs(a.effectiveScale() - fit * 1.25) < 1e-12);
    QVERIFY(QLineF(a.mapToImage(cursor), under).length() < 1e-9);
    for (auto* v : {&b, &c}) {
        QVERIFY(std::abs(v->effectiveScale() - a.effectiveScale()) < 1e-12);
        QVERIFY(QLineF(v->effectiveCenter(), a.effectiveCenter()).length() < 1e-12);
    }
    const QImage after = b.grab().toImage();
    QVERIFY(after != before);
    QCOMPARE(after, a.grab().toImage());  // same image, same window, same view

    // Middle-drag pan in B moves A and C; window stays per view.
    const QPointF centerBefore = a.effectiveCenter();
    drag(&b, QPointF(80, 80), QPointF(100, 70), Qt::MiddleButton);
    const double s = b.effectiveScale();
    QVERIFY(QLineF(a.effectiveCenter(), centerBefore - QPointF(20, -10) / s).length() < 1e-9);
    QVERIFY(QLineF(c.effectiveCenter(), a.effectiveCenter()).length() < 1e-12);

    // Right-drag zoom in C: 100 px upwards doubles the magnification.
    const double s0 = c.effectiveScale();
    drag(&c, QPointF(80, 120), QPointF(80, 20), Qt::RightButton);
    QVERIFY(std::abs(c.effectiveScale() - 2 * s0) < 1e-9);
    QVERIFY(std::abs(a.effectiveScale() - 2 * s0) < 1e-9);

    // Window/level in A does not change B.
    const double bw = b.windowWidth();
    drag(&a, QPointF(80, 80), QPointF(120, 80), Qt::LeftButton);
    QVERIFY(a.windowWidth() != bw);
    QCOMPARE(b.windowWidth(), bw);

    // Fit propagates; a removed view no longer follows.
    sync.removeView(&c);
    a.oneToOne();
    QCOMPARE(b.effectiveScale(), 1.0);
    QVERIFY(c.effectiveScale() != 1.0);
    b.fitToWindow();
    QVERIFY(a.viewState().fit);
}

void TstViews::presetsAndReset() {
    Image ct = grayImage(16, 16, lcgValues(256, 9, -1000, 2000));
    ct.meta.modality = "CT";
    ct.meta.rescaleType = "HU";
    ct.meta.windows.push_back({35, 350, "ABDOMEN"});
    ImageView view;
    view.resize(100, 100);
    view.setImage(ct);
    const auto presets = view.windowPresets();
    QCOMPARE(presets.size(), 1 + 5 + 1);
    QCOMPARE(presets[0].name, std::string("ABDOMEN"));
    const double expected[5][2] = {{400, 40}, {1500, -600}, {150, 90}, {2500, 480}, {80, 40}};
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(presets[1 + i].width, expected[i][0]);
        QCOMPARE(presets[1 + i].center, expected[i][1]);
    }
    QCOMPARE(view.windowPresetNames().size(), presets.size());
    view.applyWindowPreset(2);  // lung
    QCOMPARE(view.windowWidth(), 1500.0);
    QCOMPARE(view.windowCenter(), -600.0);

    // Not CT: only the file's windows and the percentile range.
    Image plain = ct;
    plain.meta.modality = "MR";
    plain.meta.rescaleType.clear();
    ImageView other;
    other.setImage(plain);
    QCOMPARE(other.windowPresets().size(), 2);

    // R and double-click reset window and view.
    view.zoomBy(3, QPointF(10, 10));
    QVERIFY(!view.viewState().fit);
    QTest::keyClick(&view, Qt::Key_R);
    QVERIFY(view.viewState().fit);
    QCOMPARE(view.windowWidth(), 350.0);
    view.applyWindowPreset(4);
    view.zoomBy(2, QPointF(50, 50));
    sendMouse(&view, QEvent::MouseButtonDblClick, QPointF(50, 50), Qt::LeftButton, Qt::LeftButton);
    QVERIFY(view.viewState().fit);
    QCOMPARE(view.windowCenter(), 35.0);
    QTest::keyClick(&view, Qt::Key_1);
    QCOMPARE(view.effectiveScale(), 1.0);
    QTest::keyClick(&view, Qt::Key_F);
    QVERIFY(view.viewState().fit);
}

void TstViews::readoutUnderCursor() {
    std::vector<float> px(20 * 10);
    for (int i = 0; i < 200; ++i)
        px[i] = float(i) * 1.5f - 40.0f;
    Image im = grayImage(20, 10, px);
    im.meta.rescaleType = "HU";
    ImageView view;
    view.resize(100, 100);
    view.setImage(im);
    view.oneToOne();
    QSignalSpy spy(&view, &ImageView::pixelHovered);
    const QPointF pos = view.mapFromImage(QPointF(13.5, 7.5));
    sendMouse(&view, QEvent::MouseMove, pos, Qt::NoButton, Qt::NoButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].toInt(), 13);
    QCOMPARE(spy[0][1].toInt(), 7);
    const auto values = spy[0][2].value<QVector<float>>();
    QCOMPARE(values.size(), 1);
    QCOMPARE(values[0], px[7 * 20 + 13]);
    QVERIFY(view.readoutText().contains(QStringLiteral("x 13")));
    QVERIFY(view.readoutText().contains(QStringLiteral("y 7")));
    QVERIFY(view.readoutText().contains(QString::number(px[7 * 20 + 13], 'g', 6)));
    QVERIFY(view.readoutText().endsWith(QStringLiteral("HU")));
    QSignalSpy left(&view, &ImageView::hoverLeft);
    sendMouse(&view, QEvent::MouseMove, QPointF(2, 2), Qt::NoButton, Qt::NoButton);
    QCOMPARE(left.count(), 1);
    QVERIFY(view.readoutText().isEmpty());
}

void TstViews::scaleBarOnlyWithSpacing() {
    Image im = grayImage(100, 80, std::vector<float>(8000, 0.0f));
    im.meta.windows.push_back({100, 50, ""});  // all pixels black
    ImageView view;
    view.resize(300, 240);
    view.setImage(im);
    QVERIFY(view.scaleBarText().isEmpty());
    const QRect barArea(40, 160, 220, 75);
    const QImage none = view.grab().toImage();
    QVERIFY(!regionHasNonBlack(none, QRect(0, 160, 200, 80)));  // bottom-right has the W/L text

    im.meta.pixelSpacing[0] = im.meta.pixelSpacing[1] = 0.5;
    im.meta.spacingKind = "calibrated (Pixel Spacing)";
    view.setImage(im);
    // Fit: 3 screen px per image px = 6 px per mm; a quarter of the width (75 px) holds 12.5 mm
    // -> the nice length below is 10 mm.
    QCOMPARE(view.scaleBarText(), QStringLiteral("10 mm (calibrated)"));
    const QImage with = view.grab().toImage();
    QVERIFY(regionHasNonBlack(with, barArea));
    // The bar spans 10 mm = 60 screen pixels on the row of its line.
    int longest = 0;
    for (int y = barArea.top(); y <= barArea.bottom(); ++y) {
        int run = 0;
        for (int x = 0; x < with.width(); ++x) {
            run = qRed(with.pixel(x, y)) > 200 ? run + 1 : 0;
            longest = std::max(longest, run);
        }
    }
    QCOMPARE(longest, 60);
    im.meta.spacingKind = "at the detector (Imager Pixel Spacing)";
    view.setImage(im);
    QVERIFY(view.scaleBarText().contains(QStringLiteral("detector")));
}

void TstViews::overlayHiddenByDefault() {
    Image im = grayImage(40, 30, std::vector<float>(1200, 0.0f));
    im.meta.windows.push_back({100, 50, ""});
    im.meta.modality = "CT";
    im.meta.studyDescription = "CHEST";
    im.meta.seriesDescription = "AXIAL 5mm";
    im.meta.frames = 3;
    im.meta.frame = 1;
    ImageView view;
    view.resize(300, 240);
    view.setImage(im);
    view.oneToOne();
    QVERIFY(!view.overlayVisible());
    const QRect corner(0, 0, 120, 80);
    QVERIFY(!regionHasNonBlack(view.grab().toImage(), corner));
    const QStringList lines = view.overlayLines();
    QVERIFY(lines.contains(QStringLiteral("Modality: CT")));
    QVERIFY(lines.contains(QStringLiteral("Study: CHEST")));
    QVERIFY(lines.contains(QStringLiteral("Series: AXIAL 5mm")));
    QVERIFY(lines.contains(QStringLiteral("Size: 40 × 30")));
    QVERIFY(lines.contains(QStringLiteral("Frame 2 of 3")));
    QSignalSpy spy(&view, &ImageView::overlayVisibleChanged);
    QTest::keyClick(&view, Qt::Key_I);
    QVERIFY(view.overlayVisible());
    QCOMPARE(spy.count(), 1);
    QVERIFY(regionHasNonBlack(view.grab().toImage(), corner));
    view.setOverlayVisible(false);
    QVERIFY(!regionHasNonBlack(view.grab().toImage(), corner));
}

void TstViews::errorsShownAsText() {
    ImageView view;
    view.resize(200, 100);
    view.showError(QStringLiteral("cannot decode broken.png"));
    QCOMPARE(view.errorText(), QStringLiteral("cannot decode broken.png"));
    QVERIFY(!view.hasImage());
    QVERIFY(regionHasNonBlack(view.grab().toImage(), QRect(0, 0, 200, 100)));
    Image bad = grayImage(10, 10, std::vector<float>(7, 0.0f));
    view.setImage(bad);
    QVERIFY(!view.errorText().isEmpty());
    QVERIFY(!view.hasImage());
    view.setImage(grayImage(2, 2, {0, 1, 2, 3}));
    QVERIFY(view.errorText().isEmpty());
    QVERIFY(view.hasImage());
}

void TstViews::comparePanelHeatmapAndMetrics() {
    // A 37 x 29 gray input and a [1, 32, 24] decoded tensor: aligned by cropping to 32 x 24.
    Image input = grayImage(37, 29, lcgValues(37 * 29, 21, 0, 200));
    at::manual_seed(3);
    const at::Tensor decoded = at::rand({1, 24, 32}) * 2 - 1;
    const jobs::Reconstruction rec = jobs::compareReconstruction(input, decoded);
    QVERIFY(rec.cropped);

    ComparePanel panel;
    panel.resize(1000, 360);
    panel.setReconstruction(rec, 8);
    QVERIFY(panel.hasResult());
    QCOMPARE(panel.cropNotice(),
             QStringLiteral(
                 "Compared area 32×24 of 37×29: the model's output is a multiple of 8 per side."));
    QVERIFY(panel.findChild<QLabel*>() != nullptr);

    // |original - reconstruction| from the panel's own inputs, and the map's range 0..max.
    const auto& heat = panel.heatmapValues();
    QCOMPARE(int(heat.size()), 32 * 24);
    float peak = 0;
    for (int i = 0; i < 32 * 24; ++i) {
        const float d = std::abs(rec.reconstruction.pixels[i] - rec.original.pixels[i]);
        QVERIFY(std::abs(heat[i] - d) <= 1e-4f * std::max(1.0f, d));
        peak = std::max(peak, d);
    }
    QVERIFY(std::abs(peak - float(rec.metrics.maxError)) <= 1e-3f);
    QCOMPARE(panel.colorbar()->kind(), ColormapKind::Magma);
    QCOMPARE(panel.colorbar()->low(), 0.0);
    QVERIFY(std::abs(panel.colorbar()->high() - peak) < 1e-6);
    QVERIFY(panel.metricsText().contains(QString::number(rec.metrics.psnr, 'g', 4)));
    QVERIFY(panel.metricsText().contains(QString::number(rec.metrics.ssim, 'g', 4)));
    QVERIFY(panel.metricsText().contains(QString::number(rec.metrics.mae, 'g', 4)));
    QVERIFY(panel.metricsText().contains(QString::number(rec.metrics.maxError, 'g', 4)));

    // The heatmap view draws magma at t = |d| / peak.
    ImageView* ev = panel.errorView();
    ev->oneToOne();
    QImage shot = ev->grab().toImage();
    for (int y = 0; y < 24; y += 4)
        for (int x = 0; x < 32; x += 4) {
            const auto c = Colormap::color(ColormapKind::Magma, heat[y * 32 + x] / peak);
            const QRgb p = pixelAt(shot, *ev, x, y);
            QCOMPARE(qRed(p), int(c[0]));
            QCOMPARE(qGreen(p), int(c[1]));
            QCOMPARE(qBlue(p), int(c[2]));
        }
    // The original and the reconstruction views hold their pixels under the same window.
    ImageView* ov = panel.originalView();
    ImageView* rv = panel.reconstructionView();
    QCOMPARE(rv->windowCenter(), ov->windowCenter());
    QCOMPARE(rv->windowWidth(), ov->windowWidth());
    QCOMPARE(ov->effectiveScale(), 1.0);  // synced from the heatmap view's 1:1
    // No file window: the percentile range is the preset in effect; a preset applies to both.
    QComboBox* presets = panel.presetBox();
    QCOMPARE(presets->count(), 1);
    QCOMPARE(presets->currentIndex(), 0);
    QVERIFY(presets->currentText().startsWith(QStringLiteral("Full range")));
    QImage rshot = rv->grab().toImage();
    QCOMPARE(qRed(pixelAt(rshot, *rv, 5, 6)), windowed(rec.reconstruction.pixels[6 * 32 + 5],
                                                       rv->windowCenter(), rv->windowWidth()));

    // The cursor over one view reads the same pixel in all three images.
    sendMouse(rv, QEvent::MouseMove, rv->mapFromImage(QPointF(7.5, 3.5)), Qt::NoButton,
              Qt::NoButton);
    const std::size_t at = 3 * 32 + 7;
    QCOMPARE(panel.hoverText(),
             QStringLiteral("x 7  y 3\nOriginal: %1\nReconstruction: %2\nDifference: %3")
                 .arg(QString::number(rec.original.pixels[at], 'g', 6),
                      QString::number(rec.reconstruction.pixels[at], 'g', 6),
                      QString::number(rec.signedError.pixels[at], 'g', 6)));

    // Wheel in the heatmap zooms all three.
    wheel(ev, QPointF(60, 60), 240);
    QVERIFY(std::abs(ov->effectiveScale() - 1.5625) < 1e-12);
    QVERIFY(std::abs(rv->effectiveScale() - 1.5625) < 1e-12);
    QVERIFY(QLineF(ov->effectiveCenter(), ev->effectiveCenter()).length() < 1e-12);

    // Signed difference: diverging, symmetric about zero.
    panel.setErrorMode(ComparePanel::ErrorMode::Signed);
    QCOMPARE(panel.colorbar()->kind(), ColormapKind::Diverging);
    QVERIFY(std::abs(panel.colorbar()->low() + peak) < 1e-6);
    QVERIFY(std::abs(panel.colorbar()->high() - peak) < 1e-6);
    for (int i = 0; i < 32 * 24; i += 7)
        QVERIFY(std::abs(panel.heatmapValues()[i] -
                         (rec.reconstruction.pixels[i] - rec.original.pixels[i])) <= 1e-4f);
    QVERIFY(std::abs(ev->effectiveScale() - 1.5625) < 1e-12);  // mode change keeps the zoom

    // Not cropped: no notice; errors are shown in the view.
    const jobs::Reconstruction exact = jobs::compareReconstruction(
        grayImage(16, 8, lcgValues(128, 2, 0, 1)), at::zeros({1, 8, 16}));
    panel.setReconstruction(exact, 8);
    QVERIFY(panel.cropNotice().isEmpty());
    panel.showError(QStringLiteral("model failed"));
    QCOMPARE(panel.originalView()->errorText(), QStringLiteral("model failed"));
    QVERIFY(!panel.hasResult());
}

namespace {

at::Tensor tensorOf(const std::vector<float>& v, std::vector<std::int64_t> shape) {
    return at::from_blob(const_cast<float*>(v.data()), shape, at::kFloat).clone();
}

// The map the panel should draw for value v over [lo, hi], by the documented formula.
std::array<std::uint8_t, 3> expectedColor(ColormapKind kind, float v, float lo, float hi) {
    if (std::isnan(v)) return {0, 0, 0};
    return Colormap::color(kind, hi > lo ? (double(v) - lo) / (double(hi) - lo) : 0.0);
}

void checkMapPixels(ImageView* view, const std::vector<float>& values, int c, int h, int w,
                    ColormapKind kind, float lo, float hi) {
    const QImage& img = view->renderedImage();
    QCOMPARE(img.width(), w);
    QCOMPARE(img.height(), h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const auto e = expectedColor(kind, values[std::size_t(c) * h * w + y * w + x], lo, hi);
            const QRgb p = img.pixel(x, y);
            QCOMPARE(qRed(p), int(e[0]));
            QCOMPARE(qGreen(p), int(e[1]));
            QCOMPARE(qBlue(p), int(e[2]));
        }
}

// numpy's percentiles of the whole array and of each channel, then per-channel min, max, mean, std.
QVector<double> numpyLatentFacts(const QString& rawPath, int c, int h, int w, double lo,
                                 double hi) {
    return numpy(QStringLiteral("import sys, numpy as np\n"
                                "c, h, w = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])\n"
                                "lo, hi = float(sys.argv[5]), float(sys.argv[6])\n"
                                "v = np.fromfile(sys.argv[1], dtype=np.float32).reshape(c, h, w)\n"
                                "out = list(np.percentile(v, [lo, hi]))\n"
                                "for k in range(c):\n"
                                "    out += list(np.percentile(v[k], [lo, hi]))\n"
                                "for k in range(c):\n"
                                "    f = v[k].astype(np.float64)\n"
                                "    out += [f.min(), f.max(), f.mean(), f.std()]\n"
                                "print(' '.join(repr(float(x)) for x in out))\n"),
                 {rawPath, QString::number(c), QString::number(h), QString::number(w),
                  QString::number(lo), QString::number(hi)});
}

bool near(double a, double b, double rel = 1e-5) {
    return std::abs(a - b) <= rel * std::max(1.0, std::abs(b));
}

}  // namespace

void TstViews::latentPanelMapsAndToggle() {
    const int C = 4, H = 8, W = 6;
    const std::vector<float> latent = lcgValues(C * H * W, 31, -3, 3);
    const std::vector<float> z = lcgValues(C * H * W, 32, -10, 25);
    QTemporaryDir dir;
    writeRaw(dir.filePath(QStringLiteral("l.f32")), latent);
    writeRaw(dir.filePath(QStringLiteral("z.f32")), z);
    const auto lf = numpyLatentFacts(dir.filePath(QStringLiteral("l.f32")), C, H, W, 1, 99);
    const auto zf = numpyLatentFacts(dir.filePath(QStringLiteral("z.f32")), C, H, W, 1, 99);
    QVERIFY(lf.size() == 2 + 2 * C + 4 * C && zf.size() == lf.size());

    LatentPanel panel;
    panel.resize(900, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setResult(tensorOf(latent, {C, H, W}), tensorOf(z, {1, C, H, W}));
    QCOMPARE(panel.channelCount(), C);
    QCOMPARE(panel.source(), LatentPanel::Source::Latent);
    QCOMPARE(panel.colormap(), ColormapKind::Viridis);
    QCOMPARE(panel.rangeMode(), LatentPanel::RangeMode::Shared);
    QCOMPARE(panel.lowPercent(), 1.0);
    QCOMPARE(panel.highPercent(), 99.0);
    QVERIFY(panel.explanation().startsWith(QStringLiteral("latent (stage 2)")));
    // Shared 1-99 % range from numpy; every map drawn through it.
    for (int c = 0; c < C; ++c) {
        const auto r = panel.channelRange(c);
        QVERIFY(near(r.first, lf[0]) && near(r.second, lf[1]));
        checkMapPixels(panel.channelView(c), latent, c, H, W, ColormapKind::Viridis, r.first,
                       r.second);
    }
    // What is on screen is those maps: sample the grabbed view at latent pixel centres.
    ImageView* v1 = panel.channelView(1);
    QVERIFY(v1->width() > 20 && v1->height() > 20);
    QImage before = v1->grab().toImage();
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            QCOMPARE(pixelAt(before, *v1, x, y) & 0xffffff,
                     v1->renderedImage().pixel(x, y) & 0xffffff);

    // Toggle to z by clicking the button.
    QSignalSpy spy(&panel, &LatentPanel::sourceChanged);
    auto* zButton = panel.findChild<QAbstractButton*>(QStringLiteral("zButton"));
    QVERIFY(zButton && zButton->isEnabled());
    QTest::mouseClick(zButton, Qt::LeftButton);
    QCOMPARE(panel.source(), LatentPanel::Source::Z);
    QCOMPARE(spy.count(), 1);
    QVERIFY(panel.explanation().startsWith(QStringLiteral("z (stage 1)")));
    for (int c = 0; c < C; ++c) {
        const auto r = panel.channelRange(c);
        QVERIFY(near(r.first, zf[0]) && near(r.second, zf[1]));
        checkMapPixels(panel.channelView(c), z, c, H, W, ColormapKind::Viridis, r.first, r.second);
    }
    QImage after = v1->grab().toImage();
    QVERIFY(after != before);
    int differing = 0;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            differing += pixelAt(after, *v1, x, y) != pixelAt(before, *v1, x, y);
    QVERIFY(differing > H * W / 2);

    // Zoom in one channel moves the others.
    wheel(panel.channelView(0), QPointF(10, 10), 120);
    for (int c = 1; c < C; ++c)
        QVERIFY(std::abs(panel.channelView(c)->effectiveScale() -
                         panel.channelView(0)->effectiveScale()) < 1e-12);
    QVERIFY(std::abs(panel.compositeView()->effectiveScale() -
                     panel.channelView(0)->effectiveScale()) < 1e-12);
}

void TstViews::latentPanelRangesAndStatsMatchNumpy() {
    const int C = 3, H = 16, W = 12;
    std::vector<float> latent = lcgValues(C * H * W, 41, -2, 5);
    for (int i = 0; i < H * W; ++i)
        latent[std::size_t(H * W) + i] *= 40.0f;  // channel 1 on a wider scale
    latent[3] = 900.0f;                           // an outlier min-max would saturate on
    QTemporaryDir dir;
    writeRaw(dir.filePath(QStringLiteral("l.f32")), latent);
    const auto f = numpyLatentFacts(dir.filePath(QStringLiteral("l.f32")), C, H, W, 5, 92.5);
    QCOMPARE(f.size(), 2 + 2 * C + 4 * C);

    LatentPanel panel;
    panel.resize(600, 500);
    panel.setResult(tensorOf(latent, {C, H, W}));
    panel.setPercentiles(5, 92.5);
    panel.setRangeMode(LatentPanel::RangeMode::PerChannel);
    for (int c = 0; c < C; ++c) {
        const auto r = panel.channelRange(c);
        QVERIFY2(near(r.first, f[2 + 2 * c]) && near(r.second, f[3 + 2 * c]),
                 qPrintable(QStringLiteral("%1 %2 vs %3 %4")
                                .arg(r.first)
                                .arg(r.second)
                                .arg(f[2 + 2 * c])
                                .arg(f[3 + 2 * c])));
        checkMapPixels(panel.channelView(c), latent, c, H, W, ColormapKind::Viridis, r.first,
                       r.second);
        const auto s = panel.channelStats(c);
        const int o = 2 + 2 * C + 4 * c;
        QVERIFY(near(s.min, f[o]) && near(s.max, f[o + 1]));
        QVERIFY(near(s.mean, f[o + 2], 1e-9) && near(s.std, f[o + 3], 1e-9));
    }
    panel.setRangeMode(LatentPanel::RangeMode::Shared);
    for (int c = 0; c < C; ++c) {
        const auto r = panel.channelRange(c);
        QVERIFY(near(r.first, f[0]) && near(r.second, f[1]));
    }
    // Diverging: symmetric about 0, white at 0.
    panel.setColormap(ColormapKind::Diverging);
    const float m = float(std::max(std::abs(f[0]), std::abs(f[1])));
    for (int c = 0; c < C; ++c) {
        const auto r = panel.channelRange(c);
        QVERIFY(near(r.first, -m) && near(r.second, m));
        checkMapPixels(panel.channelView(c), latent, c, H, W, ColormapKind::Diverging, r.first,
                       r.second);
    }
    // Invalid percentiles are ignored.
    panel.setPercentiles(60, 40);
    QCOMPARE(panel.lowPercent(), 5.0);
}

void TstViews::latentPanelCompositeAndHover() {
    const int C = 4, H = 8, W = 8;
    const std::vector<float> latent = lcgValues(C * H * W, 51, -4, 4);
    QTemporaryDir dir;
    writeRaw(dir.filePath(QStringLiteral("l.f32")), latent);
    const auto f = numpyLatentFacts(dir.filePath(QStringLiteral("l.f32")), C, H, W, 1, 99);
    LatentPanel panel;
    panel.resize(800, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setResult(tensorOf(latent, {C, H, W}));
    panel.setCompositeChannels(2, 0, 3);
    ImageView* comp = panel.compositeView();
    QVERIFY(comp->isVisible());
    const QImage& img = comp->renderedImage();
    const int chosen[3] = {2, 0, 3};
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            const QRgb p = img.pixel(x, y);
            const int got[3] = {qRed(p), qGreen(p), qBlue(p)};
            for (int k = 0; k < 3; ++k) {
                const int c = chosen[k];
                const double lo = f[2 + 2 * c], hi = f[3 + 2 * c];
                const double t = std::clamp(
                    (latent[std::size_t(c) * H * W + y * W + x] - lo) / (hi - lo), 0.0, 1.0);
                QVERIFY(std::abs(got[k] - std::round(t * 255)) <=
                        1);  // percentiles to float precision
            }
        }
    // Value under the cursor in a channel map.
    QSignalSpy spy(&panel, &LatentPanel::valueHovered);
    ImageView* v3 = panel.channelView(3);
    sendMouse(v3, QEvent::MouseMove, v3->mapFromImage(QPointF(5.5, 2.5)), Qt::NoButton,
              Qt::NoButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].toInt(), 3);
    QCOMPARE(spy[0][1].toInt(), 5);
    QCOMPARE(spy[0][2].toInt(), 2);
    QCOMPARE(spy[0][3].toFloat(), latent[3 * H * W + 2 * W + 5]);
    QVERIFY(panel.hoverText().contains(QString::number(latent[3 * H * W + 2 * W + 5], 'g', 6)));
    panel.setCompositeVisible(false);
    QVERIFY(!comp->isVisible());
    QCOMPARE(panel.channelCount(), C);
    QVERIFY(panel.channelView(3)->hasImage());
}

void TstViews::latentPanelWithoutZ() {
    const std::vector<float> latent = lcgValues(2 * 4 * 4, 61, 0, 1);
    LatentPanel panel;
    panel.setResult(tensorOf(latent, {2, 4, 4}));
    QVERIFY(!panel.zAvailable());
    QVERIFY(!panel.sourceSelectable(LatentPanel::Source::Z));
    auto* zButton = panel.findChild<QAbstractButton*>(QStringLiteral("zButton"));
    QVERIFY(zButton && !zButton->isEnabled());
    QVERIFY(zButton->toolTip().contains(QStringLiteral("not available")));
    panel.setSource(LatentPanel::Source::Z);
    QCOMPARE(panel.source(), LatentPanel::Source::Latent);
    QVERIFY_THROWS_EXCEPTION(
        Error, panel.exportNpy(QStringLiteral("/nonexistent/z.npy"), LatentPanel::Source::Z));
    // A later local result with z enables it again.
    panel.setResult(tensorOf(latent, {2, 4, 4}), tensorOf(latent, {2, 4, 4}) * 2);
    QVERIFY(zButton->isEnabled());
    panel.setSource(LatentPanel::Source::Z);
    QCOMPARE(panel.source(), LatentPanel::Source::Z);
    // A remote result without z falls back to the latent.
    panel.setResult(tensorOf(latent, {2, 4, 4}));
    QCOMPARE(panel.source(), LatentPanel::Source::Latent);
    panel.clear();
    QVERIFY(!panel.hasResult());
    QVERIFY(panel.channelView(0) == nullptr);
}

void TstViews::latentPanelExports() {
    const int C = 4, H = 8, W = 6;
    const std::vector<float> latent = lcgValues(C * H * W, 71, -3, 3);
    const std::vector<float> z = lcgValues(C * H * W, 72, -1, 1);
    QTemporaryDir dir;
    writeRaw(dir.filePath(QStringLiteral("l.f32")), latent);
    writeRaw(dir.filePath(QStringLiteral("z.f32")), z);
    LatentPanel panel;
    panel.setResult(tensorOf(latent, {C, H, W}), tensorOf(z, {C, H, W}));
    panel.setColormap(ColormapKind::Magma);
    panel.exportNpy(dir.filePath(QStringLiteral("latent.npy")));
    panel.setSource(LatentPanel::Source::Z);
    panel.exportNpy(dir.filePath(QStringLiteral("z.npy")));
    panel.exportNpy(dir.filePath(QStringLiteral("latent2.npy")), LatentPanel::Source::Latent);
    panel.exportChannelPng(2, dir.filePath(QStringLiteral("ch2.png")));
    panel.exportGridPng(dir.filePath(QStringLiteral("grid.png")));
    // The PNGs' expected bytes, from the panel's maps (themselves checked against the formula).
    const QImage ch2 = panel.channelImage(2);
    checkMapPixels(panel.channelView(2), z, 2, H, W, ColormapKind::Magma,
                   panel.channelRange(2).first, panel.channelRange(2).second);
    QCOMPARE(ch2, panel.channelView(2)->renderedImage());
    std::vector<float> chBytes;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            for (int k = 0; k < 3; ++k)
                chBytes.push_back(float(k == 0   ? qRed(ch2.pixel(x, y))
                                        : k == 1 ? qGreen(ch2.pixel(x, y))
                                                 : qBlue(ch2.pixel(x, y))));
    writeRaw(dir.filePath(QStringLiteral("ch2.f32")), chBytes);
    const auto r = numpy(
        QStringLiteral(
            "import sys, numpy as np\n"
            "from PIL import Image\n"
            "d = sys.argv[1]\n"
            "l = np.load(d + '/latent.npy'); z = np.load(d + '/z.npy'); l2 = np.load(d + "
            "'/latent2.npy')\n"
            "el = np.fromfile(d + '/l.f32', dtype=np.float32).reshape(4, 8, 6)\n"
            "ez = np.fromfile(d + '/z.f32', dtype=np.float32).reshape(4, 8, 6)\n"
            "png = np.asarray(Image.open(d + '/ch2.png').convert('RGB'))\n"
            "exp = np.fromfile(d + '/ch2.f32', dtype=np.float32).reshape(8, 6, 3)\n"
            "grid = np.asarray(Image.open(d + '/grid.png').convert('RGB'))\n"
            "print(int(l.dtype == np.float32), int(np.array_equal(l, el)), int(np.array_equal(z, "
            "ez)),\n"
            "      int(np.array_equal(l2, el)), *l.shape, int(np.array_equal(png, "
            "exp.astype(np.uint8))),\n"
            "      grid.shape[0], grid.shape[1], int(np.array_equal(grid[10:18, 0:6], png)),\n"
            "      int(grid[8:10].max() == 0))\n"),
        {dir.path()});
    // grid: 2 x 2 maps of 6 x 8 with 2-pixel gaps; channel 2 is bottom-left.
    const QVector<double> expected = {1, 1, 1, 1, 4, 8, 6, 1, 18, 14, 1, 1};
    QCOMPARE(r, expected);
    QVERIFY_THROWS_EXCEPTION(Error,
                             panel.exportChannelPng(7, dir.filePath(QStringLiteral("x.png"))));
    QVERIFY_THROWS_EXCEPTION(Error, panel.exportNpy(QStringLiteral("/nonexistent-dir/x.npy")));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.png"))));
}

void TstViews::latentPanelRefusesBadShapes() {
    LatentPanel panel;
    panel.setResult(at::zeros({2, 3, 4, 5}));
    QVERIFY(panel.errorText().contains(QStringLiteral("4 dimensions")));
    QVERIFY(!panel.hasResult());
    panel.setResult(at::zeros({2, 3, 4}), at::zeros({2, 3, 5}));
    QVERIFY(panel.errorText().contains(QStringLiteral("shape")));
    panel.setResult(at::zeros({2, 3, 4}, at::kLong));
    QVERIFY(!panel.errorText().isEmpty());
    panel.setResult(at::Tensor());
    QVERIFY(!panel.errorText().isEmpty());
    // All-NaN maps are drawn black, not refused; stats report the non-finite count.
    panel.setResult(at::full({1, 3, 4}, std::numeric_limits<float>::quiet_NaN()));
    QVERIFY(panel.errorText().isEmpty());
    QCOMPARE(panel.channelStats(0).nonFinite, std::size_t(12));
    QCOMPARE(panel.channelView(0)->renderedImage().pixel(1, 1) & 0xffffff, 0u);
    // A [h, w] latent is one channel.
    panel.setResult(at::ones({3, 4}));
    QCOMPARE(panel.channelCount(), 1);
}

// A real result: the sample DICOM through the bundled demo model, shown in both panels.
void TstViews::demoModelResultInAllViews() {
    const Image input = ImageLoader::load(MEDVAE_SAMPLES "/colin27_t1_coronal.dcm");
    auto backend = jobs::LocalBackend::open(MEDVAE_DEMO_MODEL);
    EncodeOptions options;
    options.decode = true;
    const EncodeResult result = backend->run(input, options);
    const jobs::Reconstruction rec = jobs::compareReconstruction(input, result.decoded);

    ComparePanel compare;
    compare.resize(1200, 450);
    compare.show();
    QVERIFY(QTest::qWaitForWindowExposed(&compare));
    compare.setReconstruction(rec, backend->info().architecture.factor());
    LatentPanel latents;
    latents.resize(900, 800);
    latents.show();
    QVERIFY(QTest::qWaitForWindowExposed(&latents));
    latents.setResult(result.latent, result.z);
    QCOMPARE(latents.channelCount(), int(result.latent.size(0)));
    QCOMPARE(latents.mapWidth(), int(result.latent.size(2)));

    // Every view holds real, varying pixels on screen.
    QVector<ImageView*> views = {compare.originalView(), compare.reconstructionView(),
                                 compare.errorView()};
    for (int c = 0; c < latents.channelCount(); ++c)
        views << latents.channelView(c);
    for (ImageView* v : views) {
        QVERIFY2(v->isVisible(), qPrintable(v->objectName()));
        const QImage shot = v->grab().toImage();
        QSet<QRgb> colours;
        for (int y = 0; y < shot.height(); y += 3)
            for (int x = 0; x < shot.width(); x += 3)
                colours.insert(shot.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(v->objectName()));
    }
    // The original's screen pixels follow its window; the heatmap's top is the max error.
    ImageView* ov = compare.originalView();
    ov->oneToOne();
    const QImage shot = ov->grab().toImage();
    const int w = rec.original.width;
    for (int y = 40; y < rec.original.height - 40; y += 17)
        for (int x = 40; x < w - 40; x += 13)
            QCOMPARE(qRed(pixelAt(shot, *ov, x, y)),
                     windowed(rec.original.pixels[std::size_t(y) * w + x], ov->windowCenter(),
                              ov->windowWidth()));
    QVERIFY(std::abs(compare.colorbar()->high() - rec.metrics.maxError) <=
            1e-3 * rec.metrics.maxError);
    QVERIFY(compare.metricsText().contains(QStringLiteral("PSNR")));
    QVERIFY(input.meta.pixelSpacing[1] > 0);
    QVERIFY(ov->scaleBarText().contains(QStringLiteral("calibrated")));
    QCOMPARE(compare.errorView()->scaleBarText(), ov->scaleBarText());
    // The file's window is the default; choosing another preset applies it to both images.
    QComboBox* presets = compare.presetBox();
    QVERIFY(presets->count() >= 2);
    QCOMPARE(presets->currentIndex(), 0);
    QCOMPARE(ov->windowCenter(), input.meta.windows.front().center);
    const int last = presets->count() - 1;
    Q_EMIT presets->activated(last);
    const WindowPreset chosen = ov->windowPresets()[last];
    QCOMPARE(ov->windowCenter(), chosen.center);
    QCOMPARE(compare.reconstructionView()->windowWidth(), chosen.width);

    // Screenshots for the README or a visual check, only when asked for.
    const QString shots = qEnvironmentVariable("MEDVAE_VIEWS_SCREENSHOTS");
    if (!shots.isEmpty()) {
        compare.originalView()->fitToWindow();
        compare.grab().save(shots + QStringLiteral("/compare_panel.png"));
        latents.grab().save(shots + QStringLiteral("/latent_panel.png"));
    }
}

QTEST_MAIN(TstViews)
#include "tst_views.moc"
