// What the views show between and around results, checked on their rendered pixels: the hints
// of an empty window, window/level linked across the original and the reconstruction with a
// truthful preset box, bottom texts that never overlap, the latent grid's use of its area, an
// error line that goes with the next result, and a splitter handle one can see.

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QMouseEvent>
#include <QSplitterHandle>
#include <QTest>

#include <algorithm>
#include <cmath>

#include "compare_panel.h"
#include "grip_splitter.h"
#include "image_view.h"
#include "latent_panel.h"
#include "reconstruction.h"
#include "view_test_support.h"

using namespace medvae;
using namespace medvae::ui;
using namespace medvae::test;

namespace {

void sendMouse(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButton button,
               Qt::MouseButtons buttons) {
    QMouseEvent e(type, pos, w->mapToGlobal(pos), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &e);
}

void drag(QWidget* w, QPointF from, QPointF to) {
    sendMouse(w, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    sendMouse(w, QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
    sendMouse(w, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
}

QRgb pixelAt(const QImage& shot, const ImageView& view, int x, int y) {
    const QPointF p = view.mapFromImage(QPointF(x + 0.5, y + 0.5));
    return shot.pixel(int(std::floor(p.x())), int(std::floor(p.y())));
}

int countPixels(const QImage& shot, const QRect& r, const std::function<bool(QRgb)>& pred) {
    int n = 0;
    for (int y = std::max(0, r.top()); y <= std::min(shot.height() - 1, r.bottom()); ++y)
        for (int x = std::max(0, r.left()); x <= std::min(shot.width() - 1, r.right()); ++x)
            n += pred(shot.pixel(x, y)) ? 1 : 0;
    return n;
}

// A colormap's colour (viridis): clearly coloured, unlike text, backgrounds and black cells.
bool saturated(QRgb c) {
    const int hi = std::max({qRed(c), qGreen(c), qBlue(c)});
    const int lo = std::min({qRed(c), qGreen(c), qBlue(c)});
    return hi - lo > 40;
}

// The bounding box of the pixels for which `pred` holds.
QRect extentOf(const QImage& shot, const std::function<bool(QRgb)>& pred) {
    QRect box;
    for (int y = 0; y < shot.height(); ++y)
        for (int x = 0; x < shot.width(); ++x)
            if (pred(shot.pixel(x, y))) box |= QRect(x, y, 1, 1);
    return box;
}

}  // namespace

class TstViewStates : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void emptyViewsSayWhatToDo();
    void windowLinkedAcrossOriginalAndReconstruction();
    void bottomTextsNeverOverlap();
    void latentGridFillsItsArea();
    void latentErrorLineGoesWithTheNextResult();
    void splitterHandleShowsAGrip();
};

void TstViewStates::emptyViewsSayWhatToDo() {
    ComparePanel compare;
    compare.resize(900, 320);
    compare.show();
    QVERIFY(QTest::qWaitForWindowExposed(&compare));
    ImageView* original = compare.originalView();
    // The hint names the File menu's real actions and their shortcuts.
    const QString hint = original->noticeText();
    for (const char* part :
         {"File ▸ Open Images…", "Open Folder…", "Open URL…", "drop", "paste", "Ctrl+O", "Ctrl+V"})
        QVERIFY2(hint.contains(QString::fromUtf8(part)), part);
    QVERIFY(!compare.reconstructionView()->noticeText().isEmpty());
    // Drawn as text in the middle of the view: light pixels there, none near the edges.
    const QImage shot = original->grab().toImage();
    const auto light = [](QRgb c) { return qGray(c) > 100; };
    const QRect middle(0, shot.height() / 4, shot.width(), shot.height() / 2);
    QVERIFY(countPixels(shot, middle, light) > 100);
    QCOMPARE(countPixels(shot, QRect(0, 0, shot.width(), 3), light), 0);

    LatentPanel latent;
    latent.resize(900, 300);
    latent.show();
    QVERIFY(QTest::qWaitForWindowExposed(&latent));
    QVERIFY(!latent.noticeText().isEmpty());
    const QLabel* notice = latent.findChild<QLabel*>(QStringLiteral("latentNotice"));
    QVERIFY(notice && notice->isVisible());
    // A result replaces the notice.
    latent.setResult(tensorOf(lcgValues(4 * 8 * 8, 5, -1, 1), {4, 8, 8}));
    QVERIFY(!notice->isVisible());
    QVERIFY(latent.noticeText().isEmpty());
}

void TstViewStates::windowLinkedAcrossOriginalAndReconstruction() {
    // A ramp (values 0..~1200) and its reconstruction: the ramp in model space [-1, 1] plus
    // noise, both 40 x 30.
    const int W = 40, H = 30;
    std::vector<float> px(W * H), rec(W * H);
    for (int i = 0; i < W * H; ++i)
        px[i] = float(i % W) * 25.0f + float(i / W) * 7.0f;
    const float top = *std::max_element(px.begin(), px.end());
    const std::vector<float> noise = lcgValues(W * H, 9, -0.05f, 0.05f);
    for (int i = 0; i < W * H; ++i)
        rec[i] = px[i] / top * 2 - 1 + noise[i];
    const at::Tensor decoded = tensorOf(rec, {1, H, W});
    const Reconstruction r = compareReconstruction(grayImage(W, H, px), decoded);

    ComparePanel panel;
    panel.resize(1000, 360);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setReconstruction(r);
    ImageView* original = panel.originalView();
    ImageView* reconstruction = panel.reconstructionView();
    QVERIFY(panel.windowLinked());
    QVERIFY(panel.windowLinkBox()->isVisible());
    const double c0 = original->windowCenter(), w0 = original->windowWidth();
    QCOMPARE(reconstruction->windowCenter(), c0);
    QCOMPARE(panel.presetBox()->currentText(),
             QString::fromStdString(original->windowPresets().value(0).name));
    QCOMPARE(panel.presetBox()->itemData(0, Qt::ToolTipRole).toString(),
             original->windowPresetNames().value(0));

    // Left-drag on the original: 30 px right (wider), 20 px up (lower level).
    const QPointF mid(original->width() / 2.0, original->height() / 2.0);
    drag(original, mid, mid + QPointF(30, -20));
    const double step = original->windowStep();
    const double c1 = c0 - 20 * step, w1 = w0 + 30 * step;
    QVERIFY(std::abs(original->windowCenter() - c1) < 1e-9);
    QVERIFY(std::abs(original->windowWidth() - w1) < 1e-9);
    QCOMPARE(panel.presetBox()->currentText(), QStringLiteral("Custom"));

    // The reconstruction's pixels on screen follow the same window.
    const QImage shot = reconstruction->grab().toImage();
    int changed = 0;
    for (int y = 0; y < H; y += 2)
        for (int x = 0; x < W; x += 2) {
            const float v = r.reconstruction.pixels[std::size_t(y * W + x)];
            QCOMPARE(qRed(pixelAt(shot, *reconstruction, x, y)), windowed(v, c1, w1));
            changed += windowed(v, c1, w1) != windowed(v, c0, w0);
        }
    QVERIFY2(changed > 100, qPrintable(QString::number(changed)));

    // A preset names itself and applies to both.
    QCOMPARE(panel.presetBox()->count(), original->windowPresets().size() + 1);
    panel.presetBox()->activated(0);  // as when the user picks it
    QCOMPARE(panel.presetBox()->currentIndex(), 0);
    QCOMPARE(reconstruction->windowCenter(), original->windowPresets()[0].center);

    // Unlinked, a drag on the original leaves the reconstruction's pixels as they were.
    panel.windowLinkBox()->click();
    QVERIFY(!panel.windowLinked());
    const QImage before = reconstruction->grab().toImage();
    drag(original, mid, mid + QPointF(-25, 15));
    QVERIFY(original->windowCenter() != reconstruction->windowCenter());
    QCOMPARE(reconstruction->grab().toImage(), before);
}

void TstViewStates::bottomTextsNeverOverlap() {
    // Large values with a unit make a long readout; the window text is long too.
    const int W = 30, H = 20;
    const std::vector<float> px = lcgValues(W * H, 17, 1.0e7f, 9.9e7f);
    Image im = grayImage(W, H, px);
    im.meta.rescaleType = "HU";
    ImageView view;
    view.resize(150, 120);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setImage(im);
    sendMouse(&view, QEvent::MouseMove, view.mapFromImage(QPointF(21.5, 13.5)), Qt::NoButton,
              Qt::NoButton);
    QVERIFY(view.readoutText().contains(QStringLiteral("HU")));
    const ImageView::BottomTexts narrow = view.bottomTexts();
    QVERIFY(!narrow.readout.isEmpty());
    QVERIFY(!narrow.window.isEmpty());
    QVERIFY2(!narrow.readout.intersects(narrow.window),
             qPrintable(QStringLiteral("readout %1,%2 %3x%4 window %5,%6 %7x%8")
                            .arg(narrow.readout.x())
                            .arg(narrow.readout.y())
                            .arg(narrow.readout.width())
                            .arg(narrow.readout.height())
                            .arg(narrow.window.x())
                            .arg(narrow.window.y())
                            .arg(narrow.window.width())
                            .arg(narrow.window.height())));
    QVERIFY(view.rect().contains(narrow.readout));
    QVERIFY(view.rect().contains(narrow.window));
    // Both are drawn: the text colour (light yellow) inside each rect.
    const QImage shot = view.grab().toImage();
    const auto text = [](QRgb c) { return qRed(c) > 200 && qGreen(c) > 200 && qBlue(c) < 190; };
    QVERIFY(countPixels(shot, narrow.readout, text) > 10);
    QVERIFY(countPixels(shot, narrow.window, text) > 10);

    // Where both fit, they share the bottom line.
    view.resize(900, 300);
    const ImageView::BottomTexts wide = view.bottomTexts();
    QCOMPARE(wide.readout.top(), wide.window.top());
    QVERIFY(!wide.readout.intersects(wide.window));
    QCOMPARE(wide.readoutText, view.readoutText());
    QCOMPARE(wide.windowText, view.windowText());
}

void TstViewStates::latentGridFillsItsArea() {
    LatentPanel panel;
    panel.resize(1100, 420);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));

