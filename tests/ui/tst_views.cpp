// The image views, with widgets: window/level rendering on screen, mouse interaction, zoom/pan
// synchronisation, readouts, scale bar and overlay, and the compare and latent panels drawing
// what their models prepared (the models themselves are tested without widgets in
// tst_view_models), with a demo-model result in every view.
#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QMouseEvent>
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
#include "reconstruction.h"
#include "scalar_map.h"
#include "view_sync.h"
#include "view_test_support.h"
#include "windowed_image.h"

using namespace medvae;
using namespace medvae::ui;
using namespace medvae::test;

namespace {

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
    void imageViewRendersWindowLevel();
    void viewDrawsThePreparedPicture();
    void leftDragChangesWindowLevel();
    void wheelAndDragZoomPanAreSynced();
    void presetsAndReset();
    void readoutUnderCursor();
    void readoutOfAMagnitudeMap();
    void scaleBarOnlyWithSpacing();
    void overlayHiddenByDefault();
    void errorsShownAsText();
    void comparePanelDrawsTheComparison();
    void latentPanelDrawsTheMaps();
    void latentPanelControlsWinOverPreparedMaps();
    void latentPanelWithoutZ();
    void demoModelResultInAllViews();
};

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

void TstViews::readoutOfAMagnitudeMap() {
    // The absolute error map of a grey result is drawn from its signed error: under the cursor
    // it reads |error|, not the signed value it is stored as.
    std::vector<float> px(20 * 10);
    for (int i = 0; i < 200; ++i)
        px[i] = 3.5f - float(i % 7);
    const auto field = std::make_shared<const Image>(grayImage(20, 10, px));
    ImageView view;
    view.resize(100, 100);
    view.setScalarMap(std::make_shared<const ScalarMap>(field, ColormapKind::Magma, 0.0f, 3.5f,
                                                        ScalarMap::Values::Magnitude));
    view.oneToOne();
    QSignalSpy spy(&view, &ImageView::pixelHovered);
    sendMouse(&view, QEvent::MouseMove, view.mapFromImage(QPointF(13.5, 7.5)), Qt::NoButton,
              Qt::NoButton);
    QCOMPARE(spy.count(), 1);
    const float stored = px[7 * 20 + 13];
    QVERIFY(stored < 0);
    const auto values = spy[0][2].value<QVector<float>>();
    QCOMPARE(values, QVector<float>{-stored});
    QVERIFY(view.readoutText().contains(QString::number(-stored, 'g', 6)));
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

void TstViews::viewDrawsThePreparedPicture() {
    // A picture prepared elsewhere (the worker thread) is drawn as it is, not made again; a
    // window change renders through the same model, and going back shows the prepared one.
    std::vector<float> px = lcgValues(30 * 20, 4, 0, 1000);
    Image im = grayImage(30, 20, px);
    im.meta.windows.push_back({400, 600, ""});
    const auto prepared = std::make_shared<const WindowedImage>(std::make_shared<const Image>(im));
    ImageView view;
    view.resize(120, 100);
    QSignalSpy windows(&view, &ImageView::windowChanged);
    view.setWindowedImage(prepared);
    QCOMPARE(windows.count(), 1);
    QCOMPARE(view.windowCenter(), 400.0);
    QCOMPARE(view.renderedImage().constBits(), prepared->initialRendering().constBits());
    view.setWindow(100, 50);
    QCOMPARE(view.renderedImage(), prepared->render(100, 50));
    view.setWindow(400, 600);
    QCOMPARE(view.renderedImage().constBits(), prepared->initialRendering().constBits());
    // A map likewise.
    const auto map = std::make_shared<const ScalarMap>(px, 30, 20, ColormapKind::Magma, 0, 500);
    view.setScalarMap(map);
    QCOMPARE(view.mode(), ImageView::Mode::Colormap);
    QCOMPARE(view.renderedImage().constBits(), map->rendered().constBits());
    QCOMPARE(view.windowText(), QStringLiteral("magma  0 to 500"));
}

void TstViews::comparePanelDrawsTheComparison() {
    // A 37 x 29 gray input and a [1, 24, 32] decoded tensor with a hot pixel: aligned by
    // cropping to 32 x 24.
    Image input = grayImage(37, 29, lcgValues(37 * 29, 21, 0, 200));
    at::manual_seed(3);
    at::Tensor decoded = at::rand({1, 24, 32}) * 2 - 1;
    decoded[0][5][7].fill_(40.0f);
    const Reconstruction rec = compareReconstruction(input, decoded);
    QVERIFY(rec.cropped);
    // The heatmap's scale, independently: numpy's 99th percentile of |error|.
    std::vector<float> absError(32 * 24);
    for (int i = 0; i < 32 * 24; ++i)
        absError[i] = std::abs(rec.reconstruction.pixels[i] - rec.original.pixels[i]);
    QTemporaryDir dir;
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("e.f32")), absError));
    const auto p = numpy(QStringLiteral("import sys, numpy as np\n"
                                        "print(np.percentile(np.fromfile(sys.argv[1],"
                                        " dtype=np.float32), 99))\n"),
                         {dir.filePath(QStringLiteral("e.f32"))});
    QCOMPARE(p.size(), 1);
    const double p99 = p[0];

    ComparePanel panel;
    panel.resize(1000, 360);
    panel.setReconstruction(rec, 8);
    QVERIFY(panel.hasResult());
    QCOMPARE(panel.cropNotice(),
             QStringLiteral(
                 "Compared area 32×24 of 37×29: the model's output is a multiple of 8 per side."));
    for (double m : {rec.metrics.psnr, rec.metrics.ssim, rec.metrics.mae, rec.metrics.maxError})
        QVERIFY(panel.metricsText().contains(QString::number(m, 'g', 4)));

    // |original - reconstruction| on the 0..p99 scale, stated in the colorbar.
    const auto& heat = panel.heatmapValues();
    QCOMPARE(int(heat.size()), 32 * 24);
    for (int i = 0; i < 32 * 24; ++i)
        QVERIFY(std::abs(heat[i] - absError[i]) <= 1e-4f * std::max(1.0f, absError[i]));
    ColorbarWidget* bar = panel.colorbar();
    QCOMPARE(bar->kind(), ColormapKind::Magma);
    QCOMPARE(bar->low(), 0.0);
    QVERIFY2(near(bar->high(), p99, 1e-5), qPrintable(QString::number(bar->high())));
    QVERIFY(rec.metrics.maxError > 3 * p99);  // the hot pixel is far above the scale
    QVERIFY(bar->tickLabels().last().startsWith(QStringLiteral("≥ ")));
    QVERIFY(!bar->tickLabels().first().startsWith(QStringLiteral("≤")));
    QCOMPARE(bar->caption(), QStringLiteral("scale: 99th percentile"));
    QVERIFY(bar->toolTip().contains(QStringLiteral("99th percentile")));

    // On screen: magma at t = |error| / p99, clamped; the hot pixel takes the top colour.
    ImageView* ev = panel.errorView();
    ev->oneToOne();
    QImage shot = ev->grab().toImage();
    for (int y = 0; y < 24; y += 4)
        for (int x = 0; x < 32; x += 3) {
            const auto c = expectedColor(ColormapKind::Magma, heat[y * 32 + x], 0, float(p99));
            const QRgb px = pixelAt(shot, *ev, x, y);
            QCOMPARE(qRed(px), int(c[0]));
            QCOMPARE(qGreen(px), int(c[1]));
            QCOMPARE(qBlue(px), int(c[2]));
        }
    QCOMPARE(pixelAt(shot, *ev, 7, 5) & 0xffffff, qRgb(251, 252, 191) & 0xffffff);
    // The original and the reconstruction views hold their pixels under the same window.
    ImageView* ov = panel.originalView();
    ImageView* rv = panel.reconstructionView();
    QCOMPARE(rv->windowCenter(), ov->windowCenter());
    QCOMPARE(rv->windowWidth(), ov->windowWidth());
    QCOMPARE(ov->effectiveScale(), 1.0);  // synced from the heatmap view's 1:1
    // No file window: the percentile range is the preset in effect; a preset applies to both.
    QComboBox* presets = panel.presetBox();
    QCOMPARE(presets->count(), 2);  // the percentile range and "Custom"
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

    // Signed difference: diverging, symmetric about zero on the same robust scale (one channel:
    // |signed| is |error|).
    panel.setErrorMode(ComparePanel::ErrorMode::Signed);
    QCOMPARE(bar->kind(), ColormapKind::Diverging);
    QVERIFY(near(bar->low(), -p99, 1e-5) && near(bar->high(), p99, 1e-5));
    QVERIFY(bar->tickLabels().last().startsWith(QStringLiteral("≥ ")));
    for (int i = 0; i < 32 * 24; i += 7)
        QVERIFY(std::abs(panel.heatmapValues()[i] -
                         (rec.reconstruction.pixels[i] - rec.original.pixels[i])) <= 1e-4f);
    QVERIFY(std::abs(ev->effectiveScale() - 1.5625) < 1e-12);  // mode change keeps the zoom

    // Not cropped: no notice; errors are shown in the view.
    const Reconstruction exact =
        compareReconstruction(grayImage(16, 8, lcgValues(128, 2, 0, 1)), at::zeros({1, 8, 16}));
    panel.setReconstruction(exact, 8);
    QVERIFY(panel.cropNotice().isEmpty());
    panel.showError(QStringLiteral("model failed"));
    QCOMPARE(panel.originalView()->errorText(), QStringLiteral("model failed"));
    QVERIFY(!panel.hasResult());
    // Images that cannot be compared are said so, not drawn.
    Reconstruction odd = exact;
    odd.signedError.width = 3;
    panel.setReconstruction(odd, 8);
    QVERIFY(!panel.hasResult());
    QVERIFY(panel.originalView()->errorText().contains(QStringLiteral("cannot be compared")));
}

