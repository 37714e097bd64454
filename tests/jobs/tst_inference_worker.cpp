// The app's inference worker: results equal a direct backend call and come prepared on the
// worker thread; the newest request of each kind wins; cancel ends a job as cancelled; a broken
// file is an error; the destructor aborts and joins; a view job goes before the next batch item
// and can be cancelled while it waits for the engine. Slow jobs come from a backend the test
// holds and releases (FakeBackend), never from big images and timing.
#include <QDeadlineTimer>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include <algorithm>
#include <future>
#include <thread>

#include "fake_backend.h"
#include "gated_backend.h"
#include "image_loader.h"
#include "inference_worker.h"
#include "local_backend.h"
#include "reconstruction.h"
#include "zero_png.h"

using namespace medvae;
using namespace medvae::jobs;
using medvae::test::FakeBackend;

namespace {

const QString kSample = QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_frontal.png");

InferenceOutcome outcomeAt(const QSignalSpy& spy, int i) {
    return *spy.at(i).at(0).value<std::shared_ptr<const InferenceOutcome>>();
}

InferenceOutcome lastOutcome(const QSignalSpy& spy) {
    return outcomeAt(spy, int(spy.count()) - 1);
}

// Waits until `spy` has recorded `count` signals. The worker emits from its own thread straight
// into the spy, so a signal may land before QSignalSpy::wait() starts, which then waits for one
// more: look at the count first, and wait in short slices until it is reached or time is up.
bool waitForCount(QSignalSpy& spy, qsizetype count, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (spy.count() < count) {
        if (deadline.hasExpired()) return false;
        spy.wait(int(std::clamp<qint64>(deadline.remainingTime(), 1, 50)));
    }
    return true;
}

// A "load" that installs `backend` (the fake) as the local engine.
BackendRequest installing(std::shared_ptr<InferenceBackend> backend) {
    BackendRequest r;
    r.kind = JobKind::LoadModel;
    r.label = QStringLiteral("fake");
    r.open = [backend](qint64& parameters) {
        parameters = 0;
        return backend;
    };
    return r;
}

// Opens `request` and waits until the worker reports it.
BackendOutcome openAndWait(InferenceWorker& worker, BackendRequest request) {
    QSignalSpy opened(&worker, &InferenceWorker::backendOpened);
    worker.open(std::move(request));
    if (!waitForCount(opened, 1, 60000)) return {};
    return opened.last().at(0).value<BackendOutcome>();
}

InferenceRequest request(const QString& source) {
    InferenceRequest r;
    r.source = source;
    return r;
}

// A batch item run on its own thread. Leaving the scope lets every held run go and joins, so that
// a failed check ends its test instead of the process.
class BatchItemThread {
  public:
    BatchItemThread(std::shared_ptr<InferenceBackend> batch, FakeBackend& fake, const Image& image)
        : fake_(fake), thread_([batch, &image] {
              try {
                  batch->run(image, EncodeOptions());
              } catch (const std::exception&) {
                  // a failure shows in the fake's counts
              }
          }) {}
    ~BatchItemThread() { join(); }
    // Lets every held run go and waits for this item to end.
    void join() {
        fake_.stopHolding();
        if (thread_.joinable()) thread_.join();
    }

  private:
    FakeBackend& fake_;
    std::thread thread_;
};

// A marker of what `prepare` made, and on which thread.
struct Marker : Rendering {
    QThread* thread = nullptr;
    int latentChannels = 0;
    at::Tensor decoded;  // as `prepare` saw it
};

}  // namespace

class TestInferenceWorker : public QObject {
    Q_OBJECT
  private:
    std::shared_ptr<LocalBackend> demo_;
    QTemporaryDir dir_;

  private Q_SLOTS:
    void initTestCase() {
        Engine::configureCpuKernels();
        demo_ = LocalBackend::open(MEDVAE_DEMO_MODEL);
        QVERIFY(dir_.isValid());
    }

