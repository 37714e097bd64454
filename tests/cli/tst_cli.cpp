// medvae-cli end to end: real processes, real files, outputs checked against the PyTorch
// reference and read back with numpy.

#include <ATen/ATen.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "fixture_data.h"
#include "loopback_http_server.h"
#include "npy_file.h"
#include "zero_png.h"

using namespace medvae::test;

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

Run cli(const QStringList& args) {
    QProcess p;
    p.start(MEDVAE_CLI, args);
    Run r;
    if (!p.waitForFinished(300000)) return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

#define VERIFY_CLOSE(a, b, tol)                                        \
    do {                                                               \
        QString why;                                                   \
        QVERIFY2(close((a), (b), (tol), 1e-5, &why), qPrintable(why)); \
    } while (0)

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void info() {
        const Run text = cli({"info", fixture("v8_4.ckpt")});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains("variant:         medvae_8_4_2d"));
        QVERIFY(text.out.contains("58 LoRA adapters merged"));
        QVERIFY(text.out.contains("unexpected keys: 0"));
        QVERIFY(text.out.contains("factor:          8"));

        const Run json = cli({"info", "--json", fixture("v4_3.ckpt")});
        QCOMPARE(json.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
        const QJsonObject c = manifest()["cases"].toObject()["v4_3"].toObject();
        QCOMPARE(o["variant"].toString(), QString("medvae_4_3_2d"));
        QCOMPARE(o["factor"].toInt(), 4);
        QCOMPARE(o["stored_dtype"].toString(), QString("float16"));
        QCOMPARE(o["key_prefix"].toString(), QString("model."));
        QCOMPARE(o["parameters"].toDouble(), c["params_merged"].toDouble());
        QCOMPARE(o["unexpected_keys"].toArray().size(), 0);

        // Foreign Python objects in a checkpoint: a warning naming them, and a JSON list.
        const Run foreign = cli({"info", fixture("v8_1_foreign_globals.ckpt")});
        QCOMPARE(foreign.code, 0);
        QVERIFY2(foreign.err.contains("warning:") &&
                     foreign.err.contains("__builtin__.print, functools.partial") &&
                     foreign.err.contains("weights_only=True"),
                 qPrintable(foreign.err));
        QVERIFY(!text.err.contains("warning"));
        const QJsonObject foreignJson =
            QJsonDocument::fromJson(
                cli({"info", "--json", fixture("v8_1_foreign_globals.ckpt")}).out.toUtf8())
                .object();
        QCOMPARE(foreignJson["unexpected_globals"].toArray().size(), 2);

        const Run bad = cli({"info", fixture("bad_os_system.ckpt")});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("system") && bad.err.count('\n') == 1, qPrintable(bad.err));
    }

    void encodeMatchesReference_data() {
        QTest::addColumn<QString>("kase");
        QTest::addColumn<int>("channels");
        QTest::newRow("medvae_8_4_2d layout") << "v8_4" << 3;
        QTest::newRow("medvae_8_1_2d layout") << "v8_1" << 1;
    }
    void encodeMatchesReference() {
        QFETCH(QString, kase);
        QFETCH(int, channels);
        QTemporaryDir out;
        QStringList files;
        for (const auto& v : manifest()["image_outputs"].toArray())
            if (v.toObject()["case"].toString() == kase) files << v.toObject()["file"].toString();
        QCOMPARE(files.size(), 3);
        QStringList args{"encode", "--model", fixture(kase + ".ckpt"), "--decode", "--save-input",
                         "-o",     out.path()};
        for (const QString& f : files)
            args << fixture(f);
        const Run r = cli(args);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.err.isEmpty());
        for (const auto& v : manifest()["image_outputs"].toArray()) {
            const QJsonObject o = v.toObject();
            if (o["case"].toString() != kase) continue;
            const QString file = o["file"].toString();
            const QString stem = out.filePath(file.left(file.lastIndexOf('.')));  // inner dots kept
            VERIFY_CLOSE(loadNpy(stem + "_input.npy"),
                         loadNpy(fixture(file + QString(".expected%1.npy").arg(channels))), 2e-6);
            VERIFY_CLOSE(loadNpy(stem + "_z.npy"), loadNpy(fixture(o["z"].toString())), 1e-4);
            VERIFY_CLOSE(loadNpy(stem + "_latent.npy"), loadNpy(fixture(o["latent"].toString())),
                         1e-4);
            VERIFY_CLOSE(loadNpy(stem + "_decoded.npy"), loadNpy(fixture(o["decoded"].toString())),
                         1e-4);
            QVERIFY(QFile::exists(stem + "_decoded.png"));
        }
        QVERIFY(QFile::exists(out.filePath("img.name.with.dots_latent.npy")));
        // No temporary files left behind.
        QCOMPARE(QDir(out.path()).entryList({".*partial*"}, QDir::Files | QDir::Hidden).size(), 0);

        // numpy reads every array as float32, C order, [C, h, w]
        QProcess py;
        py.start(
            MEDVAE_PYTHON,
            {"-c",
             "import numpy as np, glob, sys\n"
             "from PIL import Image\n"
             "for f in sorted(glob.glob(sys.argv[1] + '/*.npy')):\n"
             "    a = np.load(f)\n"
             "    assert a.dtype == np.float32 and a.ndim == 3 and a.flags['C_CONTIGUOUS'], f\n"
             "for f in sorted(glob.glob(sys.argv[1] + '/*_decoded.png')):\n"
             "    im = np.asarray(Image.open(f)); d = np.load(f[:-4] + '.npy')\n"
             "    ref = np.clip(np.round((d + 1) / 2 * 255), 0, 255).astype(np.uint8)\n"
             "    ref = ref[0] if ref.shape[0] == 1 else ref.transpose(1, 2, 0)\n"
             "    assert im.shape == ref.shape and np.abs(im.astype(int) - ref).max() <= 1, f\n"
             "print(len(glob.glob(sys.argv[1] + '/*.npy')))\n",
             out.path()});
        QVERIFY(py.waitForFinished(60000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        QCOMPARE(QString(py.readAllStandardOutput()).trimmed(), QString("12"));
    }

    void decodeReproducesTheReconstruction() {
        QTemporaryDir dir;
        const QString image = fixture("img_rgb.png");
        QCOMPARE(cli({"encode", "-m", fixture("v8_4.ckpt"), "--decode", "-o", dir.filePath("enc"),
                      image})
                     .code,
                 0);
        const Run r = cli({"decode", "-m", fixture("v8_4.ckpt"), "-o", dir.filePath("dec"),
                           dir.filePath("enc/img_rgb_z.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(maxAbsDiff(loadNpy(dir.filePath("dec/img_rgb_decoded.npy")),
                            loadNpy(dir.filePath("enc/img_rgb_decoded.npy"))),
                 0.0);
        QVERIFY(QFile::exists(dir.filePath("dec/img_rgb_decoded.png")));
        // A stage-2 latent is accepted but flagged: the decoder takes z.
        const Run latent = cli({"decode", "-m", fixture("v8_4.ckpt"), "-o", dir.filePath("dec2"),
                                dir.filePath("enc/img_rgb_latent.npy")});
        QCOMPARE(latent.code, 0);
        QVERIFY(latent.err.contains("looks like a stage-2 latent"));
        // Wrong channel count
        const Run wrong = cli({"decode", "-m", fixture("v8_1.ckpt"), "-o", dir.filePath("dec3"),
                               dir.filePath("enc/img_rgb_z.npy")});
        QCOMPARE(wrong.code, 1);
        QVERIFY(wrong.err.contains("z must be [1, h, w]"));
    }

    void samplingIsSeeded() {
        QTemporaryDir dir;
        const QString image = fixture("img_gray8.png");
        for (const char* sub : {"a", "b"})
            QCOMPARE(cli({"encode", "-m", fixture("v8_4.ckpt"), "--sample", "--seed", "7", "-o",
                          dir.filePath(sub), image})
                         .code,
                     0);
        QCOMPARE(
            cli({"encode", "-m", fixture("v8_4.ckpt"), "-o", dir.filePath("mean"), image}).code, 0);
        const at::Tensor a = loadNpy(dir.filePath("a/img_gray8_z.npy"));
        QCOMPARE(maxAbsDiff(a, loadNpy(dir.filePath("b/img_gray8_z.npy"))), 0.0);
        QVERIFY(maxAbsDiff(a, loadNpy(dir.filePath("mean/img_gray8_z.npy"))) > 1e-3);
    }

    void badInputFailsAloneAndClearly() {
        QTemporaryDir dir;
        QFile bad(dir.filePath("broken.png"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("\x89PNG\r\n\x1a\n garbage");
        bad.close();
        const Run r = cli({"encode", "-m", fixture("v8_4.ckpt"), "-o", dir.filePath("out"),
                           fixture("img_rgb.png"), bad.fileName(), dir.filePath("missing.png"),
                           fixture("img_gray8.png")});
        QCOMPARE(r.code, 1);
        QVERIFY(QFile::exists(dir.filePath("out/img_rgb_latent.npy")));
        QVERIFY(QFile::exists(dir.filePath("out/img_gray8_latent.npy")));
        QVERIFY(!QFile::exists(dir.filePath("out/broken_latent.npy")));
        const QStringList lines = r.err.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);  // one per failed input, then the summary
        QVERIFY(lines[0].contains("broken.png"));
        QVERIFY(lines[1].contains("missing.png"));
        QVERIFY(lines[2].contains("2 of 4 images failed"));
    }

    void dicomUrlsAndInlineImages() {
        // A DICOM frame with a VOI window, a URL and a base64 string in one call.
        const QString dicom = QStringLiteral(MEDVAE_PYDICOM_FILES) + "/CT_small.dcm";
        medvae::test::LoopbackHttpServer server;
        medvae::test::LoopbackHttpServer::Response r;
        QFile png(fixture("img_gray16.png"));
        QVERIFY(png.open(QIODevice::ReadOnly));
        r.body = png.readAll();
        server.setRoute("/scans/chest.png", r);
        QTemporaryDir dir;
        const Run run = cli({"encode", "-m", fixture("v8_1.ckpt"), "--save-input", "--window",
                             "40,400", "-o", dir.path(), dicom, server.url("/scans/chest.png"),
                             QString::fromLatin1(r.body.toBase64())});
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("DICOM CT 128x128 gray, window 40/400"), qPrintable(run.out));
        QVERIFY(QFile::exists(dir.filePath("CT_small_latent.npy")));
        QVERIFY(QFile::exists(dir.filePath("chest_latent.npy")));
        QVERIFY(QFile::exists(dir.filePath("inline-image-1_latent.npy")));
        QCOMPARE(server.requestCount("/scans/chest.png"), 1);
        // The URL and the inline copy of the same PNG give the same model input.
        QCOMPARE(maxAbsDiff(loadNpy(dir.filePath("chest_input.npy")),
                            loadNpy(dir.filePath("inline-image-1_input.npy"))),
                 0.0);
        // Windowing: the CT's soft-tissue window saturates, so the input spans exactly [-1, 1].
        const at::Tensor ct = loadNpy(dir.filePath("CT_small_input.npy"));
        QCOMPARE(ct.min().item<float>(), -1.0f);
        QCOMPARE(ct.max().item<float>(), 1.0f);

        // Failures: a missing frame, a 404, a bad window; each one line naming the input.
        const Run bad = cli({"encode", "-m", fixture("v8_1.ckpt"), "--frame", "5", "-o",
                             dir.filePath("x"), dicom, server.url("/absent.png")});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.err.contains("frame 5 does not exist"));
        QVERIFY(bad.err.contains("HTTP 404") && bad.err.contains("/absent.png"));
        QCOMPARE(cli({"encode", "--window", "40", "-o", dir.path(), dicom}).code, 2);
        QCOMPARE(cli({"encode", "--voi", "0", "--window", "40,400", "-o", dir.path(), dicom}).code,
                 2);
    }

    void nameCollisionsAreRefused() {
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("x"));
        QFile::copy(fixture("img_rgb.png"), dir.filePath("x/img_rgb.png"));
        const Run r = cli({"encode", "-m", fixture("v8_4.ckpt"), "-o", dir.filePath("out"),
                           fixture("img_rgb.png"), dir.filePath("x/img_rgb.png")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("would overwrite"), qPrintable(r.err));
    }

    void demoModelIsTheDefault() {
        // Without --model the bundled demo model is used, and said to be one.
        QTemporaryDir dir;
        const Run r = cli({"encode", "-o", dir.path(), fixture("img_rgb.png")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(
            r.out.contains("DEMO MODEL trained by MedVAE Studio, not MedVAE's published weights") &&
                r.out.contains("sha256 "),
            qPrintable(r.out));
        QVERIFY(QFile::exists(dir.filePath("img_rgb_latent.npy")));
        // $MEDVAE_MODEL names another default.
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("MEDVAE_MODEL", fixture("v8_1.ckpt"));
        p.setProcessEnvironment(env);
        p.start(MEDVAE_CLI, {"encode", "-o", dir.filePath("env"), fixture("img_rgb.png")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(QString(p.readAllStandardOutput()).contains("v8_1.ckpt"));
        QCOMPARE(loadNpy(dir.filePath("env/img_rgb_latent.npy")).size(0), 1);
    }

    void refusesImagesOverTheMemoryBudget() {
        // An 8192² 16-bit PNG (64 MP, under the pixel limit) with the demo model would take
        // tens of GB: refused from its header with the estimate, at once, nothing written. A z
        // for an 8192² reconstruction likewise, before decoding.
        QTemporaryDir dir;
        QFile bomb(dir.filePath("bomb.png"));
        QVERIFY(bomb.open(QIODevice::WriteOnly) && bomb.write(zeroPng(8192)) > 0);
        bomb.close();
        QElapsedTimer clock;
        clock.start();
        const Run enc =
            cli({"encode", "--max-memory-gb", "8", "-o", dir.filePath("out"), bomb.fileName()});
        QCOMPARE(enc.code, 1);
        QVERIFY2(enc.err.contains("8192x8192") && enc.err.contains("memory budget of 8.0 GB") &&
                     enc.err.contains("nothing was decoded"),
                 qPrintable(enc.err));
        QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(QDir(dir.filePath("out")).entryList(QDir::Files).isEmpty());

        const std::vector<float> z(std::size_t(4) * 1024 * 1024, 0.0f);
        medvae::NpyFile::write(dir.filePath("big_z.npy").toStdString(), z.data(), {4, 1024, 1024});
        const Run dec = cli({"decode", "--max-memory-gb", "8", "-o", dir.filePath("out"),
                             dir.filePath("big_z.npy")});
        QCOMPARE(dec.code, 1);
        QVERIFY2(dec.err.contains("8192x8192") && dec.err.contains("memory budget"),
                 qPrintable(dec.err));
        QVERIFY(QDir(dir.filePath("out")).entryList(QDir::Files).isEmpty());

        // A small image within the budget runs; the same image over a tiny budget is refused.
        QFile fits(dir.filePath("fits.png"));
        QVERIFY(fits.open(QIODevice::WriteOnly) && fits.write(zeroPng(256)) > 0);
        fits.close();
        const Run ok =
            cli({"encode", "--max-memory-gb", "8", "-o", dir.filePath("out"), fits.fileName()});
        QVERIFY2(ok.code == 0, qPrintable(ok.err));
        const Run tiny =
            cli({"encode", "--max-memory-gb", "0.01", "-o", dir.filePath("out2"), fits.fileName()});
        QCOMPARE(tiny.code, 1);
        QVERIFY2(tiny.err.contains("256x256") && tiny.err.contains("memory budget of 10 MB"),
                 qPrintable(tiny.err));
        QCOMPARE(cli({"encode", "--max-memory-gb", "-1", "-o", dir.path(), fits.fileName()}).code,
                 2);
    }

    void usageErrors() {
        QCOMPARE(cli({}).code, 2);
        QCOMPARE(cli({"frobnicate"}).code, 2);
        QCOMPARE(cli({"encode", fixture("img_rgb.png")}).code, 2);  // no output folder
        QCOMPARE(
            cli({"encode", "-m", fixture("v8_4.ckpt"), "--device", "tpu", "-o", "/tmp/x", "a.png"})
                .code,
            2);
        QCOMPARE(
            cli({"encode", "-m", fixture("v8_4.ckpt"), "--bogus", "-o", "/tmp/x", "a.png"}).code,
            2);
        QCOMPARE(cli({"info"}).code, 2);
        const Run help = cli({"encode", "--help"});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("--decode"));
        QTemporaryDir dir;
        const Run badModel = cli(
            {"encode", "-m", fixture("bad_crc.ckpt"), "-o", dir.path(), fixture("img_rgb.png")});
        QCOMPARE(badModel.code, 1);
        QVERIFY(badModel.err.contains("CRC-32"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
