// The Azure ML MedVAE scoring contract: request and response bodies, both sides of it, checked
// against the card's shapes and, for the PNG sent, against numpy.
#include <ATen/ATen.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>

#include "contract_test_support.h"
#include "error.h"
#include "npy_file.h"
#include "scoring_contract.h"

using namespace medvae;
using medvae::contract::ScoringContract;
using medvae::test::errorOf;
using medvae::test::nested;

namespace {

QString runPython(const QString& script, const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(MEDVAE_PYTHON), QStringList{QStringLiteral("-c"), script} + args);
    if (!p.waitForFinished(60000)) return QStringLiteral("python timed out");
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()).trimmed();
}

}  // namespace

class TestScoringContract : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void requestBodyIsTheCardsShape();
    void pngIsLosslessPerNumpy_data();
    void pngIsLosslessPerNumpy();
    void parsesEveryShapeTheCardsClientAccepts();
    void refusesBadAnswers_data();
    void refusesBadAnswers();
    void parsesServerRequests();
};

void TestScoringContract::requestBodyIsTheCardsShape() {
    const QJsonObject o =
        QJsonDocument::fromJson(ScoringContract::requestBody("QUJD", true)).object();
    const QJsonObject input = o.value("input_data").toObject();
    QCOMPARE(input.value("columns").toArray(), (QJsonArray{"image_path", "decode"}));
    QCOMPARE(input.value("data").toArray(), (QJsonArray{QJsonArray{"QUJD", true}}));
    QCOMPARE(o.keys(), QStringList{"input_data"});
}

void TestScoringContract::pngIsLosslessPerNumpy_data() {
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("bits");
    QTest::addColumn<double>("offset");  // added to the integer ramp
    QTest::addColumn<double>("step");
    QTest::addColumn<QString>("expect");  // what numpy must see: "same", "shifted", "scaled"
    QTest::newRow("gray 8-bit") << 1 << 8 << 0.0 << 1.0 << "same";
    QTest::newRow("RGB 8-bit") << 3 << 8 << 0.0 << 1.0 << "same";
    QTest::newRow("gray 16-bit") << 1 << 16 << 0.0 << 97.0 << "same";
    QTest::newRow("RGB 16-bit") << 3 << 16 << 0.0 << 31.0 << "same";
    QTest::newRow("signed HU") << 1 << 16 << -1024.0 << 7.0 << "shifted";
    QTest::newRow("float") << 1 << 32 << -0.5 << 0.001 << "scaled";
}

