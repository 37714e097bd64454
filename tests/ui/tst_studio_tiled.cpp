// The model panel's tiled mode in the main window (offscreen): off by default; turned on, the
// model is opened again with tiles of the chosen size, the image is computed again in tiles (the
// same numbers as the engine's own tiled run, not the exact ones), the result says it is an
// approximation and how far the tiles disagreed, and sampling is not offered. Turned off, the
// exact result comes back (cached under its own key) without the note. The choice is saved.
#include <QCheckBox>
#include <QCoreApplication>
#include <QImage>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "compare_panel.h"
#include "engine.h"
#include "image_loader.h"
#include "main_window.h"
#include "model_panel.h"
#include "preprocessing.h"
#include "reconstruction.h"
#include "studio_settings.h"

using namespace medvae;
using namespace medvae::ui;

namespace {

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) {
    if (!a.defined() || !b.defined() || a.sizes() != b.sizes()) return INFINITY;
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

// Largest difference between two images' pixels, in their units (the pixel values of a
// reconstruction: the decoded image mapped back through the input's range).
double maxAbsDiff(const Image& a, const Image& b) {
    if (!a.sameShape(b) || a.pixels.size() != b.pixels.size()) return INFINITY;
    double most = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i)
        most = std::max(most, std::abs(double(a.pixels[i]) - double(b.pixels[i])));
    return most;
}

}  // namespace

class TestStudioTiled : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("MedVAE Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_studio_tiled"));
        QSettings().clear();
        QVERIFY(dir_.isValid());
        qputenv("HF_HUB_CACHE", QFile::encodeName(dir_.filePath(QStringLiteral("hub"))));
        Engine::configureCpuKernels();
    }
    void cleanupTestCase() { QSettings().clear(); }

    void tiledChoiceRunsTilesAndSaysSo() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.loadModel(QStringLiteral(MEDVAE_DEMO_MODEL));
        QVERIFY(loaded.wait(120000) && loaded.first().at(0).toBool());
        ModelPanel* panel = w.modelPanel();
        auto* tiled = panel->findChild<QCheckBox*>(QStringLiteral("tiledCheck"));
        auto* tileSize = panel->findChild<QSpinBox*>(QStringLiteral("tileSizeBox"));
        auto* sample = panel->findChild<QCheckBox*>(QStringLiteral("sampleCheck"));
        QVERIFY(tiled && tileSize && sample);
        QVERIFY(!tiled->isChecked() && tiled->isEnabled());
        QVERIFY(!tileSize->isEnabled());
        QCOMPARE(panel->engineOptions().tileSize, std::int64_t(0));

        // 200x152: larger than one 128-pixel tile either way, small enough to run at once.
        QImage picture(200, 152, QImage::Format_Grayscale8);
        for (int y = 0; y < picture.height(); ++y)
            for (int x = 0; x < picture.width(); ++x)
                picture.scanLine(y)[x] = uchar((x * 7 + y * 3 + (x * y) % 29) % 256);
        const QString path = dir_.filePath(QStringLiteral("picture.png"));
        QVERIFY(picture.save(path));
        QSignalSpy shown(&w, &MainWindow::resultShown);
        w.openSources({path});
        QVERIFY(shown.wait(120000) && shown.last().at(1).toBool());
        const auto exact = w.currentOutcome();
        QVERIFY(exact && exact->ok());
        QVERIFY(exact->result.note.empty());
        ComparePanel* compare = w.comparePanel();
        QVERIFY(!compare->noticeText().contains(QLatin1String("tiled")));

        // On, with 128-pixel tiles: the model is opened again and the image computed in tiles.
        tileSize->setValue(128);
        loaded.clear();
        shown.clear();
        tiled->setChecked(true);
        QVERIFY(loaded.wait(120000) && loaded.last().at(0).toBool());
        QVERIFY(tileSize->isEnabled());
        QVERIFY(!sample->isEnabled());
        QVERIFY(!panel->encodeOptions().sample);
        const EngineOptions options = panel->engineOptions();
        QCOMPARE(options.tileSize, std::int64_t(128));
        QCOMPARE(options.tileOverlap, std::int64_t(32));
        QVERIFY2(panel->infoText().contains(QLatin1String("tiles of 128 px, 32 px overlap")),
                 qPrintable(panel->infoText()));
        QTRY_VERIFY_WITH_TIMEOUT(
            !shown.isEmpty() && w.currentOutcome() && w.currentOutcome() != exact, 120000);
        const auto approximate = w.currentOutcome();
        QVERIFY2(approximate->ok(), qPrintable(approximate->error));
        const QString note = QString::fromStdString(approximate->result.note);
        QVERIFY2(note.startsWith(QLatin1String("tiled: 4 tiles of 128 px (32 px overlap), an "
                                               "approximation of the exact result")),
                 qPrintable(note));
        QVERIFY2(compare->noticeText().contains(note), qPrintable(compare->noticeText()));

        // The same numbers as the engine's own tiled run, independently made; not the exact ones.
        const at::Tensor input =
            Preprocessing::toModelInput(ImageLoader::load(path.toStdString()), 3);
        const EncodeResult direct =
            Engine::fromFile(MEDVAE_DEMO_MODEL, options).encode(input, {true, false, 0});
        QCOMPARE(direct.note, approximate->result.note);
        // The decoded tensor is released once compared: its reconstruction, in the 8-bit
        // input's units (1e-6 of the model's range of 2 is 1.3e-4 of 255), is what is kept.
        QVERIFY(!approximate->result.decoded.defined());
        const Reconstruction fromDirect =
            compareReconstruction(ImageLoader::load(path.toStdString()), direct.decoded);
        QVERIFY(maxAbsDiff(approximate->reconstruction->reconstruction, fromDirect.reconstruction) <
                2e-4);
        QVERIFY(maxAbsDiff(approximate->result.latent, direct.latent) < 1e-6);
        QVERIFY(maxAbsDiff(approximate->reconstruction->reconstruction,
                           exact->reconstruction->reconstruction) > 0.1);

        // Saved with the other engine settings.
        StudioSettings saved;
        saved.engine = panel->engineOptions();
        saved.write();
        QCOMPARE(StudioSettings::read().engine.tileSize, std::int64_t(128));

        // Off again: the exact result, from the cache, without the note.
        loaded.clear();
        tiled->setChecked(false);
        QVERIFY(loaded.wait(120000) && loaded.last().at(0).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(w.currentOutcome() == exact, 120000);
        QVERIFY(!compare->noticeText().contains(QLatin1String("tiled")));
        QVERIFY(sample->isEnabled());
        QVERIFY(!panel->infoText().contains(QLatin1String("Tiled")));
        QCOMPARE(panel->engineOptions().tileSize, std::int64_t(0));
    }
};

QTEST_MAIN(TestStudioTiled)
#include "tst_studio_tiled.moc"