void TstViews::latentPanelDrawsTheMaps() {
    const int C = 4, H = 8, W = 6;
    const std::vector<float> latent = lcgValues(C * H * W, 31, -3, 3);
    const std::vector<float> z = lcgValues(C * H * W, 32, -10, 25);
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
    QCOMPARE(panel.values(), latent);
    // Each view draws its channel's prepared map, unchanged.
    for (int c = 0; c < C; ++c)
        QCOMPARE(panel.channelView(c)->renderedImage().constBits(),
                 panel.maps().channelMap(c)->rendered().constBits());
    // What is on screen is those maps: sample the grabbed view at latent pixel centres.
    ImageView* v1 = panel.channelView(1);
    QVERIFY(v1->width() > 20 && v1->height() > 20);
    QImage before = v1->grab().toImage();
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            QCOMPARE(pixelAt(before, *v1, x, y) & 0xffffff,
                     v1->renderedImage().pixel(x, y) & 0xffffff);

    // Toggle to z by clicking the button: the views draw z's maps.
    QSignalSpy spy(&panel, &LatentPanel::sourceChanged);
    auto* zButton = panel.findChild<QAbstractButton*>(QStringLiteral("zButton"));
    QVERIFY(zButton && zButton->isEnabled());
    QTest::mouseClick(zButton, Qt::LeftButton);
    QCOMPARE(panel.source(), LatentPanel::Source::Z);
    QCOMPARE(spy.count(), 1);
    QVERIFY(panel.explanation().startsWith(QStringLiteral("z (stage 1)")));
    QCOMPARE(panel.values(), z);
    for (int c = 0; c < C; ++c) {
        const auto r = panel.channelRange(c);
        const QImage& img = panel.channelView(c)->renderedImage();
        for (int i = 0; i < H * W; i += 5) {
            const auto e = expectedColor(ColormapKind::Viridis, z[std::size_t(c) * H * W + i],
                                         r.first, r.second);
            QCOMPARE(qGreen(img.pixel(i % W, i / W)), int(e[1]));
        }
    }
    QImage after = v1->grab().toImage();
    int differing = 0;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            differing += pixelAt(after, *v1, x, y) != pixelAt(before, *v1, x, y);
    QVERIFY(differing > H * W / 2);

    // Zoom in one channel moves the others and the composite.
    wheel(panel.channelView(0), QPointF(10, 10), 120);
    for (int c = 1; c < C; ++c)
        QVERIFY(std::abs(panel.channelView(c)->effectiveScale() -
                         panel.channelView(0)->effectiveScale()) < 1e-12);
    QVERIFY(std::abs(panel.compositeView()->effectiveScale() -
                     panel.channelView(0)->effectiveScale()) < 1e-12);

    // The composite is drawn from its prepared picture; the value under the cursor is read out.
    panel.setCompositeChannels(2, 0, 3);
    ImageView* comp = panel.compositeView();
    QVERIFY(comp->isVisible());
    QCOMPARE(comp->renderedImage(), panel.maps().composite()->initialRendering());
    QSignalSpy hovered(&panel, &LatentPanel::valueHovered);
    ImageView* v3 = panel.channelView(3);
    sendMouse(v3, QEvent::MouseMove, v3->mapFromImage(QPointF(5.5, 2.5)), Qt::NoButton,
              Qt::NoButton);
    QCOMPARE(hovered.count(), 1);
    QCOMPARE(hovered[0][0].toInt(), 3);
    QCOMPARE(hovered[0][1].toInt(), 5);
    QCOMPARE(hovered[0][2].toInt(), 2);
    QCOMPARE(hovered[0][3].toFloat(), z[3 * H * W + 2 * W + 5]);
    QVERIFY(panel.hoverText().contains(QString::number(z[3 * H * W + 2 * W + 5], 'g', 6)));
    panel.setCompositeVisible(false);
    QVERIFY(!comp->isVisible());
    QCOMPARE(panel.channelCount(), C);
    QVERIFY(panel.channelView(3)->hasImage());
    // The panel's exports write the model's arrays.
    QTemporaryDir dir;
    panel.exportNpy(dir.filePath(QStringLiteral("shown.npy")));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("shown.npy"))));
}

