// The main window's "Compare with…" (offscreen): choosing a model B in the model panel puts the
// A/B panel in the compare panel's place with a result of both models; "Stop comparing" brings
// model A alone back. "Compare with the endpoint…" makes the active endpoint profile (a
// medvae-serve on loopback) model B: its metrics are those of a single remote run, and an
// endpoint that refuses shows why in words while model A's result stays.
#include <QAbstractButton>
#include <QComboBox>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <future>

#include "ab_compare_panel.h"
#include "compare_panel.h"
#include "endpoint_settings.h"
#include "engine.h"
#include "image_loader.h"
#include "image_view.h"
#include "inspection_controller.h"
#include "key_store.h"
#include "main_window.h"
#include "model_b.h"
#include "model_b_chooser.h"
#include "model_panel.h"
#include "remote_backend.h"
#include "rendered_result.h"
#include "serve_process.h"

using namespace medvae;
using namespace medvae::ui;

class TestStudioCompare : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("MedVAE Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_studio_compare"));
        QSettings().clear();
        QVERIFY(hub_.isValid());
        qputenv("HF_HUB_CACHE", QFile::encodeName(hub_.path()));
        Engine::configureCpuKernels();
    }
    void cleanupTestCase() { QSettings().clear(); }

    void compareWithAndStop() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.loadModel(QStringLiteral(MEDVAE_DEMO_MODEL));
        QVERIFY(loaded.wait(120000) && loaded.first().at(0).toBool());
        auto* ab = w.findChild<ABComparePanel*>();
        auto* compare = w.findChild<ComparePanel*>();
        QVERIFY(ab && compare);
        QVERIFY(!ab->isVisible() && compare->isVisible());
        ModelBChooser* chooser = w.modelPanel()->modelBChooser();
        auto* stop = chooser->findChild<QAbstractButton*>(QStringLiteral("stopComparing"));
        QVERIFY(stop && !stop->isEnabled());
        auto* endpoint =
            chooser->findChild<QAbstractButton*>(QStringLiteral("compareWithEndpoint"));
        QVERIFY(endpoint && !endpoint->isEnabled());  // no endpoint profile yet

        // A small image: the two models' runs stay short on a busy machine.
        QImage small(72, 56, QImage::Format_Grayscale8);
        for (int y = 0; y < small.height(); ++y)
            for (int x = 0; x < small.width(); ++x)
                small.scanLine(y)[x] = uchar((x * 5 + y * 3) % 256);
        const QString image = hub_.filePath(QStringLiteral("small.png"));
        QVERIFY(small.save(image));
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.openSources({image});
        QVERIFY(shown.wait(120000));
        // The file dialog's choice, as the chooser reports it.
        const QString factor4 = QStringLiteral(MEDVAE_FIXTURES "/v4_3.ckpt");
        Q_EMIT chooser->compareRequested(factor4);
        QVERIFY(ab->isVisible() && !compare->isVisible());
        QVERIFY(stop->isEnabled());
        QVERIFY2(chooser->infoText().contains(QStringLiteral("v4_3.ckpt")),
                 qPrintable(chooser->infoText()));
        QTRY_VERIFY_WITH_TIMEOUT(ab->hasResult(), 120000);
        QCOMPARE(w.inspection()->modelB()->label(), factor4);
        const RenderedResult* r = RenderedResult::of(*w.inspection()->shownOutcome());
        QVERIFY(r && r->ab);
        QCOMPARE(r->ab->b().model, std::string("medvae_4_3_2d"));
        QCOMPARE(r->ab->a().model, std::string("medvae_8_4_2d"));
        QVERIFY(ab->metricsText().contains(QStringLiteral("medvae_4_3_2d")));

        stop->click();
        QVERIFY(!ab->isVisible() && compare->isVisible());
        QVERIFY(!w.inspection()->modelB());
        QVERIFY(!stop->isEnabled());
        QVERIFY(compare->hasResult());  // model A's own result, from the cache

        // Another precision for A: B is opened again with it (compared alike).
        Q_EMIT chooser->compareRequested(factor4);
        const std::shared_ptr<ModelB> before = w.inspection()->modelB();
        loaded.clear();
        auto* precision = w.modelPanel()->findChild<QComboBox*>(QStringLiteral("precisionBox"));
        QVERIFY(precision);
        precision->setCurrentIndex(1);  // bf16
        QVERIFY(w.inspection()->modelB() && w.inspection()->modelB() != before);
        QCOMPARE(w.inspection()->modelB()->label(), factor4);
        QVERIFY(loaded.wait(120000));  // model A reloaded in bfloat16
    }

    void compareWithTheEndpoint() {
        // A one-channel model on both sides: an endpoint's channels are known from its answer
        // only (before, B was refused as taking the 3 channels assumed before any answer).
        const QString oneChannel = QStringLiteral(MEDVAE_FIXTURES "/v8_1.ckpt");
        test::ServeProcess server({QStringLiteral("--model"), oneChannel},
                                  QStringLiteral("right-key"), false);
        QVERIFY2(server.port != 0, server.banner().constData());
        remote::EndpointSettings settings;
        remote::EndpointProfile serve = remote::EndpointSettings::newProfile("loopback serve");
        serve.scoringUri = server.url();
        serve.hasKey = true;
        serve.keyRef = serve.id;
        serve.consentGiven = true;  // confirmed before: no question asked
        serve.maxRetries = 0;
        settings.save(serve);
        settings.setActiveId(serve.id);
        remote::KeyStore keys;
        keys.keepForSession(serve.keyRef, QStringLiteral("wrong-key"));

        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.loadModel(oneChannel);
        QVERIFY(loaded.wait(120000) && loaded.first().at(0).toBool());
        auto* ab = w.findChild<ABComparePanel*>();
        ModelBChooser* chooser = w.modelPanel()->modelBChooser();
        auto* endpoint =
            chooser->findChild<QAbstractButton*>(QStringLiteral("compareWithEndpoint"));
        QVERIFY(ab && endpoint && endpoint->isEnabled());
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.openSources({smallImage()});
        QVERIFY(shown.wait(120000));

        // A wrong key: B's error in words, A's result intact. (Errors come within seconds; a
        // failing QTRY waits up to three times its bound, inside the 300 s of a test function.)
        shown.clear();
        endpoint->click();
        QVERIFY(ab->isVisible());
        QVERIFY(chooser->infoText().contains(QStringLiteral("loopback serve")));
        QVERIFY(w.inspection()->modelB() && w.inspection()->modelB()->isRemote());
        QTRY_VERIFY2_WITH_TIMEOUT(
            ab->reconstructionBView()->errorText().contains(QStringLiteral("refused the key")),
            qPrintable(ab->reconstructionBView()->errorText()), 30000);
        const RenderedResult* refused = RenderedResult::of(*w.inspection()->shownOutcome());
        QVERIFY(w.inspection()->shownOutcome()->ok() && refused && refused->comparison);
        QVERIFY(!refused->ab);

        // Unreachable: another profile on a closed port.
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        remote::EndpointProfile closed = remote::EndpointSettings::newProfile("closed port");
        closed.scoringUri = QStringLiteral("http://127.0.0.1:%1/score").arg(closedPort);
        closed.consentGiven = true;
        closed.maxRetries = 0;
        settings.save(closed);
        settings.setActiveId(closed.id);
        shown.clear();
        endpoint->click();
        QTRY_VERIFY2_WITH_TIMEOUT(
            ab->reconstructionBView()->errorText().contains(QStringLiteral("Connection refused")),
            qPrintable(ab->reconstructionBView()->errorText()), 30000);
        QVERIFY(RenderedResult::of(*w.inspection()->shownOutcome())->comparison);

        // The right key on the first profile: B's metrics are those of one remote run.
        settings.setActiveId(serve.id);
        keys.keepForSession(serve.keyRef, QStringLiteral("right-key"));
        shown.clear();
        endpoint->click();
        QTRY_VERIFY_WITH_TIMEOUT(ab->hasResult(), 60000);
        const auto outcome = w.inspection()->shownOutcome();
        const RenderedResult* r = RenderedResult::of(*outcome);
        QVERIFY(r && r->ab);
        QCOMPARE(r->ab->a().model, std::string("medvae_8_1_2d"));
        QCOMPARE(r->ab->b().model, std::string("endpoint default deployment"));
        // The single run, on a thread of its own (the client waits without an event loop), of
        // the image loaded again (the outcome keeps its pixels in the reconstruction only).
        const Image input = ImageLoader::load(outcome->source.toStdString());
        auto single = std::async(std::launch::async, [&] {
            return remote::RemoteBackend::create(serve, QStringLiteral("right-key"))
                ->run(input, outcome->options);
        });
        QTRY_VERIFY_WITH_TIMEOUT(
            single.wait_for(std::chrono::seconds(0)) == std::future_status::ready, 60000);
        const ImageComparison expected = compareReconstruction(input, single.get().decoded).metrics;
        const ImageComparison& b = r->ab->metricsB();
        QCOMPARE(b.psnr, expected.psnr);
        QCOMPARE(b.ssim, expected.ssim);
        QCOMPARE(b.mae, expected.mae);
        QCOMPARE(b.maxError, expected.maxError);
        // The same profile edited to another address (name and id unchanged) is another model
        // B: its answer, not the result cached for the profile before.
        remote::EndpointProfile moved = serve;
        moved.scoringUri = closed.scoringUri;
        settings.save(moved);
        shown.clear();
        endpoint->click();
        QTRY_VERIFY2_WITH_TIMEOUT(
            ab->reconstructionBView()->errorText().contains(QStringLiteral("Connection refused")),
            qPrintable(ab->reconstructionBView()->errorText()), 30000);
        QVERIFY(!RenderedResult::of(*w.inspection()->shownOutcome())->ab);
        // Back at its address: the earlier comparison, from the cache.
        settings.save(serve);
        endpoint->click();
        QTRY_VERIFY_WITH_TIMEOUT(ab->hasResult(), 60000);
        QCOMPARE(w.inspection()->shownOutcome(), outcome);

        // Remote B does not follow A's engine settings (it stays the endpoint).
        const std::shared_ptr<ModelB> before = w.inspection()->modelB();
        auto* precision = w.modelPanel()->findChild<QComboBox*>(QStringLiteral("precisionBox"));
        QVERIFY(precision);
        loaded.clear();
        precision->setCurrentIndex(1);
        QCOMPARE(w.inspection()->modelB(), before);
        QVERIFY(loaded.wait(120000));
    }

  private:
    // A small image: two models' runs stay short on a busy machine.
    QString smallImage() {
        QImage small(72, 56, QImage::Format_Grayscale8);
        for (int y = 0; y < small.height(); ++y)
            for (int x = 0; x < small.width(); ++x)
                small.scanLine(y)[x] = uchar((x * 5 + y * 3) % 256);
        const QString image = hub_.filePath(QStringLiteral("small.png"));
        if (!QFileInfo::exists(image)) small.save(image);
        return image;
    }

    QTemporaryDir hub_;
};

QTEST_MAIN(TestStudioCompare)
#include "tst_studio_compare.moc"
