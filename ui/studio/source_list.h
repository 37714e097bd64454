#pragma once

#include <QListWidget>
#include <QString>

namespace medvae::ui {

// The Images dock: every source opened, as a thumbnail (prepared with the result on the worker
// thread; a grey square until then, an error icon when the source failed) and its name.
class SourceList : public QListWidget {
    Q_OBJECT
  public:
    explicit SourceList(QWidget* parent = nullptr);

    // The source's entry, added when new.
    QListWidgetItem* add(const QString& source);
    QListWidgetItem* itemFor(const QString& source) const;
    static QString sourceOf(const QListWidgetItem* item);
    void setThumbnail(const QString& source, const QImage& thumbnail);
    void setFailed(const QString& source, const QString& error);
    // A multi-frame source's entry names the frame shown: "name  n/N" (frame 0-based).
    void setFrames(const QString& source, int frame, int frames);

  Q_SIGNALS:
    // The user (or a program) chose another entry.
    void sourceSelected(const QString& source);
};

}  // namespace medvae::ui