    void resultEqualsDirectCallAndIsPreparedOnTheWorker() {
        InferenceWorker worker;
        const BackendOutcome loaded =
            openAndWait(worker, BackendRequest::localModel(MEDVAE_DEMO_MODEL, {}));
        QVERIFY2(loaded.ok, qPrintable(loaded.error));
        QCOMPARE(loaded.parameters, demo_->info().parameters);
        QVERIFY(worker.backend(EngineGate::Priority::Interactive) != nullptr);
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        QSignalSpy progress(&worker, &InferenceWorker::jobProgress);
        InferenceRequest r = request(kSample);
        r.prepare = [](const InferenceOutcome& outcome) {
            auto m = std::make_shared<Marker>();
            m->thread = QThread::currentThread();
            m->latentChannels = int(outcome.result.latent.size(0));
            m->decoded = outcome.result.decoded;
            return std::shared_ptr<const Rendering>(m);
        };
        const quint64 id = worker.submit(r);
        QVERIFY(waitForCount(finished, 1, 60000));
        const InferenceOutcome out = lastOutcome(finished);
        QCOMPARE(out.id, id);
        QVERIFY2(out.ok(), qPrintable(out.error));
        QVERIFY(progress.count() > 0);
        // What the views draw was made by the worker's thread, not this (the GUI) thread.
        const auto* marker = dynamic_cast<const Marker*>(out.rendering.get());
        QVERIFY(marker);
        QCOMPARE(marker->thread, static_cast<QThread*>(&worker));
        QCOMPARE(marker->latentChannels, 4);

        const Image image = ImageLoader::load(kSample.toStdString());
        QCOMPARE(out.image.width, image.width);
        QCOMPARE(out.image.height, image.height);
        EncodeOptions options;
        options.decode = true;
        const EncodeResult direct = demo_->run(image, options);
        QCOMPARE(out.result.latent.sizes().vec(),
                 (std::vector<int64_t>{4, image.height / 8, image.width / 8}));
        QVERIFY(at::equal(out.result.latent, direct.latent));
        QVERIFY(at::equal(out.result.z, direct.z));
        // `prepare` saw the decoded tensor; once the reconstruction is made from it, the
        // outcome does not keep it.
        QVERIFY(at::equal(marker->decoded, direct.decoded));
        QVERIFY(!out.result.decoded.defined());
        QVERIFY(out.reconstruction);
        // The loaded pixels are kept once, as the reconstruction's original.
        QVERIFY(out.image.pixels.empty());
        QCOMPARE(out.reconstruction->original.pixels, image.pixels);
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
        QVERIFY(openAndWait(worker, installing(demo_)).ok);
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        InferenceRequest r = request(path);
        r.padToFactor = true;
        worker.submit(r);
        QVERIFY(waitForCount(finished, 1, 60000));
        const InferenceOutcome out = lastOutcome(finished);
        QVERIFY2(out.ok(), qPrintable(out.error));
        QVERIFY(out.padded);
        QVERIFY(out.padToFactor);
        QCOMPARE(out.result.latent.size(1), 10);  // ceil(76 / 8)
        QCOMPARE(out.result.latent.size(2), 13);  // ceil(100 / 8)
        QCOMPARE(out.reconstruction->original.width, 100);
        QCOMPARE(out.reconstruction->original.height, 76);
        QVERIFY(!out.reconstruction->cropped);
    }