void TestScoringContract::pngIsLosslessPerNumpy() {
    QFETCH(int, channels);
    QFETCH(int, bits);
    QFETCH(double, offset);
    QFETCH(double, step);
    QFETCH(QString, expect);
    Image image;
    image.width = 37;
    image.height = 23;
    image.channels = channels;
    image.meta.bitsPerSample = bits;
    image.meta.floatingPoint = bits == 32;
    const int plane = image.width * image.height;
    image.pixels.resize(size_t(plane) * channels);
    const int modulo = bits == 8 ? 256 : 600;
    for (int i = 0; i < plane * channels; ++i)
        image.pixels[i] = float(offset + ((i * 7) % modulo) * step);
    QTemporaryDir dir;
    const QString png = dir.filePath("img.png"), npy = dir.filePath("img.npy");
    QFile f(png);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(ScoringContract::encodePng(image));
    f.close();
    NpyFile::write(npy.toStdString(), image.pixels.data(), {channels, image.height, image.width});
    // numpy/PIL decode the PNG independently and compare with the planar source pixels.
    // A PNG decoder written here with zlib and numpy (PIL drops 16-bit RGB to 8 bits).
    const QString script = QStringLiteral(R"(
import sys, zlib, struct, numpy as np
png, npy, expect = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(png, 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR': w, h, bits, ctype, _, _, interlace = struct.unpack('>IIBBBBB', chunk)
    if kind == b'IDAT': idat += chunk
    pos += 12 + n
ch = {0: 1, 2: 3}[ctype]
bpp = ch * bits // 8
raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, 1 + w * bpp).astype(np.int64)
out = np.zeros((h, w * bpp), np.int64)
for y in range(h):
    f, line = raw[y, 0], raw[y, 1:]
    prev = out[y - 1] if y else np.zeros(w * bpp, np.int64)
    cur = np.zeros(w * bpp, np.int64)
    for x in range(w * bpp):
        a = cur[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 0: pr = 0
        elif f == 1: pr = a
        elif f == 2: pr = b
        elif f == 3: pr = (a + b) // 2
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        cur[x] = (line[x] + pr) & 255
    out[y] = cur
if bits == 16: out = out[:, 0::2] * 256 + out[:, 1::2]
a = out.reshape(h, w, ch).transpose(2, 0, 1).astype(np.float64)
src = np.load(npy).astype(np.float64)
if expect == 'same': ok = np.array_equal(a, src)
elif expect == 'shifted': ok = np.array_equal(a, src - src.min())
else:
    want = np.round((src - src.min()) * 65535.0 / (src.max() - src.min()))
    ok = np.max(np.abs(a - want)) <= 1
print('OK' if ok else 'MISMATCH', bits, a.shape)
)");
    const QString out = runPython(script, {png, npy, expect});
    QVERIFY2(out.startsWith("OK"), qPrintable(out));
    QCOMPARE(out.section(' ', 1, 1).toInt(), bits == 8 ? 8 : 16);
}

void TestScoringContract::parsesEveryShapeTheCardsClientAccepts() {
    const QByteArray latent2 = nested({2, 3}, [](int i) { return i - 2.5; });
    const QByteArray latent3 = nested({4, 2, 3}, [](int i) { return i * 0.25; });
    const QByteArray decoded255 = nested({16, 24}, [](int i) { return (i * 5) % 256; });
    const QByteArray decodedModel =
        nested({3, 16, 24}, [](int i) { return (i % 200) / 100.0 - 1; });
    struct Case {
        QByteArray body;
        std::vector<std::int64_t> latentShape, decodedShape;
        bool scale255;
    };
    const std::vector<Case> cases = {
        {"{\"predictions\":[{\"latent\":" + latent3 + ",\"decoded\":" + decoded255 + "}]}",
         {4, 2, 3},
         {1, 16, 24},
         true},
        {"[{\"latent\":" + latent2 + ",\"decoded\":" + decodedModel + "}]",
         {1, 2, 3},
         {3, 16, 24},
         false},
        {"{\"latent\":" + latent3 + "}", {4, 2, 3}, {}, false},
        {"{\"predictions\":{\"latent\":[" + latent3 + "],\"decoded\":[" + decodedModel + "]}}",
         {4, 2, 3},
         {3, 16, 24},
         false},
        {QJsonDocument(QJsonArray{QString::fromLatin1("{\"latent\":" + latent2 + "}")})
             .toJson()
             .mid(1)
             .chopped(2),
         {1, 2, 3},
         {},
         false},
    };
    for (size_t k = 0; k < cases.size(); ++k) {
        const Case& c = cases[k];
        const EncodeResult r = ScoringContract::parseResponse(c.body.trimmed(), false);
        QVERIFY2(!r.z.defined(), "a remote result has no z");
        QCOMPARE(r.latent.sizes().vec(), c.latentShape);
        // The latent's values are the flat sequence written above.
        const bool three = c.latentShape[0] == 4;
        for (int i = 0; i < r.latent.numel(); ++i)
            QCOMPARE(r.latent.flatten()[i].item<float>(), float(three ? i * 0.25 : i - 2.5));
        if (c.decodedShape.empty()) {
            QVERIFY(!r.decoded.defined());
            continue;
        }
        QCOMPARE(r.decoded.sizes().vec(), c.decodedShape);
        for (int i = 0; i < r.decoded.numel(); i += 17) {
            const double want =
                c.scale255 ? ((i * 5) % 256) / 255.0 * 2 - 1 : (i % 200) / 100.0 - 1;
            QVERIFY(std::fabs(r.decoded.flatten()[i].item<float>() - want) < 1e-6);
        }
    }
    QVERIFY_THROWS_EXCEPTION(Error,
                             ScoringContract::parseResponse("{\"latent\":" + latent3 + "}", true));
}

void TestScoringContract::refusesBadAnswers_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    const QByteArray latent = nested({4, 2, 2}, [](int i) { return i; });
    QTest::newRow("garbage") << QByteArray("<html>oops</html>") << QString("not valid JSON");
    QTest::newRow("truncated") << ("{\"predictions\":[{\"latent\":" + latent.left(20))
                               << QString("truncated");
    QTest::newRow("NaN") << QByteArray("{\"latent\":[[NaN,1],[2,3]]}") << QString("NaN");
    QTest::newRow("null") << QByteArray("{\"latent\":[[null,1],[2,3]]}") << QString("non-number");
    QTest::newRow("ragged") << QByteArray("{\"latent\":[[1,2],[3]]}") << QString("ragged");
    QTest::newRow("1-D") << QByteArray("{\"latent\":[1,2,3]}") << QString("dimension");
    QTest::newRow("5-D") << QByteArray("{\"latent\":[[[[[1]]]]]}") << QString("more than 4");
    QTest::newRow("no latent") << QByteArray("{\"predictions\":[{\"decoded\":[[1]]}]}")
                               << QString("no 'latent'");
    QTest::newRow("empty") << QByteArray("{\"predictions\":[]}") << QString("no prediction");
    QTest::newRow("decoded size") << ("{\"latent\":" + latent + ",\"decoded\":" +
                                      nested({1, 16, 15}, [](int) { return 3; }) + "}")
                                  << QString("integer factor");
    QTest::newRow("decoded channels")
        << ("{\"latent\":" + latent + ",\"decoded\":" + nested({4, 16, 16}, [](int) { return 3; }) +
            "}")
        << QString("channels");
    QTest::newRow("decoded range")
        << ("{\"latent\":" + latent +
            ",\"decoded\":" + nested({1, 16, 16}, [](int i) { return i * 10; }) + "}")
        << QString("0-255");
    QTest::newRow("huge") << QByteArray("{\"latent\":[[1e999,1],[2,3]]}")
                          << QString("not valid JSON");
}

