#pragma once

#include <QImage>
#include <QPointF>
#include <QRect>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <memory>

#include "colormap.h"
#include "image.h"

namespace medvae::ui {

class ScalarMap;
class WindowedImage;

// Zoom and pan of an ImageView, independent of the widget's size so that views of different
// sizes can share it. `fit`: the image is scaled to fit the widget and centred (scale and center
// are then derived from the size). Otherwise `scale` is screen pixels per image pixel and
// `center` the image coordinate (in pixels, origin at the top-left corner of the first pixel)
// shown at the widget's centre.
struct ViewState {
    bool fit = true;
    double scale = 1;
    QPointF center;
};

// Shows an image through a window/level (VOI) mapping, or a scalar field through a colormap. The
// widget only draws what it is given, prepared elsewhere (WindowedImage, ScalarMap: the mapping
// formulas live there); a window change while dragging re-renders through WindowedImage.
//
// Mouse as in PACS viewers (OHIF): left-drag window/level (right: wider window, down: higher
// level, one screen pixel = windowStep()), middle-drag pan, right-drag zoom (up: in), wheel zoom
// about the cursor, double-click or R resets. Keys: F fit, 1 one-to-one, I metadata overlay.
// In a stack (setSlice) the wheel pages through the slices instead (down: next) and Ctrl+wheel
// zooms; Up/Down, Page Up/Down, Home and End page too. The view only asks (sliceRequested):
// whoever owns the stack shows the slice and calls setSlice.
class ImageView : public QWidget {
    Q_OBJECT

  public:
    enum class Mode { Empty, Window, Colormap };

    explicit ImageView(QWidget* parent = nullptr);

    // Window/level display of a prepared image, at its initial window; the view fits the widget.
    void setWindowedImage(std::shared_ptr<const WindowedImage> image);
    // The same for an image prepared here (1 or 3 colour channels; a 2nd or 4th alpha channel is
    // ignored), at its default window (the file's first window, else the 0.1-99.9 percentile
    // range). An invalid shape is shown as an error.
    void setImage(const Image& image);
    // A prepared colormapped map; keeps zoom/pan when the size is unchanged.
    void setScalarMap(std::shared_ptr<const ScalarMap> map);
    // The same for width x height values (row-major, copied) drawn through `kind` over [lo, hi].
    void setScalarField(const float* values, int width, int height, ColormapKind kind, float lo,
                        float hi);
    void clear();
    // Shows `message` as text in the view instead of an image (errors are data, not dialogs).
    void showError(const QString& message);
    // Shows `text` (what to do, what is coming) centred in the view instead of an image.
    void showNotice(const QString& text);

    // The slice shown of a stack: 0-based `index` of `count` (count <= 1: not a stack), drawn as
    // "Slice n/N" in the top right corner.
    void setSlice(int index, int count);
    int sliceIndex() const { return sliceIndex_; }
    int sliceCount() const { return sliceCount_; }
    QString sliceText() const;  // empty when not a stack
    // Asks for slice `index`, clamped to the stack; nothing when it is the slice shown.
    void requestSlice(int index);
    // The slice a paging key leads to: Up/Page Up the one before, Down/Page Down the next, Home
    // the first, End the last (unclamped); the slice shown for other keys.
    int sliceTarget(int key) const;

    Mode mode() const { return mode_; }
    QString errorText() const { return error_; }
    QString noticeText() const { return notice_; }
    // The pixels shown (the image, or the map's values as one channel); empty when none.
    const Image& image() const;
    bool hasImage() const { return mode_ != Mode::Empty; }
    // The rendered image at native resolution (before zoom), Format_RGB32. A large image through
    // another window than its prepared one is painted from renderRegion() instead (the whole
    // rendering is made only when asked for here).
    const QImage& renderedImage() const;

