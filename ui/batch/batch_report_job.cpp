#include "batch_report_job.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

namespace medvae::ui {

BatchReportJob::BatchReportJob(QObject* parent) : QObject(parent) {}

BatchReportJob::~BatchReportJob() {
    if (process_ && process_->state() != QProcess::NotRunning) {
        process_->disconnect(this);
        process_->kill();
        process_->waitForFinished(5000);
    }
}

QString BatchReportJob::program() const {
    if (!program_.isEmpty()) return program_;
    const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath("medvae-cli");
    if (QFileInfo(beside).isExecutable()) return beside;
    const QString onPath = QStandardPaths::findExecutable("medvae-cli");
    return onPath.isEmpty() ? beside : onPath;
}

bool BatchReportJob::isRunning() const {
    return process_ && process_->state() != QProcess::NotRunning;
}

QString BatchReportJob::reportPath(const QString& outputFolder) {
    return QDir(outputFolder).filePath("report.html");
}

bool BatchReportJob::start(const QString& outputFolder) {
    if (isRunning()) return false;
    if (!process_) {
        process_ = new QProcess(this);
        connect(process_, &QProcess::finished, this, &BatchReportJob::processFinished);
        connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart) processFinished();
        });
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");  // plots only: no window, whatever the display
    process_->setProcessEnvironment(env);
    htmlPath_ = reportPath(outputFolder);
    process_->start(program(), {"report", "-i", outputFolder, "-o", htmlPath_});
    return true;
}

void BatchReportJob::processFinished() {
    QString error;
    if (process_->error() == QProcess::FailedToStart) {
        error = QString("cannot run %1: %2").arg(program(), process_->errorString());
    } else if (process_->exitStatus() != QProcess::NormalExit || process_->exitCode() != 0) {
        // medvae-cli says what failed on its lines starting "medvae-cli:"; Qt's own warnings
        // are left out.
        QStringList lines;
        for (const QString& line : QString::fromUtf8(process_->readAllStandardError()).split('\n'))
            if (line.startsWith("medvae-cli: "))
                lines << line.mid(12).remove(QRegularExpression("^error: "));
        error =
            lines.isEmpty()
                ? QString("medvae-cli report stopped (exit status %1)").arg(process_->exitCode())
                : lines.join('\n');
    }
    process_->readAll();
    Q_EMIT finished(htmlPath_, error);
}

}  // namespace medvae::ui