void TstViews::latentPanelControlsWinOverPreparedMaps() {
    // Maps prepared (on the worker) with the settings of when the job was asked for; the user
    // chose magma meanwhile: the panel shows magma.
    const int C = 2, H = 4, W = 5;
    const std::vector<float> latent = lcgValues(C * H * W, 81, -1, 1);
    const LatentMaps prepared =
        LatentMaps::fromTensors(tensorOf(latent, {C, H, W}), at::Tensor(), {});
    LatentPanel panel;
    panel.setColormap(ColormapKind::Magma);
    panel.setMaps(prepared);
    QCOMPARE(panel.colormap(), ColormapKind::Magma);
    auto* box = panel.findChildren<QComboBox*>().first();
    QCOMPARE(box->currentIndex(), int(ColormapKind::Magma));
    LatentMaps::Settings magma;
    magma.colormap = ColormapKind::Magma;
    const LatentMaps expected =
        LatentMaps::fromTensors(tensorOf(latent, {C, H, W}), at::Tensor(), magma);
    for (int c = 0; c < C; ++c)
        QCOMPARE(panel.channelView(c)->renderedImage(), expected.channelImage(c));
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
    // A later local result with z enables it again.
    panel.setResult(tensorOf(latent, {2, 4, 4}), tensorOf(latent, {2, 4, 4}) * 2);
    QVERIFY(zButton->isEnabled());
    panel.setSource(LatentPanel::Source::Z);
    QCOMPARE(panel.source(), LatentPanel::Source::Z);
    // A remote result without z falls back to the latent.
    panel.setResult(tensorOf(latent, {2, 4, 4}));
    QCOMPARE(panel.source(), LatentPanel::Source::Latent);
    // A bad shape is an error in the panel.
    panel.setResult(at::zeros({2, 3, 4, 5}));
    QVERIFY(panel.errorText().contains(QStringLiteral("4 dimensions")));
    QVERIFY(!panel.hasResult());
    panel.clear();
    QVERIFY(!panel.hasResult());
    QVERIFY(panel.channelView(0) == nullptr);
}

