// The interactive inference worker: results equal a direct backend call, newest request wins,
// cancel ends a job as cancelled, a broken file is an error, destruction joins a busy thread.
#include <QElapsedTimer>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include "image_loader.h"
#include "inference_worker.h"
#include "local_backend.h"
#include "reconstruction.h"
#include "zero_png.h"

using namespace medvae;
using namespace medvae::jobs;

namespace {

const QString kSample = QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_frontal.png");

// A large noisy image, so one job runs long enough to be cancelled or superseded mid-way.
QString writeLargeImage(const QTemporaryDir& dir, int side) {
    QImage image(side, side, QImage::Format_Grayscale8);
    quint32 state = 12345;
    for (int y = 0; y < side; ++y) {
        uchar* row = image.scanLine(y);
        for (int x = 0; x < side; ++x) {
            state = state * 1664525u + 1013904223u;
            row[x] = uchar(state >> 24);
        }
    }
    const QString path = dir.filePath(QStringLiteral("large.png"));
    image.save(path);
    return path;
}

InferenceOutcome lastOutcome(const QSignalSpy& spy) {
    return spy.last().at(0).value<InferenceOutcome>();
}

}  // namespace

class TestInferenceWorker : public QObject {
    Q_OBJECT
  private:
    std::shared_ptr<LocalBackend> backend_;
    QTemporaryDir dir_;

    InferenceRequest request(const QString& source) {
        InferenceRequest r;
        r.source = source;
        r.backend = backend_;
        return r;
    }

  private Q_SLOTS:
    void initTestCase() {
        Engine::configureCpuKernels();
        backend_ = LocalBackend::open(MEDVAE_DEMO_MODEL);
        QVERIFY(dir_.isValid());
    }

    void resultEqualsDirectCall() {
        InferenceWorker worker;
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        QSignalSpy progress(&worker, &InferenceWorker::jobProgress);
        const quint64 id = worker.submit(request(kSample));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        const InferenceOutcome out = lastOutcome(finished);
        QCOMPARE(out.id, id);
        QVERIFY2(out.ok(), qPrintable(out.error));
        QVERIFY(progress.count() > 0);

        const Image image = ImageLoader::load(kSample.toStdString());
        QCOMPARE(out.image.width, image.width);
        QCOMPARE(out.image.height, image.height);
        EncodeOptions options;
        options.decode = true;
        const EncodeResult direct = backend_->run(image, options);
        QCOMPARE(out.result.latent.sizes().vec(),
                 (std::vector<int64_t>{4, image.height / 8, image.width / 8}));
        QVERIFY(at::equal(out.result.latent, direct.latent));
        QVERIFY(at::equal(out.result.z, direct.z));
        QVERIFY(at::equal(out.result.decoded, direct.decoded));
        QVERIFY(out.reconstruction.has_value());
        const Reconstruction rec = compareReconstruction(image, direct.decoded);
        QCOMPARE(out.reconstruction->metrics.psnr, rec.metrics.psnr);
        QCOMPARE(out.reconstruction->reconstruction.pixels, rec.reconstruction.pixels);
        QVERIFY(out.totalSeconds > 0);
    }

    void paddingReachesEveryPixel() {
        // 100x76 is not a multiple of 8: padded, the reconstruction covers the whole input.
        QImage small(100, 76, QImage::Format_Grayscale8);
        for (int y = 0; y < 76; ++y)
            for (int x = 0; x < 100; ++x)
                small.scanLine(y)[x] = uchar((x * 3 + y * 5) % 256);
        const QString path = dir_.filePath(QStringLiteral("odd.png"));
        QVERIFY(small.save(path));
        InferenceWorker worker;
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        InferenceRequest r = request(path);
        r.padToFactor = true;
        worker.submit(r);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        const InferenceOutcome out = lastOutcome(finished);
        QVERIFY2(out.ok(), qPrintable(out.error));
        QVERIFY(out.padded);
        QCOMPARE(out.result.latent.size(1), 10);  // ceil(76 / 8)
        QCOMPARE(out.result.latent.size(2), 13);  // ceil(100 / 8)
        QCOMPARE(out.reconstruction->original.width, 100);
        QCOMPARE(out.reconstruction->original.height, 76);
        QVERIFY(!out.reconstruction->cropped);
    }