void TestScoringContract::refusesBadAnswers() {
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    const QString error = errorOf([&] { ScoringContract::parseResponse(body, false); });
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestScoringContract::parsesServerRequests() {
    auto in = ScoringContract::parseRequest(ScoringContract::requestBody("QUJD", true));
    QCOMPARE(in.image, QString("QUJD"));
    QVERIFY(in.decode);
    in = ScoringContract::parseRequest(
        R"({"input_data":{"columns":["image_path"],"data":[["x"]]}})");
    QVERIFY(!in.decode);
    in = ScoringContract::parseRequest(
        R"({"input_data":{"columns":["decode","image_path"],"data":[[true,"y"]]}})");
    QCOMPARE(in.image, QString("y"));
    QVERIFY(in.decode);
    // Commas, colons and brackets inside strings (a URL, an escaped quote) are not values.
    const QString url = "https://h/x?" + QString("a,b:[{").repeated(3000) + "\\\"q";
    in = ScoringContract::parseRequest(ScoringContract::requestBody(url, false));
    QCOMPARE(in.image, url);
    const QList<QPair<QByteArray, QString>> bad = {
        {"{", "not valid JSON"},
        {"[]", "JSON object"},
        {R"({"input_data":{"columns":["image","decode"],"data":[["x",true]]}})",
         "Unknown or repeated column 'image'"},
        {R"({"input_data":{"columns":["image_path","decode"],"data":[["x"]]}})",
         "one value per column"},
        {R"({"input_data":{"columns":["image_path","decode"],"data":[]}})", "exactly one row"},
        {R"({"input_data":{"columns":["image_path","decode"],"data":[[1,true]]}})",
         "non-empty string"},
        {R"({"input_data":{"columns":["image_path","decode"],"data":[["x","yes"]]}})",
         "true or false"},
        {R"({"data":[]})", "input_data"},
        // Invalid UTF-8 in the image string is a JSON error, not a mangled image name.
        {"{\"input_data\":{\"columns\":[\"image_path\"],\"data\":[[\"a\xff\xfe\"]]}}",
         "not valid JSON"},
        // Millions of small values would cost ~16 bytes each inside QJsonDocument: refused by
        // counting before parsing (here 5000 padding values next to a valid row).
        {R"({"input_data":{"columns":["image_path"],"data":[["x"]]},"pad":[)" +
             QByteArray("0,").repeated(4999) + "0]}",
         "more than 4096 JSON values"},
        // Deep nesting is refused by the JSON reader itself, without recursion trouble.
        {QByteArray(2000, '[') + QByteArray(2000, ']'), "not valid JSON"},
    };
    for (const auto& b : bad) {
        try {
            ScoringContract::parseRequest(b.first);
            QFAIL(b.first.constData());
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(b.second), e.what());
        }
    }
}

QTEST_GUILESS_MAIN(TestScoringContract)
#include "tst_scoring_contract.moc"