    // Window/level, in the image's original units.
    double windowCenter() const { return center_; }
    double windowWidth() const { return width_; }
    void setWindow(double center, double width);
    // Window change per screen pixel of left-drag: (max - min of the finite pixels) / 256.
    double windowStep() const;
    // The presets of the image shown (WindowedImage::presets), empty for a map.
    QVector<WindowPreset> windowPresets() const;
    QStringList windowPresetNames() const;
    void applyWindowPreset(int index);

    ViewState viewState() const { return view_; }
    // The scale in effect (also in fit mode), screen pixels per image pixel.
    double effectiveScale() const;
    QPointF effectiveCenter() const;
    QPointF mapToImage(const QPointF& widgetPos) const;
    QPointF mapFromImage(const QPointF& imagePos) const;

    bool overlayVisible() const { return overlayVisible_; }
    // The window (or colormap range) in the bottom-right corner; on by default. Small maps whose
    // range is shown elsewhere turn it off so it does not cover their pixels.
    void setWindowTextVisible(bool visible);
    bool windowTextVisible() const { return windowTextVisible_; }
    // What the corners show (for the status bar and tests).
    QString windowText() const;
    QString readoutText() const { return readout_; }
    QString scaleBarText() const;  // empty when the pixel spacing is unknown
    QStringList overlayLines() const;
    // Where the bottom corners' texts are drawn (empty rects for texts not shown): side by side
    // when both fit on one line, else the readout one line above the window, each elided to the
    // view's width, so that they never overlap.
    struct BottomTexts {
        QRect readout, window;
        QString readoutText, windowText;  // as drawn (elided)
    };
    BottomTexts bottomTexts() const;

    QSize sizeHint() const override { return {256, 256}; }
    QSize minimumSizeHint() const override { return {64, 64}; }

  public Q_SLOTS:
    void setViewState(const medvae::ui::ViewState& state);
    void fitToWindow();
    void oneToOne();
    // Fit and the default window.
    void reset();
    void zoomBy(double factor, const QPointF& anchorWidgetPos);
    void setOverlayVisible(bool visible);

  Q_SIGNALS:
    void viewStateChanged(const medvae::ui::ViewState& state);
    void windowChanged(double center, double width);
    // Pixel (x, y) under the cursor and its values in original units (one per colour channel).
    void pixelHovered(int x, int y, const QVector<float>& values);
    void hoverLeft();
    void overlayVisibleChanged(bool visible);
    // The user asked for slice `index` (0-based, within the stack) by wheel or key.
    void sliceRequested(int index);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void defaultWindow();
    // Marks the rendered image stale; it is rebuilt once at the next paint (or renderedImage()),
    // so a burst of window changes during a drag costs one pass over the pixels.
    void render();
    void renderNow() const;
    // Whether the window is the one the image was prepared with (its rendering is ready).
    bool windowIsPrepared() const;
    // Whether a paint renders only the visible part (a large image through another window).
    bool showsRegion() const;
    void updateReadout(const QPointF& widgetPos);
    int colourChannels() const;

    Mode mode_ = Mode::Empty;
    std::shared_ptr<const WindowedImage> windowed_;
    std::shared_ptr<const ScalarMap> map_;
    double center_ = 0.5, width_ = 1;
    mutable QImage rendered_;
    mutable bool renderPending_ = false;
    QString error_;
    QString notice_;
    QString readout_;
    ViewState view_;
    bool overlayVisible_ = false;
    bool windowTextVisible_ = true;
    int sliceIndex_ = 0, sliceCount_ = 1;
    int wheelRemainder_ = 0;  // angle delta short of a notch (touchpads send small steps)

    enum class Drag { None, Window, Pan, Zoom } drag_ = Drag::None;
    QPointF pressPos_;
    double pressCenter_ = 0, pressWidth_ = 0;
    ViewState pressView_;
    QPointF pressImagePos_;
};

}  // namespace medvae::ui

Q_DECLARE_METATYPE(medvae::ui::ViewState)