    void newestRequestWins() {
        const QString large = writeLargeImage(dir_, 1024);
        InferenceWorker worker;
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        QSignalSpy started(&worker, &InferenceWorker::jobStarted);
        const quint64 first = worker.submit(request(large));
        QTRY_VERIFY_WITH_TIMEOUT(started.count() >= 1, 10000);
        worker.submit(request(large));  // pending, then superseded by the next one
        const quint64 last = worker.submit(request(kSample));
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && lastOutcome(finished).id == last, 60000);
        QVERIFY(lastOutcome(finished).ok());
        // The running job was aborted, the superseded pending one never started.
        QCOMPARE(finished.count(), 2);
        const InferenceOutcome aborted = finished.first().at(0).value<InferenceOutcome>();
        QCOMPARE(aborted.id, first);
        QVERIFY(aborted.cancelled);
        QCOMPARE(started.count(), 2);
        QVERIFY(!worker.busy());
    }

    void cancelEndsTheJob() {
        const QString large = writeLargeImage(dir_, 1024);
        InferenceWorker worker;
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        QSignalSpy progress(&worker, &InferenceWorker::jobProgress);
        worker.submit(request(large));
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(progress.begin(), progress.end(),
                                             [](const QList<QVariant>& a) {
                                                 return a.at(1).toString() ==
                                                        QLatin1String("inference");
                                             }),
                                 30000);
        QElapsedTimer timer;
        timer.start();
        worker.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        qInfo("cancel took effect after %lld ms", static_cast<long long>(timer.elapsed()));
        const InferenceOutcome out = lastOutcome(finished);
        QVERIFY(out.cancelled);
        QVERIFY(out.error.isEmpty());
        QVERIFY(!out.result.latent.defined());
        QVERIFY(!worker.busy());
    }

    void brokenFileIsAnError() {
        const QString path = dir_.filePath(QStringLiteral("broken.png"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\x89PNG\r\n\x1a\n this is not a PNG body");
        file.close();
        InferenceWorker worker;
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        worker.submit(request(path));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        const InferenceOutcome out = lastOutcome(finished);
        QVERIFY(!out.ok());
        QVERIFY(!out.cancelled);
        QVERIFY2(out.error.contains(QLatin1String("broken.png")), qPrintable(out.error));
        QVERIFY(!out.result.latent.defined());

        InferenceRequest none;
        none.source = kSample;
        worker.submit(none);  // no backend
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
        QVERIFY(!lastOutcome(finished).error.isEmpty());
    }

    void imageOverTheMemoryBudgetIsRefusedBeforeDecoding() {
        // The app's budget (MEDVAE_MAX_MEMORY_GB here) refuses a 10000² bomb from its header.
        const QString path = dir_.filePath(QStringLiteral("bomb.png"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(medvae::test::zeroPng(10000)) > 0);
        file.close();
        qputenv("MEDVAE_MAX_MEMORY_GB", "4");
        InferenceWorker worker;
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        worker.submit(request(path));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        qunsetenv("MEDVAE_MAX_MEMORY_GB");
        const InferenceOutcome out = lastOutcome(finished);
        QVERIFY(!out.ok() && !out.cancelled);
        QVERIFY2(out.error.contains("10000x10000") && out.error.contains("memory budget of 4.0 GB"),
                 qPrintable(out.error));
        QCOMPARE(out.image.width, 0);  // nothing was decoded
    }

    void destructionJoinsABusyThread() {
        const QString large = writeLargeImage(dir_, 1024);
        QElapsedTimer timer;
        {
            InferenceWorker worker;
            QSignalSpy started(&worker, &InferenceWorker::jobStarted);
            worker.submit(request(large));
            QTRY_VERIFY_WITH_TIMEOUT(started.count() == 1, 10000);
            timer.start();
        }
        qInfo("destructor returned after %lld ms", static_cast<long long>(timer.elapsed()));
    }
};

QTEST_GUILESS_MAIN(TestInferenceWorker)
#include "tst_inference_worker.moc"