    // 1 x 4 x 32 x 32: four square maps.
    panel.setResult(tensorOf(lcgValues(4 * 32 * 32, 41, -2, 2), {1, 4, 32, 32}));
    QApplication::processEvents();  // the layout's pass
    QWidget* area = panel.gridArea();
    const QImage square = area->grab().toImage();
    const double areaPixels = double(square.width()) * square.height();
    const double covered = countPixels(square, square.rect(), saturated) / areaPixels;
    qInfo("square maps cover %.3f of the grid's area, one is %d px high of %d", covered,
          extentOf(panel.channelView(0)->grab().toImage(), saturated).height(), square.height());
    QVERIFY2(covered > 0.45, qPrintable(QStringLiteral("maps cover %1 of %2x%3")
                                            .arg(covered)
                                            .arg(square.width())
                                            .arg(square.height())));
    const QRect one = extentOf(panel.channelView(0)->grab().toImage(), saturated);
    QVERIFY2(one.height() > 0.6 * square.height(), qPrintable(QString::number(one.height())));

    // A tall latent (16 wide, 64 high): the maps use the height.
    panel.setResult(tensorOf(lcgValues(4 * 64 * 16, 43, -2, 2), {1, 4, 64, 16}));
    QApplication::processEvents();
    const QImage tall = area->grab().toImage();
    const QRect map = extentOf(panel.channelView(0)->grab().toImage(), saturated);
    qInfo("tall maps are %d x %d px in a grid of %d x %d", map.width(), map.height(), tall.width(),
          tall.height());
    QVERIFY2(map.height() > 0.6 * tall.height(), qPrintable(QStringLiteral("map %1x%2 in %3x%4")
                                                                .arg(map.width())
                                                                .arg(map.height())
                                                                .arg(tall.width())
                                                                .arg(tall.height())));
    QVERIFY(std::abs(map.height() - 4 * map.width()) <= 4);  // the aspect ratio is kept
    // All tiles (the channels and the composite) in one row.
    QCOMPARE(panel.gridColumns(), panel.channelCount() + (panel.compositeVisible() ? 1 : 0));
}

