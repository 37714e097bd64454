#pragma once

#include <QObject>
#include <QString>

class QProcess;

namespace medvae::ui {

// Writes the batch fidelity report of an output folder (<folder>/report.html) with
// `medvae-cli report` in a process of its own: reading thousands of records, decoding the worst
// items' images and drawing the plots never block the GUI thread, and the plots are drawn
// offscreen whatever display the app uses. One report at a time.
class BatchReportJob : public QObject {
    Q_OBJECT

  public:
    explicit BatchReportJob(QObject* parent = nullptr);
    ~BatchReportJob() override;  // stops a running report and waits for it

    // The medvae-cli to run; by default the one next to the app, else the one on PATH.
    void setProgram(const QString& program) { program_ = program; }
    QString program() const;
    bool isRunning() const;
    // Starts the report of `outputFolder`; false (and finished() is not emitted) when one is
    // already running.
    bool start(const QString& outputFolder);
    static QString reportPath(const QString& outputFolder);  // <folder>/report.html

  Q_SIGNALS:
    // `error` is empty when the page was written to `htmlPath`; else what went wrong (English,
    // from medvae-cli).
    void finished(QString htmlPath, QString error);

  private:
    void processFinished();

    QString program_;
    QString htmlPath_;
    QProcess* process_ = nullptr;
};

}  // namespace medvae::ui