// A real result: the sample DICOM through the bundled demo model, shown in both panels.
void TstViews::demoModelResultInAllViews() {
    const Image input = ImageLoader::load(MEDVAE_SAMPLES "/colin27_t1_coronal.dcm");
    auto backend = jobs::LocalBackend::open(MEDVAE_DEMO_MODEL);
    EncodeOptions options;
    options.decode = true;
    const EncodeResult result = backend->run(input, options);
    const Reconstruction rec = compareReconstruction(input, result.decoded);

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
    // The original's screen pixels follow its window; the heatmap's top is numpy's 99th
    // percentile of |error|.
    ImageView* ov = compare.originalView();
    ov->oneToOne();
    const QImage shot = ov->grab().toImage();
    const int w = rec.original.width;
    for (int y = 40; y < rec.original.height - 40; y += 17)
        for (int x = 40; x < w - 40; x += 13)
            QCOMPARE(qRed(pixelAt(shot, *ov, x, y)),
                     windowed(rec.original.pixels[std::size_t(y) * w + x], ov->windowCenter(),
                              ov->windowWidth()));
    QTemporaryDir dir;
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("o.f32")), rec.original.pixels));
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("r.f32")), rec.reconstruction.pixels));
    const auto p =
        numpy(QStringLiteral("import sys, numpy as np\n"
                             "o = np.fromfile(sys.argv[1], dtype=np.float32)\n"
                             "r = np.fromfile(sys.argv[2], dtype=np.float32)\n"
                             "c = int(sys.argv[3])\n"
                             "e = np.abs(r.astype(np.float64) - o).reshape(c, -1)\n"
                             "print(np.percentile(e.mean(0), 99))\n"),
              {dir.filePath(QStringLiteral("o.f32")), dir.filePath(QStringLiteral("r.f32")),
               QString::number(rec.original.channels)});
    QCOMPARE(p.size(), 1);
    QVERIFY2(near(compare.colorbar()->high(), p[0], 1e-4),
             qPrintable(QStringLiteral("%1 vs %2").arg(compare.colorbar()->high()).arg(p[0])));
    QVERIFY(compare.metricsText().contains(QStringLiteral("PSNR")));
    QVERIFY(input.meta.pixelSpacing[1] > 0);
    QVERIFY(ov->scaleBarText().contains(QStringLiteral("calibrated")));
    QCOMPARE(compare.errorView()->scaleBarText(), ov->scaleBarText());
    // The file's window is the default; choosing another preset applies it to both images.
    QComboBox* presets = compare.presetBox();
    QVERIFY(presets->count() >= 3);  // the presets, then "Custom"
    QCOMPARE(presets->currentIndex(), 0);
    QCOMPARE(ov->windowCenter(), input.meta.windows.front().center);
    const int last = presets->count() - 2;
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