void TstViewStates::latentErrorLineGoesWithTheNextResult() {
    LatentPanel panel;
    panel.resize(900, 420);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QString message = QStringLiteral("The image could not be read: truncated file");
    panel.showError(message);
    QLabel* line = nullptr;
    for (QLabel* label : panel.findChildren<QLabel*>())
        if (label->text() == message) line = label;
    QVERIFY(line);
    QApplication::processEvents();
    const QRect where = line->geometry();
    QVERIFY(where.height() > 0);
    const QImage withError = panel.grab().toImage();
    const auto red = [](QRgb c) { return qRed(c) > 120 && qGreen(c) < 110 && qBlue(c) < 110; };
    QVERIFY(countPixels(withError, where, red) > 20);

    panel.setResult(tensorOf(lcgValues(4 * 8 * 8, 7, -1, 1), {4, 8, 8}));
    QApplication::processEvents();
    QCOMPARE(panel.errorText(), QString());
    QVERIFY(line->text().isEmpty());
    // Where the message was, nothing is drawn but the background.
    const QImage after = panel.grab().toImage();
    const QRect now = line->geometry();
    const QRgb background = panel.palette().window().color().rgb();
    QCOMPARE(countPixels(after, now, [&](QRgb c) { return c != background; }), 0);
}

void TstViewStates::splitterHandleShowsAGrip() {
    GripSplitter splitter(Qt::Vertical);
    splitter.addWidget(new QWidget);
    splitter.addWidget(new QWidget);
    splitter.resize(400, 300);
    splitter.show();
    QVERIFY(QTest::qWaitForWindowExposed(&splitter));
    QSplitterHandle* handle = splitter.handle(1);
    QVERIFY(handle->height() >= 8);  // easy to grab
    // A grip in a colour apart from the background, in the middle of the handle.
    const QImage shot = handle->grab().toImage();
    const QRgb background = splitter.palette().window().color().rgb();
    const auto ink = [&](QRgb c) { return std::abs(qGray(c) - qGray(background)) > 40; };
    const QRect middle(shot.width() / 2 - 20, 0, 40, shot.height());
    QVERIFY(countPixels(shot, middle, ink) >= 10);
}

QTEST_MAIN(TstViewStates)
#include "tst_view_states.moc"
