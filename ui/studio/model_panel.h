#pragma once

#include <QString>
#include <QWidget>

#include "engine.h"
#include "inference_backend.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace medvae::jobs {
class ModelDownloader;
}

namespace medvae::ui {

// The model side of the window: what is loaded (variant, factor, channels, parameters, device,
// precision), loading a checkpoint by file or from the Hugging Face cache, downloading one into
// that cache (progress, SHA-256, cancel), and the engine and sampling settings.
//
// The panel only asks: loading is the window's job (off the GUI thread), signalled here.
class ModelBChooser;

class ModelPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ModelPanel(QWidget* parent = nullptr);

    // What the window loaded (a default description clears the panel). `parameters`: network
    // parameters, 0 when unknown (remote).
    void setModel(const jobs::BackendDescription& description, qint64 parameters);
    // A remote endpoint's last round trip (request to answer, retries included); < 0: none yet.
    void setRoundTrip(double milliseconds);
    void setLoading(const QString& source);
    void setLoadError(const QString& message);

    EngineOptions engineOptions() const;
    void setEngineOptions(const EngineOptions& options);
    EncodeOptions encodeOptions() const;  // decode on; sample and seed as set
    void setSampling(bool sample, quint64 seed);

    // Download settings; the base URL defaults to $HF_ENDPOINT or huggingface.co.
    void setDownloadBaseUrl(const QString& url) { baseUrl_ = url; }
    void setCacheRoot(const QString& root);
    QString cacheRoot() const { return cacheRoot_; }
    // Lists the MedVAE checkpoints found in the cache.
    void refreshCache();
    int cachedCount() const;
    QString infoText() const;
    QString checksumText() const;
    bool downloading() const;
    // "Compare with…": the second model (B) of an A/B comparison.
    ModelBChooser* modelBChooser() const { return modelB_; }

  public Q_SLOTS:
    void startDownload();
    void cancelDownload();

  Q_SIGNALS:
    void loadRequested(const QString& checkpointPath);
    // Device, precision, threads or tiling: the model must be reloaded.
    void engineOptionsChanged();
    void encodeOptionsChanged();
    void downloadFinished(bool ok, const QString& path);

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void followDevice();
    static void setItemEnabled(QComboBox* box, int index, bool enabled);
    void initControls();
    void layOut();
    void connectControls();
    void retranslate();
    void chooseFile();
    QString remoteText(const jobs::BackendDescription& d) const;
    // The device, precision, threads, tiling and sampling apply to the local engine only;
    // sampling is not offered with tiling.
    void enableLocalControls(bool local);
    void onDownloadFinished(bool ok, bool cancelled, const QString& path, const QString& sha256,
                            const QString& error);

    QLabel* info_;
    QPushButton* loadFile_;
    QLabel* cacheTitle_;
    QComboBox* cached_;
    QPushButton* loadCached_;
    QPushButton* refresh_;
    QLabel* downloadTitle_;
    QComboBox* downloadName_;
    QPushButton* download_;
    QPushButton* cancelDownload_;
    QProgressBar* downloadProgress_;
    QLabel* checksum_;
    QLabel* deviceLabel_;
    QComboBox* device_;
    QLabel* cudaNote_;
    QLabel* precisionLabel_;
    QComboBox* precision_;
    QLabel* threadsLabel_;
    QSpinBox* threads_;
    QCheckBox* tiled_;
    QSpinBox* tileSize_;  // beside tiled_
    QCheckBox* sample_;
    QLabel* seedLabel_;
    QSpinBox* seed_;
    ModelBChooser* modelB_;

    jobs::ModelDownloader* downloader_;
    QString baseUrl_;
    QString cacheRoot_;
    jobs::BackendDescription description_;
    qint64 parameters_ = 0;
    double roundTripMs_ = -1;
    bool localControls_ = true;
    QString state_;  // "", "loading", "error"
    QString stateText_;
};

}  // namespace medvae::ui
