// medvae-cli decode's Latent lab work, end to end: --interpolate (linear and slerp) against numpy,
// endpoints against plain decodes of A and B, every recipe edit against numpy (and torch's seeded
// noise), a recipe's own inputs found and checked beside it, and hostile recipes refused in words.

#include <ATen/ATen.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "fixture_data.h"
#include "npy_file.h"

using namespace medvae::test;

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

// The outcome of a started process, once it ended.
Run finish(QProcess& p) {
    Run r;
    if (!p.waitForFinished(300000)) return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// medvae-cli and the numpy reference, named as the package check reads them.
Run cli(const QStringList& args) {
    QProcess p;
    p.start(MEDVAE_CLI, args);
    return finish(p);
}

Run python(const QStringList& args) {
    QProcess p;
    p.start(MEDVAE_PYTHON, args);
    return finish(p);
}

// The numpy reference (tests/cli/latent_reference.py) writes `out`; true when it ran.
bool reference(const QStringList& args) {
    const Run r = python(QStringList{MEDVAE_LATENT_REFERENCE} + args);
    if (r.code != 0) qWarning("%s", qPrintable(r.err));
    return r.code == 0;
}

QString sha256(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromLatin1(
        QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
}

QByteArray bytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A seeded random z of `shape` written as float32 .npy.
void writeZ(const QString& path, std::vector<std::int64_t> shape, std::uint64_t seed) {
    at::manual_seed(seed);
    const at::Tensor z = at::randn(shape, at::kFloat).contiguous();
    medvae::NpyFile::write(path.toStdString(), z.data_ptr<float>(), shape);
}

void writeText(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

QString modelPath() {
    return fixture("v8_4.ckpt");
}

// A recipe of `inputs` (file names beside it) and `edits` (JSON list text) for the fixture model.
QByteArray recipe(const QDir& dir, const QStringList& inputs, const QByteArray& edits,
                  const QByteArray& interpolation = "{\"mode\": \"linear\", \"t\": 0.5}") {
    QByteArray files;
    for (const QString& in : inputs)
        files += QByteArray(files.isEmpty() ? "" : ", ") + "{\"file\": \"" + in.toUtf8() +
                 "\", \"sha256\": \"" + sha256(dir.filePath(in)).toUtf8() + "\"}";
    return "{\"format\": \"medvae-latent-recipe\", \"version\": 1, \"model\": {\"name\": "
           "\"v8_4.ckpt\", \"sha256\": \"" +
           sha256(modelPath()).toUtf8() + "\"}, \"inputs\": [" + files +
           "], \"interpolation\": " + interpolation + ", \"edits\": " + edits + "}";
}

}  // namespace

class TestLatentDecode : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void interpolationMatchesNumpyAndEndsAtAAndB_data() {
        QTest::addColumn<bool>("slerp");
        QTest::newRow("linear") << false;
        QTest::newRow("slerp") << true;
    }
    void interpolationMatchesNumpyAndEndsAtAAndB() {
        QFETCH(bool, slerp);
        QTemporaryDir dir;
        const QString a = dir.filePath("a_z.npy"), b = dir.filePath("b_z.npy");
        writeZ(a, {4, 6, 5}, 1);
        writeZ(b, {4, 6, 5}, 2);
        QStringList args{"decode",        "-m", modelPath(), "-o",      dir.filePath("steps"),
                         "--interpolate", a,    b,           "--steps", "5"};
        if (slerp) args << "--slerp";
        const Run r = cli(args);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const Run plain = cli({"decode", "-m", modelPath(), "-o", dir.filePath("plain"), a, b});
        QVERIFY2(plain.code == 0, qPrintable(plain.err));
        // The endpoints are the decodes of A and B, bit for bit.
        QCOMPARE(bytes(dir.filePath("steps/a_to_b_step0_decoded.npy")),
                 bytes(dir.filePath("plain/a_decoded.npy")));
        QCOMPARE(bytes(dir.filePath("steps/a_to_b_step4_decoded.npy")),
                 bytes(dir.filePath("plain/b_decoded.npy")));
        QVERIFY(!bytes(dir.filePath("plain/a_decoded.npy")).isEmpty());
        for (int k = 0; k < 5; ++k) {
            const QString step = dir.filePath(QStringLiteral("steps/a_to_b_step%1").arg(k));
            QVERIFY(QFile::exists(step + "_decoded.png"));
            const QString expected = dir.filePath(QStringLiteral("ref%1.npy").arg(k));
            QVERIFY(reference({"blend", a, b, QString::number(k / 4.0, 'g', 17),
                               slerp ? "slerp" : "linear", expected}));
            const double diff = maxAbsDiff(loadNpy(step + "_z.npy"), loadNpy(expected));
            QVERIFY2(diff <= 1e-6, qPrintable(QStringLiteral("step %1: %2").arg(k).arg(diff)));
        }
        // Spherical and linear differ in between (the test would not tell them apart otherwise).
        if (slerp) {
            QVERIFY(reference({"blend", a, b, "0.5", "linear", dir.filePath("lin.npy")}));
            QVERIFY(maxAbsDiff(loadNpy(dir.filePath("steps/a_to_b_step2_z.npy")),
                               loadNpy(dir.filePath("lin.npy"))) > 1e-2);
        }
    }

    void everyEditMatchesNumpy_data() {
        QTest::addColumn<QByteArray>("edits");
        QTest::newRow("scale") << QByteArray(R"([{"op": "scale", "channel": 2, "value": 1.7}])");
        QTest::newRow("offset") << QByteArray(R"([{"op": "offset", "channel": 0, "value": -0.3}])");
        QTest::newRow("zero") << QByteArray(R"([{"op": "zero", "channel": 3}])");
        QTest::newRow("swap") << QByteArray(R"([{"op": "swap", "channel": 1, "with": 3}])");
        QTest::newRow("noise") << QByteArray(
            R"([{"op": "noise", "channel": 1, "value": 0.25, "seed": 1234}])");
        QTest::newRow("in order") << QByteArray(
            R"([{"op": "swap", "channel": 0, "with": 2}, {"op": "scale", "channel": 0, "value": 2},
                {"op": "noise", "channel": 0, "value": 0.5, "seed": 7}, {"op": "zero", "channel": 1},
                {"op": "offset", "channel": 2, "value": 0.125}])");
    }
    void everyEditMatchesNumpy() {
        QFETCH(QByteArray, edits);
        QTemporaryDir dir;
        const QDir d(dir.path());
        const QString z = dir.filePath("img_z.npy");
        writeZ(z, {4, 6, 5}, 3);
        writeText(dir.filePath("e_recipe.json"), recipe(d, {"img_z.npy"}, edits));
        const Run r = cli({"decode", "-m", modelPath(), "-o", dir.filePath("out"), "--edit",
                           dir.filePath("e_recipe.json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(reference({"edit", z, dir.filePath("e_recipe.json"), dir.filePath("ref.npy")}));
        const at::Tensor edited = loadNpy(dir.filePath("out/e_z.npy"));
        QCOMPARE(maxAbsDiff(edited, loadNpy(dir.filePath("ref.npy"))), 0.0);
        QVERIFY(maxAbsDiff(edited, loadNpy(z)) > 0.1);  // the edit changed something
        // The decode is the decode of the edited z.
        QVERIFY(QFile::rename(dir.filePath("out/e_z.npy"), dir.filePath("edited_z.npy")));
        QCOMPARE(cli({"decode", "-m", modelPath(), "-o", dir.filePath("plain"),
                      dir.filePath("edited_z.npy")})
                     .code,
                 0);
        QCOMPARE(bytes(dir.filePath("out/e_decoded.npy")),
                 bytes(dir.filePath("plain/edited_decoded.npy")));
        QVERIFY(QFile::exists(dir.filePath("out/e_decoded.png")));
        // Given a z, the recipe's edits apply to it instead of the recipe's inputs.
        const QString other = dir.filePath("other_z.npy");
        writeZ(other, {4, 6, 5}, 9);
        QCOMPARE(cli({"decode", "-m", modelPath(), "-o", dir.filePath("given"), "--edit",
                      dir.filePath("e_recipe.json"), other})
                     .code,
                 0);
        QVERIFY(
            reference({"edit", other, dir.filePath("e_recipe.json"), dir.filePath("ref2.npy")}));
        QCOMPARE(
            maxAbsDiff(loadNpy(dir.filePath("given/e_z.npy")), loadNpy(dir.filePath("ref2.npy"))),
            0.0);
    }

    void recipeInterpolatesItsOwnInputs() {
        QTemporaryDir dir;
        const QDir d(dir.path());
        writeZ(dir.filePath("a_z.npy"), {4, 6, 5}, 4);
        writeZ(dir.filePath("b_z.npy"), {4, 6, 5}, 5);
        writeText(
            dir.filePath("mix_recipe.json"),
            recipe(d, {"a_z.npy", "b_z.npy"}, R"([{"op": "scale", "channel": 1, "value": 3}])",
                   R"({"mode": "slerp", "t": 0.30000000000000004})"));
        const Run r = cli({"decode", "-m", modelPath(), "-o", dir.filePath("out"), "--edit",
                           dir.filePath("mix_recipe.json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(reference({"blend", dir.filePath("a_z.npy"), dir.filePath("b_z.npy"),
                           "0.30000000000000004", "slerp", dir.filePath("mixed.npy")}));
        QVERIFY(reference({"edit", dir.filePath("mixed.npy"), dir.filePath("mix_recipe.json"),
                           dir.filePath("ref.npy")}));
        QVERIFY(maxAbsDiff(loadNpy(dir.filePath("out/mix_z.npy")),
                           loadNpy(dir.filePath("ref.npy"))) <= 3e-6);
    }

    void hostileRecipesAreRefusedInWords_data() {
        QTest::addColumn<QByteArray>("edits");
        QTest::addColumn<QString>("input");  // the recipe's input file name
        QTest::addColumn<QString>("words");
        const QByteArray scale = R"([{"op": "scale", "channel": 0, "value": 2}])";
        QTest::newRow("channel out of range")
            << QByteArray(R"([{"op": "zero", "channel": 4}])") << "img_z.npy"
            << "channel out of range";
        QTest::newRow("swap out of range")
            << QByteArray(R"([{"op": "swap", "channel": 0, "with": 9}])") << "img_z.npy"
            << "channel out of range";
        QTest::newRow("negative channel")
            << QByteArray(R"([{"op": "zero", "channel": -1}])") << "img_z.npy"
            << "whole number";
        QTest::newRow("NaN scale")
            << QByteArray(R"([{"op": "scale", "channel": 0, "value": NaN}])") << "img_z.npy"
            << "img_recipe.json";
        QTest::newRow("infinite scale")
            << QByteArray(R"([{"op": "scale", "channel": 0, "value": 1e999}])") << "img_z.npy"
            << "img_recipe.json";
        QTest::newRow("huge scale")
            << QByteArray(R"([{"op": "scale", "channel": 0, "value": 1e300}])") << "img_z.npy"
            << "beyond";
        QTest::newRow("negative sigma")
            << QByteArray(R"([{"op": "noise", "channel": 0, "value": -1, "seed": 1}])")
            << "img_z.npy"
            << "negative sigma";
        QTest::newRow("unknown op")
            << QByteArray(R"([{"op": "rotate", "channel": 0}])") << "img_z.npy"
            << "unknown latent edit";
        QTest::newRow("missing file") << scale << "gone_z.npy"
                                      << "gone_z.npy";
        QTest::newRow("path outside") << scale << "../img_z.npy"
                                      << "not a plain file name";
        QTest::newRow("absolute path") << scale << "/etc/passwd"
                                       << "not a plain file name";
        QTest::newRow("wrong shape") << scale << "wide_z.npy"
                                     << "z must be [4, h, w]";
    }
    void hostileRecipesAreRefusedInWords() {
        QFETCH(QByteArray, edits);
        QFETCH(QString, input);
        QFETCH(QString, words);
        QTemporaryDir dir;
        const QDir d(dir.path());
        writeZ(dir.filePath("img_z.npy"), {4, 6, 5}, 6);
        writeZ(dir.filePath("wide_z.npy"), {3, 6, 5}, 6);
        QByteArray text = recipe(d, {"img_z.npy"}, edits);
        // The name under test, with the SHA-256 of a real file (so that only the name is wrong).
        text.replace("\"file\": \"img_z.npy\"", "\"file\": \"" + input.toUtf8() + "\"");
        if (input == "wide_z.npy")
            text.replace(sha256(dir.filePath("img_z.npy")).toUtf8(),
                         sha256(dir.filePath("wide_z.npy")).toUtf8());
        writeText(dir.filePath("img_recipe.json"), text);
        const Run r = cli({"decode", "-m", modelPath(), "-o", dir.filePath("out"), "--edit",
                           dir.filePath("img_recipe.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(words), qPrintable(r.err));
        QVERIFY(QDir(dir.filePath("out")).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    void otherRefusals() {
        QTemporaryDir dir;
        const QDir d(dir.path());
        const QString z = dir.filePath("img_z.npy");
        writeZ(z, {4, 6, 5}, 8);
        writeZ(dir.filePath("small_z.npy"), {4, 3, 5}, 8);
        const QByteArray good = recipe(d, {"img_z.npy"}, "[]");
        // Another file under the recipe's input name.
        QByteArray changed = good;
        changed.replace(sha256(z).toUtf8(), QByteArray(64, 'a'));
        writeText(dir.filePath("changed_recipe.json"), changed);
        Run r = cli({"decode", "-m", modelPath(), "-o", dir.filePath("out"), "--edit",
                     dir.filePath("changed_recipe.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("SHA-256 is not the one the recipe names"), qPrintable(r.err));
        // Another model.
        writeText(dir.filePath("good_recipe.json"), good);
        r = cli({"decode", "-m", fixture("v8_1.ckpt"), "-o", dir.filePath("out"), "--edit",
                 dir.filePath("good_recipe.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("was made with the model 'v8_4.ckpt'"), qPrintable(r.err));
        // Interpolating between z of two shapes.
        r = cli({"decode", "-m", modelPath(), "-o", dir.filePath("out"), "--interpolate", z,
                 dir.filePath("small_z.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("different shapes"), qPrintable(r.err));
        // Huge or too few steps, and malformed calls, are usage errors before any work.
        for (const char* steps : {"100000", "1", "x"}) {
            r = cli({"decode", "-m", modelPath(), "-o", dir.filePath("out"), "--interpolate", z, z,
                     "--steps", steps});
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains("--steps must be a whole number from 2 to 1000"),
                     qPrintable(r.err));
        }
        QCOMPARE(
            cli({"decode", "-m", modelPath(), "-o", dir.filePath("out"), "--interpolate", z}).code,
            2);
        // Not JSON, and a recipe too large to be one.
        writeText(dir.filePath("junk_recipe.json"), "{\"format\": ");
        r = cli({"decode", "-m", modelPath(), "-o", dir.filePath("out"), "--edit",
                 dir.filePath("junk_recipe.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("junk_recipe.json"), qPrintable(r.err));
        writeText(dir.filePath("big_recipe.json"), QByteArray(2 << 20, ' '));
        r = cli({"decode", "-m", modelPath(), "-o", dir.filePath("out"), "--edit",
                 dir.filePath("big_recipe.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("larger than 1 MiB"), qPrintable(r.err));
        QVERIFY(QDir(dir.filePath("out")).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    void helpExplainsZAndLatent() {
        const Run help = cli({"decode", "--help"});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("Decoding takes z"));
        QVERIFY(help.out.contains("stage-2 latent"));
        QVERIFY(help.out.contains("--interpolate") && help.out.contains("--edit"));
    }
};

QTEST_GUILESS_MAIN(TestLatentDecode)
#include "tst_latent_decode.moc"