    void newestImageRequestWins() {
        auto fake = std::make_shared<FakeBackend>();
        InferenceWorker worker;
        QVERIFY(openAndWait(worker, installing(fake)).ok);
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        QSignalSpy started(&worker, &InferenceWorker::jobStarted);
        // The first job stays in the backend until released, whatever is asked meanwhile, so
        // the next two requests certainly meet a busy worker.
        fake->hold();
        fake->setCancellable(false);
        const quint64 first = worker.submit(request(kSample));
        QVERIFY(fake->waitForWaiting(1));
        const quint64 second = worker.submit(request(kSample));  // waits, then is replaced
        const quint64 last = worker.submit(request(kSample));
        QVERIFY(second != last);
        fake->release(1);  // the first returns, is found stale and reported cancelled
        QVERIFY(fake->waitForCalls(2));
        QVERIFY(fake->waitForWaiting(1));
        fake->release(1);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20000);
        QCOMPARE(outcomeAt(finished, 0).id, first);
        QVERIFY(outcomeAt(finished, 0).cancelled);
        QCOMPARE(outcomeAt(finished, 1).id, last);
        QVERIFY2(outcomeAt(finished, 1).ok(), qPrintable(outcomeAt(finished, 1).error));
        // The replaced request never started: two jobs started, two backend calls.
        QCOMPARE(started.count(), 2);
        QCOMPARE(started.at(1).at(0).toULongLong(), last);
        QCOMPARE(fake->calls(), 2);
        QCOMPARE(fake->timedOut(), 0);
        QVERIFY(!worker.busy());
    }

    // File reads wait in the order asked, go before a waiting image job, run on the worker
    // thread, are never superseded by one another, and an error is the read's own message.
    void fileReadsRunInOrderBeforeTheWaitingImage() {
        auto fake = std::make_shared<FakeBackend>();
        InferenceWorker worker;
        QVERIFY(openAndWait(worker, installing(fake)).ok);
        QSignalSpy read(&worker, &InferenceWorker::fileJobDone);
        QSignalSpy started(&worker, &InferenceWorker::jobStarted);
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        fake->hold();
        fake->setCancellable(false);
        worker.submit(request(kSample));
        QVERIFY(fake->waitForWaiting(1));  // an image job runs, held
        auto reader = [](const QString& path) -> std::shared_ptr<const Rendering> {
            if (path.endsWith(QLatin1String("bad")))
                throw Error("cannot read " + path.toStdString());
            auto m = std::make_shared<Marker>();
            m->thread = QThread::currentThread();
            m->latentChannels = int(path.size());
            return m;
        };
        std::vector<quint64> ids;
        for (const char* name : {"first", "second.bad"}) {
            FileRequest r;
            r.path = QString::fromLatin1(name);
            r.run = reader;
            ids.push_back(worker.submitFileJob(std::move(r)));
        }
        const quint64 image = worker.submit(request(kSample));  // waits behind the reads
        FileRequest third;
        third.path = QStringLiteral("third!");
        third.run = reader;
        ids.push_back(worker.submitFileJob(std::move(third)));
        QVERIFY(worker.busy(JobKind::FileJob));
        fake->release(1);
        QVERIFY(waitForCount(read, 3, 20000));
        QVERIFY(fake->waitForWaiting(1));  // then the waiting image job
        fake->release(1);
        QVERIFY(waitForCount(finished, 2, 20000));
        std::vector<FileOutcome> outs;
        for (int i = 0; i < 3; ++i)
            outs.push_back(read.at(i).at(0).value<FileOutcome>());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(outs[std::size_t(i)].id, ids[std::size_t(i)]);
        QVERIFY(outs[0].ok() && outs[2].ok());
        QCOMPARE(outs[1].error, QStringLiteral("cannot read second.bad"));
        QVERIFY(!outs[1].rendering);
        for (int i : {0, 2}) {
            const auto m = std::dynamic_pointer_cast<const Marker>(outs[std::size_t(i)].rendering);
            QVERIFY(m);
            QVERIFY(m->thread != QThread::currentThread());
            QCOMPARE(m->latentChannels, int(outs[std::size_t(i)].path.size()));
        }
        // Started: the first image, the three reads in order, then the waiting image.
        QCOMPARE(started.count(), 5);
        QCOMPARE(started.at(1).at(1).value<JobKind>(), JobKind::FileJob);
        QCOMPARE(started.at(3).at(0).toULongLong(), ids[2]);
        QCOMPARE(started.at(4).at(0).toULongLong(), image);
        QVERIFY(lastOutcome(finished).ok());
        QVERIFY(!worker.busy());
    }

    void cancelEndsTheRunningJob() {
        auto fake = std::make_shared<FakeBackend>();
        InferenceWorker worker;
        QVERIFY(openAndWait(worker, installing(fake)).ok);
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        fake->hold();
        worker.submit(request(kSample));
        QVERIFY(fake->waitForWaiting(1));  // the job is inside the backend now
        QVERIFY(worker.busy(JobKind::Image));
        worker.cancel();
        QVERIFY(waitForCount(finished, 1, 10000));
        const InferenceOutcome out = lastOutcome(finished);
        QVERIFY(out.cancelled);
        QVERIFY(out.error.isEmpty());
        QVERIFY(!out.result.latent.defined());
        // The backend saw the cancel: it was not released, nor did it give up.
        QCOMPARE(fake->cancelled(), 1);
        QCOMPARE(fake->completed(), 0);
        QCOMPARE(fake->timedOut(), 0);
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
        worker.submit(request(kSample));  // no backend open yet
        QVERIFY(waitForCount(finished, 1, 10000));
        QVERIFY(lastOutcome(finished).error.contains(QLatin1String("no model is loaded")));
        QVERIFY(openAndWait(worker, installing(std::make_shared<FakeBackend>())).ok);
        worker.submit(request(path));
        QVERIFY(waitForCount(finished, 2, 10000));
        const InferenceOutcome out = lastOutcome(finished);
        QVERIFY(!out.ok());
        QVERIFY(!out.cancelled);
        QVERIFY2(out.error.contains(QLatin1String("broken.png")), qPrintable(out.error));
        QVERIFY(!out.result.latent.defined());
    }

    void imageOverTheMemoryBudgetIsRefusedBeforeDecoding() {
        // The app's budget (MEDVAE_MAX_MEMORY_GB here) refuses a 10000² bomb from its header.
        const QString path = dir_.filePath(QStringLiteral("bomb.png"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(medvae::test::zeroPng(10000)) > 0);
        file.close();
        qputenv("MEDVAE_MAX_MEMORY_GB", "4");
        InferenceWorker worker;
        QVERIFY(openAndWait(worker, installing(demo_)).ok);
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        worker.submit(request(path));
        const bool ended = waitForCount(finished, 1, 10000);
        qunsetenv("MEDVAE_MAX_MEMORY_GB");
        QVERIFY(ended);
        const InferenceOutcome out = lastOutcome(finished);
        QVERIFY(!out.ok() && !out.cancelled);
        QVERIFY2(out.error.contains("10000x10000") && out.error.contains("memory budget of 4.0 GB"),
                 qPrintable(out.error));
        QCOMPARE(out.image.width, 0);  // nothing was decoded
    }

    void destructorAbortsAndJoinsTheRunningJob() {
        auto fake = std::make_shared<FakeBackend>();
        auto* worker = new InferenceWorker;
        QVERIFY(openAndWait(*worker, installing(fake)).ok);
        QSignalSpy finished(worker, &InferenceWorker::jobFinished);
        fake->hold();
        worker->submit(request(kSample));
        QVERIFY(fake->waitForWaiting(1));
        delete worker;
        // When the destructor returned, the job had left the backend because it was aborted
        // (not released, not given up), and nothing was reported for it.
        QCOMPARE(fake->active(), 0);
        QCOMPARE(fake->cancelled(), 1);
        QCOMPARE(fake->timedOut(), 0);
        QCoreApplication::sendPostedEvents();
        QCOMPARE(finished.count(), 0);
    }

    void newestModelLoadWins() {
        // The first load blocks in its opener until told; two more come meanwhile.
        std::promise<void> go;
        std::shared_future<void> gate = go.get_future().share();
        auto fake = std::make_shared<FakeBackend>();
        int opened[3] = {0, 0, 0};
        auto load = [&](int n, bool blocking) {
            BackendRequest r = installing(fake);
            r.label = QStringLiteral("model %1").arg(n);
            r.open = [&, n, blocking, gate](qint64& parameters) {
                if (blocking) gate.wait();
                ++opened[n];
                parameters = n;
                return std::shared_ptr<InferenceBackend>(fake);
            };
            return r;
        };
        InferenceWorker worker;
        QSignalSpy outcomes(&worker, &InferenceWorker::backendOpened);
        QSignalSpy started(&worker, &InferenceWorker::jobStarted);
        worker.open(load(0, true));
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 10000);  // model 0 is opening
        worker.open(load(1, false));                           // waits, then is replaced
        worker.open(load(2, false));
        go.set_value();
        QTRY_COMPARE_WITH_TIMEOUT(outcomes.count(), 2, 20000);
        const auto first = outcomes.at(0).at(0).value<BackendOutcome>();
        const auto last = outcomes.at(1).at(0).value<BackendOutcome>();
        QCOMPARE(first.label, QStringLiteral("model 0"));
        QVERIFY(first.superseded && !first.ok);
        QCOMPARE(last.label, QStringLiteral("model 2"));
        QVERIFY(last.ok && !last.superseded);
        QCOMPARE(last.parameters, qint64(2));
        QCOMPARE(opened[1], 0);  // never opened
        QCOMPARE(started.count(), 2);
        QVERIFY(!worker.busy());
    }

    void viewJobGoesBeforeTheNextBatchItem() {
        auto fake = std::make_shared<FakeBackend>();
        InferenceWorker worker;
        QVERIFY(openAndWait(worker, installing(fake)).ok);
        const auto batch = worker.backend(EngineGate::Priority::Batch);
        const EngineGate& gate = *worker.engineGate();
        const Image image = ImageLoader::load(kSample.toStdString());
        fake->hold();
        // Batch item 1 runs (held in the backend); batch item 2 waits at the gate.
        BatchItemThread item1(batch, *fake, image);
        QVERIFY(fake->waitForWaiting(1));
        BatchItemThread item2(batch, *fake, image);
        QTRY_COMPARE_WITH_TIMEOUT(gate.waiting(EngineGate::Priority::Batch), 1, 10000);
        // The view job comes after item 2 but goes before it.
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        worker.submit(request(kSample));
        QTRY_COMPARE_WITH_TIMEOUT(gate.waiting(EngineGate::Priority::Interactive), 1, 10000);
        fake->release(1);  // item 1 ends
        QVERIFY(fake->waitForCalls(2));
        QVERIFY(fake->waitForWaiting(1));
        // The second call in the backend is the view job's: item 2 still waits at the gate.
        QCOMPARE(gate.waiting(EngineGate::Priority::Batch), 1);
        QCOMPARE(gate.waiting(EngineGate::Priority::Interactive), 0);
        fake->release(1);
        QVERIFY(waitForCount(finished, 1, 10000));
        QVERIFY2(lastOutcome(finished).ok(), qPrintable(lastOutcome(finished).error));
        QVERIFY(fake->waitForCalls(3));  // then item 2
        item1.join();
        item2.join();
        QCOMPARE(fake->completed(), 3);
    }

    void viewJobWaitingForTheEngineCanBeCancelled() {
        auto fake = std::make_shared<FakeBackend>();
        InferenceWorker worker;
        QVERIFY(openAndWait(worker, installing(fake)).ok);
        const auto batch = worker.backend(EngineGate::Priority::Batch);
        const Image image = ImageLoader::load(kSample.toStdString());
        fake->hold();
        BatchItemThread item(batch, *fake, image);
        QVERIFY(fake->waitForWaiting(1));  // a batch item holds the engine
        QSignalSpy finished(&worker, &InferenceWorker::jobFinished);
        worker.submit(request(kSample));
        QTRY_COMPARE_WITH_TIMEOUT(worker.engineGate()->waiting(EngineGate::Priority::Interactive),
                                  1, 10000);
        worker.cancel();
        // Cancelled while the batch item still runs: it never reached the backend.
        QVERIFY(waitForCount(finished, 1, 10000));
        QVERIFY(lastOutcome(finished).cancelled);
        QCOMPARE(fake->waiting(), 1);
        QCOMPARE(fake->calls(), 1);
        item.join();
        QCOMPARE(fake->timedOut(), 0);
    }
};

QTEST_GUILESS_MAIN(TestInferenceWorker)
#include "tst_inference_worker.moc"
