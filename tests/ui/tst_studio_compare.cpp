// The main window's "Compare with…" (offscreen): choosing a model B in the model panel puts the
// A/B panel in the compare panel's place with a result of both models; "Stop comparing" brings
// model A alone back.
#include <QAbstractButton>
#include <QComboBox>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "ab_compare_panel.h"
#include "compare_panel.h"
#include "engine.h"
#include "inspection_controller.h"
#include "main_window.h"
#include "model_b.h"
#include "model_b_chooser.h"
#include "model_panel.h"
#include "rendered_result.h"

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

  private:
    QTemporaryDir hub_;
};

QTEST_MAIN(TestStudioCompare)
#include "tst_studio_compare.moc"
