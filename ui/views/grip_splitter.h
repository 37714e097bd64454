#pragma once

#include <QSplitter>

namespace medvae::ui {

// A splitter whose handles are wide enough to grab and show a grip (a row of dots across the
// middle), so that users see that the panels can be resized: Qt's default handle is a few
// pixels of the window's colour.
class GripSplitter : public QSplitter {
    Q_OBJECT

  public:
    static constexpr int kHandleWidth = 9;

    explicit GripSplitter(Qt::Orientation orientation, QWidget* parent = nullptr);

  protected:
    QSplitterHandle* createHandle() override;
};

}  // namespace medvae::ui
